// One structured logger for the worker. Tokens, authorization headers, phone numbers, e-mail addresses and
// message bodies never reach the output:
// - known sensitive keys are censored wherever they appear (up to 4 levels deep, by key name),
// - every string value that looks like a phone number or an e-mail address is masked (phone-like values
//   only: a `+` number, a national number, a long standalone digit run or a whole-value number; digits
//   inside identifiers such as a workerId are kept),
// - bearer tokens and URL path secrets inside free text are masked.
import { type DestinationStream, type Logger, pino } from "pino";

export type { Logger } from "pino";

const SENSITIVE_KEYS = new Set(
  [
    "authorization",
    "cookie",
    "set-cookie",
    "x-ghl-signature",
    "x-wh-signature",
    "token",
    "accesstoken",
    "access_token",
    "refreshtoken",
    "refresh_token",
    "privatetoken",
    "agencytoken",
    "clientsecret",
    "client_secret",
    "secret",
    "tokensecret",
    "webhooksecret",
    "password",
    "apikey",
    "encryptionkey",
    "body",
    "message",
    "text",
    "phone",
    "to",
    "from",
    "email",
    "firstname",
    "first_name",
    "lastname",
    "last_name",
    "name",
  ].map((k) => k.toLowerCase()),
);
/** Under these keys, an error's `message` is kept (masked) rather than censored. */
const ERROR_KEYS = new Set(["err", "error", "cause"]);

export const REDACTED = "[redacted]";

// Phone-like values only, never digit runs inside identifiers (`worker-12345-12345678`, `msg_0123456789`,
// `v1.0.12345678`): a match may not touch a letter, digit, `_`, `-` or a `.`/`:`/`/` joined to a word.
// In free text: `+` and 8-15 digits (single spaces, dashes, dots, parentheses between them); a national
// number (0 and 8-13 digits, spaces/dashes/parentheses between them); a bare run of 10-15 digits.
const EDGE_BEFORE = String.raw`(?<![\w+-]|\w[.:/])`;
const EDGE_AFTER = String.raw`(?![\w-]|[.:/]\w)`;
const PHONE_RE = new RegExp(
  String.raw`${EDGE_BEFORE}(?:\+\d(?:[\s().-]{0,2}\d){7,14}|0\d(?:[\s()-]{0,2}\d){7,12}|\d{10,15})${EDGE_AFTER}`,
  "g",
);
/** A whole value that is a phone number: optional `+`, 8-15 digits, spaces/dashes/parentheses. */
const WHOLE_PHONE_RE = /^\s*\+?[\d\s()-]+$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}/;

function isWholePhone(text: string): boolean {
  if (!WHOLE_PHONE_RE.test(text) || DATE_RE.test(text.trim())) return false;
  const digits = text.replace(/\D/g, "").length;
  return digits >= 8 && digits <= 15;
}
const EMAIL_RE = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const BEARER_RE = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const PATH_SECRET_RE = /(\/webhooks\/(?:bulksms|ghl-workflow)\/)(?!:secret\b)[^/?\s"]+/g;

/** Masks phone numbers, e-mail addresses, bearer credentials and webhook path secrets in free text. */
export function maskText(text: string): string {
  if (isWholePhone(text)) return "[phone]";
  return text
    .replace(BEARER_RE, "$1 [redacted]")
    .replace(PATH_SECRET_RE, "$1[redacted]")
    .replace(EMAIL_RE, "[email]")
    .replace(PHONE_RE, (m) => (DATE_RE.test(m) ? m : "[phone]"));
}

/** Deep copy of a value with sensitive keys censored and free text masked. Cycles and depth are bounded. */
export function redactValue(
  value: unknown,
  depth = 0,
  seen = new WeakSet<object>(),
  parentKey = "",
): unknown {
  if (typeof value === "string") return maskText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth > 6) return "[depth]";
  if (seen.has(value)) return "[circular]";
  seen.add(value);
  if (value instanceof Error) {
    return {
      type: value.name,
      message: maskText(value.message),
      stack: value.stack ? maskText(value.stack) : undefined,
    };
  }
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1, seen, parentKey));
  const inError = ERROR_KEYS.has(parentKey);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = k.toLowerCase();
    if (SENSITIVE_KEYS.has(key) && !(inError && key === "message" && typeof v === "string")) {
      out[k] = v === undefined || v === null ? v : REDACTED;
    } else {
      out[k] = redactValue(v, depth + 1, seen, key);
    }
  }
  return out;
}

export interface LoggerOptions {
  readonly level: string;
  readonly destination?: DestinationStream;
  readonly base?: Record<string, unknown>;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: options.base ?? { service: "ghl-bulksms-worker" },
      // Belt and braces: pino's own fast path censors the usual places even if a formatter is bypassed.
      redact: {
        paths: [
          "req.headers.authorization",
          "req.headers.cookie",
          'req.headers["x-ghl-signature"]',
          'req.headers["x-wh-signature"]',
          "headers.authorization",
          "*.token",
          "*.accessToken",
          "*.refreshToken",
          "*.tokenSecret",
          "*.clientSecret",
          "*.phone",
          "*.email",
          "*.body",
        ],
        censor: REDACTED,
      },
      formatters: {
        log: (object) => redactValue(object) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          // Mask the message string (the last string argument) as well as the merged object.
          const masked = args.map((a) => (typeof a === "string" ? maskText(a) : a)) as typeof args;
          method.apply(this, masked);
        },
      },
      serializers: {
        req: (req: { method?: string; url?: string; id?: unknown }) => ({
          id: req.id,
          method: req.method,
          url: req.url === undefined ? undefined : maskText(req.url),
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
    },
    options.destination,
  );
}
