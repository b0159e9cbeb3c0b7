import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EnvFileError, parseWorkerArgs, WorkerArgsError, workerEnv } from "./env-file.js";

const dirs: string[] = [];
function dir(): string {
  const d = mkdtempSync(join(tmpdir(), "worker-env-"));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function thrown<E extends Error>(type: new (...args: never[]) => E, fn: () => unknown): E {
  try {
    fn();
  } catch (e) {
    if (e instanceof type) return e;
    throw e;
  }
  throw new Error(`expected a ${type.name}`);
}

describe("parseWorkerArgs", () => {
  it("reads --env-file and --config in both spellings", () => {
    const none = { help: false, version: false };
    expect(parseWorkerArgs([])).toEqual({ envFile: null, config: null, ...none });
    expect(parseWorkerArgs(["--env-file", "a.env", "--config=p.json"])).toEqual({
      envFile: "a.env",
      config: "p.json",
      ...none,
    });
    expect(parseWorkerArgs(["--", "--env-file=b.env"])).toEqual({ envFile: "b.env", config: null, ...none });
  });
  it("reads --help / -h and --version / -V", () => {
    expect(parseWorkerArgs(["--help"])).toMatchObject({ help: true, version: false });
    expect(parseWorkerArgs(["-h"])).toMatchObject({ help: true });
    expect(parseWorkerArgs(["--version"])).toMatchObject({ help: false, version: true });
    expect(parseWorkerArgs(["-V", "--env-file", "x.env"])).toMatchObject({ version: true, envFile: "x.env" });
  });
  it("names unknown options and missing values", () => {
    expect(thrown(WorkerArgsError, () => parseWorkerArgs(["--port", "3"])).message).toContain(
      'unknown option "--port"',
    );
    expect(thrown(WorkerArgsError, () => parseWorkerArgs(["--env-file"])).message).toBe(
      "--env-file needs a path",
    );
    expect(thrown(WorkerArgsError, () => parseWorkerArgs(["--config", "--env-file", "x"])).message).toBe(
      "--config needs a path",
    );
  });
});

describe("workerEnv", () => {
  it("reads ./.env under the process environment", () => {
    const d = dir();
    writeFileSync(
      join(d, ".env"),
      '# comment\nGHL_BULKSMS_MODE=live\nPORT=4000\nHELP_TEXT="Call us: 0800"\n',
    );
    const r = workerEnv({ env: { PORT: "5000", WELCOME_TEMPLATE: "" }, cwd: d });
    expect(r.path).toBe(join(d, ".env"));
    expect(r.env).toEqual({
      PORT: "5000",
      WELCOME_TEMPLATE: "",
      GHL_BULKSMS_MODE: "live",
      HELP_TEXT: "Call us: 0800",
    });
  });

  it("without ./.env: none, or the one in INIT_CWD (where pnpm was run)", () => {
    const d = dir();
    const root = dir();
    expect(workerEnv({ env: {}, cwd: d })).toEqual({ env: {}, path: null });
    expect(workerEnv({ env: { INIT_CWD: root }, cwd: d }).path).toBeNull();
    writeFileSync(join(root, ".env"), "DATA_DIR=/srv/data\n");
    const r = workerEnv({ env: { INIT_CWD: root }, cwd: d });
    expect(r.path).toBe(join(root, ".env"));
    expect(r.env.DATA_DIR).toBe("/srv/data");
    // ./.env first
    writeFileSync(join(d, ".env"), "DATA_DIR=./here\n");
    expect(workerEnv({ env: { INIT_CWD: root }, cwd: d }).env.DATA_DIR).toBe("./here");
  });

  it("--env-file and GHL_BULKSMS_ENV_FILE name a file that must exist (the option wins)", () => {
    const d = dir();
    mkdirSync(join(d, "conf"));
    writeFileSync(join(d, "conf", "prod.env"), "LOG_LEVEL=warn\n");
    writeFileSync(join(d, ".env"), "LOG_LEVEL=debug\n");
    const r = workerEnv({ env: { GHL_BULKSMS_ENV_FILE: "missing.env" }, cwd: d, path: "conf/prod.env" });
    expect(r.path).toBe(join(d, "conf", "prod.env"));
    expect(r.env.LOG_LEVEL).toBe("warn");
    const e = thrown(EnvFileError, () => workerEnv({ env: { GHL_BULKSMS_ENV_FILE: "missing.env" }, cwd: d }));
    expect(e.message).toBe(`env file ${join(d, "missing.env")} does not exist`);
    expect(() => workerEnv({ env: {}, cwd: d, path: "nope.env" })).toThrow(EnvFileError);
  });
});
