// `pnpm start` (repo root): the worker against the real GHL and BulkSMS APIs.
// Reads apps/worker/.env when present (variables already in the environment win), forces live mode, and
// hands over to src/main.ts in the directory pnpm was started from (which then reads its ./.env under
// those) and which refuses to start, naming every missing variable, without credentials.
import { existsSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";

const envFile = join(import.meta.dirname, "..", ".env");
if (existsSync(envFile)) process.loadEnvFile(envFile);
if (process.env.GHL_BULKSMS_MODE === "sandbox") {
  process.stderr.write(
    "pnpm start runs against the real vendors: ignoring GHL_BULKSMS_MODE=sandbox (use `pnpm demo` for the sandbox).\n",
  );
}
process.env.GHL_BULKSMS_MODE = "live";
// pnpm runs the script in apps/worker: go back to the directory `pnpm start` was typed in (INIT_CWD), so
// relative paths (DATA_DIR, ./.env, ./ghl-bulksms.config.json, --env-file, --config) mean what they mean
// to the CLI run there, and both open the same store.
const initCwd = process.env.INIT_CWD;
if (initCwd && existsSync(initCwd)) process.chdir(initCwd);
await import("../src/main.ts");
