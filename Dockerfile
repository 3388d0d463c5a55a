# syntax=docker/dockerfile:1
# The lp-archive image: the worker by default; the same image runs the codec server
# (`node dist/src/codec-server.js`) and the ops CLI (`node dist/src/starter.js ...`). See docs/production.md.
#
#   docker build --build-arg LPA_BUILD_ID=$(git describe --tags --always) -t <registry>/lp-archive:<tag> .
#
# Runs as uid 1000 with a read-only root filesystem: nothing is written outside TMPDIR (/tmp, mount an
# emptyDir there). Node is PID 1 and handles SIGTERM itself (the Temporal runtime stops polling, lets running
# activities finish for 30 s, then the process exits 0); it starts no child processes, so no init is needed.

# Pin this by digest in your registry. The bench figures (README) were measured on Node 20.
ARG NODE_IMAGE=node:20-bookworm-slim

# 1. Compile TypeScript and bundle the workflow code ahead of time (no webpack in the running worker).
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm run bundle:workflows -- --out dist/workflow-bundle.js

# 2. Production dependencies only.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. What runs.
FROM ${NODE_IMAGE} AS runtime
# The release this image is built from: the worker's build id when Worker Versioning is on.
ARG LPA_BUILD_ID=
ENV NODE_ENV=production \
    LPA_IMAGE_BUILD_ID=${LPA_BUILD_ID} \
    LPA_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js \
    LPA_METRICS_HOST=0.0.0.0 \
    LPA_METRICS_PORT=9464 \
    LPA_HEALTH_PORT=9465 \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=65536 \
    TMPDIR=/tmp
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/workflow-bundle.js ./dist/workflow-bundle.js
# The node user of the official image, numeric so that Kubernetes can verify runAsNonRoot.
USER 1000:1000
EXPOSE 9464 9465
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9465/livez').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--max-semi-space-size=4", "dist/src/worker.js"]
