// Shared Vitest settings for every package and app.
// - Resolves workspace packages to their TypeScript sources (the "@ghl-bulksms/source" export condition),
//   so tests never need a build first.
// - When CI_REPORT_DIR is set (by .ci/run), also writes a JSON report per package that .ci/run sums up.
import { basename, join } from "node:path";
import { defineConfig, type ViteUserConfig } from "vitest/config";

const SOURCE_CONDITION = "@ghl-bulksms/source";

export function sharedConfig(packageDir: string, overrides: ViteUserConfig["test"] = {}): ViteUserConfig {
  const reportDir = process.env.CI_REPORT_DIR;
  const reporters: NonNullable<ViteUserConfig["test"]>["reporters"] = reportDir
    ? ["default", ["json", { outputFile: join(reportDir, `${basename(packageDir)}.json`) }]]
    : ["default"];
  return defineConfig({
    resolve: { conditions: [SOURCE_CONDITION, "module", "node", "import", "default"] },
    // no "import" here: Vitest hands these conditions to Node for CommonJS dependencies too, and pg's
    // require("pg-pool") must get pg-pool's CommonJS build, not its ESM one
    ssr: { resolve: { conditions: [SOURCE_CONDITION, "node", "default"] } },
    test: {
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      reporters,
      testTimeout: 30_000,
      hookTimeout: 60_000,
      ...overrides,
    },
  });
}
