import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EnvFileError, loadConfig, loadEnvFile } from "../src/index.js";

const dirs: string[] = [];
function dir(): string {
  const d = mkdtempSync(join(tmpdir(), "ghl-bulksms-env-"));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("loadEnvFile", () => {
  it("reads ./.env under the process environment, and nothing when there is none", () => {
    const cwd = dir();
    expect(loadEnvFile({ cwd, env: { PORT: "4000" } })).toEqual({ env: { PORT: "4000" }, path: null });
    writeFileSync(
      join(cwd, ".env"),
      'PORT=5000\nWELCOME_TEMPLATE="Hi {{firstName}}, welcome!"\n# comment\nDATA_DIR=./d\n',
    );
    const r = loadEnvFile({ cwd, env: { PORT: "4000" } });
    expect(r.path).toBe(join(cwd, ".env"));
    expect(r.env).toEqual({ PORT: "4000", WELCOME_TEMPLATE: "Hi {{firstName}}, welcome!", DATA_DIR: "./d" });
    expect(loadConfig(r.env).messaging.welcomeTemplate).toBe("Hi {{firstName}}, welcome!");
  });

  it("takes --env-file over GHL_BULKSMS_ENV_FILE; an explicit missing file is an error naming it", () => {
    const cwd = dir();
    writeFileSync(join(cwd, "a.env"), "PORT=1\n");
    writeFileSync(join(cwd, "b.env"), "PORT=2\n");
    expect(loadEnvFile({ cwd, env: { GHL_BULKSMS_ENV_FILE: "b.env" } }).env.PORT).toBe("2");
    expect(loadEnvFile({ cwd, env: { GHL_BULKSMS_ENV_FILE: "b.env" }, path: "a.env" }).env.PORT).toBe("1");
    expect(() => loadEnvFile({ cwd, env: { GHL_BULKSMS_ENV_FILE: "nope.env" } })).toThrow(EnvFileError);
    expect(() => loadEnvFile({ cwd, env: {}, path: "missing.env" })).toThrow(/missing\.env does not exist/);
  });
});
