-- AlterTable
ALTER TABLE "Asset" ADD COLUMN "durationMs" INTEGER;

-- Videos stored before this migration were never analysed: the maintenance run reads their
-- size and length (lib/assets/analysis.ts picks up assets whose analysedAt is NULL).
UPDATE "Asset" SET "analysedAt" = NULL WHERE "mediaType" = 'video' AND "width" IS NULL;
