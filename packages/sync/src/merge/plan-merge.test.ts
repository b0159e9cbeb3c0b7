import { describe, expect, it } from "vitest";
import { type MergeContact, planMerge } from "./plan-merge.js";

const a: MergeContact = {
  id: "a",
  fields: {
    firstName: "Bob",
    lastName: "Jones",
    email: "bob@x.com",
    phone: "+447911123456",
    locale: null,
    interests: ["golf"],
  },
  tags: ["VIP"],
  consent: {},
  updatedAt: "2024-01-01T00:00:00Z",
  createdAt: "2020-01-01T00:00:00Z",
};
const b: MergeContact = {
  id: "b",
  fields: {
    firstName: "Robert",
    lastName: "Jones",
    email: "",
    phone: "+447911123456",
    locale: "en-GB",
    interests: ["chess"],
  },
  tags: ["newsletter"],
  consent: { optOut: { at: "2023-06-01T00:00:00Z", source: "sms-stop" } },
  updatedAt: "2025-01-01T00:00:00Z",
  createdAt: "2023-01-01T00:00:00Z",
};

describe("planMerge", () => {
  it("lists every field with the record it came from, keeps opt-outs and the originals", () => {
    const plan = planMerge({ ids: ["b", "a"], survivor: "a" }, [b, a], {
      fields: { firstName: "ghl-wins", interests: "union" },
    });
    expect(plan.survivor).toBe("a");
    expect(plan.absorbed).toEqual(["b"]);
    expect(plan.fields).toEqual([
      { field: "email", value: "bob@x.com", from: ["a"], rule: "only-value" },
      { field: "firstName", value: "Bob", from: ["a"], rule: "survivor" },
      { field: "interests", value: ["chess", "golf"], from: ["a", "b"], rule: "union" },
      { field: "lastName", value: "Jones", from: ["b"], rule: "last-writer-wins" },
      { field: "locale", value: "en-GB", from: ["b"], rule: "only-value" },
      { field: "phone", value: "+447911123456", from: ["b"], rule: "last-writer-wins" },
    ]);
    expect(plan.tags).toEqual([
      { tag: "newsletter", from: ["b"] },
      { tag: "vip", from: ["a"] },
    ]);
    expect(plan.merged.consent).toEqual(b.consent);
    expect(plan.before).toEqual([a, b]);
  });

  it("last-writer-wins takes the most recent non-empty value", () => {
    const plan = planMerge({ ids: ["a", "b"], survivor: "a" }, [a, b]);
    expect(plan.merged.fields.firstName).toBe("Robert");
    expect(plan.merged.fields.email).toBe("bob@x.com");
  });

  it("is independent of the order of the records", () => {
    expect(planMerge({ ids: ["a", "b"], survivor: "b" }, [a, b])).toEqual(
      planMerge({ ids: ["b", "a"], survivor: "b" }, [b, a]),
    );
  });

  it("rejects a survivor outside the cluster and missing records", () => {
    expect(() => planMerge({ ids: ["a", "b"], survivor: "c" }, [a, b])).toThrow(/survivor c/);
    expect(() => planMerge({ ids: ["a", "z"], survivor: "a" }, [a, b])).toThrow(/contact z/);
  });
});
