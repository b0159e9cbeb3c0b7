import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { batchDedupId, dedupIdFor } from "./dedup-id.js";

describe("dedupIdFor", () => {
  it("pins the documented derivation with literal values (a rule change would resend within 12 h)", () => {
    // sha256("ghl-msg-1") = 3e0c8d16fb8f…; 0x3e0c8d16 >>> 1 = 520504971
    expect(dedupIdFor("ghl-msg-1")).toBe(520504971);
    expect(dedupIdFor("ve9EPM428h8vShlRW1KT")).toBe(168600001);
    expect(batchDedupId("bulk-1", 1)).toBe(126107471);
    const expected = createHash("sha256").update("anything").digest().readUInt32BE(0) >>> 1;
    expect(dedupIdFor("anything")).toBe(expected === 0 ? 1 : expected);
  });
  it("property: stable and a positive int32", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 80 }), (key) => {
        const id = dedupIdFor(key);
        expect(id).toBe(dedupIdFor(key));
        expect(Number.isInteger(id)).toBe(true);
        expect(id).toBeGreaterThanOrEqual(1);
        expect(id).toBeLessThanOrEqual(2 ** 31 - 1);
        expect(id | 0).toBe(id); // fits int32 without sign flip
      }),
      { numRuns: 500 },
    );
  });
  it("different keys give different ids (no collisions across 20k keys)", () => {
    const ids = new Set<number>();
    for (let i = 0; i < 20_000; i++) ids.add(dedupIdFor(`job-${i}`));
    expect(ids.size).toBe(20_000);
  });
  it("batch 0 is the job key's own id; later batches differ", () => {
    expect(batchDedupId("k", 0)).toBe(dedupIdFor("k"));
    expect(batchDedupId("k", 1)).not.toBe(batchDedupId("k", 0));
    expect(batchDedupId("k", 1)).toBe(batchDedupId("k", 1));
  });
  it("refuses an empty key", () => {
    expect(() => dedupIdFor("")).toThrow(/non-empty/);
  });
});
