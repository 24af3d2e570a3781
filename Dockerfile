# Intake image: one image for every part; the command picks the part.
#   api (default)  node dist/apps/api/src/main.js
#   worker         node dist/apps/worker/src/main.js
#   migrate/admin  node dist/apps/cli/src/main.js migrate | user create ... | apikey create ...
# Without DATABASE_URL the api runs the embedded PGlite database in /app/data (mount a volume).
# Node 22 LTS; Intake also supports 20.19+ and 24 (change the tag in both stages together).

FROM node:22-bookworm-slim AS build
WORKDIR /app
# Dependencies first so source edits reuse the cached `npm ci` layer.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# Generates the Prisma client into libs/database/src/generated and compiles apps + libs
# into dist/ with SWC; dist/ needs nothing from the sources afterwards.
RUN node scripts/build.js \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:22-bookworm-slim AS runtime
# HOST: explicit IPv4 bind, as the default `::` fails on hosts booted with IPv6 disabled.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/data
WORKDIR /app
# Code stays root-owned (read-only to the app); only the data directory is writable.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# prisma/migrations is read at runtime by `migrate` and /readyz; the migrator finds
# prisma/schema.prisma by walking up from dist/libs/database/src/migrations.
COPY --from=build /app/prisma ./prisma
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# Liveness only (/healthz never touches dependencies); slim has no curl, so use node's fetch.
# Replace or disable it for the worker and one-shot CLI containers, which serve no HTTP.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/apps/api/src/main.js"]
