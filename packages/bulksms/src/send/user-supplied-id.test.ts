import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkUserSuppliedId, userSuppliedIdFor } from "./user-supplied-id.js";

describe("userSuppliedId", () => {
  it("accepts a 20-character GHL id as is", () => {
    const ghlId = "ve9EPM428h8vShlRW1KT";
    expect(checkUserSuppliedId(ghlId)).toBeUndefined();
    expect(userSuppliedIdFor(ghlId)).toBe(ghlId);
  });
  it("rejects 21 characters and filter-breaking characters", () => {
    expect(checkUserSuppliedId("a".repeat(21))).toMatch(/21 characters/);
    expect(checkUserSuppliedId("a&type=SENT")).toMatch(/only contain/);
    expect(checkUserSuppliedId("")).toMatch(/empty/);
  });
  it("property: derived ids are stable, valid and at most 20 chars", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 100 }), (key) => {
        const id = userSuppliedIdFor(key);
        expect(checkUserSuppliedId(id)).toBeUndefined();
        expect(id).toBe(userSuppliedIdFor(key));
      }),
    );
  });
});
