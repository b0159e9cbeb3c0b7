import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  enginePolicy,
  loadConfig,
  loadPolicyFile,
  PolicyFileError,
  SANDBOX_ENCRYPTION_KEY,
  storeEncryptionKey,
} from "../src/index.js";

const dirs: string[] = [];
function dir(): string {
  const d = mkdtempSync(join(tmpdir(), "ghl-bulksms-config-"));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function policyError(fn: () => unknown): PolicyFileError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PolicyFileError) return e;
    throw e;
  }
  throw new Error("expected a PolicyFileError");
}

describe("loadPolicyFile", () => {
  it("reads ./ghl-bulksms.config.json by default, and returns null when there is none", () => {
    const cwd = dir();
    expect(loadPolicyFile({ cwd })).toBeNull();
    writeFileSync(
      join(cwd, "ghl-bulksms.config.json"),
      JSON.stringify({
        engine: { defaults: { sender: "ACME" } },
        lifecycle: { defaults: { merge: { enabled: true } } },
      }),
    );
    const f = loadPolicyFile({ cwd });
    expect(f).toEqual({
      path: join(cwd, "ghl-bulksms.config.json"),
      source: "default",
      engine: { defaults: { sender: "ACME" } },
      lifecycle: { defaults: { merge: { enabled: true } } },
    });
  });

  it("takes --config over GHL_BULKSMS_CONFIG over the default; an explicit missing file is an error", () => {
    const cwd = dir();
    writeFileSync(join(cwd, "a.json"), JSON.stringify({ engine: { autoRegisterLocations: false } }));
    writeFileSync(join(cwd, "b.json"), JSON.stringify({ lifecycle: {} }));
    expect(loadPolicyFile({ cwd, env: { GHL_BULKSMS_CONFIG: "b.json" } })?.source).toBe("environment");
    expect(loadPolicyFile({ cwd, env: { GHL_BULKSMS_CONFIG: "b.json" }, path: "a.json" })).toMatchObject({
      source: "option",
      engine: { autoRegisterLocations: false },
      lifecycle: undefined,
    });
    expect(
      policyError(() => loadPolicyFile({ cwd, env: { GHL_BULKSMS_CONFIG: "nope.json" } })).message,
    ).toMatch(/nope\.json: not found \(named by GHL_BULKSMS_CONFIG\)/);
    expect(policyError(() => loadPolicyFile({ cwd, path: "missing.json" })).message).toMatch(
      /missing\.json: not found/,
    );
  });

  it("names the problem: invalid JSON, unknown top-level key, a section that is not an object", () => {
    const cwd = dir();
    const p = join(cwd, "p.json");
    writeFileSync(p, "{ engine: ");
    expect(policyError(() => loadPolicyFile({ path: p })).message).toMatch(/is not valid JSON/);
    writeFileSync(p, JSON.stringify({ engine: {}, lifecyle: {} }));
    expect(policyError(() => loadPolicyFile({ path: p })).message).toMatch(/unknown key\(s\) "lifecyle"/);
    writeFileSync(p, JSON.stringify({ engine: [] }));
    expect(policyError(() => loadPolicyFile({ path: p })).message).toMatch(/engine: /);
  });
});

describe("enginePolicy", () => {
  it("turns the environment into engine policy, with the file's engine section winning setting by setting", () => {
    const config = loadConfig({
      WELCOME_TEMPLATE: "Hi {{firstName}}",
      HELP_TEXT: "Call us",
      QUIET_HOURS: "09:00-20:00",
      GHL_LOCATION_1_ID: "loc1",
      GHL_LOCATION_1_QUIET_HOURS: "10:00-18:00",
    });
    const policy = enginePolicy(config, {
      engine: {
        defaults: { welcome: { delayMs: 5000 }, sender: "ACME" },
        locations: { loc1: { quietHours: { end: "19:00" } }, loc2: { optOutTag: "stop" } },
      },
    });
    expect(policy).toEqual({
      defaults: {
        welcome: { enabled: true, template: "Hi {{firstName}}", delayMs: 5000 },
        keywords: {
          stop: ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"],
          start: ["START", "UNSTOP"],
          help: ["HELP"],
          gatewayStop: null,
        },
        replies: { help: "Call us", stopConfirmationMode: "off", startConfirmationMode: "off" },
        quietHours: { enabled: true, start: "09:00", end: "20:00" },
        consent: { maxAgeMs: 300_000 },
        provider: { enabled: false, quietHours: "user-immediate", attachments: "fail" },
        sender: "ACME",
      },
      locations: { loc1: { quietHours: { start: "10:00", end: "19:00" } }, loc2: { optOutTag: "stop" } },
    });
    expect(enginePolicy(loadConfig({}), null)).toMatchObject({
      defaults: { welcome: { enabled: false } },
      locations: {},
    });
  });
});

describe("store encryption key", () => {
  it("is the configured key, else the public sandbox key in sandbox mode only", () => {
    expect(SANDBOX_ENCRYPTION_KEY.toString("hex")).toHaveLength(64);
    const key = Buffer.alloc(32, 7);
    expect(storeEncryptionKey({ mode: "live", encryptionKey: key })).toBe(key);
    expect(storeEncryptionKey({ mode: "sandbox", encryptionKey: null })).toBe(SANDBOX_ENCRYPTION_KEY);
    expect(() => storeEncryptionKey({ mode: "live", encryptionKey: null })).toThrow(
      /GHL_BULKSMS_ENCRYPTION_KEY/,
    );
  });
});
