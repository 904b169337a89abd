-- CreateEnum
CREATE TYPE "PrivacyRequestSource" AS ENUM ('ACCOUNT', 'TICKET', 'CONTACT_FORM', 'EMAIL', 'PHONE');

-- AlterEnum
ALTER TYPE "PrivacyRequestStatus" ADD VALUE 'AWAITING_IDENTITY';

-- AlterEnum
ALTER TYPE "PrivacyRequestType" ADD VALUE 'OTHER';

-- AlterTable
ALTER TABLE "PrivacyRequest" ADD COLUMN     "escalatedAt" TIMESTAMP(3),
ADD COLUMN     "requesterEmail" TEXT,
ADD COLUMN     "source" "PrivacyRequestSource" NOT NULL DEFAULT 'ACCOUNT',
ADD COLUMN     "ticketId" TEXT,
ADD COLUMN     "verificationAttempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "verificationCodeHash" TEXT,
ADD COLUMN     "verificationExpiresAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "PrivacyRequest_ticketId_idx" ON "PrivacyRequest"("ticketId");

-- AddForeignKey
ALTER TABLE "PrivacyRequest" ADD CONSTRAINT "PrivacyRequest_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "SupportTicket"("id") ON DELETE SET NULL ON UPDATE CASCADE;
