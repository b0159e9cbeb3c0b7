import { describe, expect, it } from "vitest";
import {
  assertSafeVendorUrls,
  ConfigError,
  isLoopbackUrl,
  loadConfig,
  loadWorkerConfig,
  UnsafeVendorUrlError,
} from "../src/index.js";

function guardError(fn: () => void): UnsafeVendorUrlError {
  try {
    fn();
  } catch (e) {
    if (e instanceof UnsafeVendorUrlError) return e;
    throw e;
  }
  throw new Error("expected an UnsafeVendorUrlError");
}

describe("vendor URL guard", () => {
  it("knows loopback URLs", () => {
    for (const u of [
      "http://127.0.0.1:4010",
      "http://localhost:80/v1",
      "https://[::1]:9/x",
      "http://127.8.9.10",
    ])
      expect(isLoopbackUrl(u), u).toBe(true);
    for (const u of [
      "https://services.leadconnectorhq.com",
      "https://api.bulksms.com/v1",
      "http://127.0.0.1.evil.example",
      "http://10.0.0.1",
      "ftp://127.0.0.1",
      "not a url",
    ])
      expect(isLoopbackUrl(u), u).toBe(false);
  });

  it("refuses sandbox mode with the default (real) vendor URLs, naming both variables", () => {
    const e = guardError(() => assertSafeVendorUrls(loadConfig({})));
    expect(e.variables).toEqual(["GHL_API_BASE_URL", "BULKSMS_API_BASE_URL"]);
    expect(e.message).toContain("GHL_API_BASE_URL=https://services.leadconnectorhq.com");
    expect(e.message).toContain("GHL_BULKSMS_MODE=live");
  });

  it("names only the non-local one", () => {
    const e = guardError(() =>
      assertSafeVendorUrls(loadConfig({ GHL_API_BASE_URL: "http://127.0.0.1:5000" })),
    );
    expect(e.variables).toEqual(["BULKSMS_API_BASE_URL"]);
  });

  it("accepts sandbox mode on loopback URLs, and live mode anywhere", () => {
    expect(() =>
      assertSafeVendorUrls(
        loadConfig({
          GHL_API_BASE_URL: "http://127.0.0.1:5000",
          BULKSMS_API_BASE_URL: "http://localhost:5001/v1",
        }),
      ),
    ).not.toThrow();
    expect(() =>
      assertSafeVendorUrls({
        mode: "live",
        ghl: { apiBaseUrl: "https://services.leadconnectorhq.com" },
        bulksms: { apiBaseUrl: "https://api.bulksms.com/v1" },
      }),
    ).not.toThrow();
  });
});

describe("loadWorkerConfig: the one decision for the worker, the CLI, doctor and config validate", () => {
  function issuesOf(env: Record<string, string>): Array<{ variable: string; message: string }> {
    try {
      loadWorkerConfig(env);
    } catch (e) {
      if (e instanceof ConfigError) return [...e.issues];
      throw e;
    }
    return [];
  }

  it("refuses sandbox mode on the real vendor addresses, naming each variable as a config issue", () => {
    const issues = issuesOf({});
    expect(issues.map((i) => i.variable)).toEqual(["GHL_API_BASE_URL", "BULKSMS_API_BASE_URL"]);
    expect(issues[0]?.message).toContain(
      "GHL_API_BASE_URL=https://services.leadconnectorhq.com is not a loopback URL",
    );
    // loadConfig alone parses it: the guard is what loadWorkerConfig adds
    expect(() => loadConfig({})).not.toThrow();
  });

  it("reports the guard together with the parse's problems, naming a bad URL once", () => {
    const issues = issuesOf({ GHL_API_BASE_URL: "not a url", QUIET_HOURS: "x" });
    expect(issues.map((i) => i.variable).sort()).toEqual([
      "BULKSMS_API_BASE_URL",
      "GHL_API_BASE_URL",
      "QUIET_HOURS",
    ]);
  });

  it("accepts the simulators' addresses and live mode with its credentials", () => {
    expect(
      issuesOf({
        GHL_API_BASE_URL: "http://127.0.0.1:4010",
        BULKSMS_API_BASE_URL: "http://127.0.0.1:4020/v1",
      }),
    ).toEqual([]);
    expect(
      issuesOf({
        GHL_BULKSMS_MODE: "live",
        GHL_BULKSMS_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
        BULKSMS_TOKEN_ID: "id",
        BULKSMS_TOKEN_SECRET: "secret",
        BULKSMS_WEBHOOK_SECRET: "b".repeat(20),
        GHL_WORKFLOW_WEBHOOK_SECRET: "w".repeat(20),
        PUBLIC_BASE_URL: "https://sync.example.com",
        GHL_LOCATION_1_ID: "loc1",
        GHL_LOCATION_1_TOKEN: "pit-1",
      }),
    ).toEqual([]);
  });

  it("GHL_DEFAULT_LOCATION is read and checked; location ids are checked", () => {
    const local = { GHL_API_BASE_URL: "http://127.0.0.1:1", BULKSMS_API_BASE_URL: "http://127.0.0.1:2" };
    expect(loadWorkerConfig({ ...local, GHL_DEFAULT_LOCATION: "abc123" }).ghl.defaultLocation).toBe("abc123");
    expect(loadWorkerConfig(local).ghl.defaultLocation).toBeNull();
    expect(issuesOf({ ...local, GHL_DEFAULT_LOCATION: "two words" }).map((i) => i.variable)).toEqual([
      "GHL_DEFAULT_LOCATION",
    ]);
    expect(issuesOf({ ...local, GHL_LOCATION_1_ID: "bad id" })[0]?.message).toContain(
      'invalid location id "bad id"',
    );
  });
});
