// The sandbox walkthrough of apps/cli/README.md, run line by line as written (the block between the
// `sandbox-walkthrough` markers). One change, for parallel test runs: the simulators get free ports
// (`--ghl-port 0 --bulksms-port 0`) instead of :4010/:4020, which the printed .env then names.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, CLI_DIR, ensureBuilt, runCli } from "./helpers.js";

/** The walkthrough's command lines, comments removed. */
export function walkthroughLines(readme: string): string[] {
  const m =
    /<!-- sandbox-walkthrough:start -->\s*```sh\n([\s\S]*?)```\s*<!-- sandbox-walkthrough:end -->/.exec(
      readme,
    );
  if (!m?.[1]) throw new Error("apps/cli/README.md has no sandbox walkthrough block");
  return m[1]
    .split("\n")
    .map((l) => l.replace(/\s+#.*$/, "").trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

/** Shell-like words: spaces split, double or single quotes group. */
export function words(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] ?? m[2] ?? m[3] ?? "");
  return out;
}

let dir: string;
let sandbox: ChildProcess | null = null;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "cli-walkthrough-"));
});

afterAll(() => {
  if (sandbox && sandbox.exitCode === null) sandbox.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

async function startSandbox(args: string[], outFile: string): Promise<void> {
  const child = spawn(process.execPath, [BIN, ...args, "--ghl-port", "0", "--bulksms-port", "0"], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  sandbox = child;
  let out = "";
  let err = "";
  child.stderr?.on("data", (b: Buffer) => {
    err += b;
  });
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`the sandbox did not start: ${err}`)), 30_000);
    child.stdout?.on("data", (b: Buffer) => {
      out += b;
      writeFileSync(join(dir, outFile), out);
      if (/^GHL_DEFAULT_LOCATION=\S+$/m.test(out) && err.includes("sandbox running")) {
        clearTimeout(t);
        resolve();
      }
    });
    child.stderr?.on("data", () => {
      if (/^GHL_DEFAULT_LOCATION=\S+$/m.test(out) && err.includes("sandbox running")) {
        clearTimeout(t);
        resolve();
      }
    });
  });
}

describe("README sandbox walkthrough", () => {
  it("runs every line as written, each exiting 0", async () => {
    const lines = walkthroughLines(readFileSync(join(CLI_DIR, "README.md"), "utf8"));
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) {
      if (line === "kill %1") {
        expect(sandbox).not.toBeNull();
        const s = sandbox as ChildProcess;
        const closed = new Promise<number | null>((r) => s.on("close", (c) => r(c)));
        s.kill("SIGINT");
        expect(await closed, line).toBe(0);
        continue;
      }
      const bg = /^ghl-bulksms (.*) > (\S+) &$/.exec(line);
      if (bg) {
        await startSandbox(words(bg[1] as string), bg[2] as string);
        continue;
      }
      const argv = words(line);
      expect(argv[0], line).toBe("ghl-bulksms");
      const r = await runCli(argv.slice(1), { cwd: dir, timeoutMs: 60_000 });
      expect(r.code, `${line}\n${r.stderr}`).toBe(0);
      if (line.includes("reconcile --full")) expect(r.stdout).toMatch(/LOCATION\s+RUN\s+STATUS/);
      if (line.includes("optouts list")) expect(r.stdout).toContain("+447911123457");
    }
  }, 180_000);
});
