import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../src/paths.ts";

const CHECK = join(REPO_ROOT, "tools/specs/src/check.ts");
const TSX = join(REPO_ROOT, "tools/specs/node_modules/.bin/tsx");

function runCli(referenceDir: string) {
  return spawnSync(TSX, [CHECK], {
    encoding: "utf8",
    env: { ...process.env, GHL_REFERENCE_DIR: referenceDir },
    timeout: 30_000,
  });
}

describe("pnpm specs:check (CLI)", () => {
  it('exits 0 with "reference not found" when the folder is absent', () => {
    const run = runCli(join(tmpdir(), "ghl-bulksms-no-such-reference"));
    expect(run.stdout).toContain("reference not found");
    expect(run.status).toBe(0);
  });

  it("exits 1 and names the problem when the folder lacks the vendor documents", () => {
    const empty = mkdtempSync(join(tmpdir(), "ghl-bulksms-empty-reference-"));
    try {
      const run = runCli(empty);
      expect(run.stdout).toContain("UNEXPLAINED specs/ghl/contacts.yaml: info: [reference-file-missing]");
      expect(run.stdout).toContain("— failed");
      expect(run.status).toBe(1);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
