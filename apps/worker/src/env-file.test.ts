import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadEnvFile, parseWorkerArgs, WorkerArgsError } from "./env-file.js";

const dirs: string[] = [];
function dir(): string {
  const d = mkdtempSync(join(tmpdir(), "worker-env-"));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function argsError(fn: () => unknown): WorkerArgsError {
  try {
    fn();
  } catch (e) {
    if (e instanceof WorkerArgsError) return e;
    throw e;
  }
  throw new Error("expected a WorkerArgsError");
}

describe("parseWorkerArgs", () => {
  it("reads --env-file and --config in both spellings", () => {
    expect(parseWorkerArgs([])).toEqual({ envFile: null, config: null });
    expect(parseWorkerArgs(["--env-file", "a.env", "--config=p.json"])).toEqual({
      envFile: "a.env",
      config: "p.json",
    });
    expect(parseWorkerArgs(["--", "--env-file=b.env"])).toEqual({ envFile: "b.env", config: null });
  });
  it("names unknown options and missing values", () => {
    expect(argsError(() => parseWorkerArgs(["--port", "3"])).message).toContain('unknown option "--port"');
    expect(argsError(() => parseWorkerArgs(["--env-file"])).message).toBe("--env-file needs a path");
    expect(argsError(() => parseWorkerArgs(["--config", "--env-file", "x"])).message).toBe("--config needs a path");
  });
});

describe("loadEnvFile", () => {
  it("fills in ./.env without overriding variables already set", () => {
    const d = dir();
    writeFileSync(
      join(d, ".env"),
      "# comment\nGHL_BULKSMS_MODE=live\nPORT=4000\nHELP_TEXT=\"Call us: 0800\"\nEMPTY=\n",
    );
    const env: Record<string, string | undefined> = { PORT: "5000" };
    const r = loadEnvFile({ env, cwd: d });
    expect(r.path).toBe(join(d, ".env"));
    expect([...r.set].sort()).toEqual(["EMPTY", "GHL_BULKSMS_MODE", "HELP_TEXT"]);
    expect(env).toEqual({ PORT: "5000", GHL_BULKSMS_MODE: "live", HELP_TEXT: "Call us: 0800", EMPTY: "" });
  });

  it("an empty variable already set still wins over the file", () => {
    const d = dir();
    writeFileSync(join(d, ".env"), "WELCOME_TEMPLATE=Hi\n");
    const env: Record<string, string | undefined> = { WELCOME_TEMPLATE: "" };
    expect(loadEnvFile({ env, cwd: d }).set).toEqual([]);
    expect(env.WELCOME_TEMPLATE).toBe("");
  });

  it("without ./.env: none, or the one in INIT_CWD (where pnpm was run)", () => {
    const d = dir();
    const root = dir();
    expect(loadEnvFile({ env: {}, cwd: d })).toEqual({ path: null, set: [] });
    writeFileSync(join(root, ".env"), "DATA_DIR=/srv/data\n");
    const env: Record<string, string | undefined> = { INIT_CWD: root };
    expect(loadEnvFile({ env, cwd: d }).path).toBe(join(root, ".env"));
    expect(env.DATA_DIR).toBe("/srv/data");
  });

  it("--env-file and GHL_BULKSMS_ENV_FILE name a file that must exist (the option wins)", () => {
    const d = dir();
    mkdirSync(join(d, "conf"));
    writeFileSync(join(d, "conf", "prod.env"), "LOG_LEVEL=warn\n");
    writeFileSync(join(d, ".env"), "LOG_LEVEL=debug\n");
    const env: Record<string, string | undefined> = { GHL_BULKSMS_ENV_FILE: "missing.env" };
    expect(loadEnvFile({ env, cwd: d, path: "conf/prod.env" }).path).toBe(join(d, "conf", "prod.env"));
    expect(env.LOG_LEVEL).toBe("warn");
    const e = argsError(() => loadEnvFile({ env: { GHL_BULKSMS_ENV_FILE: "missing.env" }, cwd: d }));
    expect(e.message).toBe(`env file ${join(d, "missing.env")} (named by GHL_BULKSMS_ENV_FILE) does not exist`);
    expect(argsError(() => loadEnvFile({ env: {}, cwd: d, path: "nope.env" })).message).toContain("--env-file");
  });
});
