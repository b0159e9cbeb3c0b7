import type { LocksRepo, SecretsRepo, TokensRepo } from "../../types.js";
import { affected, type KyselyContext, num } from "../context.js";

/**
 * Tokens are encrypted as one JSON blob with the same cipher and context strings as the SQLite store, so a
 * ciphertext copied between dialects decrypts with the same key; only the expiry and type stay in clear.
 */
export function createTokensRepo(ctx: KyselyContext, locks: LocksRepo): TokensRepo {
  return {
    load<T>(ownerId: string) {
      return ctx.run(async (db) => {
        const row = await db
          .selectFrom("tokens")
          .select("ciphertext")
          .where("owner_id", "=", ownerId)
          .executeTakeFirst();
        if (!row) return null;
        return JSON.parse(ctx.cipher.decrypt(row.ciphertext, `token:${ownerId}`)) as T;
      });
    },
    withLock(ownerId, fn) {
      return locks.withLock(`token-refresh:${ownerId}`, fn);
    },
    save(ownerId, value) {
      return ctx.run(async (db) => {
        const tokens = value as {
          accessToken?: unknown;
          expiresAt?: unknown;
          tokenType?: unknown;
          userType?: unknown;
        };
        if (typeof tokens?.accessToken !== "string" || tokens.accessToken === "") {
          throw new TypeError(`tokens for ${ownerId}: accessToken must be a non-empty string`);
        }
        const ciphertext = ctx.cipher.encrypt(JSON.stringify(tokens), `token:${ownerId}`);
        await db
          .insertInto("tokens")
          .values({
            owner_id: ownerId,
            ciphertext,
            expires_at: typeof tokens.expiresAt === "number" ? tokens.expiresAt : null,
            token_type: String(tokens.tokenType ?? tokens.userType ?? "") || null,
            updated_at: ctx.now(),
          })
          .onConflict((oc) =>
            oc.column("owner_id").doUpdateSet((eb) => ({
              ciphertext: eb.ref("excluded.ciphertext"),
              expires_at: eb.ref("excluded.expires_at"),
              token_type: eb.ref("excluded.token_type"),
              updated_at: eb.ref("excluded.updated_at"),
            })),
          )
          .execute();
      });
    },
    delete(ownerId) {
      return ctx.run(
        async (db) =>
          affected(await db.deleteFrom("tokens").where("owner_id", "=", ownerId).executeTakeFirst()) > 0,
      );
    },
    listExpiring(before) {
      return ctx.run(async (db) =>
        (
          await db
            .selectFrom("tokens")
            .select(["owner_id", "expires_at"])
            .where("expires_at", "is not", null)
            .where("expires_at", "<", before)
            .orderBy("expires_at")
            .execute()
        ).map((row) => ({ ownerId: row.owner_id, expiresAt: num(row.expires_at) })),
      );
    },
  };
}

export function createSecretsRepo(ctx: KyselyContext): SecretsRepo {
  return {
    get(name) {
      return ctx.run(async (db) => {
        const row = await db
          .selectFrom("secrets")
          .select("ciphertext")
          .where("name", "=", name)
          .executeTakeFirst();
        return row ? ctx.cipher.decrypt(row.ciphertext, `secret:${name}`) : null;
      });
    },
    set(name, value) {
      return ctx.run(async (db) => {
        if (typeof value !== "string") throw new TypeError(`secret ${name}: value must be a string`);
        await db
          .insertInto("secrets")
          .values({ name, ciphertext: ctx.cipher.encrypt(value, `secret:${name}`), updated_at: ctx.now() })
          .onConflict((oc) =>
            oc.column("name").doUpdateSet((eb) => ({
              ciphertext: eb.ref("excluded.ciphertext"),
              updated_at: eb.ref("excluded.updated_at"),
            })),
          )
          .execute();
      });
    },
    delete(name) {
      return ctx.run(
        async (db) =>
          affected(await db.deleteFrom("secrets").where("name", "=", name).executeTakeFirst()) > 0,
      );
    },
  };
}
