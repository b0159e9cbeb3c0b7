// `pnpm demo --once --database postgres://... --workers 3`: three workers in three processes (the demo's
// own, and two forked ones following the sandbox clock; each its own WORKER_ID, port, connection pool,
// scheduler and job runner; GHL_RATE_BUDGET=shared) on ONE PostgreSQL database, behind the demo's loopback
// round-robin balancer, hold every expectation of the demo; each of the three answered webhooks. A bad --workers value is refused with the usage and exit code 2.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { SANDBOX_ENCRYPTION_KEY } from "@ghl-bulksms/config";
import { openPostgresStore } from "@ghl-bulksms/store";
import { createTestDatabase } from "@ghl-bulksms/store/testing";
import { describe, expect, inject, it } from "vitest";

function runDemo(args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--conditions=@ghl-bulksms/source", "--import", "tsx", "src/demo/main.ts", ...args],
      { cwd: join(import.meta.dirname, ".."), stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

interface Summary {
  ok: boolean;
  workers: number;
  webhooksPerWorker?: number[];
  workerProcesses?: number;
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
      const r = await runDemo(["--once", "--database", db.url, "--workers", "3"]);
      expect(r.code, r.stderr.slice(-3000)).toBe(0);
      const summary = JSON.parse(r.stdout) as Summary;
      expect(summary).toMatchObject({ ok: true, failed: 0, workers: 3, workerProcesses: 3 });
      expect(summary.passed).toBe(summary.expectations.length);
      expect(summary.passed).toBeGreaterThan(30);
      // the simulators' webhooks were spread over all three workers
      expect(summary.webhooksPerWorker).toHaveLength(3);
      for (const n of summary.webhooksPerWorker ?? []) expect(n).toBeGreaterThan(0);
      expect(r.stderr).toMatch(/3 workers behind a loopback balancer on one PostgreSQL database/);
      const pids = [...r.stderr.matchAll(/demo-worker-\d \(process (\d+)\)/g)].map((m) => Number(m[1]));
      expect(new Set(pids).size).toBe(2); // workers 2 and 3 in processes of their own
      // ... which are gone after --once
      for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
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

  it("rejects --workers 0 with the usage and exit code 2", async () => {
    const r = await runDemo(["--once", "--workers", "0"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--workers must be a whole number 1-16 \(got "0"\)/);
    expect(r.stderr).toMatch(/Usage: pnpm demo/);
  }, 30_000);
});
