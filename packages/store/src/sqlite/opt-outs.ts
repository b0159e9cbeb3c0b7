import { checkOptOutInput } from "../opt-out-input.js";
import type { OptOut, OptOutSource, OptOutState, OptOutsRepo } from "../types.js";
import type { SqlContext } from "./context.js";
import { withLocation } from "./fk.js";
import { num, numOrNull, type Row, str, strOrNull } from "./json.js";

function toOptOut(row: Row): OptOut {
  const at = num(row.at);
  return {
    locationId: str(row.location_id),
    phoneE164: str(row.phone_e164),
    channel: str(row.channel),
    state: str(row.state) as OptOutState,
    source: str(row.source) as OptOutSource,
    note: strOrNull(row.note),
    at,
    eventAt: numOrNull(row.event_at) ?? at,
    eventKey: strOrNull(row.event_key),
    eventSeq: strOrNull(row.event_seq),
  };
}

/**
 * Current opt-out state per (location, phone, channel), plus an append-only history of every consent event
 * (once per event key). The state is decided by the events' own times, not by the order they were
 * processed in: `set` applies an event unless the current state was decided by a later event (at the same
 * instant an opt-out wins); the engine decides from the whole history and writes the result with `put`.
 */
export function createOptOutsRepo(ctx: SqlContext): OptOutsRepo {
  const getRow = (locationId: string, phone: string, channel: string) =>
    ctx
      .prepare("SELECT * FROM opt_outs WHERE location_id = ? AND phone_e164 = ? AND channel = ?")
      .get(locationId, phone, channel) as Row | undefined;
  const append = (input: {
    locationId: string;
    phoneE164: string;
    channel: string;
    state: OptOutState;
    source: OptOutSource;
    note: string | null;
    at: number;
    eventAt: number;
    eventKey: string | null;
    eventSeq: string | null;
  }): boolean =>
    withLocation(
      input.locationId,
      () =>
        ctx
          .prepare(
            `INSERT INTO opt_out_history (location_id, phone_e164, channel, state, source, note, at, event_at, event_key, event_seq)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
          )
          .run(
            input.locationId,
            input.phoneE164,
            input.channel,
            input.state,
            input.source,
            input.note,
            input.at,
            input.eventAt,
            input.eventKey,
            input.eventSeq,
          ).changes > 0,
    );
  const upsert = (o: OptOut): void => {
    withLocation(o.locationId, () =>
      ctx
        .prepare(
          `INSERT INTO opt_outs (location_id, phone_e164, channel, state, source, note, at, event_at, event_key, event_seq)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (location_id, phone_e164, channel) DO UPDATE SET state = excluded.state,
             source = excluded.source, note = excluded.note, at = excluded.at, event_at = excluded.event_at,
             event_key = excluded.event_key, event_seq = excluded.event_seq`,
        )
        .run(
          o.locationId,
          o.phoneE164,
          o.channel,
          o.state,
          o.source,
          o.note,
          o.at,
          o.eventAt,
          o.eventKey,
          o.eventSeq,
        ),
    );
  };
  return {
    set(input) {
      return ctx.run(() => {
        checkOptOutInput(input);
        const channel = input.channel ?? "sms";
        const at = input.at ?? ctx.now();
        const eventAt = input.eventAt ?? at;
        const apply = ctx.db.transaction(() => {
          const row = getRow(input.locationId, input.phoneE164, channel);
          const previous = row ? toOptOut(row) : null;
          const event: OptOut = {
            locationId: input.locationId,
            phoneE164: input.phoneE164,
            channel,
            state: input.state,
            source: input.source,
            note: input.note ?? null,
            at,
            eventAt,
            eventKey: input.eventKey ?? null,
            eventSeq: input.eventSeq ?? null,
          };
          if (!append(event)) return { changed: false, previous };
          // the later event decides; at the same instant an opt-out wins over an opt-in
          const older =
            previous !== null &&
            (previous.eventAt > eventAt ||
              (previous.eventAt === eventAt && previous.state === "opted_out" && input.state === "opted_in"));
          if (older) return { changed: false, previous };
          upsert(event);
          return { changed: previous?.state !== input.state, previous };
        });
        return apply.immediate();
      });
    },
    record(input) {
      return ctx.run(() => {
        checkOptOutInput(input);
        const inserted = append({
          locationId: input.locationId,
          phoneE164: input.phoneE164,
          channel: input.channel ?? "sms",
          state: input.state,
          source: input.source,
          note: input.note ?? null,
          at: input.at ?? ctx.now(),
          eventAt: input.eventAt,
          eventKey: input.eventKey,
          eventSeq: input.eventSeq ?? null,
        });
        return { inserted };
      });
    },
    put(record) {
      return ctx.run(() => {
        checkOptOutInput(record);
        upsert({ ...record, channel: record.channel ?? "sms", eventSeq: record.eventSeq ?? null });
      });
    },
    get(locationId, phoneE164, channel = "sms") {
      return ctx.run(() => {
        const row = getRow(locationId, phoneE164, channel);
        return row ? toOptOut(row) : null;
      });
    },
    isOptedOut(locationId, phoneE164, channel = "sms") {
      return ctx.run(() => getRow(locationId, phoneE164, channel)?.state === "opted_out");
    },
    history(locationId, phoneE164, channel = "sms") {
      return ctx.run(() =>
        (
          ctx
            .prepare(
              "SELECT * FROM opt_out_history WHERE location_id = ? AND phone_e164 = ? AND channel = ? ORDER BY id",
            )
            .all(locationId, phoneE164, channel) as Row[]
        ).map(toOptOut),
      );
    },
    list(options) {
      return ctx.run(() => {
        const where = ["location_id = ?", "at >= ?"];
        const params: unknown[] = [options.locationId, options.since ?? 0];
        if (options.state) {
          where.push("state = ?");
          params.push(options.state);
        }
        return (
          ctx
            .prepare(`SELECT * FROM opt_outs WHERE ${where.join(" AND ")} ORDER BY at, phone_e164 LIMIT ?`)
            .all(...params, options.limit ?? 10_000) as Row[]
        ).map(toOptOut);
      });
    },
  };
}
