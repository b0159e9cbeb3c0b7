import type { PgMigration } from "./types.js";

export const migration0007: PgMigration = {
  version: 7,
  name: "replies from earlier numbers: replaced contact phones, messages by number",
  sql: `
CREATE TABLE contact_previous_phones (
  location_id TEXT COLLATE "C" NOT NULL,
  phone_e164 TEXT COLLATE "C" NOT NULL,
  contact_id TEXT COLLATE "C" NOT NULL,
  replaced_at BIGINT NOT NULL,
  PRIMARY KEY (location_id, phone_e164, contact_id)
);
CREATE INDEX messages_to ON messages (location_id, to_e164, created_at);
`,
};
