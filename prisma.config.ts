import { defineConfig } from 'prisma/config';

// Only `prisma generate` uses the Prisma CLI here; migrations run through
// @prisma/schema-engine-wasm (libs/database/src/migrations), so no datasource URL is set.
export default defineConfig({
  schema: 'prisma/schema.prisma',
});
