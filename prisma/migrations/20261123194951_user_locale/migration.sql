-- AlterTable
ALTER TABLE "users" ADD COLUMN     "locale" VARCHAR(16) NOT NULL DEFAULT 'en';
