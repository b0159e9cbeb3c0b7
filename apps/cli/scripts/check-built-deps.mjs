// Run first by `pnpm --filter @ghl-bulksms/cli build`: the CLI imports the built workspace packages
// (their dist/), which that command alone does not build. Instead of tsc's TS2307 and a half-built CLI whose
// real commands then fail, say what to run. `pnpm cli:build` (repository root) builds them first.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const here = join(import.meta.dirname, "..");
const { dependencies = {} } = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));
const missing = Object.keys(dependencies).filter(
  (name) =>
    name.startsWith("@ghl-bulksms/") && !existsSync(join(here, "node_modules", name, "dist", "index.js")),
);
if (missing.length > 0) {
  console.error(
    `error: the CLI needs these packages built first: ${missing.join(", ")}\n` +
      "hint:  run `pnpm cli:build` at the repository root: it builds them and then the CLI",
  );
  process.exit(1);
}
