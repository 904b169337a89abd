-- AlterEnum
ALTER TYPE "ErrorReportKind" ADD VALUE 'CSP_VIOLATION';

-- AlterTable
ALTER TABLE "EmailCode" ADD COLUMN     "bindingHash" TEXT;

-- The shared "Former client" account that erased clients' bookings move to exists from the start, with fixed
-- text, no password and status DELETED, so nobody can register its address first. A row someone registered under
-- that address before this migration is taken back: its name, password and sessions go. Sign-up, email change and
-- invitations refuse every address under the reserved .invalid domain (RFC 2606).
INSERT INTO "User" ("id", "email", "name", "passwordHash", "emailVerifiedAt", "role", "status", "remindersEnabled", "newsletterEnabled", "createdAt", "updatedAt", "deletedAt")
VALUES (gen_random_uuid()::text, 'former-client@erased.invalid', 'Former client', NULL, NULL, 'USER', 'DELETED', false, false, now(), now(), now())
ON CONFLICT ("email") DO UPDATE SET
  "name" = 'Former client',
  "passwordHash" = NULL,
  "emailVerifiedAt" = NULL,
  "role" = 'USER',
  "status" = 'DELETED',
  "remindersEnabled" = false,
  "newsletterEnabled" = false,
  "deletedAt" = COALESCE("User"."deletedAt", now()),
  "updatedAt" = now();

DELETE FROM "Session" WHERE "userId" IN (SELECT "id" FROM "User" WHERE "email" = 'former-client@erased.invalid');
DELETE FROM "EmailCode" WHERE "email" = 'former-client@erased.invalid';
