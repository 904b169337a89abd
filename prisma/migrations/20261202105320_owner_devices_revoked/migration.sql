-- AlterTable
ALTER TABLE "User" ADD COLUMN     "ownerDevicesRevokedAt" TIMESTAMP(3);
