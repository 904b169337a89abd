-- CreateEnum
CREATE TYPE "IncidentStatus" AS ENUM ('OPEN', 'ASSESSED', 'AUTHORITY_NOTIFIED', 'PEOPLE_NOTIFIED', 'CLOSED');

-- CreateEnum
CREATE TYPE "IncidentRisk" AS ENUM ('UNLIKELY', 'RISK', 'HIGH');

-- CreateTable
CREATE TABLE "Incident" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "status" "IncidentStatus" NOT NULL DEFAULT 'OPEN',
    "awareAt" TIMESTAMP(3) NOT NULL,
    "openedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "assessment" TEXT,
    "risk" "IncidentRisk",
    "assessedAt" TIMESTAMP(3),
    "authorityNotifiedAt" TIMESTAMP(3),
    "authorityReference" TEXT,
    "lateReason" TEXT,
    "peopleNotifiedAt" TIMESTAMP(3),
    "peopleNotice" TEXT,
    "closedAt" TIMESTAMP(3),
    "closingNote" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Incident_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Incident_status_awareAt_idx" ON "Incident"("status", "awareAt");
