-- CreateEnum
CREATE TYPE "ErrorReportKind" AS ENUM ('CLIENT_CRASH', 'API_FAILURE', 'LOAD_FAILURE', 'SERVER_ERROR');

-- CreateEnum
CREATE TYPE "SecurityEventKind" AS ENUM ('SIGN_IN_FAILED', 'CODE_REQUESTED', 'FAILURE_BURST', 'MANY_ACCOUNTS_FROM_IP', 'CODES_IN_BULK', 'ACCOUNT_LOCKED', 'NEW_DEVICE', 'NOT_ME_REPORTED');

-- CreateTable
CREATE TABLE "ErrorReport" (
    "id" TEXT NOT NULL,
    "kind" "ErrorReportKind" NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "location" TEXT,
    "stack" TEXT,
    "status" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ErrorReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KnownDevice" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "familyHash" TEXT NOT NULL,
    "browser" TEXT,
    "os" TEXT,
    "device" TEXT,
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KnownDevice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeviceAlert" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "familyHash" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeviceAlert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccountLock" (
    "accountKey" TEXT NOT NULL,
    "userId" TEXT,
    "lockCount" INTEGER NOT NULL,
    "lockedUntil" TIMESTAMP(3) NOT NULL,
    "lastLockedAt" TIMESTAMP(3) NOT NULL,
    "lastEmailAt" TIMESTAMP(3),

    CONSTRAINT "AccountLock_pkey" PRIMARY KEY ("accountKey")
);

-- CreateTable
CREATE TABLE "SecurityEvent" (
    "id" TEXT NOT NULL,
    "kind" "SecurityEventKind" NOT NULL,
    "userId" TEXT,
    "accountKey" TEXT,
    "ip" TEXT,
    "detail" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SecurityEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ErrorReport_fingerprint_createdAt_idx" ON "ErrorReport"("fingerprint", "createdAt");

-- CreateIndex
CREATE INDEX "ErrorReport_createdAt_idx" ON "ErrorReport"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "KnownDevice_userId_familyHash_key" ON "KnownDevice"("userId", "familyHash");

-- CreateIndex
CREATE INDEX "DeviceAlert_userId_idx" ON "DeviceAlert"("userId");

-- CreateIndex
CREATE INDEX "DeviceAlert_expiresAt_idx" ON "DeviceAlert"("expiresAt");

-- CreateIndex
CREATE INDEX "AccountLock_userId_idx" ON "AccountLock"("userId");

-- CreateIndex
CREATE INDEX "AccountLock_lastLockedAt_idx" ON "AccountLock"("lastLockedAt");

-- CreateIndex
CREATE INDEX "SecurityEvent_kind_createdAt_idx" ON "SecurityEvent"("kind", "createdAt");

-- CreateIndex
CREATE INDEX "SecurityEvent_ip_kind_createdAt_idx" ON "SecurityEvent"("ip", "kind", "createdAt");

-- CreateIndex
CREATE INDEX "SecurityEvent_userId_idx" ON "SecurityEvent"("userId");

-- CreateIndex
CREATE INDEX "SecurityEvent_createdAt_idx" ON "SecurityEvent"("createdAt");

-- AddForeignKey
ALTER TABLE "KnownDevice" ADD CONSTRAINT "KnownDevice_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeviceAlert" ADD CONSTRAINT "DeviceAlert_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccountLock" ADD CONSTRAINT "AccountLock_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SecurityEvent" ADD CONSTRAINT "SecurityEvent_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
