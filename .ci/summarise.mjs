// Sums the Vitest JSON reports written by `pnpm test` under CI_REPORT_DIR and prints `N passed, N failed`.
// A suite that failed to load (syntax error, missing import) counts as one failure, and so does a failed
// `pnpm test` that produced no report at all, so a broken run can never print "0 failed".
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const [dir, rcArg] = process.argv.slice(2);
const rc = Number(rcArg ?? 0);
let passed = 0;
let failed = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
  const report = JSON.parse(readFileSync(join(dir, file), "utf8"));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  for (const suite of report.testResults ?? []) {
    if (suite.status === "failed" && (suite.assertionResults ?? []).length === 0) failed += 1;
  }
  console.log(
    `${file.replace(/\.json$/, "")}: ${report.numPassedTests ?? 0} passed, ${report.numFailedTests ?? 0} failed`,
  );
}
if (rc !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
