import type { Location, LocationsRepo } from "../types.js";
import type { SqlContext } from "./context.js";
import { bool, fromJson, int, num, type Row, str, toJson } from "./json.js";

function toLocation(row: Row): Location {
  return {
    id: str(row.id),
    name: str(row.name),
    region: str(row.region),
    timezone: str(row.timezone),
    quietHours: { start: str(row.quiet_start), end: str(row.quiet_end) },
    settings: fromJson(row.settings),
    active: bool(row.active),
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  };
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export function createLocationsRepo(ctx: SqlContext): LocationsRepo {
  const getRow = (id: string) =>
    ctx.prepare("SELECT * FROM locations WHERE id = ?").get(id) as Row | undefined;
  return {
    upsert(input) {
      return ctx.write(() => {
        for (const [label, value] of [
          ["quietHours.start", input.quietHours?.start],
          ["quietHours.end", input.quietHours?.end],
        ] as const) {
          if (value !== undefined && !HHMM.test(value)) {
            throw new TypeError(
              `location ${input.id}: ${label} must be "HH:MM" (24h), got ${JSON.stringify(value)}`,
            );
          }
        }
        const now = ctx.now();
        const existing = getRow(input.id);
        const prev = existing ? toLocation(existing) : null;
        const next = {
          id: input.id,
          name: input.name ?? prev?.name ?? "",
          region: input.region ?? prev?.region ?? "US",
          timezone: input.timezone ?? prev?.timezone ?? "UTC",
          quiet_start: input.quietHours?.start ?? prev?.quietHours.start ?? "08:00",
          quiet_end: input.quietHours?.end ?? prev?.quietHours.end ?? "21:00",
          settings: toJson(input.settings !== undefined ? input.settings : (prev?.settings ?? {})) ?? "{}",
          active: int(input.active ?? prev?.active ?? true),
          created_at: prev?.createdAt ?? now,
          updated_at: now,
        };
        ctx
          .prepare(
            `INSERT INTO locations (id, name, region, timezone, quiet_start, quiet_end, settings, active, created_at, updated_at)
             VALUES (@id, @name, @region, @timezone, @quiet_start, @quiet_end, @settings, @active, @created_at, @updated_at)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, region = excluded.region, timezone = excluded.timezone,
               quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end, settings = excluded.settings,
               active = excluded.active, updated_at = excluded.updated_at`,
          )
          .run(next);
        return toLocation(getRow(input.id)!);
      });
    },
    get(id) {
      return ctx.run(() => {
        const row = getRow(id);
        return row ? toLocation(row) : null;
      });
    },
    list(options = {}) {
      return ctx.run(() => {
        const rows = options.activeOnly
          ? ctx.prepare("SELECT * FROM locations WHERE active = 1 ORDER BY id").all()
          : ctx.prepare("SELECT * FROM locations ORDER BY id").all();
        return (rows as Row[]).map(toLocation);
      });
    },
    setActive(id, active) {
      return ctx.run(
        () =>
          ctx
            .prepare("UPDATE locations SET active = ?, updated_at = ? WHERE id = ?")
            .run(int(active), ctx.now(), id).changes > 0,
      );
    },
  };
}
