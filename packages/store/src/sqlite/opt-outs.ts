import type { OptOut, OptOutSource, OptOutState, OptOutsRepo } from "../types.js";
import type { SqlContext } from "./context.js";
import { withLocation } from "./fk.js";
import { num, type Row, str, strOrNull } from "./json.js";

const STATES: OptOutState[] = ["opted_out", "opted_in"];
const SOURCES: OptOutSource[] = ["sms_stop", "ghl_dnd", "bulksms_blocked", "operator", "import"];

function toOptOut(row: Row): OptOut {
  return {
    locationId: str(row.location_id),
    phoneE164: str(row.phone_e164),
    channel: str(row.channel),
    state: str(row.state) as OptOutState,
    source: str(row.source) as OptOutSource,
    note: strOrNull(row.note),
    at: num(row.at),
  };
}

/**
 * Current opt-out state per (location, phone, channel), plus an append-only history. The latest event
 * by time wins: an event older than the current state is kept in the history but does not change it.
 */
export function createOptOutsRepo(ctx: SqlContext): OptOutsRepo {
  const getRow = (locationId: string, phone: string, channel: string) =>
    ctx
      .prepare("SELECT * FROM opt_outs WHERE location_id = ? AND phone_e164 = ? AND channel = ?")
      .get(locationId, phone, channel) as Row | undefined;
  return {
    set(input) {
      return ctx.run(() => {
        if (!STATES.includes(input.state))
          throw new TypeError(`opt-out state must be one of ${STATES.join(", ")}`);
        if (!SOURCES.includes(input.source))
          throw new TypeError(`opt-out source must be one of ${SOURCES.join(", ")}`);
        const channel = input.channel ?? "sms";
        const at = input.at ?? ctx.now();
        const apply = ctx.db.transaction(() => {
          const row = getRow(input.locationId, input.phoneE164, channel);
          const previous = row ? toOptOut(row) : null;
          withLocation(input.locationId, () =>
            ctx
              .prepare(
                `INSERT INTO opt_out_history (location_id, phone_e164, channel, state, source, note, at)
                 VALUES (?, ?, ?, ?, ?, ?, ?)`,
              )
              .run(
                input.locationId,
                input.phoneE164,
                channel,
                input.state,
                input.source,
                input.note ?? null,
                at,
              ),
          );
          if (previous && previous.at > at) return { changed: false, previous };
          withLocation(input.locationId, () =>
            ctx
              .prepare(
                `INSERT INTO opt_outs (location_id, phone_e164, channel, state, source, note, at) VALUES (?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT (location_id, phone_e164, channel) DO UPDATE SET state = excluded.state,
                   source = excluded.source, note = excluded.note, at = excluded.at`,
              )
              .run(
                input.locationId,
                input.phoneE164,
                channel,
                input.state,
                input.source,
                input.note ?? null,
                at,
              ),
          );
          return { changed: previous?.state !== input.state, previous };
        });
        return apply.immediate();
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
