import type { PgMigration } from "./types.js";

export const migration0003: PgMigration = {
  version: 3,
  name: "message listing indexes",
  sql: `
CREATE INDEX messages_location_created ON messages (location_id, created_at);
CREATE INDEX messages_created ON messages (created_at);
`,
};
