// `pnpm demo --once --database postgres://... --workers 3`: three workers in three processes of their own
// (none of them the demo's: it only drives the scenario, the simulators and the checks; each worker its own
// WORKER_ID, port, connection pool, scheduler and job runner, GHL_RATE_BUDGET=shared, following the
// sandbox clock) on ONE PostgreSQL database, behind the demo's loopback round-robin balancer, hold every
// expectation of the demo, and each of the three accepted webhooks and completed jobs (read from each
// worker's own /metrics). No worker outlives the demo, even one killed with SIGKILL; a worker that fails to
// start names its log. A bad --workers value is refused with the usage and exit code 2.
import { existsSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { SANDBOX_ENCRYPTION_KEY } from "@ghl-bulksms/config";
import { openPostgresStore } from "@ghl-bulksms/store";
import { createTestDatabase } from "@ghl-bulksms/store/testing";
import { describe, expect, inject, it } from "vitest";
import { runDemo, startDemo } from "./support/run-demo.ts";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Summary {
  ok: boolean;
  workers: number;
  demoPid?: number;
  webhooksPerWorker?: number[];
  workerProcesses?: Array<{ id: string; pid: number; webhooksAccepted: number; jobsCompleted: number }>;
  passed: number;
  failed: number;
  expectations: Array<{ step: string; ok: boolean }>;
}

describe("pnpm demo --workers", () => {
  it("--once --database postgres://... --workers 3: every expectation holds with three workers on one database", async () => {
    const provided = inject("postgres");
    if (!provided?.url)
      throw new Error(`no PostgreSQL for the tests: ${provided?.error ?? "no global setup"}`);
    const db = await createTestDatabase(provided.url);
    try {
      const demo = startDemo(["--once", "--database", db.url, "--workers", "3"]);
      const r = await demo.output;
      expect(r.code, r.stderr.slice(-3000)).toBe(0);
      const summary = JSON.parse(r.stdout) as Summary;
      expect(summary).toMatchObject({ ok: true, failed: 0, workers: 3, demoPid: demo.pid });
      expect(summary.passed).toBe(summary.expectations.length);
      expect(summary.passed).toBeGreaterThan(30);
      // three worker processes, none of them the demo's own, and each did real work: it accepted
      // webhooks (2xx answers) and completed jobs, as its own /metrics counted them
      const workers = summary.workerProcesses ?? [];
      expect(workers.map((w) => w.id)).toEqual(["demo-worker-1", "demo-worker-2", "demo-worker-3"]);
      const pids = workers.map((w) => w.pid);
      expect(new Set(pids).size).toBe(3);
      expect(pids).not.toContain(demo.pid);
      for (const w of workers) {
        expect(w.webhooksAccepted, `${w.id} accepted no webhook`).toBeGreaterThan(0);
        expect(w.jobsCompleted, `${w.id} completed no job`).toBeGreaterThan(0);
      }
      // the balancer spread the simulators' webhooks over all three
      expect(summary.webhooksPerWorker).toHaveLength(3);
      for (const n of summary.webhooksPerWorker ?? []) expect(n).toBeGreaterThan(0);
      expect(r.stderr).toMatch(/3 worker processes behind a loopback balancer on one PostgreSQL database/);
      expect(r.stderr).toContain(`3 worker processes (pids ${pids.join(", ")}) shared the work`);
      // ... which are gone after --once
      for (const pid of pids) expect(alive(pid), `worker process ${pid} outlived the demo`).toBe(false);
      // the one database holds the whole cluster's work
      const pg = await openPostgresStore({ url: db.url, encryptionKey: SANDBOX_ENCRYPTION_KEY });
      try {
        expect((await pg.messages.list({ limit: 1000 })).length).toBeGreaterThan(0);
        expect(await pg.jobs.counts()).toMatchObject({ running: 0, dead: 0 });
      } finally {
        await pg.close();
      }
    } finally {
      await db.drop();
    }
  }, 120_000);

  it("a demo killed with SIGKILL leaves no worker process behind", async () => {
    const demo = startDemo(["--once", "--workers", "2"]);
    try {
      let pids: number[] = [];
      for (let n = 0; n < 1200 && pids.length === 0; n++) {
        const m = /in front of 2 worker processes \(pids (\d+), (\d+);/.exec(demo.stderrSoFar());
        if (m) pids = [Number(m[1]), Number(m[2])];
        else await sleep(50);
      }
      expect(pids, demo.stderrSoFar()).toHaveLength(2);
      expect(pids.every(alive)).toBe(true);
      demo.kill("SIGKILL"); // no exit handler runs: the workers see their IPC channel close
      expect((await demo.output).signal).toBe("SIGKILL");
      for (let n = 0; n < 200 && pids.some(alive); n++) await sleep(50);
      expect(pids.filter(alive), "worker processes that outlived the demo").toEqual([]);
    } finally {
      demo.kill("SIGKILL");
    }
  }, 90_000);

  it("a worker process that cannot start fails the demo with its error and the path of its log", async () => {
    const provided = inject("postgres");
    if (!provided?.url)
      throw new Error(`no PostgreSQL for the tests: ${provided?.error ?? "no global setup"}`);
    const missing = new URL(provided.url);
    missing.pathname = "/ghl_bulksms_demo_no_such_database";
    const r = await runDemo(["--once", "--database", missing.toString(), "--workers", "2"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /demo: could not start: demo-worker-\d \(process \d+\) failed: .*does not exist/,
    );
    const log = /its log: (\S+\.log)/.exec(r.stderr)?.[1];
    expect(log, r.stderr).toBeDefined();
    expect(existsSync(log ?? "")).toBe(true);
    if (log) rmSync(dirname(dirname(log)), { recursive: true, force: true }); // the demo's kept temp folder
  }, 60_000);

  it("rejects --workers 0 with the usage and exit code 2", async () => {
    const r = await runDemo(["--once", "--workers", "0"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--workers must be a whole number 1-16 \(got "0"\)/);
    expect(r.stderr).toMatch(/Usage: pnpm demo/);
  }, 30_000);
});
