import type { Selectable } from "kysely";
import type { Location, LocationsRepo } from "../../types.js";
import { affected, type KyselyContext, num } from "../context.js";
import { json } from "../dialect.js";
import type { LocationsTable } from "../schema.js";

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export function createLocationsRepo(ctx: KyselyContext): LocationsRepo {
  const toLocation = (row: Selectable<LocationsTable>): Location => ({
    id: row.id,
    name: row.name,
    region: row.region,
    timezone: row.timezone,
    quietHours: { start: row.quiet_start, end: row.quiet_end },
    settings: ctx.dialect.readJson(row.settings),
    active: ctx.dialect.readBool(row.active),
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  });
  return {
    upsert(input) {
      for (const [label, value] of [
        ["quietHours.start", input.quietHours?.start],
        ["quietHours.end", input.quietHours?.end],
      ] as const) {
        if (value !== undefined && !HHMM.test(value)) {
          return Promise.reject(
            new TypeError(
              `location ${input.id}: ${label} must be "HH:MM" (24h), got ${JSON.stringify(value)}`,
            ),
          );
        }
      }
      return ctx.write(`locations:${input.id}`, async (db) => {
        const now = ctx.now();
        const existing = await db
          .selectFrom("locations")
          .selectAll()
          .where("id", "=", input.id)
          .executeTakeFirst();
        const prev = existing ? toLocation(existing) : null;
        const next = {
          id: input.id,
          name: input.name ?? prev?.name ?? "",
          region: input.region ?? prev?.region ?? "US",
          timezone: input.timezone ?? prev?.timezone ?? "UTC",
          quiet_start: input.quietHours?.start ?? prev?.quietHours.start ?? "08:00",
          quiet_end: input.quietHours?.end ?? prev?.quietHours.end ?? "21:00",
          settings: json(input.settings !== undefined ? input.settings : (prev?.settings ?? {})) ?? "{}",
          active: ctx.dialect.bool(input.active ?? prev?.active ?? true),
          created_at: prev?.createdAt ?? now,
          updated_at: now,
        };
        const row = await db
          .insertInto("locations")
          .values(next)
          .onConflict((oc) =>
            oc.column("id").doUpdateSet((eb) => ({
              name: eb.ref("excluded.name"),
              region: eb.ref("excluded.region"),
              timezone: eb.ref("excluded.timezone"),
              quiet_start: eb.ref("excluded.quiet_start"),
              quiet_end: eb.ref("excluded.quiet_end"),
              settings: eb.ref("excluded.settings"),
              active: eb.ref("excluded.active"),
              updated_at: eb.ref("excluded.updated_at"),
            })),
          )
          .returningAll()
          .executeTakeFirstOrThrow();
        return toLocation(row);
      });
    },
    get(id) {
      return ctx.run(async (db) => {
        const row = await db.selectFrom("locations").selectAll().where("id", "=", id).executeTakeFirst();
        return row ? toLocation(row) : null;
      });
    },
    list(options = {}) {
      return ctx.run(async (db) => {
        let query = db.selectFrom("locations").selectAll().orderBy("id");
        if (options.activeOnly) query = query.where("active", "=", ctx.dialect.bool(true));
        return (await query.execute()).map(toLocation);
      });
    },
    setActive(id, active) {
      return ctx.run(
        async (db) =>
          affected(
            await db
              .updateTable("locations")
              .set({ active: ctx.dialect.bool(active), updated_at: ctx.now() })
              .where("id", "=", id)
              .executeTakeFirst(),
          ) > 0,
      );
    },
  };
}
