/**
 * The store's tables as Kysely sees them, shared by both dialects.
 *
 * Two column kinds differ by dialect and are typed loosely here (dialect.ts converts them):
 * - `Bool`: SQLite INTEGER 0/1, PostgreSQL boolean;
 * - `Json`: SQLite TEXT holding JSON, PostgreSQL jsonb (written as JSON text, read back parsed).
 * Epoch-ms columns are INTEGER on SQLite and BIGINT on PostgreSQL; both come back as numbers (the PostgreSQL
 * pool parses int8 itself, see postgres/pool.ts).
 */
import type { Generated } from "kysely";

export type Bool = number | boolean;
/** Written as JSON text (or null); read back as text (SQLite) or parsed (PostgreSQL): use dialect.json(). */
export type Json = unknown;

export interface StoreMetaTable {
  key: string;
  value: string;
}

export interface LocationsTable {
  id: string;
  name: string;
  region: string;
  timezone: string;
  quiet_start: string;
  quiet_end: string;
  settings: Json;
  active: Bool;
  created_at: number;
  updated_at: number;
}

export interface TokensTable {
  owner_id: string;
  ciphertext: string;
  expires_at: number | null;
  token_type: string | null;
  updated_at: number;
}

export interface SecretsTable {
  name: string;
  ciphertext: string;
  updated_at: number;
}

export interface ContactsTable {
  location_id: string;
  contact_id: string;
  ghl: Json;
  profile: Json;
  base: Json;
  phone_e164: string | null;
  email_norm: string | null;
  name_key: string | null;
  date_updated: number | null;
  deleted: Bool;
  retired: Bool;
  welcome_sent_at: number | null;
  last_seen_at: number | null;
  consent_checked_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface MessagesTable {
  id: string;
  key: string;
  location_id: string;
  contact_id: string | null;
  to_e164: string;
  body: string;
  body_hash: string;
  template: string | null;
  dedup_id: number;
  provider_ids: Generated<Json>;
  status: string;
  subtype: string | null;
  status_at: number;
  send_after: number;
  attempts: Generated<number>;
  error: string | null;
  cost: number | null;
  retry_of: string | null;
  meta: Json;
  created_at: number;
  updated_at: number;
}

export interface MessageProviderIdsTable {
  provider_id: string;
  message_id: string;
}

export interface InboxTable {
  id: Generated<number>;
  source: string;
  event_id: string;
  event_type: string | null;
  location_id: string | null;
  payload: string;
  status: Generated<string>;
  error: string | null;
  received_at: number;
  processed_at: number | null;
}

export interface JobsTable {
  id: Generated<number>;
  name: string;
  payload: Json;
  key: string;
  location_id: string | null;
  priority: Generated<number>;
  state: string;
  run_at: number;
  attempts: Generated<number>;
  last_error: string | null;
  lease_owner: string | null;
  lease_until: number | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export interface OptOutsTable {
  location_id: string;
  phone_e164: string;
  channel: string;
  state: string;
  source: string;
  note: string | null;
  at: number;
  event_at: number | null;
  event_key: string | null;
  event_seq: string | null;
}

export interface OptOutHistoryTable extends OptOutsTable {
  id: Generated<number>;
}

export interface SyncRunsTable {
  id: Generated<number>;
  location_id: string;
  kind: string;
  status: string;
  dry_run: Bool;
  started_at: number;
  finished_at: number | null;
  heartbeat_at: number;
  owner: string | null;
  counts: Json;
  checkpoint: Json;
  resumes: Generated<number>;
  error: string | null;
}

export interface ConflictDecisionsTable {
  id: Generated<number>;
  run_id: number;
  location_id: string;
  contact_id: string;
  field: string;
  policy: string;
  decision: string;
  base: Json;
  local: Json;
  remote: Json;
  chosen: Json;
  at: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  location_id: string | null;
  vendor: string;
  operation: string;
  target_id: string | null;
  idempotency_key: string | null;
  result_status: string;
  detail: Json;
}

export interface VendorWritesTable {
  key: string;
  vendor: string;
  operation: string;
  location_id: string | null;
  state: string;
  result_id: string | null;
  attempts: Generated<number>;
  begun_at: number;
  completed_at: number | null;
}

export interface MergeUndoTable {
  id: Generated<number>;
  location_id: string;
  survivor_id: string;
  merged_id: string;
  snapshot: Json;
  status: string;
  recreated_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface FollowUpsTable {
  id: Generated<number>;
  location_id: string;
  rule_id: string;
  contact_id: string;
  step: Generated<number>;
  next_run_at: number | null;
  status: string;
  stop_reason: string | null;
  created_at: number;
  updated_at: number;
}

export interface DigestsTable {
  id: Generated<number>;
  location_id: string;
  local_date: string;
  recipient: string;
  message_id: string | null;
  summary: Json;
  sent_at: number;
}

export interface SettingsTable {
  key: string;
  value: Json;
  updated_at: number;
}

export interface LocksTable {
  name: string;
  owner: string;
  expires_at: number;
}

export interface DecisionsTable {
  id: Generated<number>;
  key: string | null;
  at: number;
  location_id: string;
  contact_id: string | null;
  phone_e164: string | null;
  purpose: string;
  kind: string;
  decision: string;
  reason: string;
  message_key: string | null;
  until: number | null;
  detail: Json;
}

export interface ContactPreviousPhonesTable {
  location_id: string;
  phone_e164: string;
  contact_id: string;
  replaced_at: number;
}

export interface RateBudgetsTable {
  resource: string;
  blocked_until: Generated<number>;
  day: string;
  day_used: Generated<number>;
}

export interface RateGrantsTable {
  id: Generated<number>;
  resource: string;
  expires_at: number;
}

export interface CampaignsTable {
  id: string;
  location_id: string;
  name: string;
  template: string;
  audience: Json;
  options: Json;
  status: string;
  error: string | null;
  summary: Json;
  created_at: number;
  updated_at: number;
}

export interface CampaignRecipientsTable {
  campaign_id: string;
  contact_id: string;
  location_id: string;
  phone_e164: string | null;
  time_zone: string;
  send_at: number;
  state: string;
  reason: string | null;
  batch_seq: number | null;
  message_id: string | null;
  submitted_at: number | null;
  replied_at: number | null;
  opted_out_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface CampaignBatchesTable {
  campaign_id: string;
  seq: number;
  dedup_id: number;
  state: string;
  size: number;
  attempts: Generated<number>;
  sealed_at: number;
  submitted_at: number | null;
  error: string | null;
}

export interface StoreSchema {
  store_meta: StoreMetaTable;
  locations: LocationsTable;
  tokens: TokensTable;
  secrets: SecretsTable;
  contacts: ContactsTable;
  messages: MessagesTable;
  message_provider_ids: MessageProviderIdsTable;
  inbox: InboxTable;
  jobs: JobsTable;
  opt_outs: OptOutsTable;
  opt_out_history: OptOutHistoryTable;
  sync_runs: SyncRunsTable;
  conflict_decisions: ConflictDecisionsTable;
  audit_log: AuditLogTable;
  vendor_writes: VendorWritesTable;
  merge_undo: MergeUndoTable;
  follow_ups: FollowUpsTable;
  digests: DigestsTable;
  settings: SettingsTable;
  locks: LocksTable;
  decisions: DecisionsTable;
  contact_previous_phones: ContactPreviousPhonesTable;
  rate_budgets: RateBudgetsTable;
  rate_grants: RateGrantsTable;
  campaigns: CampaignsTable;
  campaign_recipients: CampaignRecipientsTable;
  campaign_batches: CampaignBatchesTable;
}
