-- AlterTable
ALTER TABLE "submissions" ADD COLUMN     "owner_notified_at" TIMESTAMPTZ(3);
