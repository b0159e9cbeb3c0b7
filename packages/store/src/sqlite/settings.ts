import type { SettingsRepo } from "../types.js";
import type { SqlContext } from "./context.js";
import { fromJson, type Row, str } from "./json.js";

/** A small key-value table for JSON settings (not for secrets: use `secrets`). */
export function createSettingsRepo(ctx: SqlContext): SettingsRepo {
  return {
    get<T>(key: string) {
      return ctx.run(() => {
        const row = ctx.prepare("SELECT value FROM settings WHERE key = ?").get(key) as Row | undefined;
        return row ? (fromJson(row.value) as T) : null;
      });
    },
    set(key, value) {
      return ctx.run(() => {
        if (value === undefined) throw new TypeError(`settings.set(${key}): value must not be undefined`);
        ctx
          .prepare(
            `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
          )
          .run(key, JSON.stringify(value), ctx.now());
      });
    },
    delete(key) {
      return ctx.run(() => ctx.prepare("DELETE FROM settings WHERE key = ?").run(key).changes > 0);
    },
    list(prefix = "") {
      return ctx.run(() =>
        (
          ctx
            .prepare("SELECT key, value FROM settings WHERE substr(key, 1, ?) = ? ORDER BY key")
            .all(prefix.length, prefix) as Row[]
        ).map((row) => ({ key: str(row.key), value: fromJson(row.value) })),
      );
    },
  };
}
