import { describe, expect, it } from "vitest";
import { z } from "zod";
import { MemoryJobQueue } from "../test/fakes.ts";
import { backoffDelay, createJobRunner, decideAttempt } from "./job-runner.ts";
import { createLogger } from "./logger.ts";
import { createMetrics } from "./metrics.ts";
import type { JobOutcome, JobRegistry } from "./ports.ts";

const silent = createLogger({ level: "silent" });

type Catalog = { "demo.work": { n: number }; "demo.other": { s: string } };

function registry(handler: (p: { n: number }) => Promise<JobOutcome>): JobRegistry<Catalog> {
  return {
    "demo.work": { schema: z.object({ n: z.number() }), handler: (p) => handler(p) },
    "demo.other": { schema: z.object({ s: z.string() }), handler: async () => ({ ok: true }) },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("backoff", () => {
  it("grows exponentially, is capped, and jitters within [exp/2, exp]", () => {
    const b = { baseMs: 1000, maxMs: 60_000 };
    expect(backoffDelay(1, b, () => 0)).toBe(500);
    expect(backoffDelay(1, b, () => 1)).toBe(1000);
    expect(backoffDelay(3, b, () => 1)).toBe(4000);
    expect(backoffDelay(20, b, () => 1)).toBe(60_000);
    expect(backoffDelay(20, b, () => 0)).toBe(30_000);
  });

  it("honours retryAfterMs, dead-letters non-retryable errors and after maxAttempts", () => {
    const opts = {
      maxAttempts: 3,
      now: 1_000_000,
      backoff: { baseMs: 1000, maxMs: 60_000 },
      random: () => 0,
    };
    const err = (retryable: boolean, retryAfterMs?: number): JobOutcome => ({
      ok: false,
      error: { code: "x", message: "m", retryable, retryAfterMs },
    });
    expect(decideAttempt({ ok: true }, 1, opts)).toEqual({ kind: "complete" });
    expect(decideAttempt(err(true, 10_000), 1, opts)).toMatchObject({ kind: "retry", retryAt: 1_010_000 });
    expect(decideAttempt(err(true), 2, opts)).toMatchObject({ kind: "retry", retryAt: 1_001_000 });
    expect(decideAttempt(err(false), 1, opts).kind).toBe("dead");
    const dead = decideAttempt(err(true), 3, opts);
    expect(dead.kind).toBe("dead");
    expect(dead.kind === "dead" && JSON.parse(dead.error)).toMatchObject({ code: "x", message: "m" });
  });
});

describe("job runner", () => {
  it("completes jobs, retries retryable failures with backoff, dead-letters after N attempts keeping the error", async () => {
    let t = 1_000_000;
    const q = new MemoryJobQueue(() => t);
    const ok = q.enqueue("demo.work", { n: 1 });
    const flaky = q.enqueue("demo.work", { n: 2 });
    const metrics = createMetrics();
    const runner = createJobRunner<Catalog>({
      queue: q,
      registry: registry(async ({ n }) =>
        n === 1
          ? { ok: true }
          : { ok: false, error: { code: "http_503", message: "boom", retryable: true, vendor: "ghl" } },
      ),
      workerId: "w1",
      concurrency: 4,
      perLocationConcurrency: 2,
      maxAttempts: 3,
      leaseMs: 60_000,
      now: () => t,
      random: () => 0.5,
      backoff: { baseMs: 1000, maxMs: 60_000 },
      logger: silent,
      metrics,
    });
    await runner.pollOnce();
    await runner.whenIdle();
    expect(q.jobs.get(ok)?.state).toBe("done");
    const j = q.jobs.get(flaky);
    expect(j?.state).toBe("queued");
    expect(j?.runAt).toBe(t + 750); // attempt 1: 1000ms * (0.5 + 0.5*0.5)
    // not due yet: nothing claimed
    expect(await runner.pollOnce()).toBe(0);
    t += 750;
    await runner.pollOnce();
    await runner.whenIdle();
    expect(q.jobs.get(flaky)?.runAt).toBe(t + 1500); // attempt 2: 2000ms * 0.75
    t += 1500;
    await runner.pollOnce();
    await runner.whenIdle();
    const dead = q.jobs.get(flaky);
    expect(dead?.state).toBe("dead");
    expect(dead?.attempts).toBe(3);
    expect(JSON.parse(dead?.lastError ?? "{}")).toMatchObject({
      code: "http_503",
      message: "boom",
      vendor: "ghl",
    });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/ghlbulksms_vendor_errors_total\{vendor="ghl",code="http_503"\} 3/);
    expect(text).toMatch(/ghlbulksms_jobs_total\{job="demo.work",outcome="dead"\} 1/);
  });

  it("dead-letters at once a non-retryable error, an invalid payload and an unknown job name", async () => {
    const q = new MemoryJobQueue();
    const a = q.enqueue("demo.work", { n: 3 });
    const b = q.enqueue("demo.work", { n: "not a number" });
    const c = q.enqueue("no.such.job", {});
    const runner = createJobRunner<Catalog>({
      queue: q,
      registry: registry(async () => ({
        ok: false,
        error: { code: "validation", message: "400 from vendor", retryable: false },
      })),
      workerId: "w1",
      concurrency: 4,
      perLocationConcurrency: 4,
      maxAttempts: 5,
      leaseMs: 60_000,
      logger: silent,
    });
    await runner.pollOnce();
    await runner.whenIdle();
    expect(q.jobs.get(a)?.state).toBe("dead");
    expect(q.jobs.get(b)?.state).toBe("dead");
    expect(q.jobs.get(b)?.lastError).toContain("invalid_payload");
    expect(q.jobs.get(c)?.lastError).toContain("unknown_job");
  });

  it("treats a thrown exception as retryable", async () => {
    const q = new MemoryJobQueue();
    const a = q.enqueue("demo.work", { n: 1 });
    const runner = createJobRunner<Catalog>({
      queue: q,
      registry: registry(async () => {
        throw new Error("SQLITE_BUSY");
      }),
      workerId: "w1",
      concurrency: 1,
      perLocationConcurrency: 1,
      maxAttempts: 5,
      leaseMs: 60_000,
      logger: silent,
    });
    await runner.pollOnce();
    await runner.whenIdle();
    expect(q.jobs.get(a)?.state).toBe("queued");
    expect(q.jobs.get(a)?.lastError).toContain("SQLITE_BUSY");
  });

  it("never runs more than perLocationConcurrency jobs of one location, while other locations proceed", async () => {
    const q = new MemoryJobQueue();
    for (let i = 0; i < 12; i++) q.enqueue("demo.work", { n: i }, "locA");
    for (let i = 0; i < 4; i++) q.enqueue("demo.work", { n: 100 + i }, "locB");
    const active = new Map<string, number>();
    const peak = new Map<string, number>();
    const runner = createJobRunner<Catalog>({
      queue: q,
      registry: {
        "demo.work": {
          schema: z.object({ n: z.number() }),
          handler: async (_p, ctx) => {
            const loc = ctx.locationId ?? "";
            active.set(loc, (active.get(loc) ?? 0) + 1);
            peak.set(loc, Math.max(peak.get(loc) ?? 0, active.get(loc) ?? 0));
            await sleep(5);
            active.set(loc, (active.get(loc) ?? 1) - 1);
            return { ok: true };
          },
        },
        "demo.other": { schema: z.object({ s: z.string() }), handler: async () => ({ ok: true }) },
      },
      workerId: "w1",
      concurrency: 6,
      perLocationConcurrency: 2,
      maxAttempts: 3,
      leaseMs: 60_000,
      pollIntervalMs: 5,
      logger: silent,
    });
    runner.start();
    for (let i = 0; i < 200 && [...q.jobs.values()].some((j) => j.state !== "done"); i++) await sleep(5);
    await runner.stop({ timeoutMs: 1000 });
    expect([...q.jobs.values()].every((j) => j.state === "done")).toBe(true);
    expect(peak.get("locA")).toBe(2);
    expect(peak.get("locB")).toBeLessThanOrEqual(2);
  });

  it("graceful stop: waits for in-flight jobs, releases waiting ones, and aborts + releases past the deadline", async () => {
    const q = new MemoryJobQueue();
    const fast = q.enqueue("demo.work", { n: 1 }, "locA");
    const slow = q.enqueue("demo.work", { n: 2 }, "locB");
    const waitingJob = q.enqueue("demo.work", { n: 3 }, "locA"); // locA is limited to 1: it waits
    let aborted = false;
    const runner = createJobRunner<Catalog>({
      queue: q,
      registry: {
        "demo.work": {
          schema: z.object({ n: z.number() }),
          handler: async ({ n }, ctx) => {
            if (n === 1) {
              await sleep(30);
              return { ok: true };
            }
            await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve()));
            aborted = true;
            return { ok: true }; // its result must be ignored: the lease was given up
          },
        },
        "demo.other": { schema: z.object({ s: z.string() }), handler: async () => ({ ok: true }) },
      },
      workerId: "w1",
      concurrency: 4,
      perLocationConcurrency: 1,
      maxAttempts: 3,
      leaseMs: 60_000,
      logger: silent,
    });
    await runner.pollOnce();
    expect(runner.stats()).toMatchObject({ running: 2, waiting: 1 });
    const result = await runner.stop({ timeoutMs: 100 });
    expect(result).toEqual({ finished: 1, released: 2 });
    expect(q.jobs.get(fast)?.state).toBe("done");
    expect(q.jobs.get(waitingJob)?.state).toBe("queued");
    expect(q.jobs.get(waitingJob)?.attempts).toBe(0);
    await sleep(5);
    expect(aborted).toBe(true);
    expect(q.jobs.get(slow)?.state).toBe("queued"); // released, not completed by the late handler
    expect(q.log).not.toContain(`complete ${slow}`);
    // nothing is claimed after stop
    expect(await runner.pollOnce()).toBe(0);
  });

  async function fairness(supportsExclude: boolean, locations?: () => Promise<readonly string[]>) {
    const q = new MemoryJobQueue();
    q.supportsExclude = supportsExclude;
    for (let i = 0; i < 30; i++) q.enqueue("demo.work", { n: i }, "locA");
    q.enqueue("demo.work", { n: 100 }, "locB");
    q.enqueue("demo.work", { n: 101 }, "locB");
    const order: string[] = [];
    const runner = createJobRunner<Catalog>({
      queue: q,
      registry: {
        "demo.work": {
          schema: z.object({ n: z.number() }),
          handler: async (_p, ctx) => {
            order.push(ctx.locationId ?? "-");
            await sleep(2);
            return { ok: true };
          },
        },
        "demo.other": { schema: z.object({ s: z.string() }), handler: async () => ({ ok: true }) },
      },
      workerId: "w1",
      concurrency: 2,
      perLocationConcurrency: 1,
      maxAttempts: 3,
      leaseMs: 60_000,
      maxBuffered: 3,
      pollIntervalMs: 2,
      logger: silent,
      ...(locations ? { locations } : {}),
    });
    runner.start();
    for (let i = 0; i < 500 && [...q.jobs.values()].some((j) => j.state !== "done"); i++) await sleep(3);
    await runner.stop({ timeoutMs: 500 });
    expect([...q.jobs.values()].every((j) => j.state === "done")).toBe(true);
    return order;
  }

  it("a busy location does not starve another one (queue filters saturated locations)", async () => {
    const order = await fairness(true);
    expect(order.lastIndexOf("locB")).toBeLessThan(10);
  });

  it("a busy location does not starve another one (queue ignores the filter; runner claims per known location)", async () => {
    const order = await fairness(false, async () => ["locA", "locB"]);
    expect(order.lastIndexOf("locB")).toBeLessThan(10);
  });

  it("extends leases of running jobs and abandons a job whose lease was lost", async () => {
    const q = new MemoryJobQueue();
    const kept = q.enqueue("demo.work", { n: 1 });
    const lost = q.enqueue("demo.work", { n: 2 });
    let abortedLost = false;
    const runner = createJobRunner<Catalog>({
      queue: q,
      registry: {
        "demo.work": {
          schema: z.object({ n: z.number() }),
          handler: async ({ n }, ctx) => {
            if (n === 2) {
              const j = q.jobs.get(lost);
              if (j) j.leaseOwner = "someone-else"; // another worker took it over
              await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve()));
              abortedLost = true;
              return { ok: true };
            }
            await sleep(1200);
            return { ok: true };
          },
        },
        "demo.other": { schema: z.object({ s: z.string() }), handler: async () => ({ ok: true }) },
      },
      workerId: "w1",
      concurrency: 2,
      perLocationConcurrency: 2,
      maxAttempts: 3,
      leaseMs: 3000, // extended every 1 s
      logger: silent,
    });
    runner.start();
    await sleep(1400);
    expect(q.extended).toContain(kept);
    expect(abortedLost).toBe(true);
    await runner.stop({ timeoutMs: 500 });
    expect(q.jobs.get(kept)?.state).toBe("done");
    expect(q.log).not.toContain(`complete ${lost}`);
  });
});
