-- Full-text search under row-level security. The GIN expression index could not serve a
-- tenant query: `@@` is not LEAKPROOF, so PostgreSQL evaluates it only after the policy's
-- condition, never inside an index scan, and every search re-parsed each candidate row's
-- JSON (bench/README.md, "Submissions list"). A stored tsvector makes that per-row match
-- cheap; the unusable index goes, which also lightens every insert on the ingest path.
-- Adding a stored generated column rewrites the table once (docs/operations.md, upgrades).
DROP INDEX "submissions_search_idx";

ALTER TABLE "submissions"
  ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (to_tsvector('simple', "data")) STORED;

-- A form's listing and export match both equalities and the order here, so the planner no
-- longer walks the owner-wide (user_id, created_at) index past the owner's other forms.
DROP INDEX "submissions_form_id_created_at_id_idx";

CREATE INDEX "submissions_user_id_form_id_created_at_id_idx" ON "submissions"("user_id", "form_id", "created_at" DESC, "id" DESC);
