import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/index.js";

describe("HTTP timeouts", () => {
  it("have bounded defaults", () => {
    const c = loadConfig({});
    expect(c.http).toMatchObject({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 72_000,
    });
  });

  it("are read in seconds", () => {
    const c = loadConfig({
      HTTP_HEADERS_TIMEOUT_SECONDS: "5",
      HTTP_REQUEST_TIMEOUT_SECONDS: "20",
      HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: "65",
    });
    expect(c.http).toMatchObject({
      headersTimeoutMs: 5000,
      requestTimeoutMs: 20_000,
      keepAliveTimeoutMs: 65_000,
    });
  });

  it("name the variable when out of range or inconsistent", () => {
    const errorOf = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (e) {
        if (e instanceof ConfigError) return e;
      }
      throw new Error("expected a ConfigError");
    };
    expect(errorOf({ HTTP_HEADERS_TIMEOUT_SECONDS: "0" }).issues[0]?.variable).toBe(
      "HTTP_HEADERS_TIMEOUT_SECONDS",
    );
    const inconsistent = errorOf({ HTTP_HEADERS_TIMEOUT_SECONDS: "40", HTTP_REQUEST_TIMEOUT_SECONDS: "30" });
    expect(inconsistent.issues).toEqual([
      {
        variable: "HTTP_HEADERS_TIMEOUT_SECONDS",
        message: expect.stringContaining("must not exceed HTTP_REQUEST_TIMEOUT_SECONDS (30)"),
      },
    ]);
  });
});
