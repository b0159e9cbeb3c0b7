import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ConsentLog, consentStatus, mergeConsent, recordConsent } from "./conflict/consent.js";
import { mergeVersioned, type VersionedValue } from "./policies.js";

const versioned: fc.Arbitrary<VersionedValue> = fc.record({
  value: fc.oneof(
    fc.constantFrom(null, "", "a", "b"),
    fc.array(fc.constantFrom("x", "y", "z"), { maxLength: 3 }),
  ),
  at: fc.oneof(fc.constant(Number.NaN), fc.integer({ min: 0, max: 5 })),
  from: fc.constantFrom("r1", "r2", "r3"),
});

const event = <S extends string>(sources: readonly S[]) =>
  fc.record({
    at: fc.integer({ min: 0, max: 5 }).map((m) => new Date(m * 1000).toISOString()),
    source: fc.constantFrom(...sources),
  });

const consentLog: fc.Arbitrary<ConsentLog> = fc.record(
  {
    optOut: event(["sms-stop", "ghl-dnd", "import"] as const),
    optIn: event(["sms-start", "operator"] as const),
    blocked: event(["sms-blocked"] as const),
    unblocked: event(["operator"] as const),
  },
  { requiredKeys: [] },
);

describe("merge policies", () => {
  for (const policy of ["last-writer-wins", "union"] as const) {
    it(`${policy} is associative and commutative`, () => {
      fc.assert(
        fc.property(versioned, versioned, versioned, (a, b, c) => {
          const m = (x: VersionedValue, y: VersionedValue) => mergeVersioned(policy, x, y);
          expect(m(m(a, b), c)).toEqual(m(a, m(b, c)));
          if (policy === "union") expect(m(a, b).value).toEqual(m(b, a).value);
          else expect(m(a, b)).toEqual(m(b, a));
        }),
        { numRuns: 500 },
      );
    });
  }

  it("last-writer-wins prefers any non-empty value over an empty one, then the later one", () => {
    expect(
      mergeVersioned("last-writer-wins", { value: "old", at: 1, from: "a" }, { value: "", at: 9, from: "b" })
        .value,
    ).toBe("old");
    expect(
      mergeVersioned(
        "last-writer-wins",
        { value: "old", at: 1, from: "a" },
        { value: "new", at: 9, from: "b" },
      ).value,
    ).toBe("new");
  });

  it("consent merge is associative, commutative and idempotent", () => {
    fc.assert(
      fc.property(consentLog, consentLog, consentLog, (a, b, c) => {
        expect(mergeConsent(mergeConsent(a, b), c)).toEqual(mergeConsent(a, mergeConsent(b, c)));
        expect(mergeConsent(a, b)).toEqual(mergeConsent(b, a));
        expect(mergeConsent(a, a)).toEqual(mergeConsent(a, {}));
      }),
      { numRuns: 500 },
    );
  });

  it("merging never makes a restrictive state permissive unless an explicit opt-in is later", () => {
    fc.assert(
      fc.property(consentLog, consentLog, (a, b) => {
        const merged = consentStatus(mergeConsent(a, b));
        if (consentStatus(a) === "blocked" || consentStatus(b) === "blocked") {
          const m = mergeConsent(a, b);
          if (merged !== "blocked")
            expect(Date.parse(m.unblocked?.at ?? "") > Date.parse(m.blocked?.at ?? "")).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("recordConsent refuses an opt-in that is not explicit", () => {
    expect(() =>
      recordConsent({}, { kind: "opt-in", at: "2026-01-01T00:00:00Z", source: "ghl-dnd" as never }),
    ).toThrow(/sms-start or operator/);
    const log = recordConsent({}, { kind: "opt-out", at: "2026-01-01T00:00:00Z", source: "sms-stop" });
    expect(consentStatus(log)).toBe("opted-out");
    // Same instant: the restriction wins.
    expect(
      consentStatus(recordConsent(log, { kind: "opt-in", at: "2026-01-01T00:00:00Z", source: "sms-start" })),
    ).toBe("opted-out");
    expect(
      consentStatus(recordConsent(log, { kind: "opt-in", at: "2026-01-01T00:00:01Z", source: "sms-start" })),
    ).toBe("opted-in");
  });
});
