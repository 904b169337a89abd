-- CreateEnum
CREATE TYPE "ConsentKind" AS ENUM ('ANALYTICS', 'NEWSLETTER');

-- CreateEnum
CREATE TYPE "ConsentSource" AS ENUM ('BANNER', 'SETTINGS', 'EMAIL_LINK');

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "newsletterEnabled" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "Consent" (
    "id" TEXT NOT NULL,
    "kind" "ConsentKind" NOT NULL,
    "given" BOOLEAN NOT NULL,
    "source" "ConsentSource" NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "userId" TEXT,

    CONSTRAINT "Consent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Newsletter" (
    "id" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "fannedOutAt" TIMESTAMP(3),
    "recipientCount" INTEGER,

    CONSTRAINT "Newsletter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NewsletterDelivery" (
    "id" TEXT NOT NULL,
    "newsletterId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NewsletterDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Consent_userId_kind_at_idx" ON "Consent"("userId", "kind", "at");

-- CreateIndex
CREATE INDEX "Consent_at_idx" ON "Consent"("at");

-- CreateIndex
CREATE INDEX "NewsletterDelivery_userId_idx" ON "NewsletterDelivery"("userId");

-- CreateIndex
CREATE INDEX "NewsletterDelivery_sentAt_idx" ON "NewsletterDelivery"("sentAt");

-- CreateIndex
CREATE UNIQUE INDEX "NewsletterDelivery_newsletterId_userId_key" ON "NewsletterDelivery"("newsletterId", "userId");

-- AddForeignKey
ALTER TABLE "Consent" ADD CONSTRAINT "Consent_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NewsletterDelivery" ADD CONSTRAINT "NewsletterDelivery_newsletterId_fkey" FOREIGN KEY ("newsletterId") REFERENCES "Newsletter"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NewsletterDelivery" ADD CONSTRAINT "NewsletterDelivery_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
