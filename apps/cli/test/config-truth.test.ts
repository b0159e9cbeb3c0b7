// One configuration truth: what `init --yes` writes is accepted by the worker (its own configuration
// loading, and its main process), `config validate` and `doctor`; a bad one is refused by all of them with
// the same message. And every fix `doctor` prints works: run it, and doctor no longer reports the problem.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, realpathSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigError, loadEnvFile, loadWorkerConfig } from "@ghl-bulksms/config";
import { type Sandbox, startSandbox } from "@ghl-bulksms/sandbox";
import { openSqliteStore } from "@ghl-bulksms/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_DIR, ensureBuilt, runCli } from "./helpers.js";

const workerDir = join(CLI_DIR, "..", "worker");
const workerMain = join(workerDir, "src", "main.ts");
const tsx = pathToFileURL(realpathSync(join(workerDir, "node_modules", "tsx", "dist", "loader.mjs"))).href;

const dirs: string[] = [];
let sandbox: Sandbox;
let hookServer: Server;
let hookUrl: string;

beforeAll(async () => {
  ensureBuilt();
  sandbox = await startSandbox({ seedContacts: 3, ghl: { port: 0 }, bulksms: { port: 0 } });
  hookServer = createServer((_req, res) => res.writeHead(200).end());
  await new Promise<void>((r) => hookServer.listen(0, "127.0.0.1", () => r()));
  hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await sandbox?.close();
  if (hookServer) await new Promise<void>((r) => hookServer.close(() => r()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "cli-truth-"));
  dirs.push(d);
  return d;
}

/** The worker's main process on this folder's .env: "started" when it listens, else its refusal. */
async function worker(cwd: string): Promise<{ started: boolean; stderr: string }> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--conditions=@ghl-bulksms/source", "--import", tsx, workerMain],
    {
      cwd,
      // the process environment wins over .env: a free port on loopback, no scheduler
      env: {
        PATH: process.env.PATH ?? "",
        HOME: cwd,
        HOST: "127.0.0.1",
        PORT: "0",
        SCHEDULE_INTERVAL_SECONDS: "0",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  let stderr = "";
  child.stdout?.on("data", (b: Buffer) => {
    out += b;
  });
  child.stderr?.on("data", (b: Buffer) => {
    stderr += b;
  });
  const exited = new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
  const until = Date.now() + 25_000;
  while (!out.includes("worker listening") && child.exitCode === null && Date.now() < until)
    await new Promise((r) => setTimeout(r, 50));
  const started = out.includes("worker listening");
  if (child.exitCode === null) child.kill("SIGTERM");
  await exited;
  return { started, stderr };
}

function workerConfigIssues(envPath: string): string[] {
  const { env } = loadEnvFile({ path: envPath, env: {} });
  try {
    loadWorkerConfig(env);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map((i) => i.message);
    throw e;
  }
}

describe("one configuration truth", () => {
  it("init --yes output is accepted by the worker, config validate and doctor; a bad one is refused by all alike", async () => {
    const d = tempDir();
    const init = await runCli(["init", "--yes"], { cwd: d });
    expect(init.stderr).toBe("");
    expect(init.code).toBe(0);
    const envText = readFileSync(join(d, ".env"), "utf8");
    // sandbox mode points at the simulators, never at the real vendors
    expect(envText).toContain("GHL_API_BASE_URL=http://127.0.0.1:4010");
    expect(envText).toContain("BULKSMS_API_BASE_URL=http://127.0.0.1:4020/v1");

    expect(workerConfigIssues(join(d, ".env"))).toEqual([]);
    expect((await runCli(["config", "validate"], { cwd: d })).code).toBe(0);
    const doctor = JSON.parse((await runCli(["doctor", "--json"], { cwd: d })).stdout) as {
      checks: Array<{ name: string; status: string; detail: string }>;
    };
    expect(doctor.checks.find((c) => c.name === "configuration")?.status).toBe("ok");
    expect(doctor.checks.find((c) => c.name === "store")?.status).toBe("ok"); // init created it
    expect(await worker(d)).toMatchObject({ started: true });

    // What the old `init --yes` wrote: sandbox mode on the real GHL and BulkSMS addresses.
    writeFileSync(
      join(d, ".env"),
      envText
        .replace(/^GHL_API_BASE_URL=.*$/m, "GHL_API_BASE_URL=")
        .replace(/^BULKSMS_API_BASE_URL=.*$/m, "BULKSMS_API_BASE_URL="),
    );
    const expected = "GHL_API_BASE_URL=https://services.leadconnectorhq.com is not a loopback URL";
    const issues = workerConfigIssues(join(d, ".env"));
    expect(issues.join("\n")).toContain(expected);
    const validate = await runCli(["config", "validate"], { cwd: d });
    expect(validate.code).toBe(1);
    expect(validate.stderr).toContain(expected);
    const badDoctor = await runCli(["doctor", "--json"], { cwd: d });
    expect(badDoctor.code).toBe(1);
    const config = (
      JSON.parse(badDoctor.stdout) as { checks: Array<{ name: string; status: string; detail: string }> }
    ).checks.find((c) => c.name === "configuration");
    expect(config?.status).toBe("problem");
    expect(config?.detail).toContain(expected);
    // any other command refuses too: the CLI never calls the real GHL in sandbox mode
    const reconcile = await runCli(["reconcile"], { cwd: d });
    expect(reconcile.code).toBe(1);
    expect(reconcile.stderr).toContain(expected);
    const refused = await worker(d);
    expect(refused.started).toBe(false);
    expect(refused.stderr).toContain(expected);
  }, 90_000);
});

describe("doctor's fixes", () => {
  it("every problem doctor finds comes with a command that fixes it", async () => {
    const d = tempDir();
    const cred = sandbox.bulksms.credentials[0];
    const loc = sandbox.ghl.locations[0];
    if (!cred || !loc) throw new Error("the sandbox has no credentials");
    const globals = ["--env-file", join(d, "ops.env"), "--config", join(d, "ops.json")];
    // (init through the variables: Node 20 itself refuses `--env-file` naming a file not written yet)
    const init = await runCli(
      [
        "init",
        "--yes",
        "--ghl-api-base-url",
        sandbox.ghl.url,
        "--bulksms-api-base-url",
        sandbox.bulksms.url,
        "--bulksms-token-id",
        cred.tokenId,
        "--bulksms-token-secret",
        cred.tokenSecret,
        "--data-dir",
        join(d, "data"),
      ],
      { cwd: d, env: { GHL_BULKSMS_ENV_FILE: join(d, "ops.env"), GHL_BULKSMS_CONFIG: join(d, "ops.json") } },
    );
    expect(init.code).toBe(0);
    unlinkSync(join(d, "data", "ghl-bulksms.db")); // a lost store
    const filled = (command: string) =>
      command.replace("<location-id>", loc.id).replace("<pit>", loc.token).replace("<public-url>", hookUrl);
    type Check = { name: string; status: string; command?: string; fix?: string };
    const doctor = async () => {
      const r = await runCli([...globals, "doctor", "--json"], { cwd: d });
      return JSON.parse(r.stdout) as { ok: boolean; checks: Check[] };
    };
    const fixed: string[] = [];
    const deadLetter = async () => {
      const store = openSqliteStore({
        path: join(d, "data", "ghl-bulksms.db"),
        encryptionKey: loadWorkerConfig(loadEnvFile({ path: join(d, "ops.env"), env: {} }).env)
          .encryptionKey as Buffer,
      });
      const e = await store.jobs.enqueue({ name: "ghl.note.create", payload: {}, key: "doctor-dead-1" });
      if (e.enqueued) await store.jobs.deadLetter(e.id, "HTTP 422: for the doctor test");
      await store.close();
    };
    for (let round = 0; round < 10; round++) {
      const report = await doctor();
      const problems = report.checks.filter((c) => c.status === "problem");
      if (problems.length === 0) break;
      const p = problems[0] as Check;
      // a fix that is a command, using the same --env-file and --config
      expect(p.command, `${p.name}: ${p.fix}`).toMatch(/^ghl-bulksms --env-file \S+ --config \S+ /);
      const argv = filled(p.command as string)
        .split(" ")
        .slice(1);
      const run = await runCli(argv, { cwd: d });
      expect(run.code, `${p.command}: ${run.stderr}`).toBe(0);
      const after = await doctor();
      expect(
        after.checks.filter((c) => c.status === "problem").map((c) => c.name),
        `after ${p.command}`,
      ).not.toContain(p.name);
      fixed.push(p.name);
      if (p.name === "store") await deadLetter(); // and a dead job, once the store is back
    }
    expect(fixed).toEqual(
      expect.arrayContaining(["store", "GHL locations", "dead letters", "BulkSMS SENT webhook"]),
    );
    const clean = await doctor();
    expect(clean.checks.filter((c) => c.status === "problem")).toEqual([]);
    expect(clean.ok).toBe(true);
  }, 120_000);
});
