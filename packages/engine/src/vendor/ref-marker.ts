import { shortHash } from "../core/hash.js";

/**
 * The marker embedded at the end of every note and task body we write: `[ref:<16 hex>]`, a hash of the
 * write's idempotency key. After a crash between the vendor call and our commit, the contact's notes or
 * tasks are searched for it before writing again.
 */
export function refMarker(key: string): string {
  return `[ref:${shortHash(key)}]`;
}

export function withMarker(body: string, key: string): string {
  return `${body}\n\n${refMarker(key)}`;
}

export function hasMarker(body: string | null | undefined, key: string): boolean {
  return typeof body === "string" && body.includes(refMarker(key));
}
