// Copies the repo's OpenAPI specs into the package (specs/ghl, specs/bulksms) so the published simulator
// validates against the same documents as the repo. The copies are build output (git-ignored).
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(pkg, "..", "..", "specs");
const target = join(pkg, "specs");
rmSync(target, { recursive: true, force: true });
for (const family of ["ghl", "bulksms"]) {
  const from = join(source, family);
  if (!existsSync(from)) continue;
  mkdirSync(join(target, family), { recursive: true });
  cpSync(from, join(target, family), { recursive: true });
}
