-- CreateTable
CREATE TABLE "PolicyNotice" (
    "version" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "fannedOutAt" TIMESTAMP(3),
    "recipientCount" INTEGER,

    CONSTRAINT "PolicyNotice_pkey" PRIMARY KEY ("version")
);
