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
      { field: "email", value: "bob@x.com", from: ["a"], rule: "only-value", why: "only a has a value" },
      {
        field: "firstName",
        value: "Bob",
        from: ["a"],
        rule: "survivor",
        why: "ghl-wins: the survivor's own value",
      },
      {
        field: "interests",
        value: ["chess", "golf"],
        from: ["a", "b"],
        rule: "union",
        why: "all values of a, b",
      },
      {
        field: "lastName",
        value: "Jones",
        from: ["b"],
        rule: "last-writer-wins",
        why: "most recently changed (b)",
      },
      { field: "locale", value: "en-GB", from: ["b"], rule: "only-value", why: "only b has a value" },
      {
        field: "phone",
        value: "+447911123456",
        from: ["b"],
        rule: "last-writer-wins",
        why: "most recently changed (b)",
      },
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

  describe("never degrades a value (issue 12)", () => {
    const survivor: MergeContact = {
      id: "s",
      fields: {
        firstName: "Megan",
        lastName: "Evans",
        phone: "+447400123456",
        email: "megan@x.com",
        city: "Leeds",
      },
      tags: [],
      consent: {},
      updatedAt: "2024-01-01T00:00:00Z",
    };
    const newer: MergeContact = {
      id: "d",
      fields: { firstName: "M", lastName: "EVANS", phone: "07400 12345", email: "megan@", city: "LEEDS" },
      tags: [],
      consent: {},
      updatedAt: "2025-06-01T00:00:00Z",
    };

    it("keeps proper case over capitals, the full name over an initial, valid phone and e-mail over invalid", () => {
      const plan = planMerge({ ids: ["s", "d"], survivor: "s" }, [survivor, newer]);
      expect(plan.merged.fields).toEqual(survivor.fields);
      const byField = new Map(plan.fields.map((f) => [f.field, f]));
      for (const f of ["firstName", "lastName", "phone", "email", "city"])
        expect(byField.get(f), f).toMatchObject({ rule: "better-form", from: ["s"] });
      expect(byField.get("lastName")?.why).toBe(
        '"Evans" (proper case, s) over "EVANS" (all caps, d): most recently changed (d), but a merge never makes a value worse',
      );
      expect(byField.get("firstName")?.why).toMatch(/^"Megan" \(proper case, s\) over "M" \(initial, d\)/);
      expect(byField.get("phone")?.why).toMatch(/\(valid, s\) over "07400 12345" \(invalid, d\)/);
    });

    it("takes the better form from the duplicate too, and leaves real changes to the policy", () => {
      const plan = planMerge({ ids: ["s", "d"], survivor: "s" }, [
        { ...survivor, fields: { firstName: "MEGAN", lastName: "evans" }, updatedAt: "2026-01-01T00:00:00Z" },
        { ...newer, fields: { firstName: "Megan", lastName: "Jones" }, updatedAt: "2025-01-01T00:00:00Z" },
      ]);
      // Same name in a better case: the duplicate's spelling.
      expect(plan.merged.fields.firstName).toBe("Megan");
      // A different surname is a change, not a form: the most recent value ("evans") stays.
      expect(plan.fields.find((f) => f.field === "lastName")).toMatchObject({
        value: "evans",
        rule: "last-writer-wins",
      });
    });
  });
});
