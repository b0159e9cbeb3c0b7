import { describe, expect, it } from "vitest";
import { EXAMPLE_PHONE_E164, EXAMPLE_PHONE_NATIONAL, EXAMPLE_PHONE_REGION } from "./example-values.js";
import { parsePhone } from "./region.js";

describe("example phone numbers", () => {
  it("are accepted by the parser the commands use, as the same number", async () => {
    expect(await parsePhone(EXAMPLE_PHONE_E164, "US")).toEqual({ ok: true, e164: EXAMPLE_PHONE_E164 });
    expect(await parsePhone(EXAMPLE_PHONE_NATIONAL, EXAMPLE_PHONE_REGION)).toEqual({
      ok: true,
      e164: EXAMPLE_PHONE_E164,
    });
  });

  it("the old examples were refused (why they were replaced)", async () => {
    expect((await parsePhone("+447700900123", "GB")).ok).toBe(false);
    expect((await parsePhone("07700 900123", "GB")).ok).toBe(false);
  });
});
