// Every example an operator is shown runs: the example lines of every command's `--help` (the built CLI,
// spawned) and the `ghl-bulksms` lines of the code blocks of README.md, apps/cli/README.md and
// apps/worker/README.md are run by bash, as typed, with `ghl-bulksms` on the PATH, against the sandbox
// (simulators on 127.0.0.1) and a prepared store, and must exit 0.
//
// - An example that cannot run here says so in the docs with a `(manual: <why>)` comment; the list stays tiny.
// - Placeholder ids in the docs (location `abc123`, contact `Abc123ContactId`, run 12, dead letter 42,
//   undo 7, ...) are replaced with the sandbox's real ones (PLACEHOLDERS below); everything else runs as is.
// - Each example runs in a fresh copy of an operator's directory (`.env`, `ghl-bulksms.config.json`, the store
//   in `./data`, `contacts.jsonl`, `prod.env`), so one example's changes never decide another's result.
//   `init` runs in an empty directory (it writes the `.env` a new operator starts from); `init --store-only`
//   runs in the operator's directory (it creates the store of an existing configuration).
// - `ghl-bulksms sandbox` runs until Ctrl-C: it is interrupted once it has printed, and must exit 0. A README
//   line ending in `&` starts in the background; the lines of its block that read its output file run beside it.
import { type ChildProcess, spawn } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SANDBOX_ENCRYPTION_KEY } from "@ghl-bulksms/config";
import { admitWorkflowLocation } from "@ghl-bulksms/engine";
import { type Sandbox, startSandbox } from "@ghl-bulksms/sandbox";
import { openSqliteStore } from "@ghl-bulksms/store";
import { createTestDatabase, type TestDatabase } from "@ghl-bulksms/store/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { BIN, CLI_DIR, ensureBuilt, runCli } from "./helpers.js";

const REPO = join(CLI_DIR, "..", "..");
const READMES = ["README.md", "apps/cli/README.md", "apps/worker/README.md"];

/**
 * Examples known to fail today, each with the issue that fixes it. The test asserts they still fail, so the
 * fix's merge turns this into a reminder to empty the list.
 */
const KNOWN_BROKEN: Record<string, { why: string; code: number; output: RegExp }> = {};

/** Examples that may name no more than this many `(manual: ...)` exceptions in all. */
const MAX_MANUAL = 2;

interface Example {
  /** Where it is shown: "--help of dlq show", "apps/cli/README.md:40". */
  source: string;
  /** The command line without its trailing comment. */
  command: string;
  manual: string | null;
  /** README code block it belongs to (lines that read a background line's output run beside it). */
  block: string | null;
}

/** Splits `cmd   # comment` outside quotes. */
function splitComment(line: string): { command: string; comment: string } {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "#" && (i === 0 || /\s/.test(line[i - 1] ?? ""))) {
      return { command: line.slice(0, i).trim(), comment: line.slice(i + 1).trim() };
    }
  }
  return { command: line.trim(), comment: "" };
}

/** Joins `\`-continued lines; `at` is the index of each joined line's first line. */
function joinContinued(lines: readonly string[]): Array<{ text: string; at: number }> {
  const out: Array<{ text: string; at: number }> = [];
  let acc: { text: string; at: number } | null = null;
  lines.forEach((raw, i) => {
    const line = raw.trimEnd();
    const piece = acc === null ? { text: line, at: i } : { text: `${acc.text} ${line.trim()}`, at: acc.at };
    if (line.endsWith("\\")) acc = { text: piece.text.slice(0, -1).trimEnd(), at: piece.at };
    else {
      out.push(piece);
      acc = null;
    }
  });
  if (acc !== null) out.push(acc);
  return out;
}

function toExample(source: string, line: string, block: string | null): Example {
  const { command, comment } = splitComment(line);
  return { source, command, manual: /\(manual: ([^)]+)\)/.exec(comment)?.[1] ?? null, block };
}

/** The section of a help text after `title:` up to the next blank line. */
function section(help: string, title: string): string[] {
  const lines = help.split("\n");
  const start = lines.findIndex((l) => l.trim() === `${title}:`);
  if (start === -1) return [];
  const out: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (l.trim() === "") break;
    out.push(l);
  }
  return out;
}

async function helpExamples(): Promise<Example[]> {
  const examples: Example[] = [];
  const queue: string[][] = [[]];
  while (queue.length > 0) {
    const path = queue.shift() as string[];
    const r = await runCli([...path, "--help"]);
    expect(r.code, `ghl-bulksms ${path.join(" ")} --help`).toBe(0);
    const lines = section(r.stdout, "Examples").map((l) => l.replace(/^\s*\$ /, ""));
    for (const { text } of joinContinued(lines))
      examples.push(toExample(`--help of ${["ghl-bulksms", ...path].join(" ")}`, text, null));
    for (const l of section(r.stdout, "Commands")) {
      const name = /^\s{2}(\S+)/.exec(l)?.[1];
      if (name && name !== "help") queue.push([...path, name]);
    }
  }
  return examples;
}

/**
 * README.md's "Your first day" block (between its `<!-- first-day:start -->` / `<!-- first-day:end -->`
 * markers) is a walk with a second terminal (the worker) and answers from the sandbox's output (`<pit>`,
 * `<contact id>`): tools/ship/test/bundles.test.ts types it, as written, into a real terminal and checks each
 * outcome. It is not run line by line here.
 */
const WALKED = { file: "README.md", start: "<!-- first-day:start -->", end: "<!-- first-day:end -->" };

function readmeExamples(): Example[] {
  const examples: Example[] = [];
  for (const file of READMES) {
    const text = readFileSync(join(REPO, file), "utf8");
    let walked: { from: number; to: number } | null = null;
    if (file === WALKED.file) {
      const from = text.indexOf(WALKED.start);
      const to = text.indexOf(WALKED.end);
      expect(from, `${file}: ${WALKED.start} ... ${WALKED.end}`).toBeGreaterThan(-1);
      expect(to, `${file}: ${WALKED.start} ... ${WALKED.end}`).toBeGreaterThan(from);
      walked = { from, to };
    }
    const fence = /^```(\w*)\n([\s\S]*?)^```/gm;
    for (let m = fence.exec(text); m !== null; m = fence.exec(text)) {
      if (!["", "sh", "bash", "shell"].includes(m[1] ?? "")) continue;
      if (walked && m.index > walked.from && m.index < walked.to) continue;
      const fenceLine = text.slice(0, m.index).split("\n").length;
      const block = `${file}:${fenceLine}`;
      for (const { text: line, at } of joinContinued((m[2] ?? "").split("\n"))) {
        const ex = toExample(`${file}:${fenceLine + 1 + at}`, line, block);
        if (/(^|[|&;]\s*)ghl-bulksms(\s|$)/.test(ex.command)) examples.push(ex);
      }
    }
  }
  return examples;
}

// ------------------------------------------------------------------------------------------ the sandbox

let sandbox: Sandbox;
let root: string;
let template: string;
let shimDir: string;
let hookServer: Server;
let hookUrl: string;
const ids = {
  location: "",
  token: "",
  contact: "",
  messageId: "",
  messageKey: "",
  run: 0,
  dead: 0,
  undo: 0,
  /** a location a workflow webhook named, held for approval (the `locations approve|reject` examples) */
  pending: "PendingLoc4tion0000001",
};

/** Operator's directory: .env for the sandbox, policy file, store, files the examples read. */
async function prepareTemplate(): Promise<void> {
  const loc = sandbox.ghl.locations[0];
  const cred = sandbox.bulksms.credentials[0];
  if (!loc || !cred) throw new Error("sandbox has no location or credential");
  ids.location = loc.id;
  ids.token = loc.token;
  const ctl = sandbox.ghl.control;
  ctl.setLocationSettings(loc.id, { allowDuplicates: true });
  // The person of the phone examples (a landline: their welcome is skipped, which `explain` shows).
  const example = ctl.createContact(loc.id, {
    firstName: "Ella",
    lastName: "Example",
    phone: "020 7946 0123",
  });
  ids.contact = example.id;
  // Two duplicate pairs: one merged here (its undo id is the `dedupe --undo` example's), one for the examples.
  for (const [first, email] of [
    ["Zed", "zed.quinn@example.com"],
    ["Yan", "yan.quinn@example.com"],
  ] as const) {
    ctl.createContact(loc.id, { firstName: first, lastName: "Quinn", email, phone: "07400 123401" });
    ctl.createContact(loc.id, { firstName: first, lastName: "Quinn", email: email.toUpperCase() });
  }
  mkdirSync(template);
  const env = [
    "GHL_BULKSMS_MODE=sandbox",
    `GHL_API_BASE_URL=${sandbox.ghl.url}`,
    `BULKSMS_API_BASE_URL=${sandbox.bulksms.url}`,
    `BULKSMS_TOKEN_ID=${cred.tokenId}`,
    `BULKSMS_TOKEN_SECRET=${cred.tokenSecret}`,
    `GHL_LOCATIONS=${JSON.stringify([{ locationId: loc.id, token: loc.token, region: "GB", timezone: "Europe/London" }])}`,
    `GHL_CLIENT_ID=${sandbox.ghl.tokens.clientId}`,
    `GHL_CLIENT_SECRET=${sandbox.ghl.tokens.clientSecret}`,
    `PUBLIC_BASE_URL=${hookUrl}`,
    "DATA_DIR=./data",
    "WELCOME_TEMPLATE='Hi {{firstName}}, welcome!'",
  ].join("\n");
  writeFileSync(join(template, ".env"), `${env}\n`);
  writeFileSync(join(template, "prod.env"), `${env}\n`);
  writeFileSync(
    join(template, "ghl-bulksms.config.json"),
    JSON.stringify({
      engine: { defaults: { quietHours: { enabled: false } } },
      lifecycle: { locations: { [loc.id]: { merge: { enabled: true, mode: "delete" } } } },
    }),
  );
  writeFileSync(join(template, "stops.csv"), "phone,state,note\n+442079460124,opted_out,asked by phone\n");
  writeFileSync(
    join(template, "contacts.jsonl"),
    [
      { id: "c1", firstName: "Ann", lastName: "Lee", phone: "020 7946 0001", email: "ann@example.com" },
      { id: "c2", firstName: "Ann", lastName: "Lee", phone: "+44 20 7946 0001", email: "ANN@example.com" },
      { id: "c3", firstName: "Bob", lastName: "Ray", phone: "020 7946 0002" },
    ]
      .map((c) => JSON.stringify(c))
      .join("\n"),
  );
  const cli = async (args: string[]) => {
    const r = await runCli(args, { cwd: template, env: { HOME: template } });
    if (r.code !== 0) throw new Error(`setup: ghl-bulksms ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  await cli(["reconcile", "--full"]); // the mirror, a run, welcomes decided
  await cli(["auth", "login", "--location", loc.id, "--token", loc.token]); // a stored token
  await cli(["webhooks", "register"]); // doctor has nothing to complain about
  await cli(["send", "--to", "07400 123402", "--body", "Your order is ready"]); // a message
  // the campaign examples' ids: a draft, a scheduled one and a paused one
  for (const id of ["cmp_example", "cmp_scheduled", "cmp_paused"])
    await cli([
      "campaign",
      "create",
      "--id",
      id,
      "--name",
      "Example",
      "--template",
      'Hi {{firstName | "there"}}',
    ]);
  for (const id of ["cmp_scheduled", "cmp_paused"])
    await cli(["campaign", "schedule", id, "--local", "2099-01-01T10:00"]);
  await cli(["campaign", "pause", "cmp_paused"]);
  const zed = ctl
    .listContacts(loc.id)
    .filter((c) => c.firstName === "Zed")
    .map((c) => c.id)
    .sort();
  const applied = JSON.parse(await cli(["dedupe", "--apply", "--yes", "--json"])) as {
    results: Array<{ ids: string[]; undoIds?: number[] }>;
  };
  ids.undo = applied.results.find((r) => r.ids.join() === zed.join())?.undoIds?.[0] ?? 0;
  // The Yan pair is back in the mirror for the `dedupe --apply` examples: re-create the merged one in GHL.
  const yan = ctl.listContacts(loc.id).filter((c) => c.firstName === "Yan");
  if (yan.length < 2)
    ctl.createContact(loc.id, { firstName: "Yan", lastName: "Quinn", email: "YAN.QUINN@example.com" });
  await cli(["reconcile", "--full"]);

  const store = openSqliteStore({
    path: join(template, "data", "ghl-bulksms.db"),
    encryptionKey: SANDBOX_ENCRYPTION_KEY,
  });
  try {
    ids.run = (await store.runs.list({ locationId: loc.id, limit: 1 }))[0]?.id ?? 0;
    const message = (await store.messages.list({ locationId: loc.id, limit: 100 })).find((m) =>
      m.key.startsWith("welcome:"),
    );
    if (!message) throw new Error("setup: no welcome was queued");
    ids.messageId = message.id;
    ids.messageKey = message.key;
  } finally {
    await store.close();
  }
  if (!ids.run || !ids.undo) throw new Error(`setup: missing ids ${JSON.stringify(ids)}`);
}

async function withStore(dir: string, fn: (store: ReturnType<typeof openSqliteStore>) => Promise<void>) {
  const store = openSqliteStore({
    path: join(dir, "data", "ghl-bulksms.db"),
    encryptionKey: SANDBOX_ENCRYPTION_KEY,
  });
  try {
    await fn(store);
  } finally {
    await store.close();
  }
}

/**
 * What some examples are about, added to their own copy only (a dead letter would make `doctor` exit 1, a
 * gateway block would refuse the `send` examples to the same number).
 */
const FIXTURES: ReadonlyArray<readonly [RegExp, (dir: string, command: string) => Promise<void>]> = [
  [
    /^ghl-bulksms dlq (show|replay|purge) 42\b/,
    (dir) =>
      withStore(dir, async (store) => {
        const job = await store.jobs.enqueue({
          name: "sms.send",
          payload: { messageId: ids.messageId },
          key: "examples-dead-letter",
          locationId: ids.location,
        });
        if (!job.enqueued) throw new Error("dead letter not enqueued");
        await store.jobs.deadLetter(job.id, "HTTP 422: example failure");
        ids.dead = job.id;
      }),
  ],
  [
    // What the worker records under UNKNOWN_LOCATIONS=hold when a workflow webhook names a location it does
    // not know: approve/reject act on that pending entry.
    /^ghl-bulksms locations (approve|reject) abc123\b/,
    (dir) =>
      withStore(dir, async (store) => {
        const admission = await admitWorkflowLocation(store, ids.pending, {
          policy: "hold",
          maxPending: 10,
          configured: new Set([ids.location]),
          now: sandbox.clock.now(),
        });
        if (admission.ok || admission.status !== "pending") throw new Error("pending location not held");
      }),
  ],
  [
    // `init --store-only` creates the store of an existing configuration: this copy has none yet.
    /^ghl-bulksms init --store-only\b/,
    async (dir) => rmSync(join(dir, "data"), { recursive: true, force: true }),
  ],
  [
    // The backup the restore example names, written by `ghl-bulksms backup` as an operator would.
    /^ghl-bulksms restore \S+/,
    async (dir, command) => {
      const file = /^ghl-bulksms restore (\S+)/.exec(command)?.[1] as string;
      const r = await run(`ghl-bulksms backup ${file}`, dir);
      if (r.code !== 0) throw new Error(`setup: ghl-bulksms backup ${file} exited ${r.code}: ${r.stderr}`);
    },
  ],
  [
    /(^|\s)\/var\/backups\//,
    async (dir) => {
      mkdirSync(join(dir, "var", "backups"), { recursive: true });
    },
  ],
  [
    /^ghl-bulksms optouts unblock\b/,
    // What the engine records when BulkSMS still blocks a re-subscribed number (see sandbox.test.ts).
    (dir) =>
      withStore(dir, async (store) => {
        await store.settings.set(`engine:gateway-blocked:${ids.location}:+442079460123`, {
          phone: "+442079460123",
          since: sandbox.clock.now(),
          messageId: ids.messageId,
          contacts: [ids.contact],
        });
      }),
  ],
];

/** Placeholder -> the sandbox's value. Word-bounded; the numeric ones only after their command. */
const PLACEHOLDERS: ReadonlyArray<readonly [RegExp, (match: string, command?: string) => string]> = [
  [/\bAbc123ContactId\b|\bAbc123\b/g, () => ids.contact],
  [/\b(locations (?:approve|reject)) abc123\b/g, (_m, c) => `${c} ${ids.pending}`],
  [/\babc123\b|<id>/g, () => ids.location],
  [/\bpit-x+\b|\bpit-\.\.\.|<private integration token>/g, () => ids.token],
  [/\bQ2xJm0aWk3hT7pYb1c\b/g, () => ids.messageId],
  [/\bwelcome:abc:def\b/g, () => ids.messageKey],
  [/\b(runs show) 12\b/g, (_m, c) => `${c} ${ids.run}`],
  [/\b(dlq (?:show|replay|purge)) 42\b/g, (_m, c) => `${c} ${ids.dead}`],
  [/\b(dedupe --undo) 7\b/g, (_m, c) => `${c} ${ids.undo}`],
  [/\b(webhooks register --url) https:\/\/sync\.example\.com/g, (_m, c) => `${c} ${hookUrl}`],
  // `store migrate --to postgres://...`: a fresh, empty PostgreSQL database of the test server each time
  [/postgres:\/\/ghl(?::secret)?@(?:127\.0\.0\.1:5432|db)\/ghl_bulksms/g, () => nextDatabase()],
  // a fresh OAuth authorization code for each `auth login --code`
  [
    /(--code) 0a1b2c\.\.\./g,
    (_m, c) => `${c} ${sandbox.ghl.control.issueAuthorizationCode({ locationId: ids.location })}`,
  ],
];

/**
 * Examples that write to the system's backup folder write to the example directory's `var/backups` instead
 * (created by a FIXTURE, as /var/backups exists on the operator's server): never outside the test's folder.
 */
const SYSTEM_BACKUPS = /(^|\s)\/var\/backups\//g;

function fill(command: string): string {
  let out = command;
  for (const [re, value] of PLACEHOLDERS) out = out.replace(re, (m: string, c?: string) => value(m, c));
  return out.replace(SYSTEM_BACKUPS, "$1var/backups/");
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function shellEnv(cwd: string): NodeJS.ProcessEnv {
  return { PATH: `${shimDir}:${process.env.PATH ?? ""}`, HOME: cwd, NO_COLOR: "1" };
}

function run(command: string, cwd: string, timeoutMs = 60_000): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-o", "pipefail", "-c", command], { cwd, env: shellEnv(cwd) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts a command that runs until Ctrl-C, in its own process group; resolves once it has printed. */
async function startServer(
  command: string,
  cwd: string,
): Promise<{ child: ChildProcess; stop(): Promise<Ran> }> {
  const child = spawn("bash", ["-c", command.replace(/\s*&$/, "")], {
    cwd,
    env: shellEnv(cwd),
    detached: true,
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => {
    stdout += d;
  });
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((r) => child.on("close", (c) => r(c)));
  const target = /[^2&]>\s*(\S+)/.exec(command)?.[1];
  const printed = () =>
    target ? existsSync(join(cwd, target)) && statSync(join(cwd, target)).size > 0 : stdout.length > 0;
  const until = Date.now() + 30_000;
  while (!printed()) {
    if (child.exitCode !== null || Date.now() > until) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  // a moment for the rest of its output
  await new Promise((r) => setTimeout(r, 300));
  return {
    child,
    async stop() {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, "SIGINT");
      const code = await exited;
      return { code, stdout, stderr };
    },
  };
}

// `init --store-only` needs the configuration of the operator's directory
const isInit = (c: string) => /^ghl-bulksms init\b/.test(c) && !/--store-only\b/.test(c);
const isServer = (c: string) => /^ghl-bulksms sandbox(\s|$)/.test(c) && !/--help/.test(c);

/** Empty PostgreSQL databases for the `postgres://` examples (see PLACEHOLDERS), made before the examples run. */
const databases: TestDatabase[] = [];
let nextDb = 0;
function nextDatabase(): string {
  const db = databases[nextDb++];
  if (!db) {
    const provided = inject("postgres");
    throw new Error(
      provided?.url
        ? "more postgres:// examples than prepared databases: raise POSTGRES_EXAMPLES"
        : `no PostgreSQL for the examples: ${provided?.error ?? "no global setup"}`,
    );
  }
  return db.url;
}
const POSTGRES_EXAMPLES = 6;

beforeAll(async () => {
  ensureBuilt();
  const server = inject("postgres")?.url;
  if (server) for (let i = 0; i < POSTGRES_EXAMPLES; i++) databases.push(await createTestDatabase(server));
  root = mkdtempSync(join(tmpdir(), "cli-examples-"));
  template = join(root, "template");
  shimDir = join(root, "bin");
  mkdirSync(shimDir);
  const shim = join(shimDir, "ghl-bulksms");
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(shim, 0o755);
  hookServer = createServer((_req, res) => res.writeHead(200).end());
  await new Promise<void>((r) => hookServer.listen(0, "127.0.0.1", () => r()));
  hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}`;
  sandbox = await startSandbox({
    seedContacts: 0,
    ghl: { port: 0, locations: [{ country: "GB", timezone: "Europe/London" }] },
    bulksms: { port: 0 },
  });
  await prepareTemplate();
}, 180_000);

afterAll(async () => {
  for (const db of databases) await db.drop();
  await sandbox?.close();
  if (hookServer) await new Promise<void>((r) => hookServer.close(() => r()));
  if (root) rmSync(root, { recursive: true, force: true });
});

let fresh = 0;
/** A copy of the operator's directory (or an empty one). */
function workdir(empty = false): string {
  const d = join(root, `run-${++fresh}`);
  if (empty) mkdirSync(d);
  else cpSync(template, d, { recursive: true });
  return d;
}

describe("examples", () => {
  it("every example in --help and in the READMEs runs against the sandbox", async () => {
    const examples = [...(await helpExamples()), ...readmeExamples()];
    // the collection itself works: every command's help and the guides were read
    expect(examples.filter((e) => e.source.startsWith("--help")).length).toBeGreaterThan(50);
    expect(examples.filter((e) => e.source.startsWith("apps/cli/README.md")).length).toBeGreaterThan(20);

    const manual = examples.filter((e) => e.manual !== null);
    expect(manual.length, manual.map((e) => `${e.source}: ${e.command}`).join("\n")).toBeLessThanOrEqual(
      MAX_MANUAL,
    );

    const failures: string[] = [];
    const stillBroken = new Set<string>();
    const done = new Set<string>();
    const blocks = new Map<
      string,
      { dir: string; outputs: string[]; servers: Array<{ stop(): Promise<Ran>; what: string }> }
    >();
    const finishBlock = async (name: string) => {
      const b = blocks.get(name);
      if (!b) return;
      blocks.delete(name);
      for (const s of b.servers) {
        const r = await s.stop();
        if (r.code !== 0) failures.push(`${s.what}\n  exit ${r.code} when interrupted\n  ${r.stderr.trim()}`);
      }
    };
    let ran = 0;
    let lastBlock: string | null = null;
    for (const ex of examples) {
      if (lastBlock !== null && ex.block !== lastBlock) await finishBlock(lastBlock);
      lastBlock = ex.block;
      if (ex.manual !== null) continue;
      const what = `${ex.source}: ${ex.command}`;
      const block = ex.block ? blocks.get(ex.block) : undefined;
      // Background lines, and the lines that read their output, run together in the block's directory.
      if (ex.block && /&$/.test(ex.command)) {
        const b = block ?? { dir: workdir(), outputs: [], servers: [] };
        blocks.set(ex.block, b);
        const command = fill(ex.command);
        const server = await startServer(command, b.dir);
        b.servers.push({ stop: server.stop, what });
        const target = /[^2&]>\s*(\S+)/.exec(command)?.[1];
        if (target) b.outputs.push(target);
        ran++;
        continue;
      }
      const beside = block?.outputs.some((o) => ex.command.includes(o)) ? block : undefined;
      if (!beside) {
        if (done.has(ex.command)) continue; // the same example shown twice runs once
        done.add(ex.command);
      }
      ran++;
      const dir = beside ? beside.dir : workdir(isInit(ex.command));
      for (const [re, add] of FIXTURES) if (re.test(ex.command)) await add(dir, ex.command);
      const command = fill(ex.command);
      let r: Ran;
      if (isServer(command)) {
        const s = await startServer(command, dir);
        r = await s.stop();
      } else {
        r = await run(command, dir);
      }
      const broken = KNOWN_BROKEN[ex.command];
      if (broken !== undefined) {
        if (r.code === 0) failures.push(`${what}\n  now works: remove it from KNOWN_BROKEN (${broken.why})`);
        else if (r.code !== broken.code || !broken.output.test(r.stderr))
          failures.push(
            `${what}\n  fails otherwise than known (${broken.why}): exit ${r.code}\n  ${r.stderr.trim()}`,
          );
        else stillBroken.add(ex.command);
        continue;
      }
      if (r.code !== 0)
        failures.push(
          `${what}\n  ran: ${command}\n  exit ${r.code}\n  ${(r.stderr || r.stdout).trim().split("\n").join("\n  ")}`,
        );
    }
    if (lastBlock !== null) await finishBlock(lastBlock);
    expect(failures, failures.join("\n\n")).toEqual([]);
    expect(ran).toBeGreaterThan(60);
    // every known-broken entry still names a shown example
    expect([...stillBroken].sort()).toEqual(Object.keys(KNOWN_BROKEN).sort());
  }, 900_000);
});
