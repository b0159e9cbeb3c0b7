import { createHash } from "node:crypto";

/** BulkSMS keeps at most 20 characters of `userSuppliedId`. */
export const USER_SUPPLIED_ID_MAX = 20;

/**
 * Characters we allow: they survive the `filter` syntax (`userSuppliedId=value`, clauses joined by `&`).
 * `&`, `=`, `<`, `>` and whitespace would break or change a filter, so they are refused.
 */
const SAFE = /^[A-Za-z0-9._:~@#/+-]+$/;

/** Why `id` is not a usable userSuppliedId, or undefined when it is. */
export function checkUserSuppliedId(id: string): string | undefined {
  if (id.length === 0) return "userSuppliedId must not be empty";
  if (id.length > USER_SUPPLIED_ID_MAX)
    return `userSuppliedId is ${id.length} characters; BulkSMS keeps at most ${USER_SUPPLIED_ID_MAX}`;
  if (!SAFE.test(id)) return "userSuppliedId may only contain letters, digits and . _ : ~ @ # / + -";
  return undefined;
}

/**
 * A userSuppliedId for any key: the key itself when it already fits (e.g. a 20-char GHL id), otherwise
 * "h" + the first 19 base64url characters of SHA-256(key) — stable, 20 characters, filter-safe.
 */
export function userSuppliedIdFor(key: string): string {
  if (checkUserSuppliedId(key) === undefined) return key;
  return `h${createHash("sha256")
    .update(key, "utf8")
    .digest("base64url")
    .slice(0, USER_SUPPLIED_ID_MAX - 1)}`;
}
