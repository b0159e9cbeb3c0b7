// An operator's first day, walked in real pseudo-terminals (tmux) in a clean copy of the repository, with
// the commands of the README's "Your first day" block typed into a shell exactly as written there (only the
// placeholders are filled in, see `fill`): install the CLI, make the worker's deploy bundle, `init` answered
// prompt by prompt, `doctor` and the fix it prints, the worker from its bundle in a second terminal,
// `webhooks register`, `send`, `messages`, `explain`, `backup`, then a restore (worker stopped, restored,
// started again, the data still there). Each step is timed; `walkFirstDay` returns the table.
//
// The vendors are the sandbox (@ghl-bulksms/sandbox, in this process, on free ports): what BulkSMS made of
// the text (delivered) is read back from it, not from our own store.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { type Sandbox, startSandbox } from "@ghl-bulksms/sandbox";
import { expect } from "vitest";
import { startTerminal, type Terminal } from "../../../apps/cli/test/support/tty.ts";
import { REPO_ROOT } from "../src/index.js";

export const README = join(REPO_ROOT, "README.md");
const BLOCK = /<!-- first-day:start -->\s*```sh\n([\s\S]*?)```\s*<!-- first-day:end -->/;

/** The README's first-day commands, one per line, without their comments. */
export function readmeFirstDayCommands(readme = readFileSync(README, "utf8")): string[] {
  const block = BLOCK.exec(readme)?.[1];
  if (block === undefined) throw new Error("README.md has no <!-- first-day:start --> sh block");
  return block
    .split("\n")
    .map((l) => l.replace(/\s+#.*$/, "").trim())
    .filter((l) => l !== "");
}

/**
 * What the walk types, in order, as written in the README. `worker` lines run in the second terminal,
 * `again` marks the worker line typed a second time after the restore.
 */
export const WALK = [
  "pnpm cli:build",
  'ln -sf "$PWD/apps/cli/dist/bin.js" ~/.local/bin/ghl-bulksms',
  "ghl-bulksms --version",
  "pnpm worker:deploy ~/ghl-bulksms/worker",
  "mkdir ~/first-day && cd ~/first-day",
  "ghl-bulksms init",
  "ghl-bulksms doctor",
  "ghl-bulksms auth login --location <location id> --token <pit>",
  "PORT=3000 node ~/ghl-bulksms/worker/dist/main.js",
  "ghl-bulksms webhooks register --url http://127.0.0.1:3000",
  "ghl-bulksms doctor",
  'ghl-bulksms send --to <contact id> --body "Hello from your first day"',
  "ghl-bulksms messages list --contact <contact id>",
  "ghl-bulksms explain <contact id>",
  "ghl-bulksms backup first-day.db",
  "ghl-bulksms restore first-day.db",
] as const;

type Command = (typeof WALK)[number];

export interface StepTiming {
  readonly step: string;
  readonly typed: string;
  readonly seconds: number;
}

/** A shell in a terminal, its prompt carrying the last exit code so a step's end and result can be seen. */
interface Shell {
  readonly term: Terminal;
  /** types a line, presses Enter and waits for the next prompt; returns its exit code and its output */
  run(line: string, timeoutMs?: number): Promise<{ code: number; output: string }>;
  /** types a line and presses Enter, without waiting */
  start(line: string): void;
  /** waits until the output of the command started last matches (the screen may still show older output) */
  output(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** waits for the next prompt (the command started with `start` ended) */
  ended(timeoutMs?: number): Promise<{ code: number; output: string }>;
}

const PROMPT = /__rc=(\d+)__ \$ /g;

async function openShell(cwd: string, env: Record<string, string>): Promise<Shell> {
  const term = await startTerminal({
    command: ["bash", "--norc", "--noprofile", "-i"],
    cwd,
    env: { ...env, PS1: "__rc=$?__ $ " },
    columns: 220,
    rows: 50,
  });
  const prompts = () => [...term.raw().matchAll(PROMPT)];
  let seen = 0;
  const until = async (count: number, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = prompts();
      if (found.length >= count) return found;
      if (Date.now() > deadline)
        throw new Error(`no shell prompt within ${timeoutMs} ms; screen:\n${term.screen()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  await until(1, 30_000);
  seen = 1;
  let startedAt = 0;
  const shell: Shell = {
    term,
    start(line) {
      startedAt = term.raw().length;
      term.type(line);
      term.press("Enter");
    },
    async output(pattern, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const out = term.raw().slice(startedAt);
        if (pattern.test(out)) return out;
        if (Date.now() > deadline)
          throw new Error(`no ${pattern} within ${timeoutMs} ms; screen:\n${term.screen()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async ended(timeoutMs = 120_000) {
      const found = await until(seen + 1, timeoutMs);
      seen = found.length;
      const last = found[found.length - 1] as RegExpMatchArray;
      const output = term.raw().slice(startedAt, last.index);
      return { code: Number(last[1]), output };
    },
    async run(line, timeoutMs) {
      shell.start(line);
      return shell.ended(timeoutMs);
    },
  };
  return shell;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** The pnpm store and cache of this machine: the operator's HOME is new, pnpm's own folders are not. */
function pnpmFolders(): Record<string, string> {
  const store = dirname(execFileSync("pnpm", ["store", "path"], { encoding: "utf8" }).trim());
  const folders: Record<string, string> = { npm_config_store_dir: store, pnpm_config_store_dir: store };
  // pnpm's default: $XDG_DATA_HOME/pnpm/store
  const data = /^(.*)\/pnpm\/store$/.exec(store)?.[1];
  if (data) folders.XDG_DATA_HOME = data;
  if (process.env.HOME) folders.XDG_CACHE_HOME = join(process.env.HOME, ".cache");
  return folders;
}

/** An allowed sending window around now in London, so the walk's text goes out at any hour it runs. */
function windowAroundNow(now = new Date()): string {
  const hhmm = (d: Date) =>
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/London",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(d);
  return `${hhmm(new Date(now.getTime() - 3_600_000))}-${hhmm(new Date(now.getTime() + 3 * 3_600_000))}`;
}

/**
 * Walks the first day in `repo` (a clean installed copy, nothing built). Everything it makes lives under
 * `repo/first-day-home` (the operator's HOME).
 */
export async function walkFirstDay(repo: string): Promise<StepTiming[]> {
  const readme = readmeFirstDayCommands(readFileSync(join(repo, "README.md"), "utf8"));
  expect(readme).toEqual([...WALK]);

  const home = join(repo, "first-day-home");
  mkdirSync(join(home, ".local", "bin"), { recursive: true });
  const env: Record<string, string> = {
    HOME: home,
    PATH: `${join(home, ".local", "bin")}:${process.env.PATH ?? ""}`,
    NO_COLOR: "1",
    TURBO_TELEMETRY_DISABLED: "1",
    DO_NOT_TRACK: "1",
    ...pnpmFolders(),
  };
  const timings: StepTiming[] = [];
  const terms: Shell[] = [];
  let sandbox: Sandbox | null = null;
  try {
    sandbox = await startSandbox({ seedContacts: 10, ghl: { port: 0 }, bulksms: { port: 0 } });
    const location = sandbox.ghl.locations.find((l) => l.country === "GB") ?? sandbox.ghl.locations[0];
    const credential = sandbox.bulksms.credentials[0];
    if (!location || !credential) throw new Error("the sandbox has no location or no BulkSMS credential");
    // the person of the day: a contact of the location, in GHL before the worker starts (its first
    // reconciliation mirrors it); a Leeds number, valid for the GB region
    const person = sandbox.ghl.control.createContact(location.id, {
      firstName: "Ada",
      lastName: "Walker",
      phone: "+441134960123",
    });
    if (!person.phone) throw new Error("the sandbox did not keep the contact's phone");
    const port = await freePort();
    const fill = (line: string) =>
      line
        .replaceAll("<location id>", location.id)
        .replaceAll("<pit>", location.token)
        .replaceAll("<contact id>", person.id)
        .replaceAll("3000", String(port));

    const shell = await openShell(repo, env);
    terms.push(shell);
    const workerTerm = await openShell(repo, env);
    terms.push(workerTerm);

    const timed = async <T>(step: string, typed: string, work: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      const result = await work();
      timings.push({ step, typed, seconds: (performance.now() - t0) / 1000 });
      return result;
    };
    const type = async (step: string, command: Command, timeoutMs?: number) => {
      const line = fill(command);
      return timed(step, command, () => shell.run(line, timeoutMs));
    };

    // 1. The CLI, as documented: one build command and a link onto PATH.
    const build = await type("build the CLI", "pnpm cli:build", 600_000);
    expect(build.code, build.output).toBe(0);
    const link = await type(
      "link it onto PATH",
      'ln -sf "$PWD/apps/cli/dist/bin.js" ~/.local/bin/ghl-bulksms',
    );
    expect(link.code, link.output).toBe(0);
    const version = await type("check the version", "ghl-bulksms --version");
    expect(version.code, version.output).toBe(0);
    const cliVersion = (
      JSON.parse(readFileSync(join(repo, "apps", "cli", "package.json"), "utf8")) as { version: string }
    ).version;
    expect(version.output).toContain(cliVersion);

    // 2. The worker's production bundle.
    const deploy = await type(
      "deploy bundle of the worker",
      "pnpm worker:deploy ~/ghl-bulksms/worker",
      600_000,
    );
    expect(deploy.code, deploy.output).toBe(0);

    // 3. Set up, in the folder the worker and the CLI share.
    const folder = await type("a folder for the install", "mkdir ~/first-day && cd ~/first-day");
    expect(folder.code).toBe(0);
    await timed("init (answers typed)", "ghl-bulksms init", async () => {
      shell.start("ghl-bulksms init");
      const term = shell.term;
      const answer = async (prompt: string, text: string) => {
        await term.waitFor(prompt, 30_000);
        if (text) term.type(text);
        term.press("Enter");
      };
      await term.waitFor("Mode", 30_000);
      term.press("Enter"); // sandbox, the first choice
      await answer("GHL simulator address", sandbox?.ghl.url ?? "");
      await answer("BulkSMS simulator address", sandbox?.bulksms.url ?? "");
      await answer("GHL location id", location.id);
      await answer("Phone region", "GB");
      await answer("Timezone", "Europe/London");
      await answer("Allowed sending window", windowAroundNow());
      await answer("BulkSMS API token id", credential.tokenId);
      await answer("BulkSMS API token secret", credential.tokenSecret);
      await answer("Data folder", ""); // ./data
      await answer("Welcome SMS", ""); // none
      const r = await shell.ended(60_000);
      expect(r.code, r.output).toBe(0);
      expect(r.output).toContain("configuration written");
      expect(r.output).not.toContain(credential.tokenSecret); // the secret prompt masks it
    });

    // 4. doctor: the location has no token yet; the fix it prints is run as printed.
    const doctor = await type("doctor (finds problems)", "ghl-bulksms doctor");
    expect(doctor.code, doctor.output).toBe(1);
    const fix = /run: (ghl-bulksms auth login --location \S+ --token <pit>)/.exec(doctor.output)?.[1];
    expect(fix, doctor.output).toBe(
      `${fill("ghl-bulksms auth login --location <location id>")} --token <pit>`,
    );
    const login = await type(
      "run doctor's fix",
      "ghl-bulksms auth login --location <location id> --token <pit>",
    );
    expect(login.code, login.output).toBe(0);
    expect(login.output).toContain("GHL accepted it");

    // 5. The worker from its deploy bundle, in a second terminal.
    const startWorker = async (step: string) =>
      timed(step, "PORT=3000 node ~/ghl-bulksms/worker/dist/main.js", async () => {
        workerTerm.start(`cd ${join(home, "first-day")}`);
        expect((await workerTerm.ended()).code).toBe(0);
        workerTerm.start(fill("PORT=3000 node ~/ghl-bulksms/worker/dist/main.js"));
        await workerTerm.output(/worker listening/, 120_000);
      });
    await startWorker("start the worker (bundle)");
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);

    // 6. BulkSMS's webhooks -> the worker; doctor has nothing left to fix.
    const register = await type(
      "register the BulkSMS webhooks",
      "ghl-bulksms webhooks register --url http://127.0.0.1:3000",
    );
    expect(register.code, register.output).toBe(0);
    expect(register.output).toMatch(/SENT\s+created/);
    const clean = await type("doctor (all ok)", "ghl-bulksms doctor");
    expect(clean.code, clean.output).toBe(0);

    // 7. One text to a contact. The worker mirrors the location's contacts at start-up; a person checks
    //    the contact is known before sending (here: the CLI's explain, not typed, until it shows the phone).
    await timed("the worker mirrors the contact (waited, not typed)", "-", () =>
      waitUntilMirrored(join(repo, "apps", "cli", "dist", "bin.js"), join(home, "first-day"), person.id, env),
    );
    const send = await type(
      "send to a contact",
      'ghl-bulksms send --to <contact id> --body "Hello from your first day"',
    );
    expect(send.code, send.output).toBe(0);
    expect(send.output).toMatch(/result:\s+sent/);
    // BulkSMS's side: the text to that number ends DELIVERED (its status report reaches the worker)
    const digits = person.phone.replace(/\D/g, "");
    await timed("BulkSMS delivers it (waited, not typed)", "-", () =>
      until(
        () =>
          sandbox?.bulksms.control
            .messages({ type: "SENT" })
            .some((m) => m.to.replace(/\D/g, "") === digits && m.status.type === "DELIVERED") ?? false,
        60_000,
        "BulkSMS did not deliver the text",
      ),
    );
    expect(
      sandbox.bulksms.control.messages({ type: "SENT" }).filter((m) => m.to.replace(/\D/g, "") === digits),
    ).toHaveLength(1);
    const delivered = await timed(
      "messages: delivered",
      "ghl-bulksms messages list --contact <contact id>",
      () => retype(shell, fill("ghl-bulksms messages list --contact <contact id>"), /DELIVERED/, 60_000),
    );
    expect(delivered).toContain(person.phone);

    const explain = await type("explain the decision", "ghl-bulksms explain <contact id>");
    expect(explain.code, explain.output).toBe(0);
    expect(explain.output).toMatch(/operator\s+sent\s+sent\s+DELIVERED/);

    // 8. Backup while the worker runs; restore with it stopped; start it again: the data is still there.
    const backup = await type("backup (worker running)", "ghl-bulksms backup first-day.db");
    expect(backup.code, backup.output).toBe(0);
    expect(backup.output).toContain(`written to ${join(home, "first-day", "first-day.db")}`);
    await timed("stop the worker (Ctrl-C)", "Ctrl-C", async () => {
      workerTerm.term.press("C-c");
      const stopped = await workerTerm.ended(60_000);
      expect(stopped.code).toBe(0);
    });
    const restore = await type("restore (worker stopped)", "ghl-bulksms restore first-day.db");
    expect(restore.code, restore.output).toBe(0);
    await startWorker("start the worker again");
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    const after = await type(
      "messages after the restore",
      "ghl-bulksms messages list --contact <contact id>",
    );
    expect(after.code, after.output).toBe(0);
    expect(after.output).toMatch(/DELIVERED/);
    expect(after.output).toContain(person.phone);
    workerTerm.term.press("C-c");
    expect((await workerTerm.ended(60_000)).code).toBe(0);
    return timings;
  } finally {
    for (const t of terms) t.term.close();
    await sandbox?.close();
  }
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Types a read command again (as a person would) until its output matches. */
async function retype(shell: Shell, line: string, pattern: RegExp, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await shell.run(line);
    expect(r.code, r.output).toBe(0);
    if (pattern.test(r.output)) return r.output;
    if (Date.now() > deadline) throw new Error(`\`${line}\` never showed ${pattern}:\n${r.output}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function waitUntilMirrored(
  bin: string,
  cwd: string,
  contactId: string,
  env: Record<string, string>,
): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    let out = "";
    try {
      out = execFileSync(process.execPath, ["--", bin, "explain", contactId, "--json"], {
        cwd,
        env,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      });
    } catch {
      // not known yet
    }
    if (/"phone"\s*:\s*"\+/.test(out)) return;
    if (Date.now() > deadline) throw new Error(`the worker did not mirror contact ${contactId}: ${out}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The table the lead quotes: step, what was typed, seconds. */
export function timingTable(timings: readonly StepTiming[]): string {
  const rows = timings.map((t) => [t.step, t.typed === "-" ? "" : `\`${t.typed}\``, t.seconds.toFixed(1)]);
  const total = timings.reduce((s, t) => s + t.seconds, 0);
  rows.push(["total", "", total.toFixed(1)]);
  const widths = [0, 1, 2].map((i) =>
    Math.max(...[["step", "typed", "s"], ...rows].map((r) => (r[i] ?? "").length)),
  );
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(["step", "typed", "s"]), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
