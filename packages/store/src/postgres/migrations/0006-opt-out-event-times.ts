import type { PgMigration } from "./types.js";

export const migration0006: PgMigration = {
  version: 6,
  name: "opt-outs decided by the events' own times",
  sql: `
ALTER TABLE opt_outs ADD COLUMN event_at BIGINT;
ALTER TABLE opt_outs ADD COLUMN event_key TEXT COLLATE "C";
ALTER TABLE opt_outs ADD COLUMN event_seq TEXT COLLATE "C";
UPDATE opt_outs SET event_at = at;
ALTER TABLE opt_out_history ADD COLUMN event_at BIGINT;
ALTER TABLE opt_out_history ADD COLUMN event_key TEXT COLLATE "C";
ALTER TABLE opt_out_history ADD COLUMN event_seq TEXT COLLATE "C";
UPDATE opt_out_history SET event_at = at;
CREATE UNIQUE INDEX opt_out_history_event ON opt_out_history (location_id, phone_e164, channel, event_key)
  WHERE event_key IS NOT NULL;
`,
};
