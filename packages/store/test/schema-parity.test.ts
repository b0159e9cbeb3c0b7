/**
 * Both dialects have the same schema: the same tables, columns (and NOT NULL), and named indexes. When a
 * SQLite migration is added without its PostgreSQL port (src/postgres/migrations/), this test says what is
 * missing where.
 */
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { openPostgresStore } from "../src/index.js";
import { MIGRATIONS, migrate } from "../src/sqlite/migrations.js";
import { createTestSchema, type TestSchema } from "../src/testing/index.js";
import { KEY_HEX } from "./helpers.js";
import { testPostgresUrl } from "./support/stores.js";

/** Columns only PostgreSQL has, and why. */
const PG_ONLY_COLUMNS = new Set(["messages.seq"]); // stand-in for SQLite's rowid (insertion order)
const BOOKKEEPING = /^(schema_migrations|store_migration|store_migration_lock|sqlite_sequence)$/;

interface Shape {
  columns: string[];
  indexes: string[];
}

function sqliteShape(): Shape {
  const db = new Database(":memory:");
  migrate(db, { now: 1, path: ":memory:" });
  const tables = (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
  )
    .map((t) => t.name)
    .filter((t) => !BOOKKEEPING.test(t));
  const columns = tables.flatMap((table) =>
    (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string; notnull: number; pk: number }[]).map(
      (c) => `${table}.${c.name}${c.notnull || (c.pk && c.name !== "rowid") ? " not null" : ""}`,
    ),
  );
  const indexes = (
    db
      .prepare(
        "SELECT tbl_name, name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'",
      )
      .all() as { tbl_name: string; name: string }[]
  ).map((i) => `${i.tbl_name}.${i.name}`);
  db.close();
  return { columns: columns.sort(), indexes: indexes.sort() };
}

async function postgresShape(schema: string): Promise<Shape> {
  const client = new pg.Client({ connectionString: testPostgresUrl() });
  await client.connect();
  try {
    const columns = (
      await client.query<{ t: string; c: string; nullable: string }>(
        `SELECT table_name AS t, column_name AS c, is_nullable AS nullable FROM information_schema.columns
         WHERE table_schema = $1`,
        [schema],
      )
    ).rows
      .filter((r) => !BOOKKEEPING.test(r.t) && !PG_ONLY_COLUMNS.has(`${r.t}.${r.c}`))
      .map((r) => `${r.t}.${r.c}${r.nullable === "NO" ? " not null" : ""}`);
    // named indexes only: not those PostgreSQL creates for PRIMARY KEY / UNIQUE constraints
    const indexes = (
      await client.query<{ t: string; i: string }>(
        `SELECT tablename AS t, indexname AS i FROM pg_indexes
         WHERE schemaname = $1 AND indexname NOT IN (
           SELECT conname FROM pg_constraint WHERE connamespace = $1::regnamespace)`,
        [schema],
      )
    ).rows
      .filter((r) => !BOOKKEEPING.test(r.t))
      .map((r) => `${r.t}.${r.i}`);
    return { columns: columns.sort(), indexes: indexes.sort() };
  } finally {
    await client.end();
  }
}

let schema: TestSchema | undefined;
afterAll(async () => schema?.drop());

describe("schema parity between SQLite and PostgreSQL", () => {
  it("has the same tables, columns, NOT NULLs and named indexes after every migration", async () => {
    schema = await createTestSchema(testPostgresUrl());
    const store = await openPostgresStore({
      url: testPostgresUrl(),
      schema: schema.schema,
      encryptionKey: KEY_HEX,
    });
    await store.close();
    const sqlite = sqliteShape();
    const postgres = await postgresShape(schema.schema);
    expect(MIGRATIONS.length).toBeGreaterThan(0);
    expect(sqlite.columns.length).toBeGreaterThan(150);
    expect(sqlite.indexes.length).toBeGreaterThan(25);
    expect(postgres.columns).toEqual(sqlite.columns);
    expect(postgres.indexes).toEqual(sqlite.indexes);
  });

  it('compares text in byte order on PostgreSQL too (COLLATE "C", as SQLite\'s BINARY), whatever the locale', async () => {
    schema ??= await createTestSchema(testPostgresUrl());
    const store = await openPostgresStore({
      url: testPostgresUrl(),
      schema: schema.schema,
      encryptionKey: KEY_HEX,
    });
    await store.close();
    const client = new pg.Client({ connectionString: testPostgresUrl() });
    await client.connect();
    try {
      const { rows } = await client.query<{ column: string; collation: string | null }>(
        `SELECT table_name || '.' || column_name AS column, collation_name AS collation
         FROM information_schema.columns WHERE table_schema = $1 AND data_type = 'text'
           AND table_name NOT LIKE 'store_migration%'`,
        [schema.schema],
      );
      expect(rows.length).toBeGreaterThan(50);
      expect(rows.filter((r) => r.collation !== "C")).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
