-- CreateIndex
CREATE INDEX "Job_userId_status_createdAt_idx" ON "Job"("userId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "Item_jobId_updatedAt_idx" ON "Item"("jobId", "updatedAt");
