-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Job" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "targetUrls" TEXT NOT NULL DEFAULT '[]',
    "mediaTypes" TEXT NOT NULL,
    "maxItems" INTEGER NOT NULL,
    "safeSearch" BOOLEAN NOT NULL DEFAULT true,
    "redownload" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL,
    "detected" INTEGER NOT NULL DEFAULT 0,
    "downloaded" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "currentItem" TEXT,
    "message" TEXT,
    "error" TEXT,
    "dispatchCount" INTEGER NOT NULL DEFAULT 0,
    "engineRunId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "heartbeatAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    CONSTRAINT "Job_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Job" ("bytes", "createdAt", "currentItem", "detected", "dispatchCount", "downloaded", "engineRunId", "error", "failed", "finishedAt", "heartbeatAt", "id", "maxItems", "mediaTypes", "message", "query", "safeSearch", "skipped", "startedAt", "status", "targetUrls", "updatedAt", "userId") SELECT "bytes", "createdAt", "currentItem", "detected", "dispatchCount", "downloaded", "engineRunId", "error", "failed", "finishedAt", "heartbeatAt", "id", "maxItems", "mediaTypes", "message", "query", "safeSearch", "skipped", "startedAt", "status", "targetUrls", "updatedAt", "userId" FROM "Job";
DROP TABLE "Job";
ALTER TABLE "new_Job" RENAME TO "Job";
CREATE INDEX "Job_userId_createdAt_idx" ON "Job"("userId", "createdAt");
CREATE INDEX "Job_status_idx" ON "Job"("status");
CREATE INDEX "Job_createdAt_id_idx" ON "Job"("createdAt", "id");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Item_sourceId_remoteId_idx" ON "Item"("sourceId", "remoteId");
