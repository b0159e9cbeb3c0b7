import type { PgMigration } from "./types.js";

export const migration0005: PgMigration = {
  version: 5,
  name: "contacts consent view time",
  sql: "ALTER TABLE contacts ADD COLUMN consent_checked_at BIGINT;",
};
