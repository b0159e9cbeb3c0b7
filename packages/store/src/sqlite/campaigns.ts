import { MESSAGE_STATUSES } from "../status-rank.js";
import type {
  Campaign,
  CampaignBatch,
  CampaignBatchState,
  CampaignCounts,
  CampaignRecipient,
  CampaignRecipientState,
  CampaignStatus,
  CampaignsRepo,
  MessageStatus,
} from "../types.js";
import type { SqlContext } from "./context.js";
import { withLocation } from "./fk.js";
import { fromJson, num, numOrNull, type Row, str, strOrNull } from "./json.js";

const RECIPIENT_STATES: readonly CampaignRecipientState[] = [
  "pending",
  "batched",
  "sent",
  "excluded",
  "cancelled",
  "failed",
];
const BATCH_STATES: readonly CampaignBatchState[] = ["sealed", "submitted", "failed"];

function toCampaign(row: Row): Campaign {
  return {
    id: str(row.id),
    locationId: str(row.location_id),
    name: str(row.name),
    template: str(row.template),
    audience: fromJson(row.audience),
    options: fromJson(row.options),
    status: str(row.status) as CampaignStatus,
    error: strOrNull(row.error),
    summary: fromJson(row.summary),
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  };
}

function toRecipient(row: Row): CampaignRecipient {
  return {
    campaignId: str(row.campaign_id),
    contactId: str(row.contact_id),
    phoneE164: strOrNull(row.phone_e164),
    timeZone: str(row.time_zone),
    sendAt: num(row.send_at),
    state: str(row.state) as CampaignRecipientState,
    reason: strOrNull(row.reason),
    batchSeq: numOrNull(row.batch_seq),
    messageId: strOrNull(row.message_id),
    submittedAt: numOrNull(row.submitted_at),
    repliedAt: numOrNull(row.replied_at),
    optedOutAt: numOrNull(row.opted_out_at),
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  };
}

function toBatch(row: Row): CampaignBatch {
  return {
    campaignId: str(row.campaign_id),
    seq: num(row.seq),
    dedupId: num(row.dedup_id),
    state: str(row.state) as CampaignBatchState,
    size: num(row.size),
    attempts: num(row.attempts),
    sealedAt: num(row.sealed_at),
    submittedAt: numOrNull(row.submitted_at),
    error: strOrNull(row.error),
  };
}

function zeros<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

/** Campaigns, their recipients (one row per contact) and their batches (exact membership by batch_seq). */
export function createCampaignsRepo(ctx: SqlContext): CampaignsRepo {
  const getRow = (id: string) =>
    ctx.prepare("SELECT * FROM campaigns WHERE id = ?").get(id) as Row | undefined;
  return {
    create(input) {
      return ctx.write(() => {
        const existing = getRow(input.id);
        if (existing) return { created: false, campaign: toCampaign(existing) };
        const at = ctx.now();
        withLocation(input.locationId, () =>
          ctx
            .prepare(
              `INSERT INTO campaigns (id, location_id, name, template, audience, options, status, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, 'draft', ?, ?)`,
            )
            .run(
              input.id,
              input.locationId,
              input.name,
              input.template,
              JSON.stringify(input.audience ?? {}),
              JSON.stringify(input.options ?? {}),
              at,
              at,
            ),
        );
        return { created: true, campaign: toCampaign(getRow(input.id)!) };
      });
    },
    get(id) {
      return ctx.run(() => {
        const row = getRow(id);
        return row ? toCampaign(row) : null;
      });
    },
    list(options = {}) {
      return ctx.run(() => {
        const where: string[] = [];
        const args: unknown[] = [];
        if (options.locationId) {
          where.push("location_id = ?");
          args.push(options.locationId);
        }
        if (options.status) {
          where.push("status = ?");
          args.push(options.status);
        }
        const sql = `SELECT * FROM campaigns ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
          ORDER BY created_at DESC, id LIMIT ?`;
        return (ctx.prepare(sql).all(...args, options.limit ?? 100) as Row[]).map(toCampaign);
      });
    },
    update(id, patch, from) {
      return ctx.write(() => {
        const row = getRow(id);
        if (!row) return null;
        if (from && !from.includes(str(row.status) as CampaignStatus)) return null;
        ctx
          .prepare(
            `UPDATE campaigns SET status = ?, options = ?, error = ?, summary = ?, updated_at = ? WHERE id = ?`,
          )
          .run(
            patch.status ?? row.status,
            patch.options !== undefined ? JSON.stringify(patch.options) : row.options,
            patch.error !== undefined ? patch.error : row.error,
            patch.summary !== undefined ? JSON.stringify(patch.summary) : row.summary,
            ctx.now(),
            id,
          );
        return toCampaign(getRow(id)!);
      });
    },
    addRecipients(campaignId, rows) {
      return ctx.write(() => {
        const campaign = getRow(campaignId);
        if (!campaign) return 0;
        const at = ctx.now();
        const insert = ctx.prepare(
          `INSERT INTO campaign_recipients (campaign_id, contact_id, location_id, phone_e164, time_zone, send_at,
             state, reason, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (campaign_id, contact_id) DO NOTHING`,
        );
        let added = 0;
        for (const r of rows) {
          added += insert.run(
            campaignId,
            r.contactId,
            campaign.location_id,
            r.phoneE164,
            r.timeZone,
            r.sendAt,
            r.state ?? "pending",
            r.reason ?? null,
            at,
            at,
          ).changes;
        }
        return added;
      });
    },
    getRecipient(campaignId, contactId) {
      return ctx.run(() => {
        const row = ctx
          .prepare("SELECT * FROM campaign_recipients WHERE campaign_id = ? AND contact_id = ?")
          .get(campaignId, contactId) as Row | undefined;
        return row ? toRecipient(row) : null;
      });
    },
    listDue(campaignId, options) {
      return ctx.run(() =>
        (
          ctx
            .prepare(
              `SELECT * FROM campaign_recipients WHERE campaign_id = ? AND state = 'pending' AND send_at <= ?
               ORDER BY send_at, contact_id LIMIT ?`,
            )
            .all(campaignId, options.now, options.limit) as Row[]
        ).map(toRecipient),
      );
    },
    nextSendAt(campaignId) {
      return ctx.run(() => {
        const row = ctx
          .prepare(
            "SELECT MIN(send_at) AS t FROM campaign_recipients WHERE campaign_id = ? AND state = 'pending'",
          )
          .get(campaignId) as Row;
        return numOrNull(row.t);
      });
    },
    updateRecipients(campaignId, updates) {
      return ctx.write(() => {
        const at = ctx.now();
        const stmt = ctx.prepare(
          `UPDATE campaign_recipients SET
             state = COALESCE(?, state),
             reason = CASE WHEN ? = 1 THEN ? ELSE reason END,
             send_at = COALESCE(?, send_at),
             batch_seq = CASE WHEN ? = 1 THEN ? ELSE batch_seq END,
             message_id = CASE WHEN ? = 1 THEN ? ELSE message_id END,
             submitted_at = CASE WHEN ? = 'sent' AND submitted_at IS NULL THEN ? ELSE submitted_at END,
             updated_at = ?
           WHERE campaign_id = ? AND contact_id = ?`,
        );
        for (const u of updates) {
          stmt.run(
            u.state ?? null,
            u.reason !== undefined ? 1 : 0,
            u.reason ?? null,
            u.sendAt ?? null,
            u.batchSeq !== undefined ? 1 : 0,
            u.batchSeq ?? null,
            u.messageId !== undefined ? 1 : 0,
            u.messageId ?? null,
            u.state ?? null,
            at,
            at,
            campaignId,
            u.contactId,
          );
        }
      });
    },
    listRecipients(campaignId, options = {}) {
      return ctx.run(() => {
        const where = ["campaign_id = ?", "contact_id > ?"];
        const args: unknown[] = [campaignId, options.afterContactId ?? ""];
        if (options.state) {
          where.push("state = ?");
          args.push(options.state);
        }
        if (options.batchSeq !== undefined) {
          where.push("batch_seq = ?");
          args.push(options.batchSeq);
        }
        const sql = `SELECT * FROM campaign_recipients WHERE ${where.join(" AND ")} ORDER BY contact_id LIMIT ?`;
        return (ctx.prepare(sql).all(...args, options.limit ?? 1000) as Row[]).map(toRecipient);
      });
    },
    cancelPending(campaignId, reason) {
      return ctx.write(
        () =>
          ctx
            .prepare(
              `UPDATE campaign_recipients SET state = 'cancelled', reason = ?, updated_at = ?
               WHERE campaign_id = ? AND state = 'pending'`,
            )
            .run(reason, ctx.now(), campaignId).changes,
      );
    },
    createBatch(input) {
      return ctx.write(() => {
        ctx
          .prepare(
            `INSERT INTO campaign_batches (campaign_id, seq, dedup_id, state, size, attempts, sealed_at)
             VALUES (?, ?, ?, 'sealed', ?, 0, ?)`,
          )
          .run(input.campaignId, input.seq, input.dedupId, input.size, ctx.now());
        return toBatch(
          ctx
            .prepare("SELECT * FROM campaign_batches WHERE campaign_id = ? AND seq = ?")
            .get(input.campaignId, input.seq) as Row,
        );
      });
    },
    getBatch(campaignId, seq) {
      return ctx.run(() => {
        const row = ctx
          .prepare("SELECT * FROM campaign_batches WHERE campaign_id = ? AND seq = ?")
          .get(campaignId, seq) as Row | undefined;
        return row ? toBatch(row) : null;
      });
    },
    listBatches(campaignId, options = {}) {
      return ctx.run(() =>
        (
          (options.state
            ? ctx
                .prepare("SELECT * FROM campaign_batches WHERE campaign_id = ? AND state = ? ORDER BY seq")
                .all(campaignId, options.state)
            : ctx
                .prepare("SELECT * FROM campaign_batches WHERE campaign_id = ? ORDER BY seq")
                .all(campaignId)) as Row[]
        ).map(toBatch),
      );
    },
    lastBatchSeq(campaignId) {
      return ctx.run(() => {
        const row = ctx
          .prepare("SELECT MAX(seq) AS s FROM campaign_batches WHERE campaign_id = ?")
          .get(campaignId) as Row;
        return numOrNull(row.s) ?? 0;
      });
    },
    updateBatch(campaignId, seq, patch) {
      return ctx.write(() => {
        const row = ctx
          .prepare("SELECT * FROM campaign_batches WHERE campaign_id = ? AND seq = ?")
          .get(campaignId, seq) as Row | undefined;
        if (!row) return false;
        ctx
          .prepare(
            `UPDATE campaign_batches SET state = ?, attempts = ?, submitted_at = ?, error = ?
             WHERE campaign_id = ? AND seq = ?`,
          )
          .run(
            patch.state ?? row.state,
            patch.attempts ?? row.attempts,
            patch.submittedAt ?? row.submitted_at,
            patch.error !== undefined ? patch.error : row.error,
            campaignId,
            seq,
          );
        return true;
      });
    },
    counts(campaignId) {
      return ctx.run(() => {
        const recipients = zeros(RECIPIENT_STATES);
        for (const r of ctx
          .prepare(
            "SELECT state, COUNT(*) AS n FROM campaign_recipients WHERE campaign_id = ? GROUP BY state",
          )
          .all(campaignId) as Row[])
          recipients[str(r.state) as CampaignRecipientState] = num(r.n);
        const excluded: Record<string, number> = {};
        for (const r of ctx
          .prepare(
            `SELECT reason, COUNT(*) AS n FROM campaign_recipients WHERE campaign_id = ? AND state = 'excluded'
             GROUP BY reason`,
          )
          .all(campaignId) as Row[])
          excluded[strOrNull(r.reason) ?? "unknown"] = num(r.n);
        const messages = zeros(MESSAGE_STATUSES) as Record<MessageStatus, number>;
        let credits = 0;
        for (const r of ctx
          .prepare(
            `SELECT m.status AS status, COUNT(*) AS n, SUM(COALESCE(m.cost, 0)) AS c
             FROM campaign_recipients cr JOIN messages m ON m.id = cr.message_id
             WHERE cr.campaign_id = ? GROUP BY m.status`,
          )
          .all(campaignId) as Row[]) {
          messages[str(r.status) as MessageStatus] = num(r.n);
          credits += num(r.c);
        }
        const responses = ctx
          .prepare(
            `SELECT SUM(CASE WHEN replied_at IS NOT NULL THEN 1 ELSE 0 END) AS replied,
                    SUM(CASE WHEN opted_out_at IS NOT NULL THEN 1 ELSE 0 END) AS opted
             FROM campaign_recipients WHERE campaign_id = ?`,
          )
          .get(campaignId) as Row;
        const batches = zeros(BATCH_STATES);
        for (const r of ctx
          .prepare("SELECT state, COUNT(*) AS n FROM campaign_batches WHERE campaign_id = ? GROUP BY state")
          .all(campaignId) as Row[])
          batches[str(r.state) as CampaignBatchState] = num(r.n);
        const result: CampaignCounts = {
          recipients,
          excluded,
          messages,
          replied: numOrNull(responses.replied) ?? 0,
          optedOut: numOrNull(responses.opted) ?? 0,
          batches,
          credits: Math.round(credits * 1e6) / 1e6,
        };
        return result;
      });
    },
    findLatestSentTo(locationId, phoneE164, since) {
      return ctx.run(() => {
        const row = ctx
          .prepare(
            `SELECT * FROM campaign_recipients
             WHERE location_id = ? AND phone_e164 = ? AND state = 'sent' AND submitted_at >= ?
             ORDER BY submitted_at DESC, campaign_id DESC LIMIT 1`,
          )
          .get(locationId, phoneE164, since) as Row | undefined;
        return row ? toRecipient(row) : null;
      });
    },
    markResponse(campaignId, contactId, response) {
      return ctx.write(() => {
        ctx
          .prepare(
            `UPDATE campaign_recipients SET replied_at = COALESCE(replied_at, ?),
               opted_out_at = COALESCE(opted_out_at, ?), updated_at = ?
             WHERE campaign_id = ? AND contact_id = ?`,
          )
          .run(response.repliedAt ?? null, response.optedOutAt ?? null, ctx.now(), campaignId, contactId);
      });
    },
  };
}
