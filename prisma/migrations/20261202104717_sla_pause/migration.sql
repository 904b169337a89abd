-- AlterTable
ALTER TABLE "SupportTicket" ADD COLUMN     "slaPausedAt" TIMESTAMP(3),
ADD COLUMN     "slaPausedMs" INTEGER NOT NULL DEFAULT 0;

-- Tickets already waiting for their requester stop their clock from their last change.
UPDATE "SupportTicket" SET "slaPausedAt" = "updatedAt" WHERE "status" = 'PENDING_USER';
