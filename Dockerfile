# syntax=docker/dockerfile:1
# The ghl-bulksms worker (and the ghl-bulksms CLI beside it), built from the same deploy step the tests run
# (tools/ship/test/bundles.test.ts): `pnpm worker:deploy <dir>` and `pnpm cli:deploy <dir>`.
#
#   docker build -t ghl-bulksms .
#   docker run -d --name ghl-bulksms -p 3000:3000 -v ghl-bulksms-data:/data \
#     -v "$PWD/.env:/run/ghl-bulksms.env:ro" -e GHL_BULKSMS_ENV_FILE=/run/ghl-bulksms.env ghl-bulksms
#   docker exec ghl-bulksms ghl-bulksms backup /data/backup-$(date +%F).db
#
# The data folder is the volume /data (DATA_DIR); the worker runs as the unprivileged user `node`.
ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm-slim AS build
# better-sqlite3 compiles from source when no prebuilt binary fits
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
RUN npm i -g pnpm@12.4.2
WORKDIR /src
COPY . .
RUN pnpm install --frozen-lockfile
RUN pnpm worker:deploy /app && pnpm cli:deploy /opt/ghl-bulksms-cli

FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production \
  HOST=0.0.0.0 \
  PORT=3000 \
  DATA_DIR=/data
COPY --from=build /app /app
COPY --from=build /opt/ghl-bulksms-cli /opt/ghl-bulksms-cli
RUN ln -s /opt/ghl-bulksms-cli/dist/bin.js /usr/local/bin/ghl-bulksms \
  && mkdir -p /data \
  && chown node:node /data \
  && chmod 0700 /data
USER node
WORKDIR /app
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]
