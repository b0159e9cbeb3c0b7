import type { PgMigration } from "./types.js";

export const migration0002: PgMigration = {
  version: 2,
  name: "cross-process locks",
  sql: "CREATE TABLE locks (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at BIGINT NOT NULL);",
};
