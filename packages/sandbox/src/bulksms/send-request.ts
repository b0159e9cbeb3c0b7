/**
 * Parses the body of POST /messages into flat recipients, as BulkSMS reads it: one SubmissionEntry or an
 * array of them; `to` as a string, an array, `{type:"INTERNATIONAL", address}` or `{type:"GROUP", ...}`;
 * `from` as a string (auto-detected) or `{type, address}`.
 */
import type { BulkSmsEncoding } from "./encoding.js";
import { isValidInternational, toWireNumber } from "./phone.js";
import { ProblemError } from "./problem.js";

export const MAX_MESSAGES_PER_REQUEST = 30_000;
export const MAX_USER_SUPPLIED_ID = 20;
export const DEFAULT_LONG_MESSAGE_MAX_PARTS = 3;

export type SenderType = "INTERNATIONAL" | "ALPHANUMERIC" | "SHORTCODE" | "REPLIABLE";

export interface ParsedRecipient {
  to: string;
  body: string;
  encoding: BulkSmsEncoding;
  from: { type: SenderType; address: string | null } | null;
  userSuppliedId: string | null;
  longMessageMaxParts: number;
  deliveryReports: "ALL" | "ERRORS" | "NONE";
  protocolId: number;
  messageClass: number;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const PROTOCOL_IDS: Record<string, number> = {
  IMPLICIT: 0,
  SHORT_MESSAGE_TYPE_0: 64,
  REPLACE_MESSAGE_1: 65,
  REPLACE_MESSAGE_2: 66,
  REPLACE_MESSAGE_3: 67,
  REPLACE_MESSAGE_4: 68,
  REPLACE_MESSAGE_5: 69,
  REPLACE_MESSAGE_6: 70,
  REPLACE_MESSAGE_7: 71,
  RETURN_CALL: 95,
  ME_DOWNLOAD: 125,
  ME_DEPERSONALIZE: 126,
  SIM_DOWNLOAD: 127,
};
const MESSAGE_CLASSES: Record<string, number> = {
  FLASH_SMS: 0,
  ME_SPECIFIC: 1,
  SIM_SPECIFIC: 2,
  TE_SPECIFIC: 3,
};

function mnemonic(value: unknown, table: Record<string, number>, field: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && value in table) return table[value] ?? fallback;
  throw new ProblemError("bad-request", `Invalid value for '${field}': ${JSON.stringify(value)}`);
}

function parseFrom(from: unknown): ParsedRecipient["from"] {
  if (from === undefined || from === null) return null;
  if (typeof from === "string") {
    const type: SenderType = !from.startsWith("+") && /\D/.test(from) ? "ALPHANUMERIC" : "INTERNATIONAL";
    return parseFrom({ type, address: from });
  }
  if (!isObject(from))
    throw new ProblemError("bad-request", "'from' must be a string or an object with a 'type'");
  const type = from.type;
  const address = from.address;
  switch (type) {
    case "REPLIABLE":
      return { type, address: null };
    case "INTERNATIONAL":
      if (typeof address !== "string" || !/^\+?\d{7,15}$/.test(address)) {
        throw new ProblemError(
          "bad-request",
          `Invalid INTERNATIONAL sender '${String(address)}': 7 to 15 digits`,
        );
      }
      return { type, address: toWireNumber(address) };
    case "ALPHANUMERIC":
      if (typeof address !== "string" || address.length === 0 || address.length > 11) {
        throw new ProblemError(
          "bad-request",
          `Invalid ALPHANUMERIC sender '${String(address)}': 1 to 11 characters`,
        );
      }
      return { type, address };
    case "SHORTCODE":
      if (typeof address !== "string" || !/^\d{1,6}$/.test(address)) {
        throw new ProblemError(
          "bad-request",
          `Invalid SHORTCODE sender '${String(address)}': at most 6 digits`,
        );
      }
      return { type, address };
    default:
      throw new ProblemError("bad-request", `Invalid sender type ${JSON.stringify(type)}`);
  }
}

function parseTo(to: unknown): string[] {
  if (typeof to === "string") return [to];
  if (Array.isArray(to)) return to.flatMap((t) => parseTo(t));
  if (isObject(to)) {
    if (to.type === "INTERNATIONAL" && typeof to.address === "string") return [to.address];
    if (to.type === "GROUP") {
      throw new ProblemError(
        "bad-request",
        "The sandbox has no phonebook: GROUP recipients are not supported",
      );
    }
  }
  throw new ProblemError("bad-request", `Invalid 'to': ${JSON.stringify(to)}`);
}

export function parseSubmission(payload: unknown): ParsedRecipient[] {
  const entries = Array.isArray(payload) ? payload : [payload];
  if (entries.length === 0) throw new ProblemError("bad-request", "The request contains no messages");
  const out: ParsedRecipient[] = [];
  entries.forEach((entry, i) => {
    if (!isObject(entry)) throw new ProblemError("bad-request", `Entry ${i} is not an object`);
    if (entry.to === undefined || entry.to === null)
      throw new ProblemError("bad-request", `Entry ${i}: 'to' is required`);
    if (typeof entry.body !== "string")
      throw new ProblemError("bad-request", `Entry ${i}: 'body' is required`);
    const encoding = entry.encoding ?? "TEXT";
    if (encoding !== "TEXT" && encoding !== "UNICODE" && encoding !== "BINARY") {
      throw new ProblemError("bad-request", `Entry ${i}: invalid encoding ${JSON.stringify(encoding)}`);
    }
    if (encoding === "BINARY" && !/^([0-9A-Fa-f]{2})*$/.test(entry.body)) {
      throw new ProblemError("bad-request", `Entry ${i}: a BINARY body must be hex digits, two per byte`);
    }
    const usid = entry.userSuppliedId;
    if (
      usid !== undefined &&
      usid !== null &&
      (typeof usid !== "string" || usid.length > MAX_USER_SUPPLIED_ID)
    ) {
      throw new ProblemError(
        "bad-request",
        `Entry ${i}: userSuppliedId must be a string of at most ${MAX_USER_SUPPLIED_ID} characters`,
      );
    }
    const maxParts = entry.longMessageMaxParts ?? DEFAULT_LONG_MESSAGE_MAX_PARTS;
    if (typeof maxParts !== "number" || !Number.isInteger(maxParts) || maxParts < 1) {
      throw new ProblemError("bad-request", `Entry ${i}: longMessageMaxParts must be a positive integer`);
    }
    const reports = entry.deliveryReports ?? "ALL";
    if (reports !== "ALL" && reports !== "ERRORS" && reports !== "NONE") {
      throw new ProblemError("bad-request", `Entry ${i}: invalid deliveryReports ${JSON.stringify(reports)}`);
    }
    const from = parseFrom(entry.from);
    const protocolId = mnemonic(entry.protocolId, PROTOCOL_IDS, "protocolId", 0);
    const messageClass = mnemonic(entry.messageClass, MESSAGE_CLASSES, "messageClass", 2);
    for (const raw of parseTo(entry.to)) {
      if (!isValidInternational(raw)) {
        throw new ProblemError(
          "bad-request",
          `Invalid phone number '${raw}': use international format, country code first (e.g. +27821234567)`,
        );
      }
      out.push({
        to: toWireNumber(raw),
        body: entry.body,
        encoding,
        from,
        userSuppliedId: typeof usid === "string" ? usid : null,
        longMessageMaxParts: maxParts,
        deliveryReports: reports,
        protocolId,
        messageClass,
      });
      if (out.length > MAX_MESSAGES_PER_REQUEST) {
        throw new ProblemError(
          "bad-request",
          `A request may produce at most ${MAX_MESSAGES_PER_REQUEST} messages`,
        );
      }
    }
  });
  return out;
}
