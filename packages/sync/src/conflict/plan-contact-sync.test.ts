import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { FieldValue, SyncContact } from "../contact.js";
import type { FieldPolicy, SyncPolicies } from "../policies.js";
import { applyPlan } from "./apply-plan.js";
import { type ConsentLog, consentStatus, isRestrictive } from "./consent.js";
import type { SyncOperation } from "./operations.js";
import { planContactSync } from "./plan-contact-sync.js";

const NOW = "2026-03-01T12:00:00.000Z";
const T1 = "2026-01-01T00:00:00.000Z";
const T2 = "2026-02-01T00:00:00.000Z";

function contact(fields: Record<string, FieldValue>, extra: Partial<SyncContact> = {}): SyncContact {
  return { fields, tags: [], consent: {}, ...extra };
}

const base = contact({ firstName: "Ana", email: "ana@x.com", locale: "en" }, { tags: ["vip", "newsletter"] });

describe("planContactSync: fields", () => {
  it("takes the side that changed", () => {
    const plan = planContactSync({
      ghl: contact({ ...base.fields, firstName: "Anna" }),
      local: contact({ ...base.fields, locale: "es" }),
      base,
      now: NOW,
    });
    expect(plan.operations).toEqual([
      { op: "updateFields", side: "ghl", set: { locale: "es" } },
      { op: "updateFields", side: "local", set: { firstName: "Anna" } },
    ]);
    expect(plan.decisions.map((d) => [d.field, d.reason, d.conflict])).toEqual([
      ["firstName", "only-ghl-changed", false],
      ["locale", "only-local-changed", false],
    ]);
  });

  it.each<[FieldPolicy, string]>([
    ["ghl-wins", "Anna"],
    ["sms-wins", "Annie"],
    ["last-writer-wins", "Annie"], // local changed later
  ])("both changed, policy %s -> %s", (policy, expected) => {
    const plan = planContactSync({
      ghl: contact({ ...base.fields, firstName: "Anna" }, { fieldUpdatedAt: { firstName: T1 } }),
      local: contact({ ...base.fields, firstName: "Annie" }, { fieldUpdatedAt: { firstName: T2 } }),
      base,
      policies: { fields: { firstName: policy } },
      now: NOW,
    });
    expect(plan.merged.fields.firstName).toBe(expected);
    expect(plan.decisions[0]).toMatchObject({ field: "firstName", conflict: true, reason: policy });
  });

  it("last-writer-wins falls back to record time, then to the tie-breaker", () => {
    const input = {
      ghl: contact({ firstName: "Anna" }, { updatedAt: T2 }),
      local: contact({ firstName: "Annie" }, { updatedAt: T1 }),
      base,
      now: NOW,
    };
    expect(planContactSync(input).merged.fields.firstName).toBe("Anna");
    const tie = { ...input, ghl: contact({ firstName: "Anna" }), local: contact({ firstName: "Annie" }) };
    expect(planContactSync(tie).merged.fields.firstName).toBe("Anna");
    expect(planContactSync({ ...tie, policies: { tieBreaker: "local" } }).merged.fields.firstName).toBe(
      "Annie",
    );
  });

  it("union combines list values", () => {
    const plan = planContactSync({
      ghl: contact({ interests: ["golf", "tennis"] }),
      local: contact({ interests: ["chess", "golf"] }),
      base: null,
      policies: { fields: { interests: "union" } },
      now: NOW,
    });
    expect(plan.merged.fields.interests).toEqual(["chess", "golf", "tennis"]);
  });

  it("an empty value never overwrites a non-empty one", () => {
    const plan = planContactSync({
      ghl: contact({ ...base.fields, email: "" }), // e.g. a GHL import that dropped the column
      local: contact({ ...base.fields }),
      base,
      now: NOW,
    });
    expect(plan.merged.fields.email).toBe("ana@x.com");
    expect(plan.operations).toEqual([{ op: "updateFields", side: "ghl", set: { email: "ana@x.com" } }]);
    expect(plan.decisions[0]?.reason).toBe("empty-never-overwrites");

    // Even when the empty side "wins" by policy.
    const ghlWins = planContactSync({
      ghl: contact({ firstName: null }),
      local: contact({ firstName: "Ana" }),
      base: null,
      policies: { defaultField: "ghl-wins" },
      now: NOW,
    });
    expect(ghlWins.merged.fields.firstName).toBe("Ana");
  });

  it("an explicit clear does empty the other side", () => {
    const plan = planContactSync({
      ghl: contact({ ...base.fields }),
      local: contact({ ...base.fields, email: null }, { cleared: ["email"] }),
      base,
      now: NOW,
    });
    expect(plan.operations).toEqual([{ op: "updateFields", side: "ghl", set: { email: null } }]);
    expect(plan.decisions[0]?.reason).toBe("explicit-clear");
  });

  it("creates the missing side with the non-empty fields", () => {
    const plan = planContactSync({
      ghl: null,
      local: contact({ phone: "+447911123456", firstName: "Ana", locale: null }, { tags: ["Imported"] }),
      base: null,
      now: NOW,
    });
    expect(plan.operations).toEqual([
      {
        op: "create",
        side: "ghl",
        fields: { firstName: "Ana", phone: "+447911123456" },
        tags: ["imported"],
        consent: {},
      },
    ]);
    expect(() => planContactSync({ ghl: null, local: null, base: null, now: NOW })).toThrow(
      /both ghl and local are null/,
    );
  });
});

describe("planContactSync: tags", () => {
  it("three-way union: additions from both sides, a removal on one side is honoured", () => {
    const plan = planContactSync({
      ghl: contact(base.fields, { tags: ["VIP", "newsletter", "webinar"] }),
      local: contact(base.fields, { tags: ["vip", "sms-campaign"] }), // newsletter removed locally
      base,
      now: NOW,
    });
    expect(plan.merged.tags).toEqual(["sms-campaign", "vip", "webinar"]);
    expect(plan.operations).toEqual([
      { op: "addTags", side: "ghl", tags: ["sms-campaign"] },
      { op: "removeTags", side: "ghl", tags: ["newsletter"] },
      { op: "addTags", side: "local", tags: ["webinar"] },
    ]);
  });

  it("without a base nothing is removed", () => {
    const plan = planContactSync({
      ghl: contact({}, { tags: ["a"] }),
      local: contact({}, { tags: ["b"] }),
      base: null,
      now: NOW,
    });
    expect(plan.merged.tags).toEqual(["a", "b"]);
  });

  it("source-of-truth tag policy", () => {
    const input = {
      ghl: contact({}, { tags: ["a"] }),
      local: contact({}, { tags: ["b"] }),
      base: null,
      now: NOW,
    };
    expect(planContactSync({ ...input, policies: { tags: "ghl-wins" } }).merged.tags).toEqual(["a"]);
    expect(planContactSync({ ...input, policies: { tags: "sms-wins" } }).merged.tags).toEqual(["b"]);
  });
});

describe("planContactSync: opt-out", () => {
  const stop: ConsentLog = { optOut: { at: T2, source: "sms-stop" } };

  it("an SMS STOP sets DND in GHL and leaves a note", () => {
    const plan = planContactSync({
      ghl: contact(base.fields),
      local: contact(base.fields, { consent: stop }),
      base,
      now: NOW,
    });
    expect(plan.operations).toEqual([
      { op: "setDnd", side: "ghl", consent: stop, status: "opted-out", statusChanged: true },
      { op: "note", side: "ghl", body: `SMS consent changed from unknown to opted-out (sms-stop at ${T2}).` },
    ]);
  });

  it("DND switched off in GHL is not an opt-in: DND is set again and a task explains why", () => {
    const synced = { ...base, consent: stop };
    const plan = planContactSync({
      ghl: contact(base.fields),
      local: contact(base.fields, { consent: stop }),
      base: synced,
      now: NOW,
    });
    expect(plan.operations.map((o) => o.op)).toEqual(["setDnd", "note", "task"]);
    expect(plan.operations[2]).toMatchObject({ side: "ghl", dueDate: "2026-03-02T12:00:00.000Z" });
    expect(consentStatus(plan.merged.consent)).toBe("opted-out");
  });

  it("GHL DND beats an older explicit opt-in on the SMS side", () => {
    const ghl = contact(base.fields, { consent: { optOut: { at: T2, source: "ghl-dnd" } } });
    const local = contact(base.fields, { consent: { optIn: { at: T1, source: "sms-start" } } });
    const plan = planContactSync({ ghl, local, base, now: NOW });
    expect(consentStatus(plan.merged.consent)).toBe("opted-out");
    expect(plan.operations).toContainEqual(
      expect.objectContaining({ op: "setDnd", side: "local", status: "opted-out" }),
    );
  });

  it("a START after the STOP opts back in on both sides", () => {
    const local = contact(base.fields, { consent: { ...stop, optIn: { at: NOW, source: "sms-start" } } });
    const ghl = contact(base.fields, { consent: stop });
    const plan = planContactSync({ ghl, local, base: { ...base, consent: stop }, now: NOW });
    expect(consentStatus(plan.merged.consent)).toBe("opted-in");
    expect(plan.operations[0]).toMatchObject({
      op: "setDnd",
      side: "ghl",
      status: "opted-in",
      statusChanged: true,
    });
  });

  it("a block is lifted only by an operator unblock", () => {
    const blocked: ConsentLog = {
      blocked: { at: T1, source: "sms-blocked" },
      optIn: { at: T2, source: "sms-start" },
    };
    expect(consentStatus(blocked)).toBe("blocked");
    expect(consentStatus({ ...blocked, unblocked: { at: T2, source: "operator" } })).toBe("opted-in");
  });

  it("the local log takes newer history without a status change; GHL is left alone while DND stays on", () => {
    const older: ConsentLog = { optOut: { at: T1, source: "sms-stop" } };
    const newer: ConsentLog = { optOut: { at: T2, source: "ghl-dnd" } };
    const plan = planContactSync({
      ghl: contact(base.fields, { consent: newer }),
      local: contact(base.fields, { consent: older }),
      base,
      now: NOW,
    });
    expect(plan.operations).toEqual([
      { op: "setDnd", side: "local", consent: newer, status: "opted-out", statusChanged: false },
    ]);
    // GHL shows DND with a different history than ours: nothing to do on GHL.
    const again = planContactSync({
      ghl: contact(base.fields, { consent: { optOut: { at: NOW, source: "ghl-dnd" } } }),
      local: contact(base.fields, { consent: stop }),
      base: { ...base, consent: stop },
      now: NOW,
    });
    expect(again.operations.filter((o) => o.side === "ghl")).toEqual([]);
  });

  it("an opt-in GHL cannot show (DND off either way) does not re-update GHL on every sync", () => {
    const optIn: ConsentLog = { optIn: { at: T2, source: "sms-start" } };
    const plan = planContactSync({
      ghl: contact(base.fields), // as read back from GHL: DND off, no history
      local: contact(base.fields, { consent: optIn }),
      base: { ...base, consent: optIn },
      now: NOW,
    });
    expect(plan.operations).toEqual([]);
  });
});

// --- properties ---------------------------------------------------------------------------------------

const VALUES: FieldValue[] = [null, "", "a", "b", "c", ["x"], ["x", "y"]];
const FIELDS = ["firstName", "email", "locale", "interests"];
const TIMES = [T1, T2, NOW];
const TAGS = ["vip", "VIP", "news", "promo", "x"];

const consentArb: fc.Arbitrary<ConsentLog> = fc.record(
  {
    optOut: fc.record({
      at: fc.constantFrom(...TIMES),
      source: fc.constantFrom("sms-stop" as const, "ghl-dnd" as const),
    }),
    optIn: fc.record({
      at: fc.constantFrom(...TIMES),
      source: fc.constantFrom("sms-start" as const, "operator" as const),
    }),
    blocked: fc.record({ at: fc.constantFrom(...TIMES), source: fc.constant("sms-blocked" as const) }),
    unblocked: fc.record({ at: fc.constantFrom(...TIMES), source: fc.constant("operator" as const) }),
  },
  { requiredKeys: [] },
);

const contactArb: fc.Arbitrary<SyncContact> = fc.record({
  fields: fc.dictionary(fc.constantFrom(...FIELDS), fc.constantFrom(...VALUES)),
  tags: fc.subarray(TAGS),
  consent: consentArb,
  updatedAt: fc.option(fc.constantFrom(...TIMES), { nil: undefined }),
  fieldUpdatedAt: fc.option(fc.dictionary(fc.constantFrom(...FIELDS), fc.constantFrom(...TIMES)), {
    nil: undefined,
  }),
  cleared: fc.option(fc.subarray(FIELDS), { nil: undefined }),
});

const policiesArb: fc.Arbitrary<SyncPolicies> = fc.record(
  {
    fields: fc.dictionary(
      fc.constantFrom(...FIELDS),
      fc.constantFrom<FieldPolicy>("ghl-wins", "sms-wins", "last-writer-wins", "union"),
    ),
    defaultField: fc.constantFrom<FieldPolicy>("ghl-wins", "sms-wins", "last-writer-wins", "union"),
    tags: fc.constantFrom("union" as const, "ghl-wins" as const, "sms-wins" as const),
    tieBreaker: fc.constantFrom("ghl" as const, "local" as const),
  },
  { requiredKeys: [] },
);

describe("planContactSync properties", () => {
  it("plan, apply, plan again: no operations (with the old base and with the merged one)", () => {
    fc.assert(
      fc.property(
        fc.option(contactArb, { nil: null }),
        fc.option(contactArb, { nil: null }),
        fc.option(contactArb, { nil: null }),
        policiesArb,
        (ghl, local, b, policies) => {
          fc.pre(ghl !== null || local !== null);
          const plan = planContactSync({ ghl, local, base: b, policies, now: NOW });
          const after = applyPlan(plan, { ghl, local });
          const again: SyncOperation[] = planContactSync({
            ...after,
            base: plan.merged,
            policies,
            now: NOW,
          }).operations;
          expect(again).toEqual([]);
          expect(planContactSync({ ...after, base: b, policies, now: NOW }).operations).toEqual([]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("is deterministic", () => {
    fc.assert(
      fc.property(
        contactArb,
        contactArb,
        fc.option(contactArb, { nil: null }),
        policiesArb,
        (ghl, local, b, policies) => {
          expect(planContactSync({ ghl, local, base: b, policies, now: NOW })).toEqual(
            planContactSync({
              ghl: structuredClone(ghl),
              local: structuredClone(local),
              base: b,
              policies,
              now: NOW,
            }),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  type Step =
    | {
        kind: "event";
        side: "ghl" | "local";
        event: "stop" | "start" | "block" | "operator-unblock" | "ghl-dnd-on";
        at: number;
      }
    | { kind: "ghl-dnd-off" }
    | { kind: "sync" };

  const stepArb: fc.Arbitrary<Step> = fc.oneof(
    fc.record({
      kind: fc.constant("event" as const),
      side: fc.constantFrom("ghl" as const, "local" as const),
      event: fc.constantFrom(
        "stop" as const,
        "start" as const,
        "block" as const,
        "operator-unblock" as const,
        "ghl-dnd-on" as const,
      ),
      at: fc.integer({ min: 0, max: 20 }),
    }),
    fc.constant({ kind: "ghl-dnd-off" as const }),
    fc.constant({ kind: "sync" as const }),
  );

  it("never loses an opt-out, whatever the interleaving of events and syncs", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 25 }), (steps) => {
        const iso = (t: number): string => new Date(Date.UTC(2026, 0, 1) + t * 60_000).toISOString();
        let ghl = contact({ firstName: "Ana" });
        let local = contact({ firstName: "Ana" });
        let b: SyncContact | null = null;
        // The truth: every event the engine could know of, merged. SMS-side events are recorded by the
        // engine itself; a GHL-side event is known once a sync has seen it (if a GHL user switches DND off
        // before any sync saw it, nobody can know it happened).
        let truth: ConsentLog = {};
        let pendingGhl: ConsentLog[] = [];
        const record = (c: SyncContact, log: ConsentLog): SyncContact => {
          const merged: ConsentLog = { ...c.consent };
          for (const [k, v] of Object.entries(log) as [
            keyof ConsentLog,
            NonNullable<ConsentLog[keyof ConsentLog]>,
          ][]) {
            const cur = merged[k];
            if (cur === undefined || Date.parse(v.at) > Date.parse(cur.at))
              (merged as Record<string, unknown>)[k] = v;
          }
          return { ...c, consent: merged };
        };
        const sync = (): void => {
          const plan = planContactSync({ ghl, local, base: b, now: NOW });
          const after = applyPlan(plan, { ghl, local });
          ghl = after.ghl;
          local = after.local;
          b = plan.merged;
          for (const log of pendingGhl) truth = record(contact({}, { consent: truth }), log).consent;
          pendingGhl = [];
        };
        for (const s of steps) {
          if (s.kind === "sync") sync();
          else if (s.kind === "ghl-dnd-off") {
            ghl = { ...ghl, consent: {} }; // a GHL user switches DND off
            pendingGhl = [];
          } else {
            const at = iso(s.at);
            const log: ConsentLog =
              s.event === "stop"
                ? { optOut: { at, source: "sms-stop" } }
                : s.event === "ghl-dnd-on"
                  ? { optOut: { at, source: "ghl-dnd" } }
                  : s.event === "start"
                    ? { optIn: { at, source: "sms-start" } }
                    : s.event === "block"
                      ? { blocked: { at, source: "sms-blocked" } }
                      : { unblocked: { at, source: "operator" } };
            if (s.side === "ghl") {
              ghl = record(ghl, log);
              pendingGhl.push(log);
            } else {
              local = record(local, log);
              truth = record(contact({}, { consent: truth }), log).consent;
            }
          }
        }
        sync();
        const expected = consentStatus(truth);
        // Both sides agree with the truth: a restriction not explicitly lifted later is never lost.
        expect(consentStatus(local.consent)).toBe(expected);
        // GHL shows DND on exactly when the truth is restrictive.
        expect(isRestrictive(consentStatus(ghl.consent))).toBe(isRestrictive(expected));
      }),
      { numRuns: 500 },
    );
  });
});
