// `pnpm specs:check`: compares our OpenAPI specs with the vendor documents and fails on unexplained differences.
// The reference folder is $GHL_REFERENCE_DIR, or <repo>/../shared/reference. Exit 0 when it is absent.
import { formatReport, runCheck } from "./conformance.ts";
import { REPO_ROOT, referenceDir } from "./paths.ts";

try {
  const result = runCheck({ repoRoot: REPO_ROOT, referenceDir: referenceDir() });
  process.stdout.write(formatReport(result));
  process.exitCode = result.status === "failed" ? 1 : 0;
} catch (error) {
  process.stderr.write(`specs:check crashed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
