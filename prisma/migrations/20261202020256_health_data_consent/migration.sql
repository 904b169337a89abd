-- AlterEnum
ALTER TYPE "ConsentKind" ADD VALUE 'HEALTH_DATA';

-- AlterEnum
ALTER TYPE "ConsentSource" ADD VALUE 'BOOKING';

-- AlterTable
ALTER TABLE "Consent" ADD COLUMN     "textVersion" TEXT;
