import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { GHL_INDEX, generate } from "../src/generate.ts";
import { REPO_ROOT } from "../src/paths.ts";
import { GENERATE_TARGETS } from "../src/targets.ts";

const tmp = mkdtempSync(join(tmpdir(), "ghl-bulksms-generated-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("committed generated types", () => {
  it("are byte-for-byte what `pnpm generate` produces from the specs", async () => {
    const written = await generate("all", REPO_ROOT, tmp);
    const outputs = [...GENERATE_TARGETS.map((t) => t.output), GHL_INDEX];
    expect(written.map((w) => relative(tmp, w)).sort()).toEqual([...outputs].sort());
    for (const output of outputs) {
      const fresh = readFileSync(join(tmp, output), "utf8");
      const committed = readFileSync(join(REPO_ROOT, output), "utf8");
      expect(committed, `${output} drifted from its spec: run pnpm generate`).toBe(fresh);
    }
  });

  it("carry the do-not-edit banner and export paths, components and operations", () => {
    for (const { output } of GENERATE_TARGETS) {
      const text = readFileSync(join(REPO_ROOT, output), "utf8");
      expect(text.startsWith("// generated — do not edit; run pnpm generate\n")).toBe(true);
      expect(text).toMatch(/^export interface paths \{|^export type paths = /m);
      expect(text).toMatch(/^export interface components \{/m);
      expect(text).toMatch(/^export interface operations \{|^export type operations = /m);
    }
  });
});
