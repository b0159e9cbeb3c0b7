import { spawn } from "node:child_process";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../src/index.js";
import { KEY_HEX, tempDir } from "./helpers.js";

const WRITER = join(import.meta.dirname, "fixtures", "crash-writer.ts");

/** Runs the writer until it has acknowledged `killAfter` commits, then SIGKILLs it. Returns the acked ids. */
function runAndKill(path: string, tag: string, killAfter: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", WRITER, path, KEY_HEX, tag], {
      cwd: join(import.meta.dirname, ".."),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const acked: string[] = [];
    let buffer = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) if (line.startsWith("ack ")) acked.push(line.slice(4));
      if (acked.length >= killAfter && child.exitCode === null && !child.killed) child.kill("SIGKILL");
    });
    child.on("error", reject);
    child.on("exit", (_code, signal) => {
      if (signal !== "SIGKILL") reject(new Error(`writer exited on its own (${signal ?? _code}): ${stderr}`));
      else resolve(acked);
    });
  });
}

describe("crash safety", () => {
  it("after SIGKILLs mid-write the database is intact and every acknowledged commit is there", async () => {
    const path = join(tempDir(), "crash.db");
    const acked: string[] = [];
    for (let round = 0; round < 3; round++) {
      // Two writer processes at once, killed at different random moments.
      const results = await Promise.all([
        runAndKill(path, `r${round}a`, 20 + Math.floor(Math.random() * 150)),
        runAndKill(path, `r${round}b`, 20 + Math.floor(Math.random() * 150)),
      ]);
      for (const ids of results) acked.push(...ids);
    }
    expect(acked.length).toBeGreaterThan(100);

    const db = new Database(path, { readonly: true });
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(db.pragma("foreign_key_check")).toEqual([]);
    db.close();

    const store = openSqliteStore({ path, encryptionKey: KEY_HEX });
    for (const eventId of acked) {
      const job = await store.jobs.getByKey(`event:${eventId}`);
      expect(job, `job for acknowledged ${eventId}`).not.toBeNull();
    }
    // Atomicity survived the kills: no inbox row without its job, and no job without its inbox row.
    const raw = new Database(path, { readonly: true });
    const orphans = raw
      .prepare(
        `SELECT COUNT(*) AS n FROM inbox i LEFT JOIN jobs j ON j.key = 'event:' || i.event_id WHERE j.id IS NULL`,
      )
      .get() as { n: number };
    const orphanJobs = raw
      .prepare(
        `SELECT COUNT(*) AS n FROM jobs j LEFT JOIN inbox i ON j.key = 'event:' || i.event_id WHERE i.id IS NULL`,
      )
      .get() as { n: number };
    const total = raw.prepare("SELECT COUNT(*) AS n FROM inbox").get() as { n: number };
    raw.close();
    expect(orphans.n).toBe(0);
    expect(orphanJobs.n).toBe(0);
    // At most one unacknowledged commit per killed writer (committed, killed before printing the ack).
    expect(total.n - acked.length).toBeGreaterThanOrEqual(0);
    expect(total.n - acked.length).toBeLessThanOrEqual(6);
    // Encrypted values written right before the kill still decrypt.
    expect((await store.tokens.load("owner-r2a"))?.accessToken).toMatch(/^token-\d+$/);
    await store.close();
  }, 60_000);
});
