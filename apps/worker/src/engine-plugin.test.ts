// createEnginePlugin: vendor clients wait through the injected sleep (a virtual clock costs no real
// seconds), it refuses sandbox mode on non-local vendor URLs, and it exposes the engine's schedule hook.
import { loadConfig } from "@ghl-bulksms/config";
import { openSqliteStore, type Store } from "@ghl-bulksms/store";
import { afterEach, describe, expect, it } from "vitest";
import { createEnginePlugin } from "./engine-plugin.js";
import { createLogger } from "./logger.js";
import { createMetrics } from "./metrics.js";
import { UnsafeVendorUrlError } from "./vendor-url-guard.js";

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
let store: Store | null = null;
afterEach(async () => {
  await store?.close();
  store = null;
});

function config(extra: Record<string, string> = {}) {
  return loadConfig({
    LOG_LEVEL: "silent",
    GHL_API_BASE_URL: "http://127.0.0.1:9",
    BULKSMS_API_BASE_URL: "http://127.0.0.1:9/v1",
    GHL_LOCATION_1_ID: "L1",
    GHL_LOCATION_1_TIMEZONE: "Europe/London",
    ...extra,
  });
}

describe("createEnginePlugin", () => {
  it("BulkSMS retries wait through the injected sleep on the worker's clock, not in real time", async () => {
    let clock = T0;
    const sleeps: number[] = [];
    const calls: string[] = [];
    store = openSqliteStore({ path: ":memory:", encryptionKey: Buffer.alloc(32, 1), now: () => clock });
    const fetch = (async (input: Request | string | URL) => {
      const url = input instanceof Request ? input.url : String(input);
      calls.push(url);
      // the blocked-numbers list: two outages, then an empty page
      if (calls.length <= 2) return new Response("busy", { status: 503, headers: { "retry-after": "30" } });
      return Response.json([]);
    }) as typeof globalThis.fetch;
    const plugin = await createEnginePlugin({
      fetch,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
    })({
      config: config(),
      store,
      logger: createLogger({ level: "silent" }),
      metrics: createMetrics(),
      now: () => clock,
    });
    const started = Date.now();
    const outcome = await plugin.jobs["bulksms.pull-blocked"].handler(
      { locationId: "L1" },
      { jobId: 1, attempt: 1, locationId: "L1", finalAttempt: false, signal: new AbortController().signal },
    );
    expect(outcome).toEqual({ ok: true });
    expect(calls).toHaveLength(3);
    expect(calls[0]).toContain("127.0.0.1:9/v1/blocked-numbers");
    expect(sleeps).toHaveLength(2);
    for (const ms of sleeps) expect(ms).toBeGreaterThanOrEqual(30_000);
    expect(clock - T0).toBe(sleeps.reduce((a, b) => a + b, 0));
    expect(Date.now() - started).toBeLessThan(5_000); // a minute of virtual waiting, no real one
  });

  it("registers the configured locations and exposes the engine's schedule hook", async () => {
    const clock = T0;
    store = openSqliteStore({ path: ":memory:", encryptionKey: Buffer.alloc(32, 1), now: () => clock });
    const plugin = await createEnginePlugin()({
      config: config({ BLOCKED_PULL_INTERVAL_MINUTES: "30" }),
      store,
      logger: createLogger({ level: "silent" }),
      metrics: createMetrics(),
      now: () => clock,
    });
    expect((await store.locations.get("L1"))?.timezone).toBe("Europe/London");
    expect(await plugin.schedule?.(clock)).toBeGreaterThan(0);
    const slot30 = Math.floor(T0 / (30 * 60_000));
    expect(await store.jobs.getByKey(`bulksms.pull-blocked:L1:${slot30}`)).not.toBeNull();
    expect(await plugin.schedule?.(clock)).toBe(0); // same slot: nothing new
  });

  it("refuses sandbox mode on the real vendor URLs before building any client", async () => {
    store = openSqliteStore({ path: ":memory:", encryptionKey: Buffer.alloc(32, 1) });
    await expect(
      createEnginePlugin()({
        config: loadConfig({ LOG_LEVEL: "silent" }),
        store,
        logger: createLogger({ level: "silent" }),
        metrics: createMetrics(),
        now: Date.now,
      }),
    ).rejects.toBeInstanceOf(UnsafeVendorUrlError);
  });
});
