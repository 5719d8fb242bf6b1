-- AlterTable
ALTER TABLE "Asset" ADD COLUMN "perceptualHash" TEXT;

-- AlterTable
ALTER TABLE "Item" ADD COLUMN "expectedBytes" BIGINT;
ALTER TABLE "Item" ADD COLUMN "md5" TEXT;
ALTER TABLE "Item" ADD COLUMN "sha1" TEXT;

-- CreateIndex
CREATE INDEX "Asset_userId_perceptualHash_idx" ON "Asset"("userId", "perceptualHash");
