// `pnpm generate` entry point: tsx tools/specs/src/generate-cli.ts <ghl|bulksms|all>
import { relative } from "node:path";
import { generate } from "./generate.ts";
import { REPO_ROOT } from "./paths.ts";

const which = process.argv[2] ?? "all";
try {
  const written = await generate(which, REPO_ROOT);
  for (const file of written) process.stdout.write(`generated ${relative(REPO_ROOT, file)}\n`);
} catch (error) {
  process.stderr.write(`generate failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
