import { createHash } from "node:crypto";

/** Short, stable hash of a key (hex). */
export function shortHash(key: string, length = 16): string {
  return createHash("sha256").update(key, "utf8").digest("hex").slice(0, length);
}

/** Log-safe reference to a phone number: never log the number itself. */
export function phoneRef(e164: string): string {
  return `ph_${shortHash(e164, 10)}`;
}
