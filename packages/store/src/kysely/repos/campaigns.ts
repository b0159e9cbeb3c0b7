import { type Selectable, sql } from "kysely";
import { MESSAGE_STATUSES } from "../../status-rank.js";
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
} from "../../types.js";
import {
  affected,
  type Db,
  type KyselyContext,
  num,
  numOrNull,
  strOrNull,
  withLocation,
} from "../context.js";
import type { CampaignBatchesTable, CampaignRecipientsTable, CampaignsTable } from "../schema.js";

const RECIPIENT_STATES: readonly CampaignRecipientState[] = [
  "pending",
  "batched",
  "sent",
  "excluded",
  "cancelled",
  "failed",
];
const BATCH_STATES: readonly CampaignBatchState[] = ["sealed", "submitted", "failed"];
/** Rows per multi-row INSERT: 10 parameters each stays far below both dialects' parameter limits. */
const INSERT_CHUNK = 500;

function zeros<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

function toRecipient(row: Selectable<CampaignRecipientsTable>): CampaignRecipient {
  return {
    campaignId: row.campaign_id,
    contactId: row.contact_id,
    phoneE164: strOrNull(row.phone_e164),
    timeZone: row.time_zone,
    sendAt: num(row.send_at),
    state: row.state as CampaignRecipientState,
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

function toBatch(row: Selectable<CampaignBatchesTable>): CampaignBatch {
  return {
    campaignId: row.campaign_id,
    seq: num(row.seq),
    dedupId: num(row.dedup_id),
    state: row.state as CampaignBatchState,
    size: num(row.size),
    attempts: num(row.attempts),
    sealedAt: num(row.sealed_at),
    submittedAt: numOrNull(row.submitted_at),
    error: strOrNull(row.error),
  };
}

/**
 * Campaigns, their recipients (one row per contact) and their batches (exact membership by batch_seq), as
 * the SQLite store's `CampaignsRepo` (src/sqlite/campaigns.ts). Every write is one statement whose WHERE
 * carries its own condition (status compare-and-set, ON CONFLICT DO NOTHING, COALESCE for first-wins
 * times), so several processes on one PostgreSQL database need no advisory lock: a concurrent UPDATE
 * re-checks its WHERE on the row's newest version (READ COMMITTED).
 */
export function createCampaignsRepo(ctx: KyselyContext): CampaignsRepo {
  const toCampaign = (row: Selectable<CampaignsTable>): Campaign => ({
    id: row.id,
    locationId: row.location_id,
    name: row.name,
    template: row.template,
    audience: ctx.dialect.readJson(row.audience),
    options: ctx.dialect.readJson(row.options),
    status: row.status as CampaignStatus,
    error: strOrNull(row.error),
    summary: ctx.dialect.readJson(row.summary),
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  });
  const getRow = (db: Db, id: string) =>
    db.selectFrom("campaigns").selectAll().where("id", "=", id).executeTakeFirst();
  const batchRow = (db: Db, campaignId: string, seq: number) =>
    db
      .selectFrom("campaign_batches")
      .selectAll()
      .where("campaign_id", "=", campaignId)
      .where("seq", "=", seq)
      .executeTakeFirst();

  return {
    create(input) {
      return ctx.write(null, async (db) => {
        const existing = await getRow(db, input.id);
        if (existing) return { created: false, campaign: toCampaign(existing) };
        const at = ctx.now();
        const inserted = await withLocation(ctx, input.locationId, () =>
          db
            .insertInto("campaigns")
            .values({
              id: input.id,
              location_id: input.locationId,
              name: input.name,
              template: input.template,
              audience: JSON.stringify(input.audience ?? {}),
              options: JSON.stringify(input.options ?? {}),
              status: "draft",
              error: null,
              summary: null,
              created_at: at,
              updated_at: at,
            })
            // another process created the same id since our read: theirs stands, as on SQLite
            .onConflict((oc) => oc.column("id").doNothing())
            .executeTakeFirst(),
        );
        const created = affected(inserted) > 0;
        const row = await getRow(db, input.id);
        if (!row) throw new Error(`campaigns.create(${input.id}): the row vanished after its insert`);
        return { created, campaign: toCampaign(row) };
      });
    },
    get(id) {
      return ctx.run(async (db) => {
        const row = await getRow(db, id);
        return row ? toCampaign(row) : null;
      });
    },
    list(options = {}) {
      return ctx.run(async (db) => {
        let query = db.selectFrom("campaigns").selectAll();
        if (options.locationId) query = query.where("location_id", "=", options.locationId);
        if (options.status) query = query.where("status", "=", options.status);
        const rows = await query
          .orderBy("created_at", "desc")
          .orderBy("id")
          .limit(options.limit ?? 100)
          .execute();
        return rows.map(toCampaign);
      });
    },
    update(id, patch, from) {
      // compare-and-set in one statement: the status condition is part of the UPDATE's WHERE
      if (from && from.length === 0) return Promise.resolve(null);
      return ctx.write(null, async (db) => {
        let query = db
          .updateTable("campaigns")
          .set({
            ...(patch.status !== undefined ? { status: patch.status } : {}),
            ...(patch.options !== undefined ? { options: JSON.stringify(patch.options) } : {}),
            ...(patch.error !== undefined ? { error: patch.error } : {}),
            ...(patch.summary !== undefined ? { summary: JSON.stringify(patch.summary) } : {}),
            updated_at: ctx.now(),
          })
          .where("id", "=", id);
        if (from) query = query.where("status", "in", [...from]);
        const row = await query.returningAll().executeTakeFirst();
        return row ? toCampaign(row) : null;
      });
    },
    addRecipients(campaignId, rows) {
      return ctx.write(null, async (db) => {
        const campaign = await getRow(db, campaignId);
        if (!campaign) return 0;
        const at = ctx.now();
        let added = 0;
        for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
          const values = rows.slice(i, i + INSERT_CHUNK).map((r) => ({
            campaign_id: campaignId,
            contact_id: r.contactId,
            location_id: campaign.location_id,
            phone_e164: r.phoneE164,
            time_zone: r.timeZone,
            send_at: r.sendAt,
            state: r.state ?? "pending",
            reason: r.reason ?? null,
            created_at: at,
            updated_at: at,
          }));
          added += affected(
            await db
              .insertInto("campaign_recipients")
              .values(values)
              .onConflict((oc) => oc.columns(["campaign_id", "contact_id"]).doNothing())
              .executeTakeFirst(),
          );
        }
        return added;
      });
    },
    getRecipient(campaignId, contactId) {
      return ctx.run(async (db) => {
        const row = await db
          .selectFrom("campaign_recipients")
          .selectAll()
          .where("campaign_id", "=", campaignId)
          .where("contact_id", "=", contactId)
          .executeTakeFirst();
        return row ? toRecipient(row) : null;
      });
    },
    listDue(campaignId, options) {
      return ctx.run(async (db) =>
        (
          await db
            .selectFrom("campaign_recipients")
            .selectAll()
            .where("campaign_id", "=", campaignId)
            .where("state", "=", "pending")
            .where("send_at", "<=", options.now)
            .orderBy("send_at")
            .orderBy("contact_id")
            .limit(options.limit)
            .execute()
        ).map(toRecipient),
      );
    },
    nextSendAt(campaignId) {
      return ctx.run(async (db) => {
        const row = await db
          .selectFrom("campaign_recipients")
          .select((eb) => eb.fn.min("send_at").as("t"))
          .where("campaign_id", "=", campaignId)
          .where("state", "=", "pending")
          .executeTakeFirst();
        return numOrNull(row?.t);
      });
    },
    updateRecipients(campaignId, updates) {
      return ctx.write(null, async (db) => {
        const at = ctx.now();
        for (const u of updates) {
          await db
            .updateTable("campaign_recipients")
            .set((eb) => ({
              ...(u.state !== undefined ? { state: u.state } : {}),
              ...(u.reason !== undefined ? { reason: u.reason } : {}),
              ...(u.sendAt !== undefined ? { send_at: u.sendAt } : {}),
              ...(u.batchSeq !== undefined ? { batch_seq: u.batchSeq } : {}),
              ...(u.messageId !== undefined ? { message_id: u.messageId } : {}),
              // the first time a recipient is marked sent is when its batch was accepted
              ...(u.state === "sent" ? { submitted_at: eb.fn.coalesce("submitted_at", eb.val(at)) } : {}),
              updated_at: at,
            }))
            .where("campaign_id", "=", campaignId)
            .where("contact_id", "=", u.contactId)
            .execute();
        }
      });
    },
    listRecipients(campaignId, options = {}) {
      return ctx.run(async (db) => {
        let query = db
          .selectFrom("campaign_recipients")
          .selectAll()
          .where("campaign_id", "=", campaignId)
          .where("contact_id", ">", options.afterContactId ?? "");
        if (options.state) query = query.where("state", "=", options.state);
        if (options.batchSeq !== undefined) query = query.where("batch_seq", "=", options.batchSeq);
        return (
          await query
            .orderBy("contact_id")
            .limit(options.limit ?? 1000)
            .execute()
        ).map(toRecipient);
      });
    },
    cancelPending(campaignId, reason) {
      return ctx.run(async (db) =>
        affected(
          await db
            .updateTable("campaign_recipients")
            .set({ state: "cancelled", reason, updated_at: ctx.now() })
            .where("campaign_id", "=", campaignId)
            .where("state", "=", "pending")
            .executeTakeFirst(),
        ),
      );
    },
    createBatch(input) {
      return ctx.write(null, async (db) =>
        toBatch(
          await db
            .insertInto("campaign_batches")
            .values({
              campaign_id: input.campaignId,
              seq: input.seq,
              dedup_id: input.dedupId,
              state: "sealed",
              size: input.size,
              attempts: 0,
              sealed_at: ctx.now(),
            })
            .returningAll()
            .executeTakeFirstOrThrow(),
        ),
      );
    },
    getBatch(campaignId, seq) {
      return ctx.run(async (db) => {
        const row = await batchRow(db, campaignId, seq);
        return row ? toBatch(row) : null;
      });
    },
    listBatches(campaignId, options = {}) {
      return ctx.run(async (db) => {
        let query = db.selectFrom("campaign_batches").selectAll().where("campaign_id", "=", campaignId);
        if (options.state) query = query.where("state", "=", options.state);
        return (await query.orderBy("seq").execute()).map(toBatch);
      });
    },
    lastBatchSeq(campaignId) {
      return ctx.run(async (db) => {
        const row = await db
          .selectFrom("campaign_batches")
          .select((eb) => eb.fn.max("seq").as("s"))
          .where("campaign_id", "=", campaignId)
          .executeTakeFirst();
        return numOrNull(row?.s) ?? 0;
      });
    },
    updateBatch(campaignId, seq, patch) {
      return ctx.write(null, async (db) => {
        const set = {
          ...(patch.state !== undefined ? { state: patch.state } : {}),
          ...(patch.attempts !== undefined ? { attempts: patch.attempts } : {}),
          ...(patch.submittedAt !== undefined ? { submitted_at: patch.submittedAt } : {}),
          ...(patch.error !== undefined ? { error: patch.error } : {}),
        };
        if (Object.keys(set).length === 0) return (await batchRow(db, campaignId, seq)) !== undefined;
        return (
          affected(
            await db
              .updateTable("campaign_batches")
              .set(set)
              .where("campaign_id", "=", campaignId)
              .where("seq", "=", seq)
              .executeTakeFirst(),
          ) > 0
        );
      });
    },
    counts(campaignId) {
      return ctx.run(async (db) => {
        const recipients = zeros(RECIPIENT_STATES);
        for (const r of await db
          .selectFrom("campaign_recipients")
          .select((eb) => ["state", eb.fn.countAll().as("n")])
          .where("campaign_id", "=", campaignId)
          .groupBy("state")
          .execute())
          recipients[r.state as CampaignRecipientState] = num(r.n);
        const excluded: Record<string, number> = {};
        for (const r of await db
          .selectFrom("campaign_recipients")
          .select((eb) => ["reason", eb.fn.countAll().as("n")])
          .where("campaign_id", "=", campaignId)
          .where("state", "=", "excluded")
          .groupBy("reason")
          .execute())
          excluded[strOrNull(r.reason) ?? "unknown"] = num(r.n);
        const messages = zeros(MESSAGE_STATUSES) as Record<MessageStatus, number>;
        let credits = 0;
        for (const r of await db
          .selectFrom("campaign_recipients as cr")
          .innerJoin("messages as m", "m.id", "cr.message_id")
          .select((eb) => [
            "m.status as status",
            eb.fn.countAll().as("n"),
            sql<number>`SUM(COALESCE(m.cost, 0))`.as("c"),
          ])
          .where("cr.campaign_id", "=", campaignId)
          .groupBy("m.status")
          .execute()) {
          messages[r.status as MessageStatus] = num(r.n);
          credits += num(r.c);
        }
        const responses = await db
          .selectFrom("campaign_recipients")
          .select([
            sql<number>`SUM(CASE WHEN replied_at IS NOT NULL THEN 1 ELSE 0 END)`.as("replied"),
            sql<number>`SUM(CASE WHEN opted_out_at IS NOT NULL THEN 1 ELSE 0 END)`.as("opted"),
          ])
          .where("campaign_id", "=", campaignId)
          .executeTakeFirst();
        const batches = zeros(BATCH_STATES);
        for (const r of await db
          .selectFrom("campaign_batches")
          .select((eb) => ["state", eb.fn.countAll().as("n")])
          .where("campaign_id", "=", campaignId)
          .groupBy("state")
          .execute())
          batches[r.state as CampaignBatchState] = num(r.n);
        const result: CampaignCounts = {
          recipients,
          excluded,
          messages,
          replied: numOrNull(responses?.replied) ?? 0,
          optedOut: numOrNull(responses?.opted) ?? 0,
          batches,
          credits: Math.round(credits * 1e6) / 1e6,
        };
        return result;
      });
    },
    findLatestSentTo(locationId, phoneE164, since) {
      return ctx.run(async (db) => {
        const row = await db
          .selectFrom("campaign_recipients")
          .selectAll()
          .where("location_id", "=", locationId)
          .where("phone_e164", "=", phoneE164)
          .where("state", "=", "sent")
          .where("submitted_at", ">=", since)
          .orderBy("submitted_at", "desc")
          .orderBy("campaign_id", "desc")
          .limit(1)
          .executeTakeFirst();
        return row ? toRecipient(row) : null;
      });
    },
    markResponse(campaignId, contactId, response) {
      return ctx.run(async (db) => {
        await db
          .updateTable("campaign_recipients")
          .set((eb) => ({
            replied_at: eb.fn.coalesce("replied_at", eb.val(response.repliedAt ?? null)),
            opted_out_at: eb.fn.coalesce("opted_out_at", eb.val(response.optedOutAt ?? null)),
            updated_at: ctx.now(),
          }))
          .where("campaign_id", "=", campaignId)
          .where("contact_id", "=", contactId)
          .execute();
      });
    },
  };
}
