-- CreateEnum
CREATE TYPE "DestinationType" AS ENUM ('webhook', 'slack', 'discord');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('pending', 'delivered', 'failed');

-- CreateTable
CREATE TABLE "destinations" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "form_id" UUID NOT NULL,
    "type" "DestinationType" NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "url" VARCHAR(2048) NOT NULL,
    "secret_sealed" TEXT,
    "include_spam" BOOLEAN NOT NULL DEFAULT false,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "failure_count" INTEGER NOT NULL DEFAULT 0,
    "last_delivered_at" TIMESTAMPTZ(3),
    "last_error" VARCHAR(500),
    "disabled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "destinations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deliveries" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "destination_id" UUID NOT NULL,
    "submission_id" UUID NOT NULL,
    "event_id" VARCHAR(64) NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delivery_attempts" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "delivery_id" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "status" INTEGER,
    "latency_ms" INTEGER,
    "error" VARCHAR(500),
    "response" VARCHAR(1000),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "delivery_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "destinations_form_id_idx" ON "destinations"("form_id");

-- CreateIndex
CREATE INDEX "destinations_user_id_idx" ON "destinations"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "deliveries_event_id_key" ON "deliveries"("event_id");

-- CreateIndex
CREATE INDEX "deliveries_status_next_attempt_at_idx" ON "deliveries"("status", "next_attempt_at");

-- CreateIndex
CREATE UNIQUE INDEX "deliveries_destination_id_submission_id_key" ON "deliveries"("destination_id", "submission_id");

-- CreateIndex
CREATE UNIQUE INDEX "delivery_attempts_delivery_id_attempt_key" ON "delivery_attempts"("delivery_id", "attempt");

-- AddForeignKey
ALTER TABLE "destinations" ADD CONSTRAINT "destinations_form_id_fkey" FOREIGN KEY ("form_id") REFERENCES "forms"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_destination_id_fkey" FOREIGN KEY ("destination_id") REFERENCES "destinations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_submission_id_fkey" FOREIGN KEY ("submission_id") REFERENCES "submissions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery_attempts" ADD CONSTRAINT "delivery_attempts_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: tenancy (see the init migration).
DO $$
BEGIN
  EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON destinations, deliveries, delivery_attempts TO intake_app';
END $$;

ALTER TABLE destinations ENABLE ROW LEVEL SECURITY;
CREATE POLICY destinations_owner ON destinations TO intake_app
  USING (user_id = intake_current_user_id()) WITH CHECK (user_id = intake_current_user_id());

ALTER TABLE deliveries ENABLE ROW LEVEL SECURITY;
CREATE POLICY deliveries_owner ON deliveries TO intake_app
  USING (user_id = intake_current_user_id()) WITH CHECK (user_id = intake_current_user_id());

ALTER TABLE delivery_attempts ENABLE ROW LEVEL SECURITY;
CREATE POLICY delivery_attempts_owner ON delivery_attempts TO intake_app
  USING (user_id = intake_current_user_id()) WITH CHECK (user_id = intake_current_user_id());
