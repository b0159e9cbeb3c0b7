// GHL_PROVIDER_MODE / PROVIDER_QUIET_HOURS / PROVIDER_ATTACHMENTS: BulkSMS as GHL's SMS provider.
import { describe, expect, it } from "vitest";
import { ConfigError, enginePolicy, loadConfig } from "../src/index.js";

describe("provider settings", () => {
  it("default: off, a person's text goes at once, attachments fail the message", () => {
    const c = loadConfig({});
    expect(c.provider).toEqual({ mode: "off", quietHours: "user-immediate", attachments: "fail" });
    const p = enginePolicy(c, null) as { defaults: Record<string, unknown> };
    expect(p.defaults.provider).toEqual({
      enabled: false,
      quietHours: "user-immediate",
      attachments: "fail",
    });
  });

  it("reads the variables into the engine policy; the policy file wins per location", () => {
    const c = loadConfig({
      GHL_PROVIDER_MODE: "on",
      PROVIDER_QUIET_HOURS: "always",
      PROVIDER_ATTACHMENTS: "links",
    });
    const p = enginePolicy(c, {
      engine: { locations: { L1: { provider: { enabled: false } } } },
    }) as { defaults: Record<string, unknown>; locations: Record<string, Record<string, unknown>> };
    expect(p.defaults.provider).toEqual({ enabled: true, quietHours: "always", attachments: "links" });
    expect(p.locations.L1?.provider).toEqual({ enabled: false });
  });

  it("names each bad variable", () => {
    let error: unknown;
    try {
      loadConfig({
        GHL_PROVIDER_MODE: "yes",
        PROVIDER_QUIET_HOURS: "sometimes",
        PROVIDER_ATTACHMENTS: "mms",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const e = error as ConfigError;
    expect(e.issues.map((i) => i.variable).sort()).toEqual([
      "GHL_PROVIDER_MODE",
      "PROVIDER_ATTACHMENTS",
      "PROVIDER_QUIET_HOURS",
    ]);
    expect(e.message).toMatch(
      /PROVIDER_QUIET_HOURS is invalid: must be one of user-immediate, always, never/,
    );
  });
});
