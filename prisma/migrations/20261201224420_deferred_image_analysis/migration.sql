-- AlterTable
ALTER TABLE "Asset" ADD COLUMN "analysedAt" DATETIME;
ALTER TABLE "Asset" ADD COLUMN "analysisError" TEXT;

-- CreateIndex
CREATE INDEX "Asset_jobId_analysedAt_idx" ON "Asset"("jobId", "analysedAt");
