// doctor's "GHL SMS provider" check: reports GHL_PROVIDER_MODE and what status updates need.
import { loadConfig } from "@ghl-bulksms/config";
import { describe, expect, it } from "vitest";
import { providerCheck } from "../src/commands/doctor.js";

describe("doctor: GHL SMS provider", () => {
  it("off by default", () => {
    expect(providerCheck(loadConfig({}))).toMatchObject({
      status: "ok",
      detail: expect.stringMatching(/^off/),
    });
  });

  it("on with a marketplace app: ok, with the settings and the Delivery URL", () => {
    const c = loadConfig({
      GHL_PROVIDER_MODE: "on",
      PROVIDER_QUIET_HOURS: "always",
      PUBLIC_BASE_URL: "https://sms.example.com",
      GHL_CLIENT_ID: "id",
      GHL_CLIENT_SECRET: "secret",
    });
    expect(providerCheck(c)).toEqual({
      name: "GHL SMS provider",
      status: "ok",
      detail: "on: quiet hours always, attachments fail; Delivery URL https://sms.example.com/webhooks/ghl",
    });
  });

  it("on without a marketplace app: a warning with the fix (only the provider app may set statuses)", () => {
    const r = providerCheck(loadConfig({ GHL_PROVIDER_MODE: "on" }));
    expect(r.status).toBe("warn");
    expect(r.fix).toMatch(/GHL_CLIENT_ID/);
  });
});
