// How the built CLI behaves in a shell: a reader that goes away (`| head`), a missing `--env-file`, and
// Ctrl-C in the middle of `reconcile` (the run's lock is given back) or a reconcile refused because another
// process holds the lock (the hint says who, and when a stale lock expires).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SANDBOX_ENCRYPTION_KEY } from "@ghl-bulksms/config";
import { type Sandbox, startSandbox } from "@ghl-bulksms/sandbox";
import { openSqliteStore, type Store } from "@ghl-bulksms/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, ensureBuilt, runCli } from "./helpers.js";

let dir: string;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "cli-shell-"));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI with its stdout pipe closed by the reader before the CLI writes anything. */
function runWithClosedStdout(
  args: string[],
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--", BIN, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.destroy(); // `| head` that already exited
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe("a reader that goes away (| head)", () => {
  it("ends quietly: no EPIPE stack trace, the command's own exit code", async () => {
    const help = await runWithClosedStdout(["--help"]);
    expect(help.stderr).toBe("");
    expect(help.code).toBe(0);

    // a real command with a large result: 2000 contacts, 1000 duplicate pairs, as JSON
    const lines: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const phone = `+4479111${String(i).padStart(5, "0")}`;
      lines.push(JSON.stringify({ id: `a${i}`, firstName: `Ann${i}`, lastName: "Lee", phone }));
      lines.push(JSON.stringify({ id: `b${i}`, firstName: `Ann${i}`, lastName: "Lee", phone }));
    }
    writeFileSync(join(dir, "contacts.jsonl"), `${lines.join("\n")}\n`);
    const dedupe = await runWithClosedStdout([
      "dedupe",
      "--from-file",
      "contacts.jsonl",
      "--region",
      "GB",
      "--json",
    ]);
    expect(dedupe.stderr).not.toContain("EPIPE");
    expect(dedupe.stderr).not.toContain("    at ");
    expect(dedupe.code).toBe(0);
  }, 60_000);
});

describe("a missing --env-file", () => {
  it("is our own error with exit 2, through the bin's shebang and through `node -- bin.js`", async () => {
    const expected = `error: env file ${join(dir, "missing.env")} does not exist`;
    // the bin as a shell runs it (shebang `#!/usr/bin/env -S node --`; Node itself would stop at exit 9)
    const direct = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(BIN, ["--env-file", "missing.env", "config", "validate"], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (d) => {
        stderr += d;
      });
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stderr }));
    });
    expect(direct.stderr).not.toContain("node: missing.env: not found");
    expect(direct.stderr).toContain(expected);
    expect(direct.stderr).toContain("hint:");
    expect(direct.code).toBe(2);

    const viaNode = await runCli(["--env-file=missing.env", "config", "validate"], { cwd: dir });
    expect(viaNode.stderr).toContain(expected);
    expect(viaNode.code).toBe(2);

    const viaEnv = await runCli(["config", "validate"], {
      cwd: dir,
      env: { GHL_BULKSMS_ENV_FILE: "missing.env" },
    });
    expect(viaEnv.stderr).toContain(expected);
    expect(viaEnv.code).toBe(2);
  }, 60_000);
});

describe("reconcile and its lock", () => {
  let sandbox: Sandbox;
  let env: Record<string, string>;
  let locationId: string;
  const db = () => join(dir, "lock-data", "ghl-bulksms.db");

  beforeAll(async () => {
    sandbox = await startSandbox({ seedContacts: 40, ghl: { port: 0 }, bulksms: { port: 0 } });
    const loc = sandbox.ghl.locations[0];
    const cred = sandbox.bulksms.credentials[0];
    if (!loc || !cred) throw new Error("sandbox has no location or no BulkSMS credential");
    locationId = loc.id;
    env = {
      GHL_BULKSMS_MODE: "sandbox",
      GHL_API_BASE_URL: sandbox.ghl.url,
      BULKSMS_API_BASE_URL: sandbox.bulksms.url,
      BULKSMS_TOKEN_ID: cred.tokenId,
      BULKSMS_TOKEN_SECRET: cred.tokenSecret,
      GHL_LOCATIONS: JSON.stringify([
        { locationId, token: loc.token, region: loc.country, timezone: loc.timezone },
      ]),
      DATA_DIR: join(dir, "lock-data"),
    };
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    const store = openSqliteStore({ path: db(), encryptionKey: SANDBOX_ENCRYPTION_KEY });
    try {
      return await fn(store);
    } finally {
      await store.close();
    }
  }

  it("Ctrl-C gives the run's lock back: exit 130, and the next reconcile resumes the run at once", async () => {
    // GHL answers after 5 s, so the run is surely in progress (waiting for GHL) when it is interrupted
    sandbox.ghl.control.setFaults({ latencyMs: 5_000 });
    const child = spawn(process.execPath, ["--", BIN, "reconcile", "--full"], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    let runId: number | null = null;
    while (runId === null) {
      if (Date.now() > deadline) throw new Error(`no running reconcile run; stderr:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
      if (!existsSync(db())) continue; // let the CLI create the store
      runId = await withStore(async (s) =>
        s.runs.active(locationId).then((r) => (r?.owner === `cli-${child.pid}` ? r.id : null)),
      ).catch(() => null);
    }
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(stderr).toContain("interrupted (SIGINT)");
    const run = await withStore((s) => s.runs.get(runId as number));
    expect(run).toMatchObject({ status: "running", heartbeatAt: 0 }); // released, checkpoint kept

    sandbox.ghl.control.setFaults({ latencyMs: 0 });
    const again = await runCli(["reconcile", "--full", "--json"], { env, cwd: dir, timeoutMs: 60_000 });
    expect(again.stderr).toBe("");
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject([{ locationId, ok: true, runId, resumed: true }]);
  }, 120_000);

  it("a lock held by another process: the hint names the holder and when a stale lock expires", async () => {
    const started = await withStore((s) =>
      s.runs.start({ locationId, kind: "incremental", owner: "worker-4242-abcd" }),
    );
    if (!started.started) throw new Error("expected a run");
    const r = await runCli(["reconcile"], { env, cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`run ${started.run.id} is held by the worker worker-4242-abcd`);
    expect(r.stderr).toContain("if that process is gone");
    expect(r.stderr).toMatch(/expires at \d{4}-\d\d-\d\dT[\d:.]+Z \(in \d+s\)/);
    expect(r.stderr).not.toContain("(the worker's?)");
    await withStore((s) => s.runs.finish(started.run.id, { status: "cancelled" }));
  }, 60_000);
});
