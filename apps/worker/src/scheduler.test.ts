import type { BulkSmsClient } from "@ghl-bulksms/bulksms";
import { createEngine } from "@ghl-bulksms/engine";
import type { GhlClient } from "@ghl-bulksms/ghl";
import { openSqliteStore, type Store } from "@ghl-bulksms/store";
import { afterEach, describe, expect, it } from "vitest";
import { createScheduler } from "./scheduler.js";

/** Manual timers: `fire()` runs the armed timer, as if its delay had passed. */
function manualTimers() {
  const armed: Array<{ fn: () => void; ms: number; id: number }> = [];
  let next = 1;
  return {
    armed,
    timers: {
      setTimeout: (fn: () => void, ms: number) => {
        const t = { fn, ms, id: next++ };
        armed.push(t);
        return t.id;
      },
      clearTimeout: (id: unknown) => {
        const i = armed.findIndex((t) => t.id === id);
        if (i >= 0) armed.splice(i, 1);
      },
    },
    fire() {
      const t = armed.shift();
      if (!t) throw new Error("no timer armed");
      t.fn();
    },
  };
}

const settle = () => new Promise((r) => setImmediate(r));

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0); // 12:00 UTC
const MIN = 60_000;

describe("createScheduler (timers and lifecycle)", () => {
  it("ticks at start and after each interval with the clock's time; stop() disarms it", async () => {
    let clock = T0;
    const seen: number[] = [];
    const t = manualTimers();
    const s = createScheduler({
      tick: async (now) => {
        seen.push(now);
        return 1;
      },
      now: () => clock,
      intervalMs: MIN,
      timers: t.timers,
    });
    s.start();
    s.start(); // idempotent
    await settle();
    expect(seen).toEqual([T0]);
    expect(t.armed.map((x) => x.ms)).toEqual([MIN]);
    clock += MIN;
    t.fire();
    await settle();
    expect(seen).toEqual([T0, T0 + MIN]);
    expect(t.armed).toHaveLength(1);
    await s.stop();
    expect(t.armed).toHaveLength(0);
    expect(s.running).toBe(false);
    s.start(); // a stopped scheduler stays stopped
    await settle();
    expect(seen).toHaveLength(2);
    expect(t.armed).toHaveLength(0);
  });

  it("never overlaps ticks, stop() waits for the running one, and a failing tick does not end the loop", async () => {
    let release: () => void = () => undefined;
    let running = 0;
    let maxRunning = 0;
    let calls = 0;
    const outcomes: string[] = [];
    const t = manualTimers();
    const s = createScheduler({
      tick: async () => {
        calls++;
        running++;
        maxRunning = Math.max(maxRunning, running);
        if (calls === 1) await new Promise<void>((r) => (release = r));
        running--;
        if (calls === 2) throw new Error("store busy");
        return 0;
      },
      now: () => T0,
      timers: t.timers,
      onTick: (r) => outcomes.push("error" in r ? "error" : "ok"),
    });
    s.start();
    const manual = s.runNow(); // waits for the first tick
    await settle();
    expect(calls).toBe(1);
    expect(t.armed).toHaveLength(0); // the timer is armed only after the tick finished
    release();
    await expect(manual).resolves.toBe(0); // second tick threw: reported as 0 new jobs
    await settle();
    expect(maxRunning).toBe(1);
    expect(outcomes).toEqual(["ok", "error"]);
    expect(t.armed).toHaveLength(1); // still scheduled after the failure
    t.fire();
    await settle();
    expect(outcomes).toEqual(["ok", "error", "ok"]);

    // stop while a tick is running: resolves after it, and nothing is armed afterwards
    let finish: () => void = () => undefined;
    const slow = createScheduler({
      tick: () => new Promise<number>((r) => (finish = () => r(0))),
      now: () => T0,
      timers: t.timers,
    });
    t.armed.length = 0;
    slow.start();
    let stopped = false;
    const stopping = slow.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    finish();
    await stopping;
    await settle();
    expect(t.armed).toHaveLength(0);
    await s.stop();
  });

  it("refuses a non-positive interval", () => {
    expect(() => createScheduler({ tick: async () => 0, now: () => 0, intervalMs: 0 })).toThrow(/intervalMs/);
  });
});

describe("scheduler over the engine's schedule (fake clock, real store)", () => {
  let store: Store | null = null;
  afterEach(async () => {
    await store?.close();
    store = null;
  });

  it("enqueues each periodic job once per time slot, also with two workers; stop() halts it", async () => {
    let clock = T0;
    store = openSqliteStore({ path: ":memory:", encryptionKey: Buffer.alloc(32, 7), now: () => clock });
    await store.locations.upsert({ id: "L1", active: true, timezone: "Europe/London" });
    const engine = createEngine({
      store,
      ghl: () => ({}) as GhlClient,
      sms: {} as BulkSmsClient,
      now: () => clock,
      schedule: { pullBlockedEveryMs: 15 * MIN },
    });
    const s = store;
    const queued = async (name: string, key: string) => (await s.jobs.getByKey(`${name}:${key}`)) !== null;
    const total = async () => {
      const c = await s.jobs.counts();
      return c.queued + c.running + c.done + c.dead;
    };

    const a = manualTimers();
    const b = manualTimers();
    const workerA = createScheduler({ tick: (n) => engine.schedule(n), now: () => clock, timers: a.timers });
    const workerB = createScheduler({ tick: (n) => engine.schedule(n), now: () => clock, timers: b.timers });
    workerA.start();
    workerB.start();
    await settle();
    await workerA.runNow();
    await workerB.runNow();
    const slot15 = Math.floor(T0 / (15 * MIN));
    const slot5 = Math.floor(T0 / (5 * MIN));
    const slot1 = Math.floor(T0 / MIN);
    expect(await queued("bulksms.pull-blocked", `L1:${slot15}`)).toBe(true);
    expect(await queued("vendor-writes.sweep", String(slot5))).toBe(true);
    expect(await queued("reconcile.incremental", `L1:${slot15}`)).toBe(true);
    expect(await queued("reconcile.full", "L1:2026-01-15")).toBe(true); // past 03:00 local
    expect(await queued("followups.run", String(slot1))).toBe(true);
    expect(await queued("digest.tick", String(slot5))).toBe(true);
    expect(await queued("store.housekeeping", String(Math.floor(T0 / 3_600_000)))).toBe(true);
    const first = await total();
    expect(first).toBe(7); // four ticks in one slot: every job once

    // one minute later: only the per-minute job is new
    clock += MIN;
    a.fire();
    b.fire();
    await settle();
    await workerA.runNow();
    expect(await total()).toBe(first + 1);
    expect(await queued("followups.run", String(slot1 + 1))).toBe(true);

    // 15 minutes after the start: next 15-minute slot (pull, incremental), 5-minute slot, minute slot;
    // the daily full run and the hourly housekeeping are not due again
    clock = T0 + 15 * MIN;
    a.fire();
    b.fire();
    await settle();
    await workerA.runNow();
    expect(await queued("bulksms.pull-blocked", `L1:${slot15 + 1}`)).toBe(true);
    expect(await queued("reconcile.incremental", `L1:${slot15 + 1}`)).toBe(true);
    expect(await total()).toBe(first + 1 + 5);

    // stop(): no more ticks, whatever the clock says
    await workerA.stop();
    await workerB.stop();
    expect(a.armed).toHaveLength(0);
    expect(b.armed).toHaveLength(0);
    const before = await total();
    clock += 60 * MIN;
    await settle();
    expect(await total()).toBe(before);
  });
});
