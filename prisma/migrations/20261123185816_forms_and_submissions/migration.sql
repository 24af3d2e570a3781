-- CreateEnum
CREATE TYPE "FormVisibility" AS ENUM ('public', 'private');

-- CreateEnum
CREATE TYPE "SpamProtectionStrategy" AS ENUM ('standard', 'intelligent');

-- CreateEnum
CREATE TYPE "SmartRepliesMode" AS ENUM ('draft', 'auto');

-- CreateEnum
CREATE TYPE "ProcessingStatus" AS ENUM ('pending', 'processing', 'completed', 'failed');

-- CreateEnum
CREATE TYPE "ReplyStatus" AS ENUM ('awaiting_review', 'awaiting_delivery', 'delivered', 'needs_human_reply', 'delivery_failed', 'skipped');

-- CreateTable
CREATE TABLE "forms" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "slug" VARCHAR(64) NOT NULL,
    "visibility" "FormVisibility" NOT NULL DEFAULT 'public',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "current_version" INTEGER NOT NULL DEFAULT 1,
    "spam_protection_enabled" BOOLEAN NOT NULL DEFAULT false,
    "spam_protection_strategy" "SpamProtectionStrategy" NOT NULL DEFAULT 'standard',
    "intent" VARCHAR(1000),
    "localisation_enabled" BOOLEAN NOT NULL DEFAULT false,
    "smart_reply_enabled" BOOLEAN NOT NULL DEFAULT false,
    "smart_replies_mode" "SmartRepliesMode" NOT NULL DEFAULT 'draft',
    "smart_reply_email_field" VARCHAR(64),
    "knowledge_base_id" UUID,
    "allowed_origins" TEXT[],
    "redirect_url" VARCHAR(2048),
    "retention_days" INTEGER,
    "notify_emails" TEXT[],
    "ip_rate_limit" INTEGER NOT NULL DEFAULT 10,
    "submission_token_hash" BYTEA,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "forms_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "form_versions" (
    "id" UUID NOT NULL,
    "form_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "fields_schema" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "form_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "submissions" (
    "id" UUID NOT NULL,
    "form_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "form_version_id" UUID NOT NULL,
    "form_version" INTEGER NOT NULL,
    "data" JSONB NOT NULL,
    "processing_status" "ProcessingStatus" NOT NULL DEFAULT 'pending',
    "processing_reason" VARCHAR(64),
    "spam" BOOLEAN NOT NULL DEFAULT false,
    "spam_confidence" DOUBLE PRECISION,
    "spam_reason" VARCHAR(500),
    "detected_language" VARCHAR(16),
    "translated_data" JSONB,
    "reply_status" "ReplyStatus",
    "reply_subject" VARCHAR(500),
    "reply_content" TEXT,
    "replied_at" TIMESTAMPTZ(3),
    "metadata" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "submissions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "submission_jobs" (
    "id" UUID NOT NULL,
    "submission_id" UUID NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "run_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_until" TIMESTAMPTZ(3),
    "last_error" VARCHAR(1000),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "submission_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_keys" (
    "form_id" UUID NOT NULL,
    "key" VARCHAR(256) NOT NULL,
    "request_hash" BYTEA NOT NULL,
    "submission_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("form_id","key")
);

-- CreateTable
CREATE TABLE "knowledge_bases" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "content" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "knowledge_bases_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "forms_submission_token_hash_key" ON "forms"("submission_token_hash");

-- CreateIndex
CREATE INDEX "forms_user_id_created_at_idx" ON "forms"("user_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "forms_user_id_slug_key" ON "forms"("user_id", "slug");

-- CreateIndex
CREATE UNIQUE INDEX "form_versions_form_id_version_key" ON "form_versions"("form_id", "version");

-- CreateIndex
CREATE INDEX "submissions_form_id_created_at_id_idx" ON "submissions"("form_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "submissions_form_id_spam_created_at_idx" ON "submissions"("form_id", "spam", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "submission_jobs_submission_id_key" ON "submission_jobs"("submission_id");

-- CreateIndex
CREATE INDEX "submission_jobs_run_at_idx" ON "submission_jobs"("run_at");

-- CreateIndex
CREATE INDEX "idempotency_keys_created_at_idx" ON "idempotency_keys"("created_at");

-- CreateIndex
CREATE INDEX "knowledge_bases_user_id_idx" ON "knowledge_bases"("user_id");

-- AddForeignKey
ALTER TABLE "forms" ADD CONSTRAINT "forms_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "forms" ADD CONSTRAINT "forms_knowledge_base_id_fkey" FOREIGN KEY ("knowledge_base_id") REFERENCES "knowledge_bases"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "form_versions" ADD CONSTRAINT "form_versions_form_id_fkey" FOREIGN KEY ("form_id") REFERENCES "forms"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_form_id_fkey" FOREIGN KEY ("form_id") REFERENCES "forms"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_form_version_id_fkey" FOREIGN KEY ("form_version_id") REFERENCES "form_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "submission_jobs" ADD CONSTRAINT "submission_jobs_submission_id_fkey" FOREIGN KEY ("submission_id") REFERENCES "submissions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "knowledge_bases" ADD CONSTRAINT "knowledge_bases_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------
-- Hand-written: full-text search, tenancy (see the init migration).
-- ---------------------------------------------------------------------------

-- Full-text search over every string value of a submission. The 'simple' configuration
-- does no stemming: submissions arrive in any language.
CREATE INDEX "submissions_search_idx" ON "submissions" USING gin (to_tsvector('simple', "data"));

DO $$
BEGIN
  EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON forms, form_versions, submissions, submission_jobs, idempotency_keys, knowledge_bases TO intake_app';
END $$;

ALTER TABLE forms ENABLE ROW LEVEL SECURITY;
CREATE POLICY forms_owner ON forms TO intake_app
  USING (user_id = intake_current_user_id()) WITH CHECK (user_id = intake_current_user_id());

ALTER TABLE form_versions ENABLE ROW LEVEL SECURITY;
CREATE POLICY form_versions_owner ON form_versions TO intake_app
  USING (user_id = intake_current_user_id()) WITH CHECK (user_id = intake_current_user_id());

ALTER TABLE submissions ENABLE ROW LEVEL SECURITY;
CREATE POLICY submissions_owner ON submissions TO intake_app
  USING (user_id = intake_current_user_id()) WITH CHECK (user_id = intake_current_user_id());

ALTER TABLE knowledge_bases ENABLE ROW LEVEL SECURITY;
CREATE POLICY knowledge_bases_owner ON knowledge_bases TO intake_app
  USING (user_id = intake_current_user_id()) WITH CHECK (user_id = intake_current_user_id());
