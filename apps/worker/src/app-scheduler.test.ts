// The app starts the scheduler after the job runner and stops it first.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@ghl-bulksms/config";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWorkerApp, type EnginePlugin } from "./app.js";
import { createLogger } from "./logger.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "worker-sched-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function config(extra: Record<string, string> = {}) {
  return loadConfig({ HOST: "127.0.0.1", PORT: "0", DATA_DIR: dir, LOG_LEVEL: "silent", ...extra });
}

function plugin(calls: number[], events: string[]): EnginePlugin<Record<never, never>> {
  const hold = async () => ({ ok: true as const });
  return {
    jobs: {},
    inbox: { ghl: hold, ghlWorkflow: hold, bulksms: hold },
    async schedule(now) {
      calls.push(now);
      events.push("schedule");
      return 2;
    },
    async close() {
      events.push("engine closed");
    },
  };
}

describe("worker app scheduler", () => {
  it("calls engine.schedule with the worker's clock at start, counts it in /metrics, stops before the engine closes", async () => {
    const calls: number[] = [];
    const events: string[] = [];
    const app = createWorkerApp({
      config: config(),
      logger: createLogger({ level: "silent" }),
      now: () => 1_700_000_000_000,
      engine: async () => plugin(calls, events),
    });
    expect(() => app.scheduler()).toThrow(/before start/);
    const { url } = await app.start();
    const scheduler = app.scheduler();
    expect(scheduler?.running).toBe(true);
    for (let i = 0; i < 100 && calls.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(calls).toEqual([1_700_000_000_000]);
    await expect(scheduler?.runNow()).resolves.toBe(2);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/ghlbulksms_periodic_jobs_enqueued_total 4/);
    expect(metrics).toMatch(/ghlbulksms_schedule_ticks_total\{outcome="ok"\} 2/);
    await app.stop();
    expect(scheduler?.running).toBe(false);
    expect(events.at(-1)).toBe("engine closed");
    const n = calls.length;
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toHaveLength(n);
  });

  it("SCHEDULE_INTERVAL_SECONDS=0 runs no scheduler", async () => {
    const calls: number[] = [];
    const app = createWorkerApp({
      config: config({ SCHEDULE_INTERVAL_SECONDS: "0" }),
      logger: createLogger({ level: "silent" }),
      engine: async () => plugin(calls, []),
    });
    await app.start();
    expect(app.scheduler()).toBeNull();
    await new Promise((r) => setTimeout(r, 20));
    await app.stop();
    expect(calls).toEqual([]);
  });
});
