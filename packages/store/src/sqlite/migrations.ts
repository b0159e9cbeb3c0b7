/**
 * Versioned schema migrations: ordered SQL in code, applied once each, recorded in `schema_migrations`.
 * Append new migrations at the end; never edit one that has shipped.
 */
import type { Database } from "better-sqlite3";
import { SchemaTooNewError } from "../errors.js";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "initial schema",
    sql: `
CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE locations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL DEFAULT '',
  region TEXT NOT NULL DEFAULT 'US',
  timezone TEXT NOT NULL DEFAULT 'UTC',
  quiet_start TEXT NOT NULL DEFAULT '08:00',
  quiet_end TEXT NOT NULL DEFAULT '21:00',
  settings TEXT NOT NULL DEFAULT '{}',
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE tokens (
  owner_id TEXT PRIMARY KEY,
  ciphertext TEXT NOT NULL,
  expires_at INTEGER,
  token_type TEXT,
  updated_at INTEGER NOT NULL
);
CREATE INDEX tokens_expiry ON tokens (expires_at);

CREATE TABLE secrets (name TEXT PRIMARY KEY, ciphertext TEXT NOT NULL, updated_at INTEGER NOT NULL);

CREATE TABLE contacts (
  location_id TEXT NOT NULL REFERENCES locations (id),
  contact_id TEXT NOT NULL,
  ghl TEXT,
  profile TEXT,
  base TEXT,
  phone_e164 TEXT,
  email_norm TEXT,
  name_key TEXT,
  date_updated INTEGER,
  deleted INTEGER NOT NULL DEFAULT 0,
  retired INTEGER NOT NULL DEFAULT 0,
  welcome_sent_at INTEGER,
  last_seen_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (location_id, contact_id)
);
CREATE INDEX contacts_phone ON contacts (location_id, phone_e164);
CREATE INDEX contacts_email ON contacts (location_id, email_norm);
CREATE INDEX contacts_name ON contacts (location_id, name_key);
CREATE INDEX contacts_seen ON contacts (location_id, last_seen_at);
CREATE INDEX contacts_date_updated ON contacts (location_id, date_updated);
CREATE INDEX contacts_created ON contacts (location_id, created_at);

CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  location_id TEXT NOT NULL REFERENCES locations (id),
  contact_id TEXT,
  to_e164 TEXT NOT NULL,
  body TEXT NOT NULL,
  body_hash TEXT NOT NULL,
  template TEXT,
  dedup_id INTEGER NOT NULL UNIQUE,
  provider_ids TEXT NOT NULL DEFAULT '[]',
  status TEXT NOT NULL,
  subtype TEXT,
  status_at INTEGER NOT NULL,
  send_after INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  cost REAL,
  retry_of TEXT,
  meta TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX messages_due ON messages (status, send_after);
CREATE INDEX messages_contact ON messages (location_id, contact_id, created_at);

CREATE TABLE message_provider_ids (
  provider_id TEXT PRIMARY KEY,
  message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE
);

CREATE TABLE inbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  source TEXT NOT NULL,
  event_id TEXT NOT NULL,
  event_type TEXT,
  location_id TEXT,
  payload TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  error TEXT,
  received_at INTEGER NOT NULL,
  processed_at INTEGER,
  UNIQUE (source, event_id)
);
CREATE INDEX inbox_status ON inbox (status, received_at);

CREATE TABLE jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  payload TEXT NOT NULL,
  key TEXT NOT NULL UNIQUE,
  location_id TEXT,
  priority INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL,
  run_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  lease_owner TEXT,
  lease_until INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  finished_at INTEGER
);
CREATE INDEX jobs_ready ON jobs (state, run_at);
CREATE INDEX jobs_lease ON jobs (state, lease_until);
CREATE INDEX jobs_location ON jobs (location_id, state);

CREATE TABLE opt_outs (
  location_id TEXT NOT NULL REFERENCES locations (id),
  phone_e164 TEXT NOT NULL,
  channel TEXT NOT NULL,
  state TEXT NOT NULL,
  source TEXT NOT NULL,
  note TEXT,
  at INTEGER NOT NULL,
  PRIMARY KEY (location_id, phone_e164, channel)
);
CREATE INDEX opt_outs_state ON opt_outs (location_id, state, at);
CREATE TABLE opt_out_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  location_id TEXT NOT NULL,
  phone_e164 TEXT NOT NULL,
  channel TEXT NOT NULL,
  state TEXT NOT NULL,
  source TEXT NOT NULL,
  note TEXT,
  at INTEGER NOT NULL
);
CREATE INDEX opt_out_history_phone ON opt_out_history (location_id, phone_e164, channel, id);

CREATE TABLE sync_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  location_id TEXT NOT NULL REFERENCES locations (id),
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  dry_run INTEGER NOT NULL DEFAULT 0,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  heartbeat_at INTEGER NOT NULL,
  owner TEXT,
  counts TEXT NOT NULL,
  checkpoint TEXT,
  resumes INTEGER NOT NULL DEFAULT 0,
  error TEXT
);
CREATE UNIQUE INDEX sync_runs_one_running ON sync_runs (location_id) WHERE status = 'running';
CREATE INDEX sync_runs_latest ON sync_runs (location_id, kind, status, id);

CREATE TABLE conflict_decisions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id INTEGER NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
  location_id TEXT NOT NULL,
  contact_id TEXT NOT NULL,
  field TEXT NOT NULL,
  policy TEXT NOT NULL,
  decision TEXT NOT NULL,
  base TEXT,
  local TEXT,
  remote TEXT,
  chosen TEXT,
  at INTEGER NOT NULL
);
CREATE INDEX conflict_decisions_run ON conflict_decisions (run_id, id);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  location_id TEXT,
  vendor TEXT NOT NULL,
  operation TEXT NOT NULL,
  target_id TEXT,
  idempotency_key TEXT,
  result_status TEXT NOT NULL,
  detail TEXT
);
CREATE INDEX audit_log_location ON audit_log (location_id, at);
CREATE INDEX audit_log_key ON audit_log (idempotency_key);

CREATE TABLE vendor_writes (
  key TEXT PRIMARY KEY,
  vendor TEXT NOT NULL,
  operation TEXT NOT NULL,
  location_id TEXT,
  state TEXT NOT NULL,
  result_id TEXT,
  attempts INTEGER NOT NULL DEFAULT 1,
  begun_at INTEGER NOT NULL,
  completed_at INTEGER
);
CREATE INDEX vendor_writes_begun ON vendor_writes (state, begun_at);

CREATE TABLE merge_undo (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  location_id TEXT NOT NULL REFERENCES locations (id),
  survivor_id TEXT NOT NULL,
  merged_id TEXT NOT NULL,
  snapshot TEXT NOT NULL,
  status TEXT NOT NULL,
  recreated_id TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX merge_undo_location ON merge_undo (location_id, status, id);

CREATE TABLE follow_ups (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  location_id TEXT NOT NULL REFERENCES locations (id),
  rule_id TEXT NOT NULL,
  contact_id TEXT NOT NULL,
  step INTEGER NOT NULL DEFAULT 0,
  next_run_at INTEGER,
  status TEXT NOT NULL,
  stop_reason TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX follow_ups_one_active ON follow_ups (location_id, rule_id, contact_id) WHERE status = 'active';
CREATE INDEX follow_ups_due ON follow_ups (status, next_run_at);
CREATE INDEX follow_ups_contact ON follow_ups (location_id, contact_id);

CREATE TABLE digests (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  location_id TEXT NOT NULL REFERENCES locations (id),
  local_date TEXT NOT NULL,
  recipient TEXT NOT NULL,
  message_id TEXT,
  summary TEXT NOT NULL,
  sent_at INTEGER NOT NULL,
  UNIQUE (location_id, local_date, recipient)
);

CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at INTEGER NOT NULL);
`,
  },
  {
    version: 2,
    name: "cross-process locks",
    sql: `
CREATE TABLE locks (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL);
`,
  },
  {
    version: 3,
    name: "message listing indexes",
    sql: `
CREATE INDEX messages_location_created ON messages (location_id, created_at);
CREATE INDEX messages_created ON messages (created_at);
`,
  },
  {
    version: 4,
    name: "send decisions",
    sql: `
CREATE TABLE decisions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT UNIQUE,
  at INTEGER NOT NULL,
  location_id TEXT NOT NULL,
  contact_id TEXT,
  phone_e164 TEXT,
  purpose TEXT NOT NULL,
  kind TEXT NOT NULL,
  decision TEXT NOT NULL,
  reason TEXT NOT NULL,
  message_key TEXT,
  until INTEGER,
  detail TEXT
);
CREATE INDEX decisions_contact ON decisions (location_id, contact_id, at);
CREATE INDEX decisions_phone ON decisions (phone_e164, at);
`,
  },
  {
    version: 5,
    name: "contacts consent view time",
    sql: `
ALTER TABLE contacts ADD COLUMN consent_checked_at INTEGER;
`,
  },
  {
    version: 6,
    name: "opt-outs decided by the events' own times",
    sql: `
ALTER TABLE opt_outs ADD COLUMN event_at INTEGER;
ALTER TABLE opt_outs ADD COLUMN event_key TEXT;
ALTER TABLE opt_outs ADD COLUMN event_seq TEXT;
UPDATE opt_outs SET event_at = at;
ALTER TABLE opt_out_history ADD COLUMN event_at INTEGER;
ALTER TABLE opt_out_history ADD COLUMN event_key TEXT;
ALTER TABLE opt_out_history ADD COLUMN event_seq TEXT;
UPDATE opt_out_history SET event_at = at;
CREATE UNIQUE INDEX opt_out_history_event ON opt_out_history (location_id, phone_e164, channel, event_key)
  WHERE event_key IS NOT NULL;
`,
  },
  {
    version: 7,
    name: "replies from earlier numbers: replaced contact phones, messages by number",
    sql: `
CREATE TABLE contact_previous_phones (
  location_id TEXT NOT NULL,
  phone_e164 TEXT NOT NULL,
  contact_id TEXT NOT NULL,
  replaced_at INTEGER NOT NULL,
  PRIMARY KEY (location_id, phone_e164, contact_id)
);
CREATE INDEX messages_to ON messages (location_id, to_e164, created_at);
`,
  },
  {
    version: 8,
    name: "campaigns: campaigns, their recipients and their batches",
    sql: `
CREATE TABLE campaigns (
  id TEXT PRIMARY KEY,
  location_id TEXT NOT NULL REFERENCES locations (id),
  name TEXT NOT NULL,
  template TEXT NOT NULL,
  audience TEXT NOT NULL,
  options TEXT NOT NULL,
  status TEXT NOT NULL,
  error TEXT,
  summary TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX campaigns_location ON campaigns (location_id, status);
CREATE TABLE campaign_recipients (
  campaign_id TEXT NOT NULL REFERENCES campaigns (id),
  contact_id TEXT NOT NULL,
  location_id TEXT NOT NULL,
  phone_e164 TEXT,
  time_zone TEXT NOT NULL,
  send_at INTEGER NOT NULL,
  state TEXT NOT NULL,
  reason TEXT,
  batch_seq INTEGER,
  message_id TEXT,
  submitted_at INTEGER,
  replied_at INTEGER,
  opted_out_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, contact_id)
);
CREATE INDEX campaign_recipients_due ON campaign_recipients (campaign_id, state, send_at);
CREATE INDEX campaign_recipients_batch ON campaign_recipients (campaign_id, batch_seq);
CREATE INDEX campaign_recipients_phone ON campaign_recipients (location_id, phone_e164, submitted_at);
CREATE TABLE campaign_batches (
  campaign_id TEXT NOT NULL REFERENCES campaigns (id),
  seq INTEGER NOT NULL,
  dedup_id INTEGER NOT NULL,
  state TEXT NOT NULL,
  size INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  sealed_at INTEGER NOT NULL,
  submitted_at INTEGER,
  error TEXT,
  PRIMARY KEY (campaign_id, seq)
);
`,
  },
  {
    version: 9,
    name: "shared vendor rate budget",
    sql: `
CREATE TABLE rate_budgets (
  resource TEXT PRIMARY KEY,
  blocked_until INTEGER NOT NULL DEFAULT 0,
  day TEXT NOT NULL,
  day_used INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE rate_grants (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  resource TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX rate_grants_live ON rate_grants (resource, expires_at);
`,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

function currentVersion(db: Database): number {
  const row = db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as { v: number | null };
  return row.v ?? 0;
}

/**
 * Brings the database to the latest known schema. Each migration runs in its own IMMEDIATE transaction
 * and re-checks the version inside it, so two processes opening a fresh file at once do not collide.
 * Returns the versions applied (empty when already up to date).
 */
export function migrate(
  db: Database,
  options: { now: number; path: string; migrations?: readonly Migration[] },
): number[] {
  const migrations = options.migrations ?? MIGRATIONS;
  const known = migrations[migrations.length - 1]?.version ?? 0;
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
  );
  const found = currentVersion(db);
  if (found > known) throw new SchemaTooNewError(found, known, options.path);
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= found) continue;
    const apply = db.transaction(() => {
      const now = currentVersion(db);
      if (now > known) throw new SchemaTooNewError(now, known, options.path);
      if (now >= migration.version) return false;
      db.exec(migration.sql);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(
        migration.version,
        migration.name,
        options.now,
      );
      return true;
    });
    if (apply.immediate()) applied.push(migration.version);
  }
  return applied;
}

export function schemaVersion(db: Database): number {
  return currentVersion(db);
}
