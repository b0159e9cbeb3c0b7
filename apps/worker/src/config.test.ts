import { ConfigError, loadConfig, SANDBOX_WEBHOOK_SECRET } from "@ghl-bulksms/config";
import { describe, expect, it } from "vitest";

const key32 = Buffer.alloc(32, 7).toString("base64");

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

const liveEnv = {
  GHL_BULKSMS_MODE: "live",
  GHL_BULKSMS_ENCRYPTION_KEY: key32,
  BULKSMS_TOKEN_ID: "tok-id",
  BULKSMS_TOKEN_SECRET: "tok-secret",
  BULKSMS_WEBHOOK_SECRET: "b".repeat(32),
  GHL_WORKFLOW_WEBHOOK_SECRET: "w".repeat(32),
  PUBLIC_BASE_URL: "https://sync.example.com",
  GHL_LOCATION_1_ID: "loc1",
  GHL_LOCATION_1_TOKEN: "pit-abc",
};

describe("loadConfig", () => {
  it("has working sandbox defaults", () => {
    const c = loadConfig({});
    expect(c.mode).toBe("sandbox");
    expect(c.dataDir).toBe("./data");
    expect(c.port).toBe(3000);
    expect(c.encryptionKey).toBeNull();
    expect(c.bulksms.webhookSecret).toBe(SANDBOX_WEBHOOK_SECRET);
    expect(c.messaging.quietHours).toEqual({ startMinute: 480, endMinute: 1260 });
    expect(c.messaging.stopWords).toContain("UNSUBSCRIBE");
    expect(c.http.bodyLimitBytes).toBe(1024 * 1024);
  });

  it("names the variable and the byte count for a wrong-sized encryption key", () => {
    const e = errorOf({ GHL_BULKSMS_ENCRYPTION_KEY: Buffer.alloc(12).toString("base64") });
    expect(e.issues).toEqual([
      {
        variable: "GHL_BULKSMS_ENCRYPTION_KEY",
        message: "GHL_BULKSMS_ENCRYPTION_KEY must be 32 bytes base64 (got 12 bytes)",
      },
    ]);
    expect(e.message).toContain("GHL_BULKSMS_ENCRYPTION_KEY must be 32 bytes base64 (got 12 bytes)");
  });

  it("reports every bad variable at once", () => {
    const e = errorOf({
      PORT: "70000",
      QUIET_HOURS: "8-21",
      LOG_LEVEL: "loud",
      GHL_API_BASE_URL: "ftp://x",
      DEFAULT_TIMEZONE: "Mars/Base",
    });
    expect(e.issues.map((i) => i.variable).sort()).toEqual(
      ["DEFAULT_TIMEZONE", "GHL_API_BASE_URL", "LOG_LEVEL", "PORT", "QUIET_HOURS"].sort(),
    );
    for (const i of e.issues) expect(i.message.startsWith(i.variable)).toBe(true);
  });

  it("live mode refuses to start without key and credentials, naming each missing variable", () => {
    const e = errorOf({ GHL_BULKSMS_MODE: "live" });
    const vars = e.issues.map((i) => i.variable);
    expect(vars).toEqual(
      expect.arrayContaining([
        "GHL_BULKSMS_ENCRYPTION_KEY",
        "BULKSMS_TOKEN_ID",
        "BULKSMS_TOKEN_SECRET",
        "BULKSMS_WEBHOOK_SECRET",
        "PUBLIC_BASE_URL",
        "GHL_LOCATIONS",
      ]),
    );
  });

  it("accepts a complete live configuration with several locations", () => {
    const c = loadConfig({
      ...liveEnv,
      GHL_LOCATION_2_ID: "loc2",
      GHL_LOCATION_2_TOKEN: "pit-def",
      GHL_LOCATION_2_TIMEZONE: "Africa/Johannesburg",
      GHL_LOCATION_2_REGION: "za",
      GHL_LOCATION_2_QUIET_HOURS: "09:00-20:00",
      GHL_LOCATIONS: JSON.stringify([{ locationId: "loc3", token: "pit-x" }]),
    });
    expect(c.mode).toBe("live");
    expect(c.encryptionKey?.length).toBe(32);
    expect(c.ghl.locations.map((l) => l.locationId).sort()).toEqual(["loc1", "loc2", "loc3"]);
    expect(c.ghl.locations.find((l) => l.locationId === "loc2")).toMatchObject({
      timezone: "Africa/Johannesburg",
      region: "ZA",
      quietHours: { startMinute: 540, endMinute: 1200 },
    });
  });

  it("live mode with a PIT needs the workflow secret; secrets are never echoed", () => {
    const { GHL_WORKFLOW_WEBHOOK_SECRET: _omit, ...env } = liveEnv;
    expect(errorOf(env).issues.map((i) => i.variable)).toEqual(["GHL_WORKFLOW_WEBHOOK_SECRET"]);
    const short = errorOf({ ...liveEnv, BULKSMS_WEBHOOK_SECRET: "hunter2" });
    expect(short.message).toContain("BULKSMS_WEBHOOK_SECRET must be at least 16");
    expect(short.message).not.toContain("hunter2");
  });

  it("rejects a bad GHL_LOCATIONS JSON and duplicate locations", () => {
    expect(errorOf({ GHL_LOCATIONS: "[{" }).issues[0]?.variable).toBe("GHL_LOCATIONS");
    expect(errorOf({ GHL_LOCATIONS: JSON.stringify([{ token: "x" }]) }).message).toMatch(
      /GHL_LOCATIONS is invalid at 0.locationId/,
    );
    expect(
      errorOf({ GHL_LOCATIONS: JSON.stringify([{ locationId: "a" }]), GHL_LOCATION_1_ID: "a" }).issues[0]
        ?.variable,
    ).toBe("GHL_LOCATION_1_ID");
    expect(errorOf({ GHL_LOCATION_1_TOKEN: "x" }).issues[0]?.message).toContain(
      "GHL_LOCATION_1_ID is required",
    );
  });

  it("OAuth app needs both client id and secret", () => {
    expect(errorOf({ GHL_CLIENT_ID: "id" }).issues.map((i) => i.variable)).toEqual(["GHL_CLIENT_SECRET"]);
    const c = loadConfig({ GHL_CLIENT_ID: "id", GHL_CLIENT_SECRET: "s", GHL_AGENCY_TOKEN: "agency" });
    expect(c.ghl.oauth).toMatchObject({ clientId: "id", agencyToken: "agency" });
  });
});
