-- CreateEnum
CREATE TYPE "BookingStatus" AS ENUM ('CONFIRMED', 'CANCELLED', 'COMPLETED', 'NO_SHOW');

-- CreateEnum
CREATE TYPE "BookingParty" AS ENUM ('USER', 'EXPERT', 'STAFF');

-- CreateEnum
CREATE TYPE "WellnessPreferenceKind" AS ENUM ('CATEGORY_BROWSED', 'EXPERT_ENGAGED');

-- CreateTable
CREATE TABLE "TimeOff" (
    "id" TEXT NOT NULL,
    "expertId" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "reason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TimeOff_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Booking" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "expertId" TEXT NOT NULL,
    "categoryId" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "blockedUntil" TIMESTAMP(3) NOT NULL,
    "status" "BookingStatus" NOT NULL DEFAULT 'CONFIRMED',
    "cancelledBy" "BookingParty",
    "cancelledAt" TIMESTAMP(3),
    "cancelReason" TEXT,
    "rescheduleCount" INTEGER NOT NULL DEFAULT 0,
    "roomName" TEXT NOT NULL,
    "idempotencyKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Booking_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WellnessPreference" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" "WellnessPreferenceKind" NOT NULL,
    "categoryId" TEXT,
    "expertId" TEXT,
    "count" INTEGER NOT NULL DEFAULT 1,
    "lastAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WellnessPreference_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TimeOff_expertId_startsAt_idx" ON "TimeOff"("expertId", "startsAt");

-- CreateIndex
CREATE UNIQUE INDEX "Booking_roomName_key" ON "Booking"("roomName");

-- CreateIndex
CREATE INDEX "Booking_userId_startsAt_idx" ON "Booking"("userId", "startsAt");

-- CreateIndex
CREATE INDEX "Booking_expertId_startsAt_idx" ON "Booking"("expertId", "startsAt");

-- CreateIndex
CREATE INDEX "Booking_categoryId_idx" ON "Booking"("categoryId");

-- CreateIndex
CREATE UNIQUE INDEX "Booking_userId_idempotencyKey_key" ON "Booking"("userId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "WellnessPreference_categoryId_idx" ON "WellnessPreference"("categoryId");

-- CreateIndex
CREATE INDEX "WellnessPreference_expertId_idx" ON "WellnessPreference"("expertId");

-- CreateIndex
CREATE UNIQUE INDEX "WellnessPreference_userId_kind_categoryId_key" ON "WellnessPreference"("userId", "kind", "categoryId");

-- CreateIndex
CREATE UNIQUE INDEX "WellnessPreference_userId_kind_expertId_key" ON "WellnessPreference"("userId", "kind", "expertId");

-- AddForeignKey
ALTER TABLE "TimeOff" ADD CONSTRAINT "TimeOff_expertId_fkey" FOREIGN KEY ("expertId") REFERENCES "ExpertProfile"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_expertId_fkey" FOREIGN KEY ("expertId") REFERENCES "ExpertProfile"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_categoryId_fkey" FOREIGN KEY ("categoryId") REFERENCES "Category"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WellnessPreference" ADD CONSTRAINT "WellnessPreference_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WellnessPreference" ADD CONSTRAINT "WellnessPreference_categoryId_fkey" FOREIGN KEY ("categoryId") REFERENCES "Category"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WellnessPreference" ADD CONSTRAINT "WellnessPreference_expertId_fkey" FOREIGN KEY ("expertId") REFERENCES "ExpertProfile"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Written by hand (prisma/schema.prisma cannot express these; Prisma's diff ignores CHECK and EXCLUDE constraints).

-- Sane spans.
ALTER TABLE "TimeOff" ADD CONSTRAINT "TimeOff_span_check" CHECK ("endsAt" > "startsAt");
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_span_check" CHECK ("endsAt" > "startsAt" AND "blockedUntil" >= "endsAt");

-- Exactly one target, the one the kind names (so the two unique indexes cover every row).
ALTER TABLE "WellnessPreference" ADD CONSTRAINT "WellnessPreference_target_check" CHECK (
    ("kind" = 'CATEGORY_BROWSED' AND "categoryId" IS NOT NULL AND "expertId" IS NULL)
    OR ("kind" = 'EXPERT_ENGAGED' AND "expertId" IS NOT NULL AND "categoryId" IS NULL)
);

-- Double booking is impossible whatever the application does: two CONFIRMED bookings of one expert cannot
-- overlap, counting the expert's buffer after each session ([startsAt, blockedUntil)). A violation is SQLSTATE
-- 23P01. btree_gist gives GiST the equality operator on text; it is a trusted extension (the database owner may
-- create it) and PGlite loads it in core/db/client.ts.
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_no_overlap" EXCLUDE USING gist (
    "expertId" WITH =,
    tsrange("startsAt", "blockedUntil", '[)') WITH &&
) WHERE ("status" = 'CONFIRMED');
