-- DropIndex
DROP INDEX "Job_status_idx";

-- CreateIndex
CREATE INDEX "Job_status_createdAt_id_idx" ON "Job"("status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "JobSource_sourceId_jobId_idx" ON "JobSource"("sourceId", "jobId");
