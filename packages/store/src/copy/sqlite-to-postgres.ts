/**
 * Moving up: copies an embedded SQLite store into a fresh PostgreSQL database, every table and row as is.
 *
 * - Tokens and secrets are copied as ciphertext (never decrypted): the PostgreSQL store opened with the
 *   same key reads them, since both stores use the same cipher and context strings.
 * - One PostgreSQL transaction: the target gets everything or nothing. The SQLite side is read in one read
 *   transaction (a consistent snapshot even if a worker is still writing; stop it first all the same).
 * - Tables are copied parents first (foreign keys); identity sequences then continue after the copied ids.
 * - Afterwards the row count of every table is compared: `ok` is false on any difference.
 * A non-empty target is refused unless `force`, which empties it first.
 */
import Database from "better-sqlite3";
import { Kysely, PostgresDialect, sql } from "kysely";
import { redactDatabaseUrl } from "../database-url.js";
import { StoreError } from "../errors.js";
import { createJobDispatcher, graphileSchemaFor, installGraphileWorker } from "../postgres/graphile-queue.js";
import { migratePostgres, quoteIdent } from "../postgres/migrations/index.js";
import { createPool } from "../postgres/pool.js";
import { migrate, schemaVersion } from "../sqlite/migrations.js";
import { copyOrder } from "./table-order.js";

export interface CopyProgress {
  table: string;
  copied: number;
  total: number;
}

export interface TableCount {
  table: string;
  source: number;
  target: number;
}

export interface CopyResult {
  /** True when every table has as many rows in the target as in the source. */
  ok: boolean;
  schemaVersion: number;
  tables: TableCount[];
  rows: number;
}

export interface CopyOptions {
  /** The SQLite file. */
  from: string;
  /** The PostgreSQL URL. */
  to: string;
  /** Target schema (default "public"). */
  schema?: string;
  /** Empty a non-empty target first. */
  force?: boolean;
  /** Rows per INSERT. Default 500. */
  batchSize?: number;
  onProgress?: (progress: CopyProgress) => void;
}

/** The target already holds data (and `force` was not given). */
export class TargetNotEmptyError extends StoreError {
  readonly tables: Array<{ table: string; rows: number }>;
  constructor(target: string, tables: Array<{ table: string; rows: number }>) {
    super(
      "target_not_empty",
      `the PostgreSQL database ${target} is not empty (${tables.map((t) => `${t.table}: ${t.rows}`).join(", ")})`,
    );
    this.name = "TargetNotEmptyError";
    this.tables = tables;
  }
}

const BOOKKEEPING = new Set(["schema_migrations", "sqlite_sequence"]);

function sqliteTables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[])
    .map((r) => r.name)
    .filter((name) => !BOOKKEEPING.has(name));
}

export async function copySqliteToPostgres(options: CopyOptions): Promise<CopyResult> {
  const schema = options.schema ?? "public";
  const target = redactDatabaseUrl(options.to);
  const batchSize = Math.max(1, options.batchSize ?? 500);
  const source = new Database(options.from, { fileMustExist: true });
  const pool = createPool({ url: options.to, schema, max: 2, applicationName: "ghl-bulksms store migrate" });
  const pg = new Kysely<Record<string, Record<string, unknown>>>({ dialect: new PostgresDialect({ pool }) });
  try {
    source.pragma("busy_timeout = 5000");
    migrate(source, { now: Date.now(), path: options.from }); // a store from an older release: bring it up first
    try {
      await sql`SELECT 1`.execute(pg);
    } catch (error) {
      throw new StoreError(
        "connect_failed",
        `cannot connect to PostgreSQL at ${target}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    if (schema !== "public") await sql.raw(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`).execute(pg);
    await migratePostgres(pg as unknown as Kysely<unknown>, { schema, label: target });
    const queue = createJobDispatcher(graphileSchemaFor(schema));
    await installGraphileWorker(pool, options.to, queue.schema);

    const tables = copyOrder(source, sqliteTables(source));
    const pgTypes = await columnTypes(pg, schema);
    const counts: TableCount[] = [];
    source.exec("BEGIN"); // one snapshot of the source for the copy and the counts
    try {
      await pg.transaction().execute(async (trx) => {
        const nonEmpty: Array<{ table: string; rows: number }> = [];
        for (const table of tables) {
          const rows = await countRows(trx, table);
          if (rows > 0) nonEmpty.push({ table, rows });
        }
        if (nonEmpty.length > 0) {
          if (!options.force) throw new TargetNotEmptyError(target, nonEmpty);
          await sql
            .raw(`TRUNCATE ${tables.map(quoteIdent).join(", ")} RESTART IDENTITY CASCADE`)
            .execute(trx);
        }
        for (const table of tables) {
          const total = (
            source.prepare(`SELECT COUNT(*) AS n FROM ${quoteIdent(table)}`).get() as { n: number }
          ).n;
          const types = pgTypes.get(table) ?? new Map<string, string>();
          const convert = converters(types);
          let copied = 0;
          let batch: Record<string, unknown>[] = [];
          const flush = async () => {
            if (batch.length === 0) return;
            await trx.insertInto(table).values(batch).execute();
            copied += batch.length;
            batch = [];
            options.onProgress?.({ table, copied, total });
          };
          // rowid order: insertion order (PostgreSQL's messages.seq then follows it)
          for (const row of source.prepare(`SELECT * FROM ${quoteIdent(table)} ORDER BY rowid`).iterate()) {
            batch.push(convert(row as Record<string, unknown>));
            if (batch.length >= batchSize) await flush();
          }
          await flush();
          if (total === 0) options.onProgress?.({ table, copied: 0, total: 0 });
          await resetIdentity(trx, schema, table, types);
          counts.push({ table, source: total, target: await countRows(trx, table) });
        }
        // the copied jobs that still have to run are handed to graphile-worker (the worker's job queue on
        // PostgreSQL), in this transaction; a forced copy first retires the graphile jobs of the old rows
        const gw = sql.raw(quoteIdent(queue.schema));
        await sql`SELECT count(*) FROM ${gw}.complete_jobs(ARRAY(
          SELECT id FROM ${gw}.jobs WHERE key LIKE 'job:%'))`.execute(trx);
        const runnable = await trx
          .selectFrom("jobs")
          .select(["id", "name", "run_at", "priority"])
          .where("state", "in", ["queued", "running"])
          .execute();
        await queue.dispatch(
          trx,
          runnable.map((r) => ({
            id: Number(r.id),
            name: String(r.name),
            runAt: Number(r.run_at),
            priority: Number(r.priority),
          })),
        );
        if (counts.some((c) => c.source !== c.target)) {
          throw new StoreError(
            "copy_mismatch",
            `row counts differ after the copy: ${counts
              .filter((c) => c.source !== c.target)
              .map((c) => `${c.table} ${c.source} -> ${c.target}`)
              .join(", ")}`,
          );
        }
      });
    } finally {
      source.exec("COMMIT");
    }
    return {
      ok: counts.every((c) => c.source === c.target),
      schemaVersion: schemaVersion(source),
      tables: counts,
      rows: counts.reduce((sum, c) => sum + c.target, 0),
    };
  } finally {
    source.close();
    await pg.destroy();
  }
}

async function countRows(
  db: Kysely<Record<string, Record<string, unknown>>>,
  table: string,
): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${sql.table(table)}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

async function columnTypes(
  db: Kysely<Record<string, Record<string, unknown>>>,
  schema: string,
): Promise<Map<string, Map<string, string>>> {
  const { rows } = await sql<{ t: string; c: string; type: string; identity: string }>`
    SELECT table_name AS t, column_name AS c, data_type AS type, is_identity AS identity
    FROM information_schema.columns WHERE table_schema = ${schema}`.execute(db);
  const out = new Map<string, Map<string, string>>();
  for (const row of rows) {
    if (!out.has(row.t)) out.set(row.t, new Map());
    out.get(row.t)!.set(row.c, row.identity === "YES" ? `identity ${row.type}` : row.type);
  }
  return out;
}

/** SQLite value -> PostgreSQL parameter: 0/1 flags become booleans; JSON text goes as is (cast to jsonb). */
function converters(types: Map<string, string>): (row: Record<string, unknown>) => Record<string, unknown> {
  const booleans = [...types].filter(([, type]) => type === "boolean").map(([column]) => column);
  return (row) => {
    const out: Record<string, unknown> = { ...row };
    for (const column of booleans) {
      const v = out[column];
      if (v !== null && v !== undefined) out[column] = v === 1 || v === 1n || v === true;
    }
    return out;
  };
}

async function resetIdentity(
  db: Kysely<Record<string, Record<string, unknown>>>,
  schema: string,
  table: string,
  types: Map<string, string>,
): Promise<void> {
  for (const [column, type] of types) {
    if (!type.startsWith("identity")) continue;
    // messages.seq is GENERATED ALWAYS (never copied): it already counts the copied rows
    const qualified = `${quoteIdent(schema)}.${quoteIdent(table)}`;
    await sql`SELECT setval(pg_get_serial_sequence(${qualified}, ${column}), COALESCE(MAX(${sql.ref(column)}), 0) + 1, false)
      FROM ${sql.table(table)}`.execute(db);
  }
}
