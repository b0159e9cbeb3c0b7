import { sql } from "kysely";
import type { SettingsRepo } from "../../types.js";
import { affected, type KyselyContext } from "../context.js";

/** A small key-value table for JSON settings (not for secrets: use `secrets`). */
export function createSettingsRepo(ctx: KyselyContext): SettingsRepo {
  return {
    get<T>(key: string) {
      return ctx.run(async (db) => {
        const row = await db.selectFrom("settings").select("value").where("key", "=", key).executeTakeFirst();
        return row ? (ctx.dialect.readJson(row.value) as T) : null;
      });
    },
    set(key, value) {
      return ctx.run(async (db) => {
        if (value === undefined) throw new TypeError(`settings.set(${key}): value must not be undefined`);
        await db
          .insertInto("settings")
          .values({ key, value: JSON.stringify(value), updated_at: ctx.now() })
          .onConflict((oc) =>
            oc.column("key").doUpdateSet((eb) => ({
              value: eb.ref("excluded.value"),
              updated_at: eb.ref("excluded.updated_at"),
            })),
          )
          .execute();
      });
    },
    delete(key) {
      return ctx.run(
        async (db) => affected(await db.deleteFrom("settings").where("key", "=", key).executeTakeFirst()) > 0,
      );
    },
    list(prefix = "") {
      return ctx.run(async (db) =>
        (
          await db
            .selectFrom("settings")
            .select(["key", "value"])
            .where(sql<string>`substr(key, 1, ${prefix.length})`, "=", prefix)
            .orderBy("key")
            .execute()
        ).map((row) => ({ key: row.key, value: ctx.dialect.readJson(row.value) })),
      );
    },
  };
}
