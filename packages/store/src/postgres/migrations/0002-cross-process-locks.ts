import type { PgMigration } from "./types.js";

export const migration0002: PgMigration = {
  version: 2,
  name: "cross-process locks",
  sql: `CREATE TABLE locks (name TEXT COLLATE "C" PRIMARY KEY, owner TEXT COLLATE "C" NOT NULL, expires_at BIGINT NOT NULL);`,
};
