import { describe, expect, it } from "vitest";
import { estimateCost } from "./estimate-cost.js";

describe("estimateCost", () => {
  it("multiplies parts by recipients and the per-part price", () => {
    expect(estimateCost("a".repeat(161), { recipients: 10, creditsPerPart: 0.5 })).toEqual({
      partsPerMessage: 2,
      recipients: 10,
      totalParts: 20,
      credits: 10,
    });
  });
  it("uses UCS-2 sizes when unicode is wanted", () => {
    expect(estimateCost("a".repeat(80), { unicode: true }).partsPerMessage).toBe(2);
    expect(estimateCost("a".repeat(80)).partsPerMessage).toBe(1);
  });
  it("avoids float noise", () => {
    expect(estimateCost("x", { recipients: 3, creditsPerPart: 0.1 }).credits).toBe(0.3);
  });
  it("rejects a negative price with a clear error", () => {
    expect(() => estimateCost("x", { creditsPerPart: -1 })).toThrow(/creditsPerPart/);
  });
});
