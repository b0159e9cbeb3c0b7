import type { PgMigration } from "./types.js";

/** Port of SQLite migration 8: JSON text -> JSONB, epoch ms -> BIGINT, TEXT -> TEXT COLLATE "C". */
export const migration0008: PgMigration = {
  version: 8,
  name: "campaigns: campaigns, their recipients and their batches",
  sql: `
CREATE TABLE campaigns (
  id TEXT COLLATE "C" PRIMARY KEY,
  location_id TEXT COLLATE "C" NOT NULL REFERENCES locations (id),
  name TEXT COLLATE "C" NOT NULL,
  template TEXT COLLATE "C" NOT NULL,
  audience JSONB NOT NULL,
  options JSONB NOT NULL,
  status TEXT COLLATE "C" NOT NULL,
  error TEXT COLLATE "C",
  summary JSONB,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX campaigns_location ON campaigns (location_id, status);
CREATE TABLE campaign_recipients (
  campaign_id TEXT COLLATE "C" NOT NULL REFERENCES campaigns (id),
  contact_id TEXT COLLATE "C" NOT NULL,
  location_id TEXT COLLATE "C" NOT NULL,
  phone_e164 TEXT COLLATE "C",
  time_zone TEXT COLLATE "C" NOT NULL,
  send_at BIGINT NOT NULL,
  state TEXT COLLATE "C" NOT NULL,
  reason TEXT COLLATE "C",
  batch_seq INTEGER,
  message_id TEXT COLLATE "C",
  submitted_at BIGINT,
  replied_at BIGINT,
  opted_out_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (campaign_id, contact_id)
);
CREATE INDEX campaign_recipients_due ON campaign_recipients (campaign_id, state, send_at);
CREATE INDEX campaign_recipients_batch ON campaign_recipients (campaign_id, batch_seq);
CREATE INDEX campaign_recipients_phone ON campaign_recipients (location_id, phone_e164, submitted_at);
CREATE TABLE campaign_batches (
  campaign_id TEXT COLLATE "C" NOT NULL REFERENCES campaigns (id),
  seq INTEGER NOT NULL,
  dedup_id INTEGER NOT NULL,
  state TEXT COLLATE "C" NOT NULL,
  size INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  sealed_at BIGINT NOT NULL,
  submitted_at BIGINT,
  error TEXT COLLATE "C",
  PRIMARY KEY (campaign_id, seq)
);
`,
};
