// `ghl-bulksms backup` / `restore` (the built CLI as a child process) against a store that another process
// keeps writing to, as a running worker does: every backup holds every row committed before it began and
// nothing torn; restore is refused while the writer has the store open, then puts the copy back.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  SANDBOX_BULKSMS_API_BASE_URL,
  SANDBOX_ENCRYPTION_KEY,
  SANDBOX_GHL_API_BASE_URL,
} from "@ghl-bulksms/config";
import { LATEST_SCHEMA_VERSION, openSqliteStore } from "@ghl-bulksms/store";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_DIR, ensureBuilt, runCli } from "./helpers.js";

const tsx = pathToFileURL(realpathSync(join(CLI_DIR, "node_modules", "tsx", "dist", "loader.mjs"))).href;

let dir: string;
let env: Record<string, string>;
let writer: ChildProcess | null = null;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "cli-backup-"));
  // Sandbox mode must point at loopback (the simulators' addresses; backup/restore never call them): the
  // configuration refuses sandbox tokens aimed at the real vendors.
  env = {
    GHL_BULKSMS_MODE: "sandbox",
    GHL_API_BASE_URL: SANDBOX_GHL_API_BASE_URL,
    BULKSMS_API_BASE_URL: SANDBOX_BULKSMS_API_BASE_URL,
    DATA_DIR: join(dir, "data"),
  };
});

afterAll(() => {
  if (writer && writer.exitCode === null) writer.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

/** The row numbers in a store file, sorted. */
async function rowsOf(path: string): Promise<number[]> {
  const store = openSqliteStore({ path, encryptionKey: SANDBOX_ENCRYPTION_KEY });
  try {
    return (await store.settings.list("row-")).map((r) => (r.value as { n: number }).n).sort((a, b) => a - b);
  } finally {
    await store.close();
  }
}

function isPrefix(rows: number[]): boolean {
  return rows.every((n, i) => n === i + 1);
}

describe("backup and restore while another process writes", () => {
  it("each backup holds every row committed before it began; restore waits for the writer to stop", async () => {
    const db = join(dir, "data", "ghl-bulksms.db");
    writer = spawn(
      process.execPath,
      [
        "--conditions=@ghl-bulksms/source",
        "--import",
        tsx,
        join(CLI_DIR, "test", "fixtures", "store-writer.ts"),
        db,
      ],
      { cwd: CLI_DIR, stdio: ["ignore", "pipe", "inherit"] },
    );
    let committed = 0;
    let closed: number | null = null;
    let buffer = "";
    writer.stdout?.on("data", (b: Buffer) => {
      buffer += b.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) {
        const [word, n] = line.split(" ");
        if (word === "committed") committed = Number(n);
        if (word === "closed") closed = Number(n);
      }
    });
    const until = async (check: () => boolean, what: string) => {
      const deadline = Date.now() + 60_000;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await until(() => committed >= 50, "the writer's first commits");

    const backups: Array<{ file: string; before: number; rows: number[] }> = [];
    for (const k of [1, 2, 3]) {
      const before = committed; // every one of these is committed before the backup starts
      const file = join(dir, `backup-${k}.db`);
      const r = await runCli(["backup", file], { env, cwd: dir, timeoutMs: 60_000 });
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`written to ${file}`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const rows = await rowsOf(file);
      expect(rows.length).toBeGreaterThanOrEqual(before);
      expect(isPrefix(rows)).toBe(true); // one consistent snapshot: no row missing in the middle
      backups.push({ file, before, rows });
      await until(() => committed > before + 20, "more commits");
    }
    // the writer went on between the backups, and each backup saw it
    expect(backups[2]?.rows.length).toBeGreaterThan(backups[0]?.rows.length ?? 0);

    const exists = await runCli(["backup", backups[0]?.file as string], { env, cwd: dir });
    expect(exists.code).toBe(1);
    expect(exists.stderr).toContain("already exists");
    expect(exists.stderr).toContain("--force");

    const refused = await runCli(["restore", backups[0]?.file as string], { env, cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("is open in another process");
    expect(refused.stderr).toContain("stop the worker");
    const still = committed;
    await until(() => committed > still + 5, "the writer to carry on after the refused restore");

    writer.kill("SIGTERM");
    await until(() => closed !== null, "the writer to close the store");
    const final = closed as unknown as number;
    expect(final).toBeGreaterThan(backups[2]?.rows.length ?? 0);

    const restored = await runCli(["restore", backups[0]?.file as string], { env, cwd: dir });
    expect(restored.stderr).toBe("");
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain(`restored ${db} from ${backups[0]?.file}`);
    const kept = /kept as (\S+)/.exec(restored.stdout)?.[1] as string;
    expect(await rowsOf(db)).toEqual(backups[0]?.rows);
    expect((await rowsOf(kept)).length).toBe(final); // nothing the writer committed is gone
    expect(statSync(db).mode & 0o777).toBe(0o600);

    // the restored store is a working store for the CLI
    const runs = await runCli(["runs", "list", "--json"], { env, cwd: dir });
    expect(runs.code).toBe(0);
  }, 180_000);

  it("a store from a newer release: commands and restore refuse it, saying what to do", async () => {
    const newer = mkdtempSync(join(tmpdir(), "cli-backup-newer-"));
    try {
      const data = join(newer, "data");
      const store = openSqliteStore({
        path: join(data, "ghl-bulksms.db"),
        encryptionKey: SANDBOX_ENCRYPTION_KEY,
      });
      await store.close();
      const raw = new Database(join(data, "ghl-bulksms.db"));
      raw
        .prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from the future', 0)")
        .run(LATEST_SCHEMA_VERSION + 1);
      raw.close();
      const newerEnv = { ...env, DATA_DIR: data };
      const runs = await runCli(["runs", "list"], { env: newerEnv, cwd: newer });
      expect(runs.code).toBe(1);
      expect(runs.stderr).toContain(`has schema version ${LATEST_SCHEMA_VERSION + 1}`);
      expect(runs.stderr).toContain("Run the newer release");
      expect(runs.stderr).toContain("hint:  upgrade this CLI to the worker's release");
      // a backup of it is possible, restoring it into this release is not
      const copy = await runCli(["backup", join(newer, "newer.db")], { env: newerEnv, cwd: newer });
      expect(copy.code).toBe(0);
      const restore = await runCli(["restore", join(newer, "newer.db")], { env, cwd: dir });
      expect(restore.code).toBe(1);
      expect(restore.stderr).toContain("Refusing to open it");
      expect(restore.stderr).toContain("restore it with the release that wrote it");
    } finally {
      rmSync(newer, { recursive: true, force: true });
    }
  }, 60_000);

  it("restore names a file that is not a backup (exit 2) and a missing store for backup (exit 1)", async () => {
    const notBackup = await runCli(["restore", join(CLI_DIR, "package.json")], { env, cwd: dir });
    expect(notBackup.code).toBe(2);
    expect(notBackup.stderr).toContain("is not a SQLite database");
    const empty = mkdtempSync(join(tmpdir(), "cli-backup-empty-"));
    try {
      const none = await runCli(["backup", join(empty, "b.db")], {
        env: { ...env, DATA_DIR: join(empty, "data") },
        cwd: empty,
      });
      expect(none.code).toBe(1);
      expect(none.stderr).toContain("does not exist (no store to back up)");
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  }, 60_000);
});
