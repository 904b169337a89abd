-- AlterTable
ALTER TABLE "User" ADD COLUMN     "emailDetails" BOOLEAN NOT NULL DEFAULT false;
