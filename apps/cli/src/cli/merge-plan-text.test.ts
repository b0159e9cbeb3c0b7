import { planMerge } from "@ghl-bulksms/sync";
import { describe, expect, it } from "vitest";
import { mergePlanFieldLines } from "./merge-plan-text.js";

describe("mergePlanFieldLines", () => {
  it("shows each contested field's choice and why, including a kept better form", () => {
    const plan = planMerge({ ids: ["c1", "c2"], survivor: "c1" }, [
      {
        id: "c1",
        fields: { firstName: "Megan", lastName: "Evans", city: "Leeds" },
        tags: [],
        consent: {},
        updatedAt: "2024-01-01T00:00:00Z",
      },
      {
        id: "c2",
        fields: { firstName: "Megan", lastName: "EVANS", city: null },
        tags: [],
        consent: {},
        updatedAt: "2025-01-01T00:00:00Z",
      },
    ]);
    expect(mergePlanFieldLines(plan)).toEqual([
      '  firstName: keep "Megan" from c2 (last-writer-wins: most recently changed (c2))',
      '  lastName: keep "Evans" from c1 (better-form: "Evans" (proper case, c1) over "EVANS" (all caps, c2): most recently changed (c2), but a merge never makes a value worse)',
    ]);
  });
});
