import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lifecycleConfigOf } from "./lifecycle.js";
import { loadEnv, loadSettings } from "./settings.js";

function policyFile(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "cli-settings-"));
  const path = join(dir, "policy.json");
  writeFileSync(path, JSON.stringify(content));
  return path;
}

// Only the variables given here: no process environment (and no GHL_BULKSMS_ENV_FILE pointing elsewhere);
// sandbox mode on loopback vendor URLs, which the worker's schema (loadWorkerConfig) requires.
const noEnvFile = {
  GHL_BULKSMS_ENV_FILE: undefined,
  GHL_API_BASE_URL: "http://127.0.0.1:4010",
  BULKSMS_API_BASE_URL: "http://127.0.0.1:4020/v1",
};

describe("settings: the worker's lifecycle policy", () => {
  it("runs the environment's reconcile schedule with the policy file's lifecycle section over it", async () => {
    const config = policyFile({
      lifecycle: {
        defaults: { reconcile: { fullAt: "04:30" }, digest: { enabled: true, at: "07:15" } },
      },
    });
    const ok = await loadSettings(
      { config },
      { ...noEnvFile, RECONCILE_INTERVAL_MINUTES: "5", RECONCILE_FULL_AT: "02:00" },
    );
    const lifecycle = await lifecycleConfigOf(ok);
    expect(lifecycle.defaults.reconcile.incrementalEveryMs).toBe(5 * 60_000);
    // the file wins setting by setting
    expect(lifecycle.defaults.reconcile.fullAt).toBe("04:30");
    expect(lifecycle.defaults.digest).toMatchObject({ enabled: true, at: "07:15" });
  });

  it("is null without a reconcile schedule or lifecycle section (the engine's defaults apply)", async () => {
    const settings = await loadSettings({ config: policyFile({ engine: {} }) }, { ...noEnvFile });
    expect(settings.lifecycleConfig).toBeNull();
    const lifecycle = await lifecycleConfigOf(settings);
    expect(lifecycle.defaults.reconcile.fullAt).toBe("03:00");
  });

  it("names a bad lifecycle setting", async () => {
    const settings = await loadSettings(
      { config: policyFile({ lifecycle: { defaults: { digest: { at: "25:00" } } } }) },
      { ...noEnvFile },
    );
    await expect(lifecycleConfigOf(settings)).rejects.toThrow(/invalid "lifecycle" configuration.*digest/s);
  });
});

describe("settings: the .env file (read by @ghl-bulksms/config's loadEnvFile)", () => {
  it("reads --env-file under the process environment; a missing explicit file is named", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cli-env-"));
    const path = join(dir, "x.env");
    writeFileSync(path, "DATA_DIR=/from/file\nQUIET_HOURS=21:00-08:00\n");
    const loaded = await loadEnv({ envFile: path }, { ...noEnvFile, DATA_DIR: "/from/env" });
    expect(loaded.envFile).toBe(path);
    expect(loaded.env).toMatchObject({ DATA_DIR: "/from/env", QUIET_HOURS: "21:00-08:00" });
    const missing = join(dir, "nope.env");
    await expect(loadEnv({ envFile: missing }, { ...noEnvFile })).rejects.toThrow(
      `env file ${missing} does not exist`,
    );
    const viaVariable = await loadEnv({}, { GHL_BULKSMS_ENV_FILE: path });
    expect(viaVariable.env.DATA_DIR).toBe("/from/file");
  });
});

describe("settings: the worker's decision and the default location", () => {
  it("refuses what the worker refuses: sandbox mode on the real vendor addresses", async () => {
    await expect(loadSettings({}, { GHL_BULKSMS_ENV_FILE: undefined })).rejects.toThrow(
      /GHL_API_BASE_URL=https:\/\/services\.leadconnectorhq\.com is not a loopback URL/,
    );
  });

  it("takes the policy file's defaultLocation when GHL_DEFAULT_LOCATION is unset; the variable wins", async () => {
    const config = policyFile({ defaultLocation: "fromFile" });
    expect((await loadSettings({ config }, { ...noEnvFile })).config.ghl.defaultLocation).toBe("fromFile");
    const env = { ...noEnvFile, GHL_DEFAULT_LOCATION: "fromEnv" };
    expect((await loadSettings({ config }, env)).config.ghl.defaultLocation).toBe("fromEnv");
    await expect(
      loadSettings({ config: policyFile({ defaultLocation: "a b" }) }, { ...noEnvFile }),
    ).rejects.toThrow(/defaultLocation/);
  });
});
