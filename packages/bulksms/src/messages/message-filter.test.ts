import { describe, expect, it } from "vitest";
import { buildMessageFilter } from "./message-filter.js";

describe("buildMessageFilter", () => {
  it("joins clauses with &", () => {
    expect(buildMessageFilter({ type: "RECEIVED", idAfter: "123" })).toBe("type=RECEIVED&id>123");
    expect(
      buildMessageFilter({
        type: "SENT",
        submissionId: "1-00000000000522347562",
        idBefore: "953262833859043328",
      }),
    ).toBe("type=SENT&submission.id=1-00000000000522347562&id<953262833859043328");
    expect(buildMessageFilter({ statusId: "FAILED.EXPIRED", userSuppliedId: "acc009876" })).toBe(
      "status.id=FAILED.EXPIRED&userSuppliedId=acc009876",
    );
    expect(buildMessageFilter({ submittedAtOrAfter: new Date("2024-05-01T10:00:00Z") })).toBe(
      "submission.date>=2024-05-01T10:00:00.000Z",
    );
    expect(buildMessageFilter({})).toBeUndefined();
  });
  it("refuses values that could inject a clause", () => {
    expect(() => buildMessageFilter({ userSuppliedId: "x&type=RECEIVED" })).toThrow(/userSuppliedId/);
    expect(() => buildMessageFilter({ idBefore: "12 or 1" })).toThrow(/digits/);
    expect(() => buildMessageFilter({ type: "BOTH" as "SENT" })).toThrow(/type/);
  });
  it("refuses dates without an offset", () => {
    expect(() => buildMessageFilter({ submittedBefore: "2024-05-01T10:00:00" })).toThrow(/offset/);
  });
});
