import { loadConfig } from "@ghl-bulksms/config";
import { describe, expect, it } from "vitest";
import { assertSafeVendorUrls, isLoopbackUrl, UnsafeVendorUrlError } from "./vendor-url-guard.js";

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
