// Three REAL processes (node + tsx, test/fixtures/drain-worker.ts) drain one jobs table at once, on a
// SQLite file and on PostgreSQL: every job is completed exactly once, by one process, and its effect
// (written in the completing transaction) exists exactly once. See docs/adr/0001-postgres-job-queue.md.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openPostgresStore, openSqliteStore, type Store } from "../src/index.js";
import { KEY_HEX, tempDir } from "./helpers.js";
import { fileSchema, testPostgresUrl } from "./support/stores.js";

const WORKER = join(import.meta.dirname, "fixtures", "drain-worker.ts");
const JOBS = 240;

function drain(database: string, schema: string, workerId: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", WORKER, database, schema, KEY_HEX, workerId], {
      cwd: join(import.meta.dirname, ".."),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) resolve(stdout.split("\n").filter(Boolean));
      else reject(new Error(`${workerId} exited with ${code}: ${stderr}`));
    });
  });
}

const DATABASES: { name: string; open: () => Promise<{ store: Store; database: string; schema: string }> }[] =
  [
    {
      name: "sqlite file",
      open: async () => {
        const database = join(tempDir(), "drain.db");
        return { store: openSqliteStore({ path: database, encryptionKey: KEY_HEX }), database, schema: "-" };
      },
    },
    {
      name: "postgres",
      open: async () => {
        const { schema } = await fileSchema();
        const database = testPostgresUrl();
        return {
          store: await openPostgresStore({ url: database, schema, encryptionKey: KEY_HEX }),
          database,
          schema,
        };
      },
    },
  ];

describe.each(DATABASES)("three processes draining one jobs table ($name)", ({ open }) => {
  it(`complete each of ${JOBS} jobs exactly once, with one effect each`, { timeout: 120_000 }, async () => {
    const { store, database, schema } = await open();
    try {
      const ids: number[] = [];
      await store.transaction(async (tx) => {
        for (let i = 0; i < JOBS; i++) {
          const locationId = i % 4 === 0 ? null : `L${i % 3}`;
          const job = await tx.jobs.enqueue({ name: "t", payload: { i }, key: `drain:${i}`, locationId });
          if (job.enqueued) ids.push(job.id);
        }
      });
      expect(ids).toHaveLength(JOBS);

      const lines = (await Promise.all(["p1", "p2", "p3"].map((w) => drain(database, schema, w)))).flat();
      expect(lines.filter((l) => l.startsWith("dup "))).toEqual([]);
      const done = lines.map((l) => Number(l.slice("done ".length)));
      expect(done).toHaveLength(JOBS); // nothing twice ...
      expect(new Set(done)).toEqual(new Set(ids)); // ... and nothing missed
      expect(await store.jobs.counts()).toEqual({ queued: 0, running: 0, done: JOBS, dead: 0 });
      for (const id of ids) {
        const job = await store.jobs.get(id);
        expect(job?.attempts, `job ${id} claimed once`).toBe(1);
      }
    } finally {
      await store.close();
    }
  });
});
