import type { Selectable } from "kysely";
import { checkOptOutInput } from "../../opt-out-input.js";
import type { OptOut, OptOutSource, OptOutState, OptOutsRepo } from "../../types.js";
import { type Db, type KyselyContext, num, numOrNull, withLocation } from "../context.js";
import type { OptOutsTable } from "../schema.js";

function toOptOut(row: Selectable<OptOutsTable>): OptOut {
  const at = num(row.at);
  return {
    locationId: row.location_id,
    phoneE164: row.phone_e164,
    channel: row.channel,
    state: row.state as OptOutState,
    source: row.source as OptOutSource,
    note: row.note ?? null,
    at,
    eventAt: numOrNull(row.event_at) ?? at,
    eventKey: row.event_key ?? null,
    eventSeq: row.event_seq ?? null,
  };
}

function values(o: OptOut) {
  return {
    location_id: o.locationId,
    phone_e164: o.phoneE164,
    channel: o.channel,
    state: o.state,
    source: o.source,
    note: o.note,
    at: o.at,
    event_at: o.eventAt,
    event_key: o.eventKey,
    event_seq: o.eventSeq,
  };
}

/** Current opt-out state plus the append-only history of consent events (rules: see the SQLite store). */
export function createOptOutsRepo(ctx: KyselyContext): OptOutsRepo {
  const getRow = (db: Db, locationId: string, phone: string, channel: string) =>
    db
      .selectFrom("opt_outs")
      .selectAll()
      .where("location_id", "=", locationId)
      .where("phone_e164", "=", phone)
      .where("channel", "=", channel)
      .executeTakeFirst();
  const append = async (db: Db, event: OptOut): Promise<boolean> => {
    const row = await withLocation(ctx, event.locationId, () =>
      db
        .insertInto("opt_out_history")
        .values(values(event))
        .onConflict((oc) => oc.doNothing())
        .returning("id")
        .executeTakeFirst(),
    );
    return row !== undefined;
  };
  const upsert = (db: Db, o: OptOut) =>
    withLocation(ctx, o.locationId, () =>
      db
        .insertInto("opt_outs")
        .values(values(o))
        .onConflict((oc) =>
          oc.columns(["location_id", "phone_e164", "channel"]).doUpdateSet((eb) => ({
            state: eb.ref("excluded.state"),
            source: eb.ref("excluded.source"),
            note: eb.ref("excluded.note"),
            at: eb.ref("excluded.at"),
            event_at: eb.ref("excluded.event_at"),
            event_key: eb.ref("excluded.event_key"),
            event_seq: eb.ref("excluded.event_seq"),
          })),
        )
        .execute(),
    );
  return {
    set(input) {
      try {
        checkOptOutInput(input);
      } catch (error) {
        return Promise.reject(error);
      }
      const channel = input.channel ?? "sms";
      return ctx.write(`opt-outs:${input.locationId}:${input.phoneE164}:${channel}`, async (db) => {
        const at = input.at ?? ctx.now();
        const eventAt = input.eventAt ?? at;
        const row = await getRow(db, input.locationId, input.phoneE164, channel);
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
        if (!(await append(db, event))) return { changed: false, previous };
        // the later event decides; at the same instant an opt-out wins over an opt-in
        const older =
          previous !== null &&
          (previous.eventAt > eventAt ||
            (previous.eventAt === eventAt && previous.state === "opted_out" && input.state === "opted_in"));
        if (older) return { changed: false, previous };
        await upsert(db, event);
        return { changed: previous?.state !== input.state, previous };
      });
    },
    record(input) {
      try {
        checkOptOutInput(input);
      } catch (error) {
        return Promise.reject(error);
      }
      return ctx.write(null, async (db) => ({
        inserted: await append(db, {
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
        }),
      }));
    },
    put(record) {
      try {
        checkOptOutInput(record);
      } catch (error) {
        return Promise.reject(error);
      }
      return ctx.write(null, async (db) => {
        await upsert(db, { ...record, channel: record.channel ?? "sms", eventSeq: record.eventSeq ?? null });
      });
    },
    get(locationId, phoneE164, channel = "sms") {
      return ctx.run(async (db) => {
        const row = await getRow(db, locationId, phoneE164, channel);
        return row ? toOptOut(row) : null;
      });
    },
    isOptedOut(locationId, phoneE164, channel = "sms") {
      return ctx.run(async (db) => (await getRow(db, locationId, phoneE164, channel))?.state === "opted_out");
    },
    history(locationId, phoneE164, channel = "sms") {
      return ctx.run(async (db) =>
        (
          await db
            .selectFrom("opt_out_history")
            .selectAll()
            .where("location_id", "=", locationId)
            .where("phone_e164", "=", phoneE164)
            .where("channel", "=", channel)
            .orderBy("id")
            .execute()
        ).map(toOptOut),
      );
    },
    list(options) {
      return ctx.run(async (db) => {
        let query = db
          .selectFrom("opt_outs")
          .selectAll()
          .where("location_id", "=", options.locationId)
          .where("at", ">=", options.since ?? 0);
        if (options.state) query = query.where("state", "=", options.state);
        return (
          await query
            .orderBy("at")
            .orderBy("phone_e164")
            .limit(options.limit ?? 10_000)
            .execute()
        ).map(toOptOut);
      });
    },
  };
}
