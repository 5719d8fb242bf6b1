-- CreateIndex
CREATE INDEX "Item_jobId_updatedAt_idx" ON "Item"("jobId", "updatedAt");
