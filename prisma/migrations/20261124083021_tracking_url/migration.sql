-- AlterTable
ALTER TABLE "Item" ADD COLUMN "trackingUrl" TEXT;
