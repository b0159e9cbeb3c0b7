// Settings added for the worker's scheduler and the STOP/START confirmation texts.
import { describe, expect, it } from "vitest";
import { ConfigError, enginePolicy, lifecyclePolicy, loadConfig } from "../src/index.js";

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("STOP/START confirmation texts", () => {
  const OFF = { stopConfirmationMode: "off", startConfirmationMode: "off" };
  it("unset keeps the engine's texts (only the free modes), empty means none, text is used as is", () => {
    const unset = enginePolicy(loadConfig({}), null) as { defaults: Record<string, unknown> };
    expect(unset.defaults.replies).toEqual(OFF);

    const none = enginePolicy(
      loadConfig({ STOP_CONFIRMATION_TEXT: "", START_CONFIRMATION_TEXT: "  " }),
      null,
    ) as { defaults: { replies: unknown } };
    expect(none.defaults.replies).toEqual({ ...OFF, stopConfirmation: null, startConfirmation: null });

    const text = enginePolicy(
      loadConfig({ STOP_CONFIRMATION_TEXT: "Bye. Reply START to rejoin.", HELP_TEXT: "Call us" }),
      null,
    ) as { defaults: { replies: unknown } };
    expect(text.defaults.replies).toEqual({
      ...OFF,
      help: "Call us",
      stopConfirmation: "Bye. Reply START to rejoin.",
    });
  });

  it("the policy file's replies win setting by setting", () => {
    const out = enginePolicy(
      loadConfig({ STOP_CONFIRMATION_TEXT: "env stop", START_CONFIRMATION_TEXT: "env start" }),
      {
        engine: { defaults: { replies: { startConfirmation: "file start" } } },
      },
    ) as { defaults: { replies: unknown } };
    expect(out.defaults.replies).toEqual({
      ...OFF,
      stopConfirmation: "env stop",
      startConfirmation: "file start",
    });
  });

  it("rejects a text longer than 6 SMS parts, naming the variable", () => {
    const e = configError(() => loadConfig({ STOP_CONFIRMATION_TEXT: "x".repeat(919) }));
    expect(e.issues.map((i) => i.variable)).toEqual(["STOP_CONFIRMATION_TEXT"]);
  });
});

describe("STOP/START confirmation modes, BulkSMS stop words, GHL consent view age", () => {
  it("defaults cost nothing: no confirmations, every STOP word blocks at BulkSMS, views re-read after 5 min", () => {
    const c = loadConfig({});
    expect(c.messaging).toMatchObject({
      stopConfirmation: "off",
      startConfirmation: "off",
      gatewayStopWords: null,
      consentMaxAgeMs: 300_000,
    });
    const p = enginePolicy(c, null) as { defaults: Record<string, Record<string, unknown>> };
    expect(p.defaults.consent).toEqual({ maxAgeMs: 300_000 });
    expect(p.defaults.keywords?.gatewayStop).toBeNull();
  });

  it("reads the variables into the engine policy", () => {
    const c = loadConfig({
      STOP_WORDS: "STOP,ARRET",
      BULKSMS_STOP_WORDS: "stop",
      STOP_CONFIRMATION: "unless-blocked",
      START_CONFIRMATION: "unless-blocked",
      GHL_CONSENT_MAX_AGE_SECONDS: "0",
    });
    const p = enginePolicy(c, null) as { defaults: Record<string, Record<string, unknown>> };
    expect(p.defaults.replies).toEqual({
      stopConfirmationMode: "unless-blocked",
      startConfirmationMode: "unless-blocked",
    });
    expect(p.defaults.keywords?.gatewayStop).toEqual(["STOP"]);
    expect(p.defaults.consent).toEqual({ maxAgeMs: 0 });
  });

  it("names each bad variable", () => {
    const e = configError(() =>
      loadConfig({
        STOP_CONFIRMATION: "always",
        START_CONFIRMATION: "yes",
        BULKSMS_STOP_WORDS: "HALT",
        GHL_CONSENT_MAX_AGE_SECONDS: "-5",
      }),
    );
    expect(e.issues.map((i) => i.variable).sort()).toEqual([
      "BULKSMS_STOP_WORDS",
      "GHL_CONSENT_MAX_AGE_SECONDS",
      "START_CONFIRMATION",
      "STOP_CONFIRMATION",
    ]);
    expect(e.message).toMatch(/STOP_CONFIRMATION.*off, unless-blocked/);
    expect(e.message).toMatch(/BULKSMS_STOP_WORDS lists "HALT", which is not one of STOP_WORDS/);
  });
});

describe("schedule settings", () => {
  it("defaults: tick every minute, blocked-number pull every 15 minutes, lifecycle defaults", () => {
    const c = loadConfig({});
    expect(c.schedule).toEqual({
      intervalMs: 60_000,
      blockedPullEveryMs: 15 * 60_000,
      reconcileIncrementalEveryMs: null,
      reconcileFullAt: null,
    });
    expect(lifecyclePolicy(c, null)).toBeNull();
  });

  it("reads the variables and maps the reconcile ones into the lifecycle policy under the file", () => {
    const c = loadConfig({
      SCHEDULE_INTERVAL_SECONDS: "0",
      BLOCKED_PULL_INTERVAL_MINUTES: "30",
      RECONCILE_INTERVAL_MINUTES: "5",
      RECONCILE_FULL_AT: "04:30",
    });
    expect(c.schedule).toEqual({
      intervalMs: 0,
      blockedPullEveryMs: 30 * 60_000,
      reconcileIncrementalEveryMs: 5 * 60_000,
      reconcileFullAt: "04:30",
    });
    expect(lifecyclePolicy(c, null)).toEqual({
      defaults: { reconcile: { incrementalEveryMs: 300_000, fullAt: "04:30" } },
    });
    const file = { lifecycle: { defaults: { reconcile: { fullAt: "02:00" } }, locations: { L1: {} } } };
    expect(lifecyclePolicy(c, file)).toEqual({
      defaults: { reconcile: { incrementalEveryMs: 300_000, fullAt: "02:00" } },
      locations: { L1: {} },
    });
    expect(lifecyclePolicy(loadConfig({}), file)).toBe(file.lifecycle);
  });

  it("names each bad variable", () => {
    const e = configError(() =>
      loadConfig({
        SCHEDULE_INTERVAL_SECONDS: "-1",
        BLOCKED_PULL_INTERVAL_MINUTES: "0",
        RECONCILE_INTERVAL_MINUTES: "x",
        RECONCILE_FULL_AT: "25:00",
      }),
    );
    expect(e.issues.map((i) => i.variable).sort()).toEqual([
      "BLOCKED_PULL_INTERVAL_MINUTES",
      "RECONCILE_FULL_AT",
      "RECONCILE_INTERVAL_MINUTES",
      "SCHEDULE_INTERVAL_SECONDS",
    ]);
  });
});

describe("several workers: WORKER_ID and GHL_RATE_BUDGET", () => {
  it("default: no worker id (the worker names itself hostname:pid) and the local GHL budget", () => {
    expect(loadConfig({}).cluster).toEqual({ workerId: null, ghlRateBudget: "local" });
  });

  it("reads both; a bad value names its variable", () => {
    expect(loadConfig({ WORKER_ID: "box-1:w2", GHL_RATE_BUDGET: "shared" }).cluster).toEqual({
      workerId: "box-1:w2",
      ghlRateBudget: "shared",
    });
    const e = configError(() => loadConfig({ WORKER_ID: "has space", GHL_RATE_BUDGET: "global" }));
    expect(e.message).toMatch(/WORKER_ID/);
    expect(e.message).toMatch(/GHL_RATE_BUDGET/);
  });
});
