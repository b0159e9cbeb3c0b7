// The worker's entry point as an operator runs it: reads ./.env (the environment wins), refuses to start
// with a message naming the problem, and shuts down cleanly on SIGTERM.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { LATEST_SCHEMA_VERSION } from "@ghl-bulksms/store";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";

const workerDir = join(import.meta.dirname, "..");
const mainPath = join(workerDir, "src", "main.ts");
const tsx = pathToFileURL(realpathSync(join(workerDir, "node_modules", "tsx", "dist", "loader.mjs"))).href;

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Only what the worker needs from the parent environment (no GHL_/BULKSMS_ variables leak in). */
function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? dir(), ...extra };
}

function dir(): string {
  const d = mkdtempSync(join(tmpdir(), "worker-main-"));
  dirs.push(d);
  return d;
}

function run(cwd: string, args: string[], env: NodeJS.ProcessEnv, nodeArgs: string[] = []) {
  const child = spawn(
    process.execPath,
    ["--conditions=@ghl-bulksms/source", "--import", tsx, ...nodeArgs, mainPath, ...args],
    {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (b: Buffer) => {
    stdout += b.toString();
  });
  child.stderr?.on("data", (b: Buffer) => {
    stderr += b.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    exited,
    out: () => stdout,
    err: () => stderr,
    async waitFor(text: string, ms = 20_000) {
      const until = Date.now() + ms;
      while (!stdout.includes(text)) {
        if (Date.now() > until || child.exitCode !== null)
          throw new Error(`no ${JSON.stringify(text)} in the output:\n${stdout}\n${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

function sandboxEnvLines(d: string): string[] {
  return [
    "GHL_BULKSMS_MODE=sandbox",
    "HOST=127.0.0.1",
    "PORT=0",
    `DATA_DIR=${join(d, "data")}`,
    "LOG_LEVEL=info",
    "GHL_API_BASE_URL=http://127.0.0.1:9",
    "BULKSMS_API_BASE_URL=http://127.0.0.1:9/v1",
    "SCHEDULE_INTERVAL_SECONDS=0",
  ];
}

describe("worker main: version, help, upgrades", () => {
  const version = (JSON.parse(readFileSync(join(workerDir, "package.json"), "utf8")) as { version: string })
    .version;

  it("--version prints the package version, --help the usage; both exit 0 without configuration", async () => {
    const v = run(dir(), ["--version"], baseEnv({}));
    expect(await v.exited).toBe(0);
    expect(v.out()).toBe(`${version}\n`);
    const h = run(dir(), ["--help"], baseEnv({}));
    expect(await h.exited).toBe(0);
    expect(h.out()).toContain("Usage: node dist/main.js [--env-file <path>] [--config <path>]");
    expect(h.out()).toContain("GET /readyz");
  }, 30_000);

  it("logs its version and Node's at start-up and serves them as ghlbulksms_build_info on /metrics", async () => {
    const d = dir();
    writeFileSync(join(d, ".env"), sandboxEnvLines(d).join("\n"));
    const p = run(d, [], baseEnv({}));
    await p.waitFor("worker listening");
    const loaded = p
      .out()
      .split("\n")
      .map((l) => (l.startsWith("{") ? (JSON.parse(l) as Record<string, unknown>) : null))
      .find((l) => l?.msg === "configuration loaded");
    expect(loaded).toMatchObject({ version, node: process.version });
    const url = /"url":"([^"]+)"/.exec(p.out())?.[1];
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain(`ghlbulksms_build_info{version="${version}",node="${process.version}"} 1`);
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
  }, 30_000);

  it("refuses a store migrated by a newer release, saying what to do, and leaves it untouched", async () => {
    const d = dir();
    writeFileSync(join(d, ".env"), sandboxEnvLines(d).join("\n"));
    const first = run(d, [], baseEnv({}));
    await first.waitFor("worker listening");
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    const db = new Database(join(d, "data", "ghl-bulksms.db"));
    db.prepare(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from the future', 0)",
    ).run(LATEST_SCHEMA_VERSION + 1);
    db.close();
    const p = run(d, [], baseEnv({}));
    expect(await p.exited).toBe(1);
    expect(p.err()).toContain("refusing to start");
    expect(p.err()).toContain(
      `has schema version ${LATEST_SCHEMA_VERSION + 1}, but this release of @ghl-bulksms/store only knows up to version ${LATEST_SCHEMA_VERSION}`,
    );
    expect(p.err()).toContain("Run the newer release");
    expect(p.err()).toContain("ghl-bulksms restore <file>");
    const after = new Database(join(d, "data", "ghl-bulksms.db"), { readonly: true });
    expect(after.prepare("SELECT MAX(version) AS v FROM schema_migrations").get()).toEqual({
      v: LATEST_SCHEMA_VERSION + 1,
    });
    after.close();
  }, 30_000);
});

describe("worker main", () => {
  it("refuses sandbox mode against the real vendor URLs, naming both variables", async () => {
    const p = run(dir(), [], baseEnv({}));
    expect(await p.exited).toBe(1);
    expect(p.err()).toContain("refusing to start");
    expect(p.err()).toContain("GHL_API_BASE_URL=https://services.leadconnectorhq.com is not a loopback URL");
    expect(p.err()).toContain("BULKSMS_API_BASE_URL=https://api.bulksms.com/v1 is not a loopback URL");
  }, 30_000);

  it("reads ./.env under the environment: a bad value in the file is named, the environment's value wins", async () => {
    const d = dir();
    writeFileSync(join(d, ".env"), "GHL_BULKSMS_MODE=live\nPORT=not-a-port\nLOG_LEVEL=loud\n");
    const p = run(d, [], baseEnv({ LOG_LEVEL: "silent" }));
    expect(await p.exited).toBe(1);
    const err = p.err();
    expect(err).toContain("PORT is invalid");
    expect(err).not.toContain("LOG_LEVEL"); // the environment's "silent" won over the file's "loud"
    expect(err).toContain("BULKSMS_TOKEN_ID is required in live mode"); // mode came from the file
  }, 30_000);

  it("refuses to start with a welcome template or a HELP text that cannot be sent, naming both", async () => {
    const d = dir();
    writeFileSync(
      join(d, ".env"),
      [
        "GHL_API_BASE_URL=http://127.0.0.1:9",
        "BULKSMS_API_BASE_URL=http://127.0.0.1:9/v1",
        "WELCOME_TEMPLATE='Hi {{frstName}}, welcome!'",
        "HELP_TEXT='Hi {{firstName}}, call us'",
      ].join("\n"),
    );
    const p = run(d, [], baseEnv({}));
    expect(await p.exited).toBe(1);
    expect(p.err()).toContain("refusing to start");
    expect(p.err()).toContain('WELCOME_TEMPLATE is not a valid template: unknown field "frstName"');
    expect(p.err()).toContain('HELP_TEXT has a placeholder "{{firstName}}"');
  }, 30_000);

  it("names a missing GHL_BULKSMS_ENV_FILE and an unknown option", async () => {
    // (a missing `--env-file` is refused by Node 20 itself, which also reads --env-file after the script)
    const d = dir();
    const missing = run(d, [], baseEnv({ GHL_BULKSMS_ENV_FILE: "prod.env" }));
    expect(await missing.exited).toBe(1);
    expect(missing.err()).toContain(`env file ${join(realpathSync(d), "prod.env")} does not exist`);
    // after `--` Node leaves --env-file to the worker (as its --help says)
    const afterDashes = run(d, ["--env-file", "missing.env"], baseEnv({}), ["--"]);
    expect(await afterDashes.exited).toBe(1);
    expect(afterDashes.err()).toContain(`env file ${join(realpathSync(d), "missing.env")} does not exist`);
    const unknown = run(d, ["--verbose"], baseEnv({}));
    expect(await unknown.exited).toBe(1);
    expect(unknown.err()).toContain('unknown option "--verbose"');
  }, 30_000);

  it("starts from a .env named by GHL_BULKSMS_ENV_FILE and stops cleanly on SIGTERM", async () => {
    const d = dir();
    writeFileSync(
      join(d, "worker.env"),
      [
        "GHL_BULKSMS_MODE=sandbox",
        "HOST=127.0.0.1",
        "PORT=0",
        `DATA_DIR=${join(d, "data")}`,
        "LOG_LEVEL=info",
        "GHL_API_BASE_URL=http://127.0.0.1:9",
        "BULKSMS_API_BASE_URL=http://127.0.0.1:9/v1",
        "SCHEDULE_INTERVAL_SECONDS=0",
      ].join("\n"),
    );
    const p = run(d, [], baseEnv({ GHL_BULKSMS_ENV_FILE: "worker.env" }));
    await p.waitFor("worker listening");
    expect(p.out()).toContain(`"envFile":"${join(realpathSync(d), "worker.env")}"`);
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
    expect(p.out()).toContain("worker stopped");

    // the same file through --env-file=<path>
    const q = run(d, ["--env-file=worker.env"], baseEnv({}));
    await q.waitFor("worker listening");
    q.child.kill("SIGTERM");
    expect(await q.exited).toBe(0);
  }, 30_000);
});
