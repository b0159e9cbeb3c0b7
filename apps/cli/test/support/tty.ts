// A real pseudo-terminal for tests: a detached tmux session running one command, driven with send-keys and
// read with capture-pane, as an operator's terminal would be. tmux is required (CI installs it, see
// .ci/run): without it `startTerminal` fails with a message saying so, it never skips.
//
//   const term = await startTerminal({ command: [process.execPath, BIN, "init"], cwd, env });
//   await term.waitFor(/Mode/);
//   term.press("Enter");
//   term.type("abc123"); term.press("Enter");
//   const screen = term.screen();
//   await term.waitForExit();   // the command's exit code
//   term.close();
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TerminalOptions {
  /** argv of the command to run (no shell: each element is quoted for tmux's shell) */
  readonly command: readonly string[];
  readonly cwd: string;
  /** the command's whole environment (nothing else is inherited but PATH, HOME and TERM) */
  readonly env?: Readonly<Record<string, string>>;
  readonly columns?: number;
  readonly rows?: number;
}

export interface Terminal {
  /** the session name, for tmux commands of your own */
  readonly session: string;
  /** types text literally (no key names) */
  type(text: string): void;
  /** presses keys by tmux name: "Enter", "Escape", "C-c", "Down", "Tab" */
  press(...keys: string[]): void;
  /** the visible screen, lines joined with "\n" (trailing blanks trimmed) */
  screen(): string;
  /** everything the terminal showed, scrollback included */
  transcript(): string;
  /** the raw bytes the command wrote, escape sequences and carriage returns included (progress bars) */
  raw(): string;
  /** waits until the screen matches; fails with the screen when it does not within timeoutMs */
  waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  /** waits for the command to end and returns its exit code */
  waitForExit(timeoutMs?: number): Promise<number>;
  close(): void;
}

let checked = false;

/** Throws a clear error when tmux is missing (the test then fails, it does not skip). */
export function requireTmux(): void {
  if (checked) return;
  const r = spawnSync("tmux", ["-V"], { encoding: "utf8" });
  if (r.error || r.status !== 0)
    throw new Error(
      "tmux is required for the terminal tests (they run the CLI in a real pseudo-terminal) but was not found: install it (apt-get install -y tmux); .ci/run does this in CI",
    );
  checked = true;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

let counter = 0;

export async function startTerminal(options: TerminalOptions): Promise<Terminal> {
  requireTmux();
  const dir = mkdtempSync(join(tmpdir(), "cli-tty-"));
  const session = `ghlb-${process.pid}-${++counter}`;
  // Its own tmux server (socket in the temp folder): tests never touch the user's tmux sessions.
  const socket = join(dir, "tmux.sock");
  const exitFile = join(dir, "exit-code");
  const goFile = join(dir, "go");
  const rawFile = join(dir, "raw.log");
  const tmux = (...args: string[]) =>
    execFileSync("tmux", ["-S", socket, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? dir,
    TERM: "xterm-256color",
    ...(options.env ?? {}),
  };
  const exports = Object.entries(env)
    .map(([k, v]) => `${k}=${shellQuote(v)}`)
    .join(" ");
  // The command's exit code lands in a file; the pane stays open so its last screen can still be read.
  // It waits for `go` so that recording (pipe-pane) is on before the first byte.
  const script = `while [ ! -f ${shellQuote(goFile)} ]; do sleep 0.05; done; cd ${shellQuote(options.cwd)} && env -i ${exports} ${options.command.map(shellQuote).join(" ")}; echo $? > ${shellQuote(exitFile)}; sleep 3600`;
  tmux(
    "-f",
    "/dev/null",
    "new-session",
    "-d",
    "-s",
    session,
    "-x",
    String(options.columns ?? 120),
    "-y",
    String(options.rows ?? 40),
    `sh -c ${shellQuote(script)}`,
  );
  tmux("pipe-pane", "-o", "-t", session, `cat >> ${shellQuote(rawFile)}`);
  writeFileSync(goFile, "");
  const capture = (...extra: string[]) =>
    tmux("capture-pane", "-p", ...extra, "-t", session)
      .split("\n")
      .map((l) => l.trimEnd())
      .join("\n")
      .trimEnd();
  const screen = () => capture();
  return {
    session,
    type: (text) => {
      tmux("send-keys", "-t", session, "-l", text);
    },
    press: (...keys) => {
      tmux("send-keys", "-t", session, ...keys);
    },
    screen,
    transcript: () => capture("-S", "-"),
    raw: () => (existsSync(rawFile) ? readFileSync(rawFile, "utf8") : ""),
    async waitFor(pattern, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const s = screen();
        if (typeof pattern === "string" ? s.includes(pattern) : pattern.test(s)) return s;
        if (Date.now() > until)
          throw new Error(
            `the terminal did not show ${String(pattern)} within ${timeoutMs} ms; screen:\n${s}`,
          );
        await sleep(100);
      }
    },
    async waitForExit(timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      while (!existsSync(exitFile) || readFileSync(exitFile, "utf8").trim() === "") {
        if (Date.now() > until)
          throw new Error(`the command did not end within ${timeoutMs} ms; screen:\n${screen()}`);
        await sleep(100);
      }
      return Number(readFileSync(exitFile, "utf8").trim());
    },
    close() {
      try {
        tmux("kill-server");
      } catch {
        // already gone
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
