import { createHash, randomBytes, randomInt } from "node:crypto";
import { compareStatus, MESSAGE_STATUSES } from "../status-rank.js";
import type { MessageRecord, MessageStatus, MessagesRepo, UpdateStatusResult } from "../types.js";
import type { SqlContext } from "./context.js";
import { withLocation } from "./fk.js";
import { fromJson, num, numOrNull, type Row, str, strOrNull, toJson } from "./json.js";

const INT32_MAX = 2_147_483_647;

function toMessage(row: Row): MessageRecord {
  return {
    id: str(row.id),
    key: str(row.key),
    locationId: str(row.location_id),
    contactId: strOrNull(row.contact_id),
    to: str(row.to_e164),
    body: str(row.body),
    bodyHash: str(row.body_hash),
    template: strOrNull(row.template),
    dedupId: num(row.dedup_id),
    providerIds: fromJson(row.provider_ids) as string[],
    status: str(row.status) as MessageStatus,
    subtype: strOrNull(row.subtype),
    statusAt: num(row.status_at),
    sendAfter: num(row.send_after),
    attempts: num(row.attempts),
    error: strOrNull(row.error),
    cost: numOrNull(row.cost),
    retryOf: strOrNull(row.retry_of),
    meta: fromJson(row.meta),
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  };
}

export function bodyHash(body: string): string {
  return createHash("sha256").update(body, "utf8").digest("hex").slice(0, 32);
}

function assertStatus(status: string): asserts status is MessageStatus {
  if (!(MESSAGE_STATUSES as string[]).includes(status)) {
    throw new TypeError(
      `unknown message status ${JSON.stringify(status)}; expected one of ${MESSAGE_STATUSES.join(", ")}`,
    );
  }
}

export function createMessagesRepo(ctx: SqlContext): MessagesRepo {
  const getRow = (id: string) =>
    ctx.prepare("SELECT * FROM messages WHERE id = ?").get(id) as Row | undefined;
  const getByKeyRow = (key: string) =>
    ctx.prepare("SELECT * FROM messages WHERE key = ?").get(key) as Row | undefined;

  function applyStatus(
    id: string,
    status: MessageStatus,
    fields: { subtype?: string | null; at?: number; cost?: number | null; error?: string | null },
  ): UpdateStatusResult {
    assertStatus(status);
    const row = getRow(id);
    if (!row) return { updated: false, reason: "not_found" };
    const current = toMessage(row);
    const verdict = compareStatus(current, { status, subtype: fields.subtype ?? null });
    if (verdict !== "apply") return { updated: false, reason: verdict, message: current };
    const now = ctx.now();
    ctx
      .prepare(
        `UPDATE messages SET status = ?, subtype = ?, status_at = ?, cost = COALESCE(?, cost),
           error = CASE WHEN ? THEN ? ELSE error END, updated_at = ? WHERE id = ?`,
      )
      .run(
        status,
        fields.subtype ?? null,
        fields.at ?? now,
        fields.cost ?? null,
        fields.error === undefined ? 0 : 1,
        fields.error ?? null,
        now,
        id,
      );
    return { updated: true, previous: current.status, message: toMessage(getRow(id)!) };
  }

  return {
    create(input) {
      return ctx.write(() => {
        const existing = getByKeyRow(input.key);
        if (existing) return { created: false, existing: toMessage(existing) };
        if (typeof input.to !== "string" || !/^\+[1-9]\d{6,14}$/.test(input.to)) {
          throw new TypeError(`message ${input.key}: "to" must be an E.164 number (+ and 7-15 digits)`);
        }
        const now = ctx.now();
        // 18 characters, so it fits BulkSMS's 20-character userSuppliedId unchanged.
        const id = `m_${randomBytes(12).toString("base64url")}`;
        if (
          input.dedupId !== undefined &&
          !(Number.isInteger(input.dedupId) && input.dedupId >= 1 && input.dedupId <= INT32_MAX)
        ) {
          throw new TypeError(`message ${input.key}: dedupId must be an integer in 1..${INT32_MAX}`);
        }
        const insert = ctx.prepare(
          `INSERT INTO messages (id, key, location_id, contact_id, to_e164, body, body_hash, template, dedup_id, status,
             status_at, send_after, retry_of, meta, created_at, updated_at)
           VALUES (@id, @key, @location_id, @contact_id, @to, @body, @body_hash, @template, @dedup_id, 'QUEUED',
             @now, @send_after, @retry_of, @meta, @now, @now)
           ON CONFLICT (dedup_id) DO NOTHING`,
        );
        // A random int32 deduplication id, unique in the table (and unlikely to collide with a previous
        // database's ids within BulkSMS's ~12 h memory, unlike a counter that restarts at 1).
        for (let attempt = 0; attempt < 20; attempt++) {
          const info = withLocation(input.locationId, () =>
            insert.run({
              id,
              key: input.key,
              location_id: input.locationId,
              contact_id: input.contactId ?? null,
              to: input.to,
              body: input.body,
              body_hash: bodyHash(input.body),
              template: input.template ?? null,
              dedup_id: input.dedupId ?? randomInt(1, INT32_MAX),
              now,
              send_after: input.sendAfter ?? now,
              retry_of: input.retryOf ?? null,
              meta: toJson(input.meta),
            }),
          );
          if (info.changes > 0) return { created: true, message: toMessage(getRow(id)!) };
          if (input.dedupId !== undefined) {
            throw new TypeError(
              `message ${input.key}: dedupId ${input.dedupId} is already used by another message`,
            );
          }
        }
        throw new Error("could not allocate a unique deduplication id after 20 attempts");
      });
    },
    get(id) {
      return ctx.run(() => {
        const row = getRow(id);
        return row ? toMessage(row) : null;
      });
    },
    getByKey(key) {
      return ctx.run(() => {
        const row = getByKeyRow(key);
        return row ? toMessage(row) : null;
      });
    },
    findByProviderId(providerId) {
      return ctx.run(() => {
        const row = ctx
          .prepare(
            "SELECT m.* FROM message_provider_ids p JOIN messages m ON m.id = p.message_id WHERE p.provider_id = ?",
          )
          .get(providerId) as Row | undefined;
        return row ? toMessage(row) : null;
      });
    },
    markSubmitted(id, result) {
      return ctx.write(() => {
        const row = getRow(id);
        if (!row) return { updated: false, reason: "not_found" } as const;
        const merged = [...new Set([...(fromJson(row.provider_ids) as string[]), ...result.providerIds])];
        ctx
          .prepare("UPDATE messages SET provider_ids = ?, updated_at = ? WHERE id = ?")
          .run(JSON.stringify(merged), ctx.now(), id);
        const link = ctx.prepare(
          "INSERT INTO message_provider_ids (provider_id, message_id) VALUES (?, ?) ON CONFLICT (provider_id) DO NOTHING",
        );
        for (const providerId of result.providerIds) link.run(providerId, id);
        const outcome = applyStatus(id, result.status ?? "ACCEPTED", {
          subtype: result.subtype ?? null,
          cost: result.cost ?? null,
        });
        if (outcome.updated || outcome.reason === "not_found") return outcome;
        return { ...outcome, message: toMessage(getRow(id)!) };
      });
    },
    updateStatus(id, update) {
      return ctx.write(() => applyStatus(id, update.status, update));
    },
    recordAttempt(id, options = {}) {
      return ctx.write(() => {
        ctx
          .prepare("UPDATE messages SET attempts = attempts + 1, error = ?, updated_at = ? WHERE id = ?")
          .run(options.error ?? null, ctx.now(), id);
        const row = getRow(id);
        return row ? toMessage(row) : null;
      });
    },
    defer(id, sendAfter) {
      return ctx.run(
        () =>
          ctx
            .prepare("UPDATE messages SET send_after = ?, updated_at = ? WHERE id = ? AND status = 'QUEUED'")
            .run(sendAfter, ctx.now(), id).changes > 0,
      );
    },
    listDue(options) {
      return ctx.run(() => {
        const now = options.now ?? ctx.now();
        const rows = options.locationId
          ? ctx
              .prepare(
                "SELECT * FROM messages WHERE status = 'QUEUED' AND send_after <= ? AND location_id = ? ORDER BY send_after, created_at, rowid LIMIT ?",
              )
              .all(now, options.locationId, options.limit ?? 100)
          : ctx
              .prepare(
                "SELECT * FROM messages WHERE status = 'QUEUED' AND send_after <= ? ORDER BY send_after, created_at, rowid LIMIT ?",
              )
              .all(now, options.limit ?? 100);
        return (rows as Row[]).map(toMessage);
      });
    },
    lastContactTextedAt(locationId, phoneE164) {
      return ctx.run(() => {
        const row = ctx
          .prepare(
            `SELECT * FROM messages WHERE location_id = ? AND to_e164 = ? AND contact_id IS NOT NULL
             ORDER BY created_at DESC, id DESC LIMIT 1`,
          )
          .get(locationId, phoneE164) as Row | undefined;
        return row ? toMessage(row) : null;
      });
    },
    listForContact(locationId, contactId, options = {}) {
      return ctx.run(() =>
        (
          ctx
            .prepare(
              "SELECT * FROM messages WHERE location_id = ? AND contact_id = ? ORDER BY created_at DESC, id LIMIT ?",
            )
            .all(locationId, contactId, options.limit ?? 100) as Row[]
        ).map(toMessage),
      );
    },
    list(options = {}) {
      return ctx.run(() => {
        const where: string[] = [];
        const params: unknown[] = [];
        if (options.locationId !== undefined) {
          where.push("location_id = ?");
          params.push(options.locationId);
        }
        if (options.status !== undefined) {
          const statuses: readonly string[] =
            typeof options.status === "string" ? [options.status] : options.status;
          for (const s of statuses) assertStatus(s);
          if (statuses.length === 0) return [];
          where.push(`status IN (${statuses.map(() => "?").join(", ")})`);
          params.push(...statuses);
        }
        if (options.since !== undefined) {
          where.push("created_at >= ?");
          params.push(options.since);
        }
        const limit = options.limit ?? 100;
        if (!Number.isInteger(limit) || limit < 0)
          throw new TypeError(`messages.list: limit must be a non-negative integer, got ${limit}`);
        const sql = `SELECT * FROM messages${where.length ? ` WHERE ${where.join(" AND ")}` : ""}
          ORDER BY created_at DESC, rowid DESC LIMIT ?`;
        return (ctx.prepare(sql).all(...params, Math.min(limit, 10_000)) as Row[]).map(toMessage);
      });
    },
    cancelPendingForLocation(locationId, reason) {
      return ctx.run(() => {
        const now = ctx.now();
        return ctx
          .prepare(
            `UPDATE messages SET status = 'CANCELLED', status_at = ?, error = ?, updated_at = ?
             WHERE location_id = ? AND status = 'QUEUED'`,
          )
          .run(now, reason, now, locationId).changes;
      });
    },
    cancelPending(locationId, contactId, reason, options = {}) {
      return ctx.run(() => {
        const now = ctx.now();
        const prefixes = (options.exceptKeyPrefixes ?? []).filter((p) => p.length > 0);
        const except = prefixes.map(() => " AND substr(key, 1, ?) <> ?").join("");
        return ctx
          .prepare(
            `UPDATE messages SET status = 'CANCELLED', status_at = ?, error = ?, updated_at = ?
             WHERE location_id = ? AND contact_id = ? AND status = 'QUEUED'${except}`,
          )
          .run(now, reason, now, locationId, contactId, ...prefixes.flatMap((p) => [p.length, p])).changes;
      });
    },
    countByStatus(locationId) {
      return ctx.run(() => {
        const counts = Object.fromEntries(MESSAGE_STATUSES.map((s) => [s, 0])) as Record<
          MessageStatus,
          number
        >;
        const rows = (
          locationId
            ? ctx
                .prepare("SELECT status, COUNT(*) AS n FROM messages WHERE location_id = ? GROUP BY status")
                .all(locationId)
            : ctx.prepare("SELECT status, COUNT(*) AS n FROM messages GROUP BY status").all()
        ) as Row[];
        for (const row of rows) counts[row.status as MessageStatus] = num(row.n);
        return counts;
      });
    },
  };
}
