-- CreateTable
CREATE TABLE "oauth_records" (
    "kind" VARCHAR(40) NOT NULL,
    "key" BYTEA NOT NULL,
    "sealed_payload" TEXT NOT NULL,
    "user_id" UUID,
    "client_id" VARCHAR(2048),
    "grant_id" VARCHAR(64),
    "uid" VARCHAR(64),
    "expires_at" TIMESTAMPTZ(3),
    "consumed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "oauth_records_pkey" PRIMARY KEY ("kind","key")
);

-- CreateTable
CREATE TABLE "oauth_connections" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "client_id" VARCHAR(2048) NOT NULL,
    "client_name" VARCHAR(200) NOT NULL,
    "client_uri" VARCHAR(2048),
    "redirect_host" VARCHAR(255) NOT NULL,
    "scopes" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "oauth_connections_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "oauth_records_grant_id_idx" ON "oauth_records"("grant_id");

-- CreateIndex
CREATE INDEX "oauth_records_user_id_client_id_idx" ON "oauth_records"("user_id", "client_id");

-- CreateIndex
CREATE INDEX "oauth_records_kind_uid_idx" ON "oauth_records"("kind", "uid");

-- CreateIndex
CREATE INDEX "oauth_records_expires_at_idx" ON "oauth_records"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "oauth_connections_user_id_client_id_key" ON "oauth_connections"("user_id", "client_id");

-- AddForeignKey
ALTER TABLE "oauth_records" ADD CONSTRAINT "oauth_records_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "oauth_connections" ADD CONSTRAINT "oauth_connections_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------
-- Tenancy (hand-written). The provider's storage is read and written in the system
-- context (it finds artefacts by hashed id before anyone is known); the owner's own
-- queries (connected clients, and disconnecting one with all its tokens) run as the
-- application role, which sees only the owner's rows. Rows of nobody (clients,
-- interactions) are invisible to it.
-- ---------------------------------------------------------------------------
SELECT intake_enable_owner_rls('oauth_records');
SELECT intake_enable_owner_rls('oauth_connections');
