/**
 * PostgreSQL for tests (exported as `@ghl-bulksms/store/testing`).
 *
 * `startTestPostgres()` uses TEST_DATABASE_URL when it is set (and checks it answers), otherwise starts a
 * throwaway cluster: initdb into a temp dir, pg_ctl on a free loopback port listening on 127.0.0.1 only,
 * stopped and removed by `stop()`. Each test file then takes its own schema (`createTestSchema`), so files
 * running in parallel never see each other's rows. When neither is possible it throws an error that says
 * what to install or set: PostgreSQL tests fail, they never skip silently.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { redactDatabaseUrl } from "../database-url.js";

const run = promisify(execFile);

export interface TestPostgres {
  /** A URL with rights to create schemas. */
  readonly url: string;
  readonly source: "TEST_DATABASE_URL" | "throwaway";
  /** Stops and removes a throwaway cluster; nothing for TEST_DATABASE_URL. */
  stop(): Promise<void>;
}

/** Where PostgreSQL's server binaries are: PATH first, then Debian's /usr/lib/postgresql/<version>/bin. */
export function findPostgresBin(
  name: "initdb" | "pg_ctl",
  pathEnv = process.env.PATH ?? "",
  roots: readonly string[] = ["/usr/lib/postgresql"],
): string | null {
  for (const dir of pathEnv.split(delimiter).filter(Boolean)) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  for (const root of roots) {
    if (!existsSync(root)) continue;
    const versions = readdirSync(root)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const version of versions) {
      const candidate = join(root, version, "bin", name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return null;
}

async function checkUrl(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    throw new Error(
      `TEST_DATABASE_URL=${redactDatabaseUrl(url)} does not answer: ${(error as Error).message}. ` +
        "Start that server, fix the URL, or unset TEST_DATABASE_URL to let the tests start a throwaway cluster.",
    );
  } finally {
    await client.end().catch(() => {});
  }
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

/** initdb refuses to run as root: as root, run the server binaries as the `postgres` system user. */
async function serverUser(): Promise<{ uid: number; gid: number; name: string } | null> {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return null;
  try {
    const uid = Number((await run("id", ["-u", "postgres"])).stdout.trim());
    const gid = Number((await run("id", ["-g", "postgres"])).stdout.trim());
    return { uid, gid, name: "postgres" };
  } catch {
    throw new Error(
      "cannot start a throwaway PostgreSQL: running as root and there is no `postgres` user to run initdb as " +
        "(install Debian's postgresql package, which creates it, or set TEST_DATABASE_URL)",
    );
  }
}

/** Starts a private PostgreSQL cluster in a temp dir on a free 127.0.0.1 port. */
export async function startThrowawayPostgres(
  search: { pathEnv?: string; roots?: readonly string[] } = {},
): Promise<TestPostgres> {
  const initdb = findPostgresBin("initdb", search.pathEnv, search.roots);
  const pgCtl = findPostgresBin("pg_ctl", search.pathEnv, search.roots);
  if (!initdb || !pgCtl) {
    throw new Error(
      "PostgreSQL tests need a server: TEST_DATABASE_URL is not set and initdb/pg_ctl were not found in PATH " +
        "or /usr/lib/postgresql/*/bin. Install PostgreSQL (Debian: apt-get install postgresql) or set " +
        "TEST_DATABASE_URL=postgres://user@127.0.0.1:5432/db",
    );
  }
  const user = await serverUser();
  const dir = mkdtempSync(join(tmpdir(), "ghl-bulksms-pg-"));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, "data");
  const log = join(dir, "server.log");
  const as = (bin: string, args: string[]) =>
    user ? run("runuser", ["-u", user.name, "--", bin, ...args]) : run(bin, args);
  const port = await freePort();
  try {
    await as(initdb, ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"]);
    await as(pgCtl, [
      "-D",
      data,
      "-l",
      log,
      "-w",
      "-t",
      "60",
      "-o",
      `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories='${dir}' -c fsync=off -c max_connections=200`,
      "start",
    ]);
  } catch (error) {
    const serverLog = existsSync(log) ? readFileSync(log, "utf8").slice(-2000) : "";
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start a throwaway PostgreSQL: ${(error as Error).message}\n${serverLog}`);
  }
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    source: "throwaway",
    async stop() {
      if (stopped) return;
      stopped = true;
      await as(pgCtl, ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** TEST_DATABASE_URL when set, else a throwaway cluster. */
export async function startTestPostgres(env: NodeJS.ProcessEnv = process.env): Promise<TestPostgres> {
  const url = env.TEST_DATABASE_URL?.trim();
  if (url) {
    await checkUrl(url);
    return { url, source: "TEST_DATABASE_URL", stop: async () => {} };
  }
  return startThrowawayPostgres();
}

export interface TestSchema {
  readonly schema: string;
  /** Empties every table of the schema (ids restart), keeping the migrated tables. */
  truncate(): Promise<void>;
  /** Drops the schema and closes the admin connection. */
  drop(): Promise<void>;
}

/**
 * A fresh, uniquely named schema (`t_<random>`) for one test file; a PostgreSQL store opened on it keeps
 * graphile-worker's jobs in `t_<random>_graphile_worker`, emptied and dropped with it.
 */
export async function createTestSchema(url: string): Promise<TestSchema> {
  const schema = `t_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`CREATE SCHEMA "${schema}"`);
  return {
    schema,
    async truncate() {
      const { rows } = await client.query<{ name: string }>(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'store_migration%'",
        [schema],
      );
      if (rows.length === 0) return;
      const list = rows.map((r) => `"${schema}"."${r.name}"`).join(", ");
      // graphile-worker's jobs go too: ledger ids restart, and its keys are "job:<ledger id>"
      const queue = `${schema}_graphile_worker`;
      const { rows: gw } = await client.query<{ present: boolean }>(
        "SELECT to_regclass($1) IS NOT NULL AS present",
        [`"${queue}"._private_jobs`],
      );
      const queueTables = gw[0]?.present ? `, "${queue}"._private_jobs, "${queue}"._private_job_queues` : "";
      await client.query(`TRUNCATE ${list}${queueTables} RESTART IDENTITY CASCADE`);
    },
    async drop() {
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}_graphile_worker" CASCADE`);
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end().catch(() => {});
      }
    },
  };
}

export interface TestDatabase {
  /** The URL of the new database (same server and user). */
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** A fresh, empty database (`t_<random>`) on the server of `url`, for a test that needs a whole database. */
export async function createTestDatabase(url: string): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end().catch(() => {});
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  return {
    url: target.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end().catch(() => {});
      }
    },
  };
}
