-- CreateTable
CREATE TABLE "RoomParticipantKey" (
    "id" TEXT NOT NULL,
    "bookingId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "publicKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RoomParticipantKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SessionPresence" (
    "id" TEXT NOT NULL,
    "bookingId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "participantSid" TEXT NOT NULL,
    "joinedAt" TIMESTAMP(3) NOT NULL,
    "leftAt" TIMESTAMP(3),

    CONSTRAINT "SessionPresence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SessionMetadata" (
    "bookingId" TEXT NOT NULL,
    "durationSeconds" INTEGER NOT NULL,
    "settledAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SessionMetadata_pkey" PRIMARY KEY ("bookingId")
);

-- CreateTable
CREATE TABLE "LiveKitWebhookEvent" (
    "id" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "roomName" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LiveKitWebhookEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RoomParticipantKey_userId_idx" ON "RoomParticipantKey"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "RoomParticipantKey_bookingId_userId_key" ON "RoomParticipantKey"("bookingId", "userId");

-- CreateIndex
CREATE INDEX "SessionPresence_bookingId_userId_idx" ON "SessionPresence"("bookingId", "userId");

-- CreateIndex
CREATE INDEX "SessionPresence_userId_idx" ON "SessionPresence"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "SessionPresence_bookingId_participantSid_key" ON "SessionPresence"("bookingId", "participantSid");

-- CreateIndex
CREATE INDEX "LiveKitWebhookEvent_receivedAt_idx" ON "LiveKitWebhookEvent"("receivedAt");

-- AddForeignKey
ALTER TABLE "RoomParticipantKey" ADD CONSTRAINT "RoomParticipantKey_bookingId_fkey" FOREIGN KEY ("bookingId") REFERENCES "Booking"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoomParticipantKey" ADD CONSTRAINT "RoomParticipantKey_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SessionPresence" ADD CONSTRAINT "SessionPresence_bookingId_fkey" FOREIGN KEY ("bookingId") REFERENCES "Booking"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SessionPresence" ADD CONSTRAINT "SessionPresence_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SessionMetadata" ADD CONSTRAINT "SessionMetadata_bookingId_fkey" FOREIGN KEY ("bookingId") REFERENCES "Booking"("id") ON DELETE CASCADE ON UPDATE CASCADE;
