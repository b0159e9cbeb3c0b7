// The production layout in one place: the commands that make the bundles, their entry files, and where the
// Dockerfile and the systemd unit put them. The bundle test runs these commands and starts these entry
// files; the deploy-files test checks that Dockerfile and deploy/ghl-bulksms-worker.service use the same.

/** Root scripts (package.json): build what the app needs with turbo, then `pnpm --filter <app> deploy --prod`. */
export const DEPLOY_SCRIPTS = { worker: "worker:deploy", cli: "cli:deploy" } as const;

/** What each root deploy script runs after the build (pnpm appends the target folder). */
export const DEPLOY_COMMANDS = {
  worker: "pnpm --filter @ghl-bulksms/worker deploy --prod",
  cli: "pnpm --filter @ghl-bulksms/cli deploy --prod",
} as const;

/** One command from a clone to a working `apps/cli/dist/bin.js` (with its workspace dependencies built). */
export const CLI_BUILD_SCRIPT = "cli:build";

/** Entry files inside a bundle: `node <bundle>/dist/main.js`, `node -- <bundle>/dist/bin.js`. */
export const ENTRY = { worker: "dist/main.js", cli: "dist/bin.js" } as const;

/** The health check every deployment uses. */
export const READINESS_PATH = "/readyz";

/** The Docker image (Dockerfile at the repository root). */
export const IMAGE = {
  workerDir: "/app",
  cliDir: "/opt/ghl-bulksms-cli",
  dataDir: "/data",
  port: 3000,
  user: "node",
} as const;

/** The systemd example (deploy/ghl-bulksms-worker.service). */
export const SYSTEMD = {
  unitFile: "deploy/ghl-bulksms-worker.service",
  workerDir: "/opt/ghl-bulksms/worker",
  cliDir: "/opt/ghl-bulksms/cli",
  envFile: "/etc/ghl-bulksms/worker.env",
  dataDir: "/var/lib/ghl-bulksms",
  user: "ghl-bulksms",
} as const;
