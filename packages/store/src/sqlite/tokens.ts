import type { LocksRepo, SecretsRepo, TokensRepo } from "../types.js";
import type { SqlContext } from "./context.js";
import { num, type Row } from "./json.js";

/** Tokens are encrypted as one JSON blob; only the expiry and type stay in clear for queries. */
export function createTokensRepo(ctx: SqlContext, locks: LocksRepo): TokensRepo {
  return {
    load<T>(ownerId: string) {
      return ctx.run(() => {
        const row = ctx.prepare("SELECT ciphertext FROM tokens WHERE owner_id = ?").get(ownerId) as
          | Row
          | undefined;
        if (!row) return null;
        return JSON.parse(ctx.cipher.decrypt(row.ciphertext as string, `token:${ownerId}`)) as T;
      });
    },
    withLock(ownerId, fn) {
      return locks.withLock(`token-refresh:${ownerId}`, fn);
    },
    save(ownerId, value) {
      return ctx.run(() => {
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
        ctx
          .prepare(
            `INSERT INTO tokens (owner_id, ciphertext, expires_at, token_type, updated_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (owner_id) DO UPDATE SET ciphertext = excluded.ciphertext, expires_at = excluded.expires_at,
               token_type = excluded.token_type, updated_at = excluded.updated_at`,
          )
          .run(
            ownerId,
            ciphertext,
            typeof tokens.expiresAt === "number" ? tokens.expiresAt : null,
            String(tokens.tokenType ?? tokens.userType ?? "") || null,
            ctx.now(),
          );
      });
    },
    delete(ownerId) {
      return ctx.run(() => ctx.prepare("DELETE FROM tokens WHERE owner_id = ?").run(ownerId).changes > 0);
    },
    listExpiring(before) {
      return ctx.run(() =>
        (
          ctx
            .prepare(
              "SELECT owner_id, expires_at FROM tokens WHERE expires_at IS NOT NULL AND expires_at < ? ORDER BY expires_at",
            )
            .all(before) as Row[]
        ).map((row) => ({ ownerId: row.owner_id as string, expiresAt: num(row.expires_at) })),
      );
    },
  };
}

export function createSecretsRepo(ctx: SqlContext): SecretsRepo {
  return {
    get(name) {
      return ctx.run(() => {
        const row = ctx.prepare("SELECT ciphertext FROM secrets WHERE name = ?").get(name) as Row | undefined;
        return row ? ctx.cipher.decrypt(row.ciphertext as string, `secret:${name}`) : null;
      });
    },
    set(name, value) {
      return ctx.run(() => {
        if (typeof value !== "string") throw new TypeError(`secret ${name}: value must be a string`);
        ctx
          .prepare(
            `INSERT INTO secrets (name, ciphertext, updated_at) VALUES (?, ?, ?)
             ON CONFLICT (name) DO UPDATE SET ciphertext = excluded.ciphertext, updated_at = excluded.updated_at`,
          )
          .run(name, ctx.cipher.encrypt(value, `secret:${name}`), ctx.now());
      });
    },
    delete(name) {
      return ctx.run(() => ctx.prepare("DELETE FROM secrets WHERE name = ?").run(name).changes > 0);
    },
  };
}
