// The production path from a clean clone, as the README's "Production" section documents it:
//   1. `pnpm cli:build` gives a working `ghl-bulksms` (linked onto PATH), real commands included;
//   2. `pnpm worker:deploy <dir>` / `pnpm cli:deploy <dir>` give self-contained bundles (no tsx, no sources)
//      that run with `node <dir>/dist/main.js` and `node -- <dir>/dist/bin.js` from any folder: the worker
//      starts against the sandbox, answers /readyz, shows its version in its log and /metrics; the CLI shows
//      --version and --help and backs up the running worker's store (and refuses to restore over it).
// Between the two, on the same clean copy (one install, one build for both): an operator's first day,
// walked in real terminals (./first-day.ts), with a table of the steps and their seconds at the end.
import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { type Sandbox, startSandbox } from "@ghl-bulksms/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CLI_BUILD_SCRIPT,
  cleanInstalledCopy,
  commandEnv,
  deployBundle,
  ENTRY,
  READINESS_PATH,
  type RunningWorker,
  removeCopy,
  run,
  runCliBundle,
  startWorkerBundle,
} from "../src/index.js";
import { timingTable, walkFirstDay } from "./first-day.js";

let repo: string; // the clean copy; everything this test makes lives in it
let sandbox: Sandbox | null = null;
let worker: RunningWorker | null = null;

const versionOf = (packageJson: string) =>
  (JSON.parse(readFileSync(packageJson, "utf8")) as { version: string }).version;

beforeAll(() => {
  repo = cleanInstalledCopy();
}, 900_000);

afterAll(async () => {
  await worker?.stop();
  await sandbox?.close();
  if (repo) removeCopy(repo);
});

describe("from a clean clone: `pnpm cli:build`", () => {
  it("the package's own build alone says what to run instead of leaving a half-built CLI", () => {
    const alone = spawnSync("pnpm", ["--filter", "@ghl-bulksms/cli", "build"], {
      cwd: repo,
      env: commandEnv(),
      encoding: "utf8",
    });
    expect(alone.status).not.toBe(0);
    expect(`${alone.stdout}${alone.stderr}`).toContain("run `pnpm cli:build` at the repository root");
    expect(existsSync(join(repo, "apps", "cli", "dist"))).toBe(false);
  }, 600_000);
});

// Runs on the copy before anything else builds in it, so the table shows the times a new operator sees.
describe("an operator's first day, typed in terminals as the README says", () => {
  it("install, init, doctor and its fix, worker bundle, webhooks, send, delivered, explain, backup, restore", async () => {
    const timings = await walkFirstDay(repo);
    // the figures for the README and the release notes (vitest shows console output of a passing test)
    console.log(`an operator's first day:\n${timingTable(timings)}`);
    expect(timings.map((t) => t.typed)).toContain("ghl-bulksms init");
  }, 1_200_000);
});

describe("from a clean clone: the CLI build", () => {
  it("builds the CLI with its workspace dependencies; linked onto PATH, every command works", async () => {
    run("pnpm", [CLI_BUILD_SCRIPT], repo);
    const bin = join(repo, "bin");
    mkdirSync(bin);
    // the README's way onto PATH: a symlink to the built bin (its shebang runs node)
    symlinkSync(join(repo, "apps", "cli", ENTRY.cli), join(bin, "ghl-bulksms"));
    const work = join(repo, "operator");
    mkdirSync(work);
    const ghlBulksms = (args: string[], env: Record<string, string> = {}) =>
      spawnSync("ghl-bulksms", args, {
        cwd: work,
        env: { ...commandEnv(), PATH: `${bin}:${process.env.PATH ?? ""}`, NO_COLOR: "1", ...env },
        encoding: "utf8",
      });
    const version = ghlBulksms(["--version"]);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(versionOf(join(repo, "apps", "cli", "package.json")));
    // a real command: loads @ghl-bulksms/config from its dist (the old half-built CLI failed right here)
    // sandbox mode talks only to loopback addresses (the simulators)
    const validate = ghlBulksms(["config", "validate"], {
      GHL_BULKSMS_MODE: "sandbox",
      GHL_API_BASE_URL: "http://127.0.0.1:4010",
      BULKSMS_API_BASE_URL: "http://127.0.0.1:4020/v1",
      DATA_DIR: "data",
    });
    expect(validate.stderr).toBe("");
    expect(validate.stdout).toContain("configuration is valid (mode sandbox");
    expect(validate.status).toBe(0);
    const missing = ghlBulksms(["--env-file", "prod.env", "config", "validate"]);
    expect(missing.stderr).toContain(`env file ${join(work, "prod.env")} does not exist`);
    expect(missing.status).toBe(2);
  }, 900_000);

  it("the CLI is a publishable package: not private, bin, files, published dependencies only", () => {
    const pkg = JSON.parse(readFileSync(join(repo, "apps", "cli", "package.json"), "utf8")) as {
      private?: boolean;
      bin: Record<string, string>;
      files: string[];
      dependencies: Record<string, string>;
    };
    expect(pkg.private).toBeUndefined();
    expect(pkg.bin).toEqual({ "ghl-bulksms": "./dist/bin.js" });
    expect(pkg.files).toContain("dist");
    for (const name of Object.keys(pkg.dependencies).filter((n) => n.startsWith("@ghl-bulksms/"))) {
      const dir = join(repo, "packages", name.slice("@ghl-bulksms/".length), "package.json");
      const dep = JSON.parse(readFileSync(dir, "utf8")) as { private?: boolean };
      expect(dep.private, `${name} must be publishable`).toBeUndefined();
    }
    // publint --strict runs in the CLI's build (the test above), so the package passed it
    expect(readFileSync(join(repo, "apps", "cli", "package.json"), "utf8")).toContain("publint --strict");
  });
});

describe("the deploy bundles", () => {
  it("the worker bundle runs without tsx: --version, --help, start-up against the sandbox, /readyz, build info", async () => {
    const bundle = deployBundle(repo, "worker", join(repo, "out", "worker"));
    expect(existsSync(join(bundle, ENTRY.worker))).toBe(true);
    expect(existsSync(join(bundle, "src"))).toBe(false); // only what `files` lists
    expect(readdirSync(join(bundle, "node_modules", ".pnpm")).filter((d) => d.startsWith("tsx@"))).toEqual(
      [],
    );
    const version = versionOf(join(bundle, "package.json"));

    const away = join(repo, "run-worker"); // not the repository: the bundle stands alone
    mkdirSync(away);
    const v = await runNode(join(bundle, ENTRY.worker), ["--version"], away);
    expect(v).toEqual({ code: 0, stdout: `${version}\n` });
    const h = await runNode(join(bundle, ENTRY.worker), ["--help"], away);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain("--env-file <path>");

    sandbox = await startSandbox({ seedContacts: 3, ghl: { port: 0 }, bulksms: { port: 0 } });
    const loc = sandbox.ghl.locations[0];
    const cred = sandbox.bulksms.credentials[0];
    if (!loc || !cred) throw new Error("sandbox set-up");
    writeFileSync(
      join(away, ".env"),
      [
        "GHL_BULKSMS_MODE=sandbox",
        "HOST=127.0.0.1",
        "PORT=0",
        "DATA_DIR=./data",
        "LOG_LEVEL=info",
        `GHL_API_BASE_URL=${sandbox.ghl.url}`,
        `BULKSMS_API_BASE_URL=${sandbox.bulksms.url}`,
        `BULKSMS_TOKEN_ID=${cred.tokenId}`,
        `BULKSMS_TOKEN_SECRET=${cred.tokenSecret}`,
        `GHL_LOCATION_1_ID=${loc.id}`,
        `GHL_LOCATION_1_TOKEN=${loc.token}`,
        "GHL_LOCATION_1_REGION=GB",
        "GHL_LOCATION_1_TIMEZONE=Europe/London",
      ].join("\n"),
    );
    worker = await startWorkerBundle(bundle, { env: {}, cwd: away });
    const ready = await fetch(`${worker.url}${READINESS_PATH}`);
    expect(ready.status).toBe(200);
    expect(worker.logs().find((l) => l.msg === "configuration loaded")).toMatchObject({
      version,
      node: process.version,
    });
    const metrics = await (await fetch(`${worker.url}/metrics`)).text();
    expect(metrics).toContain(`ghlbulksms_build_info{version="${version}",node="${process.version}"} 1`);
  }, 900_000);

  it("the CLI bundle runs without tsx: --version, --help, backup of the running worker's store", async () => {
    const bundle = deployBundle(repo, "cli", join(repo, "out", "cli"));
    expect(existsSync(join(bundle, "src"))).toBe(false);
    expect(readdirSync(join(bundle, "node_modules", ".pnpm")).filter((d) => d.startsWith("tsx@"))).toEqual(
      [],
    );
    const away = join(repo, "run-worker"); // the worker's folder: same ./.env, same ./data
    // the bin is executable, and its shebang runs it (what a link onto PATH relies on)
    expect(statSync(join(bundle, ENTRY.cli)).mode & 0o111).not.toBe(0);
    const direct = spawnSync(join(bundle, ENTRY.cli), ["--version"], { cwd: away, encoding: "utf8" });
    expect(direct.status).toBe(0);
    const version = await runCliBundle(bundle, ["--version"], { cwd: away });
    expect(version).toEqual({ code: 0, stdout: `${versionOf(join(bundle, "package.json"))}\n`, stderr: "" });
    const help = await runCliBundle(bundle, ["--help"], { cwd: away });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("backup");
    expect(help.stdout).toContain("restore");

    expect(worker).not.toBeNull();
    const backup = await runCliBundle(bundle, ["backup", "backup.db"], { cwd: away });
    expect(backup.stderr).toBe("");
    expect(backup.code).toBe(0);
    expect(backup.stdout).toContain(`written to ${join(away, "backup.db")}`);
    const refused = await runCliBundle(bundle, ["restore", "backup.db"], { cwd: away });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("is open in another process");

    expect(await worker?.stop()).toBe(0);
    worker = null;
    const restored = await runCliBundle(bundle, ["restore", "backup.db"], { cwd: away });
    expect(restored.stderr).toBe("");
    expect(restored.code).toBe(0);
  }, 900_000);
});

function runNode(
  entry: string,
  args: string[],
  cwd: string,
): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? "" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout }));
  });
}
