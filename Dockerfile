# syntax=docker/dockerfile:1
# Multi-stage production image: build with dev dependencies, run with production ones as a non-root user.
# Node 22 LTS in production (Node 20 reached end of life in April 2026); the code also runs on Node 20.

FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts (ADR 0021: no dependency's, whatever npm the image brings); ours need the sources, next stage.
RUN npm ci --ignore-scripts --no-audit --no-fund

FROM deps AS build
COPY . .
# Our postinstall (patches, the Prisma client, the vendored E2EE worker and fonts), then the site (Remix) and the
# server (esbuild, scripts/build.mjs) compiled to JavaScript.
RUN npm run postinstall && npm run build

FROM node:22-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches patches
# Install scripts stay off here; the patches to Remix's route matching (patches/README.md) are applied by hand.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npx patch-package --error-on-fail

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000 DATA_DIR=/data
# Memory settings of scripts/production-runtime.mjs (why: there): fewer malloc arenas, capped V8 generations.
ENV MALLOC_ARENA_MAX=2
ENV MALLOC_MMAP_THRESHOLD_=131072
WORKDIR /app
RUN groupadd --system --gid 10001 mindnamo && useradd --system --uid 10001 --gid mindnamo --home /app mindnamo \
  && mkdir -p /data && chown mindnamo:mindnamo /data
COPY --from=prod-deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/build ./build
COPY --from=build --chown=root:root /app/public ./public
# Migrations are read at start (prisma/migrations); server, core and admin are inside build/.
COPY --from=build --chown=root:root /app/prisma/migrations ./prisma/migrations
COPY --from=build --chown=root:root /app/package.json ./
USER mindnamo
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Plain node on the compiled entry (no TypeScript at run time); SIGTERM closes HTTP, then the database.
CMD ["node", "--max-old-space-size=192", "--max-semi-space-size=16", "build/node/server/index.js"]
