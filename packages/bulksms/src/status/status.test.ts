import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mergeStatus } from "./merge-status.js";
import { type MessageStatus, parseStatus, STATUS_TYPES } from "./message-status.js";

const s = (id: string): MessageStatus => {
  const parsed = parseStatus(id);
  if (parsed === undefined) throw new Error(`bad status ${id}`);
  return parsed;
};

describe("parseStatus", () => {
  it.each([
    ["SENT.null", { id: "SENT.null", type: "SENT", subtype: null }],
    ["DELIVERED.null", { id: "DELIVERED.null", type: "DELIVERED", subtype: null }],
    ["FAILED.BLOCKED", { id: "FAILED.BLOCKED", type: "FAILED", subtype: "BLOCKED" }],
    ["ACCEPTED", { id: "ACCEPTED.null", type: "ACCEPTED", subtype: null }],
    [
      { id: "FAILED.EXPIRED", type: "FAILED", subtype: "EXPIRED" },
      { id: "FAILED.EXPIRED", type: "FAILED", subtype: "EXPIRED" },
    ],
    [
      { type: "SENT", subtype: null },
      { id: "SENT.null", type: "SENT", subtype: null },
    ],
  ])("%j", (input, expected) => {
    expect(parseStatus(input)).toEqual(expected);
  });
  it.each(["", "BOGUS.null", 42, null, {}])("rejects %j", (input) => {
    expect(parseStatus(input)).toBeUndefined();
  });
});

describe("mergeStatus", () => {
  it("a late SENT never overwrites DELIVERED or FAILED", () => {
    expect(mergeStatus(s("DELIVERED.null"), s("SENT.null")).type).toBe("DELIVERED");
    expect(mergeStatus(s("FAILED.EXPIRED"), s("SENT.null")).id).toBe("FAILED.EXPIRED");
    expect(mergeStatus(s("FAILED.EXPIRED"), s("ACCEPTED.null")).id).toBe("FAILED.EXPIRED");
  });
  it("moves forward ACCEPTED < SCHEDULED < SENT < DELIVERED", () => {
    expect(mergeStatus(s("ACCEPTED"), s("SCHEDULED")).type).toBe("SCHEDULED");
    expect(mergeStatus(s("SCHEDULED"), s("SENT.null")).type).toBe("SENT");
    expect(mergeStatus(s("SENT.null"), s("DELIVERED.null")).type).toBe("DELIVERED");
    expect(mergeStatus(undefined, s("SENT.null")).type).toBe("SENT");
  });
  it("DELIVERED wins over FAILED in either order; FAILED vs FAILED: later report wins", () => {
    expect(mergeStatus(s("FAILED.EXPIRED"), s("DELIVERED.null")).type).toBe("DELIVERED");
    expect(mergeStatus(s("DELIVERED.null"), s("FAILED.EXPIRED")).type).toBe("DELIVERED");
    expect(mergeStatus(s("FAILED.EXPIRED"), s("FAILED.BLOCKED")).id).toBe("FAILED.BLOCKED");
  });
  it("returns the same reference when nothing changes", () => {
    const cur = s("SENT.null");
    expect(mergeStatus(cur, s("SENT.null"))).toBe(cur);
  });

  const arbStatus = fc
    .tuple(fc.constantFrom(...STATUS_TYPES), fc.constantFrom(null, "EXPIRED", "BLOCKED"))
    .map(([type, sub]) => s(`${type}.${type === "FAILED" ? (sub ?? "null") : "null"}`));
  it("property: order of arrival never makes a final state non-final, and DELIVERED is sticky", () => {
    fc.assert(
      fc.property(fc.array(arbStatus, { minLength: 1, maxLength: 12 }), (reports) => {
        let cur: MessageStatus | undefined;
        let sawFinal = false;
        let sawDelivered = false;
        for (const r of reports) {
          cur = mergeStatus(cur, r);
          if (r.type === "DELIVERED") sawDelivered = true;
          if (r.type === "DELIVERED" || r.type === "FAILED") sawFinal = true;
          if (sawFinal) expect(["DELIVERED", "FAILED"]).toContain(cur.type);
          if (sawDelivered) expect(cur.type).toBe("DELIVERED");
        }
      }),
    );
  });
});
