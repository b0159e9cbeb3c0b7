import type { BulkSmsError } from "../errors/bulksms-error.js";
import { invalidResponseError } from "../errors/map-http-error.js";
import { fail, ok, type Result } from "../result.js";
import { type BulkSmsMessage, toBulkSmsMessage } from "./bulksms-message.js";

/** A response body that must be an array of messages. One unreadable item fails the whole answer. */
export function toMessageList(status: number, json: unknown): Result<BulkSmsMessage[]> {
  if (!Array.isArray(json)) return fail(invalidResponseError(status, "expected a JSON array of messages"));
  const out: BulkSmsMessage[] = [];
  for (let i = 0; i < json.length; i++) {
    const result = toBulkSmsMessage(json[i]);
    if (!result.ok) return fail(itemError(status, i, result.reason));
    out.push(result.message);
  }
  return ok(out);
}

function itemError(status: number, index: number, reason: string): BulkSmsError {
  return invalidResponseError(status, `message ${index} ${reason}`);
}
