// The environment configuration of the worker and the CLI: read once, at start-up, validated with zod.
// Every problem is reported at once, each naming the variable, e.g.
//   GHL_BULKSMS_ENCRYPTION_KEY must be 32 bytes base64 (got 12 bytes)
// (Moved here from apps/worker/src/config.ts so the CLI reads exactly the same settings.)
import { checkPlainText, checkTemplate, DEFAULT_TEMPLATE_FIELDS } from "@ghl-bulksms/sync";
import { z } from "zod";

export type WorkerMode = "sandbox" | "live";

/** STOP_CONFIRMATION / START_CONFIRMATION: "off" (never, free) or "unless-blocked" (only when BulkSMS does not block the number). */
export type ConfirmationMode = "off" | "unless-blocked";
export const CONFIRMATION_MODES: readonly ConfirmationMode[] = ["off", "unless-blocked"];
/** GHL_CONSENT_MAX_AGE_SECONDS default: a view of GHL's DND and tags older than 5 minutes is re-read. */
export const DEFAULT_CONSENT_MAX_AGE_SECONDS = 300;

/** PROVIDER_QUIET_HOURS: which provider texts wait for the sending window. */
export type ProviderQuietHoursMode = "user-immediate" | "always" | "never";
export const PROVIDER_QUIET_HOURS_MODES: readonly ProviderQuietHoursMode[] = [
  "user-immediate",
  "always",
  "never",
];
/** PROVIDER_ATTACHMENTS: a provider text with attachments fails ("fail") or is sent with their links ("links"). */
export type ProviderAttachmentsMode = "fail" | "links";
/**
 * GHL_PROVIDER_MODE: BulkSMS as the sub-account's SMS conversation provider in GHL ("off": none; "default":
 * the SMS provider, GHL sends its SMS as ProviderOutboundMessage; "extra": an additional provider, whose
 * inbound messages carry GHL_CONVERSATION_PROVIDER_ID). "on" is accepted as "default".
 */
export type ProviderMode = "off" | "default" | "extra";
export const PROVIDER_MODES: readonly ProviderMode[] = ["off", "default", "extra"];
/** UNKNOWN_SENDER: a text from a number no contact has. */
export type UnknownSender = "create-contact" | "task" | "ignore";
export const UNKNOWN_SENDERS: readonly UnknownSender[] = ["create-contact", "task", "ignore"];

/** GHL conversations: provider mode, thread mode, SMS notes and unknown senders. */
export interface ConversationsConfig {
  /** GHL_PROVIDER_MODE (default off) */
  readonly providerMode: ProviderMode;
  /** GHL_CONVERSATION_PROVIDER_ID: the provider's id; required with GHL_PROVIDER_MODE=extra */
  readonly providerId: string | null;
  /** GHL_SMS_THREAD: texts recorded in the contact's GHL conversation (default on when a provider mode is on) */
  readonly thread: boolean;
  /** GHL_SMS_NOTES: null = unset (notes unless thread mode is on) */
  readonly smsNotes: boolean | null;
  /** UNKNOWN_SENDER: null = unset (create-contact in thread mode, else ignore) */
  readonly unknownSender: UnknownSender | null;
  /** UNKNOWN_SENDER_TAG: null = the engine's default (sms-inbound-unknown) */
  readonly unknownSenderTag: string | null;
  /** UNKNOWN_SENDER_TASK_CONTACT: the GHL contact holding the tasks of UNKNOWN_SENDER=task */
  readonly unknownSenderTaskContact: string | null;
  /** UNKNOWN_SENDER_TASK_USER: the GHL user those tasks are assigned to */
  readonly unknownSenderTaskUser: string | null;
}

/** Whether the app needs GHL's conversation scopes (provider mode or thread mode on). */
export function needsConversationScopes(c: ConversationsConfig | undefined): boolean {
  return c !== undefined && (c.providerMode !== "off" || c.thread);
}

export interface QuietHours {
  /** minutes after local midnight */
  readonly startMinute: number;
  readonly endMinute: number;
}

export interface LocationConfig {
  readonly locationId: string;
  /** private integration token for this location; null when tokens come from the marketplace app */
  readonly privateToken: string | null;
  readonly timezone: string | null;
  /** ISO 3166-1 alpha-2 region for national phone numbers, e.g. "GB" */
  readonly region: string | null;
  readonly quietHours: QuietHours | null;
}

export interface GhlOAuthConfig {
  readonly clientId: string;
  readonly clientSecret: string;
  /** agency (company) token used to mint location tokens on INSTALL; null until the app is installed */
  readonly agencyToken: string | null;
  readonly companyId: string | null;
}

export interface WorkerConfig {
  readonly mode: WorkerMode;
  readonly host: string;
  readonly port: number;
  readonly publicBaseUrl: string | null;
  readonly dataDir: string;
  /**
   * DATABASE_URL: a `postgres://` / `postgresql://` URL selects the PostgreSQL store; null (unset) keeps the
   * embedded SQLite store in DATA_DIR. Optional in the type so hand-built test configurations need not set it.
   */
  readonly databaseUrl?: string | null;
  /** The SQLite file when it is not DATA_DIR/ghl-bulksms.db (the CLI's `--database <path>`); not an env variable. */
  readonly sqliteFile?: string | null;
  readonly logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** 32-byte AES-256-GCM key; null only in sandbox mode */
  readonly encryptionKey: Buffer | null;
  readonly ghl: {
    readonly apiBaseUrl: string;
    readonly locations: readonly LocationConfig[];
    /**
     * GHL_DEFAULT_LOCATION: the location a command without `--location` works on (the policy file's
     * `defaultLocation` when unset; then the only location there is). Optional in the type so hand-built
     * test configurations need not set it.
     */
    readonly defaultLocation?: string | null;
    readonly oauth: GhlOAuthConfig | null;
    /** Ed25519 SPKI PEM override for x-ghl-signature; null = the ghl package's published default */
    readonly webhookPublicKey: string | null;
    /** RSA SPKI PEM override for the legacy x-wh-signature; null = default */
    readonly webhookLegacyPublicKey: string | null;
    readonly webhookMaxAgeMs: number;
    /** path secret of POST /webhooks/ghl-workflow/:secret; null disables the route */
    readonly workflowWebhookSecret: string | null;
    /** workflow webhooks naming a location this installation does not know: refused, or held for approval */
    readonly unknownLocations: {
      readonly policy: "refuse" | "hold";
      /** at most this many locations wait for approval; beyond it, unknown locations are refused */
      readonly maxPending: number;
    };
  };
  readonly bulksms: {
    readonly apiBaseUrl: string;
    readonly tokenId: string | null;
    readonly tokenSecret: string | null;
    /** path secret of POST /webhooks/bulksms/:secret; null disables the route */
    readonly webhookSecret: string | null;
  };
  readonly messaging: {
    readonly quietHours: QuietHours;
    readonly defaultTimezone: string;
    readonly welcomeTemplate: string | null;
    readonly welcomeDelayMs: number;
    readonly stopWords: readonly string[];
    readonly startWords: readonly string[];
    readonly helpWords: readonly string[];
    readonly helpText: string | null;
    /** STOP_CONFIRMATION_TEXT: null = unset (the engine's default text), "" = send none, else the text */
    readonly stopConfirmationText: string | null;
    /** START_CONFIRMATION_TEXT: null = unset (the engine's default text), "" = send none, else the text */
    readonly startConfirmationText: string | null;
    /** STOP_CONFIRMATION: when the STOP confirmation is sent ("off" = never, the free default) */
    readonly stopConfirmation: ConfirmationMode;
    /** START_CONFIRMATION: when the START confirmation is sent ("off" = never, the free default) */
    readonly startConfirmation: ConfirmationMode;
    /** BULKSMS_STOP_WORDS: the STOP words the BulkSMS account blocks numbers on; null = every STOP word */
    readonly gatewayStopWords: readonly string[] | null;
    /** GHL_CONSENT_MAX_AGE_SECONDS in ms: the oldest GHL DND/tags view an automated text is decided on */
    readonly consentMaxAgeMs: number;
  };
  /**
   * BulkSMS as GHL's SMS provider (conversation provider); per location in the policy file's
   * `engine.locations.<id>.provider`. Optional in the type so hand-built test configurations need not set it.
   * The mode is the same as `conversations.providerMode`.
   */
  readonly provider?: {
    readonly mode: ProviderMode;
    readonly quietHours: ProviderQuietHoursMode;
    readonly attachments: ProviderAttachmentsMode;
  };
  /**
   * Conversations (GHL_PROVIDER_MODE, GHL_SMS_THREAD, GHL_SMS_NOTES, UNKNOWN_SENDER, ...). Optional in the
   * type so hand-built test configurations need not set it (absent = all off, today's behaviour).
   */
  readonly conversations?: ConversationsConfig;
  readonly http: {
    readonly bodyLimitBytes: number;
    /** pending inbox events above which the GHL routes answer 429 */
    readonly overloadThreshold: number;
    /** a connection must deliver its complete request headers within this (ms), else it is closed */
    readonly headersTimeoutMs: number;
    /** a connection must deliver its complete request (headers and body) within this (ms), else 408 */
    readonly requestTimeoutMs: number;
    /** an idle keep-alive connection is closed after this (ms) */
    readonly keepAliveTimeoutMs: number;
  };
  readonly jobs: {
    readonly concurrency: number;
    readonly perLocationConcurrency: number;
    readonly maxAttempts: number;
    readonly leaseMs: number;
    readonly shutdownTimeoutMs: number;
  };
  /** Running several workers on one database. */
  readonly cluster: {
    /** WORKER_ID: this worker's name in logs, job leases and locks; null = `<hostname>:<pid>` at start. */
    readonly workerId: string | null;
    /**
     * GHL_RATE_BUDGET: "local" = the in-process rate limiter (one worker; the fastest), "shared" = one
     * budget per location in the store that every worker on the database draws from (several workers).
     */
    readonly ghlRateBudget: "local" | "shared";
  };
  /** The worker's periodic-job scheduler (engine.schedule) and the intervals it uses. */
  readonly schedule: {
    /** how often the worker asks the engine which periodic jobs are due; 0 = never (no scheduler) */
    readonly intervalMs: number;
    /** BulkSMS blocked numbers -> GHL DND pull, per location */
    readonly blockedPullEveryMs: number;
    /** incremental reconciliation per location; null = the lifecycle policy's (default 15 min) */
    readonly reconcileIncrementalEveryMs: number | null;
    /** local HH:MM of the daily full reconciliation; null = the lifecycle policy's (default 03:00) */
    readonly reconcileFullAt: string | null;
  };
}

/** The same configuration under the name the CLI uses. */
export type AppConfig = WorkerConfig;

export interface ConfigIssue {
  readonly variable: string;
  readonly message: string;
}

export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];
  constructor(issues: readonly ConfigIssue[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i.message}`).join("\n")}`);
    this.name = "ConfigError";
    this.issues = issues;
  }
}

export const DEFAULT_GHL_API_BASE_URL = "https://services.leadconnectorhq.com";
export const DEFAULT_BULKSMS_API_BASE_URL = "https://api.bulksms.com/v1";
export const DEFAULT_STOP_WORDS = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"] as const;
export const DEFAULT_START_WORDS = ["START", "UNSTOP"] as const;
export const DEFAULT_HELP_WORDS = ["HELP"] as const;
/** Used for the webhook path secrets in sandbox mode when none is set. Never accepted in live mode. */
export const SANDBOX_WEBHOOK_SECRET = "sandbox-webhook-secret-not-for-production";

type Env = Readonly<Record<string, string | undefined>>;

const QUIET_HOURS_RE = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;

export function parseQuietHours(text: string): QuietHours | null {
  const m = QUIET_HOURS_RE.exec(text.trim());
  if (!m) return null;
  const startMinute = Number(m[1]) * 60 + Number(m[2]);
  const endMinute = Number(m[3]) * 60 + Number(m[4]);
  if (startMinute === endMinute) return null;
  return { startMinute, endMinute };
}

function isTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function wordList(text: string): string[] {
  return text
    .split(",")
    .map((w) => w.trim().toUpperCase())
    .filter((w) => w.length > 0);
}

/** A GHL location id as the API gives it (letters and digits; `_` and `-` for simulators and tests). */
export const LOCATION_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

const urlText = z.url({ protocol: /^https?$/ });
const intText = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const locationJson = z.strictObject({
  locationId: z.string().regex(LOCATION_ID_RE, "must be a GHL location id (letters, digits, _ and -)"),
  token: z.string().min(1).optional(),
  timezone: z.string().optional(),
  region: z.string().optional(),
  quietHours: z.string().optional(),
});

/** Reads, validates and freezes the configuration. Throws ConfigError listing every bad variable. */
export function loadConfig(env: Env): WorkerConfig {
  const issues: ConfigIssue[] = [];
  const bad = (variable: string, message: string) =>
    issues.push({ variable, message: `${variable} ${message}` });
  const str = (name: string): string | null => {
    const v = env[name];
    return v === undefined || v.trim() === "" ? null : v.trim();
  };
  function parse<T>(name: string, schema: z.ZodType<T>, fallback: T): T {
    const raw = str(name);
    if (raw === null) return fallback;
    const r = schema.safeParse(raw);
    if (r.success) return r.data;
    bad(
      name,
      `is invalid: ${r.error.issues[0]?.message ?? "bad value"} (got ${JSON.stringify(redactForError(name, raw))})`,
    );
    return fallback;
  }

  const mode = parse<WorkerMode>("GHL_BULKSMS_MODE", z.enum(["sandbox", "live"]), "sandbox");
  const live = mode === "live";
  const host = str("HOST") ?? "0.0.0.0";
  const port = parse("PORT", intText(0, 65535), 3000);
  const publicBaseUrl = parse<string | null>("PUBLIC_BASE_URL", urlText, null);
  const dataDir = str("DATA_DIR") ?? "./data";
  const databaseUrl = parseDatabaseUrl(str("DATABASE_URL"), bad);
  const logLevel = parse(
    "LOG_LEVEL",
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
    "info" as WorkerConfig["logLevel"],
  );

  // Encryption key.
  let encryptionKey: Buffer | null = null;
  const keyText = str("GHL_BULKSMS_ENCRYPTION_KEY");
  if (keyText !== null) {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(keyText)) {
      bad("GHL_BULKSMS_ENCRYPTION_KEY", "must be 32 bytes base64 (not valid base64)");
    } else {
      const key = Buffer.from(keyText, "base64");
      if (key.length !== 32)
        bad("GHL_BULKSMS_ENCRYPTION_KEY", `must be 32 bytes base64 (got ${key.length} bytes)`);
      else encryptionKey = key;
    }
  }

  // GHL locations: GHL_LOCATIONS (JSON array) and/or GHL_LOCATION_<n>_ID/_TOKEN/_TIMEZONE/_REGION/_QUIET_HOURS.
  const locations: LocationConfig[] = [];
  const addLocation = (
    source: string,
    l: {
      locationId: string;
      token?: string | undefined;
      timezone?: string | undefined;
      region?: string | undefined;
      quietHours?: string | undefined;
    },
  ) => {
    if (!LOCATION_ID_RE.test(l.locationId)) {
      bad(
        source,
        `has an invalid location id ${JSON.stringify(l.locationId)} (letters, digits, _ and - only)`,
      );
      return;
    }
    const region = l.region?.toUpperCase();
    if (region !== undefined && !/^[A-Z]{2}$/.test(region)) {
      bad(
        source,
        `has an invalid region ${JSON.stringify(l.region)} (expected a 2-letter country code such as GB)`,
      );
    }
    if (l.timezone !== undefined && !isTimezone(l.timezone)) {
      bad(source, `has an unknown IANA timezone ${JSON.stringify(l.timezone)}`);
    }
    let qh: QuietHours | null = null;
    if (l.quietHours !== undefined) {
      qh = parseQuietHours(l.quietHours);
      if (qh === null)
        bad(source, `has invalid quiet hours ${JSON.stringify(l.quietHours)} (expected HH:MM-HH:MM)`);
    }
    if (locations.some((x) => x.locationId === l.locationId)) {
      bad(source, `repeats location ${JSON.stringify(l.locationId)}`);
      return;
    }
    locations.push({
      locationId: l.locationId,
      privateToken: l.token ?? null,
      timezone: l.timezone ?? null,
      region: region ?? null,
      quietHours: qh,
    });
  };
  const locationsJson = str("GHL_LOCATIONS");
  if (locationsJson !== null) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(locationsJson);
    } catch {
      bad(
        "GHL_LOCATIONS",
        "must be a JSON array of {locationId, token?, timezone?, region?, quietHours?} (not valid JSON)",
      );
    }
    if (parsed !== undefined) {
      const r = z.array(locationJson).safeParse(parsed);
      if (!r.success) {
        const first = r.error.issues[0];
        bad(
          "GHL_LOCATIONS",
          `is invalid at ${first?.path.join(".") || "(root)"}: ${first?.message ?? "bad value"}`,
        );
      } else {
        for (const l of r.data) addLocation("GHL_LOCATIONS", l);
      }
    }
  }
  const indexed = new Set<number>();
  for (const name of Object.keys(env)) {
    const m = /^GHL_LOCATION_(\d+)_[A-Z_]+$/.exec(name);
    if (m) indexed.add(Number(m[1]));
  }
  for (const n of [...indexed].sort((a, b) => a - b)) {
    const p = `GHL_LOCATION_${n}_`;
    const id = str(`${p}ID`);
    if (id === null) {
      bad(`${p}ID`, `is required when other ${p}* variables are set`);
      continue;
    }
    addLocation(`${p}ID`, {
      locationId: id,
      token: str(`${p}TOKEN`) ?? undefined,
      timezone: str(`${p}TIMEZONE`) ?? undefined,
      region: str(`${p}REGION`) ?? undefined,
      quietHours: str(`${p}QUIET_HOURS`) ?? undefined,
    });
  }

  const defaultLocation = str("GHL_DEFAULT_LOCATION");
  if (defaultLocation !== null && !LOCATION_ID_RE.test(defaultLocation))
    bad(
      "GHL_DEFAULT_LOCATION",
      `must be a GHL location id (letters, digits, _ and -; got ${JSON.stringify(defaultLocation)})`,
    );

  // OAuth marketplace app.
  const clientId = str("GHL_CLIENT_ID");
  const clientSecret = str("GHL_CLIENT_SECRET");
  let oauth: GhlOAuthConfig | null = null;
  if (clientId !== null || clientSecret !== null) {
    if (clientId === null) bad("GHL_CLIENT_ID", "is required when GHL_CLIENT_SECRET is set");
    if (clientSecret === null) bad("GHL_CLIENT_SECRET", "is required when GHL_CLIENT_ID is set");
    if (clientId !== null && clientSecret !== null) {
      oauth = {
        clientId,
        clientSecret,
        agencyToken: str("GHL_AGENCY_TOKEN"),
        companyId: str("GHL_COMPANY_ID"),
      };
    }
  }

  const pem = (name: string): string | null => {
    const v = str(name);
    if (v === null) return null;
    const text = v.replace(/\\n/g, "\n");
    if (!/-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----/.test(text)) {
      bad(name, "must be a PEM public key (-----BEGIN PUBLIC KEY----- ...)");
      return null;
    }
    return text;
  };
  const webhookPublicKey = pem("GHL_WEBHOOK_PUBLIC_KEY");
  const webhookLegacyPublicKey = pem("GHL_WEBHOOK_LEGACY_PUBLIC_KEY");
  const webhookMaxAgeMs = parse("GHL_WEBHOOK_MAX_AGE_SECONDS", intText(1, 86_400), 300) * 1000;

  const secret = (name: string): string | null => {
    const v = str(name);
    if (v === null) return live ? null : SANDBOX_WEBHOOK_SECRET;
    if (v.length < 16 || !/^[A-Za-z0-9._~-]+$/.test(v)) {
      bad(name, `must be at least 16 URL-safe characters [A-Za-z0-9._~-] (got ${v.length} characters)`);
      return null;
    }
    if (live && v === SANDBOX_WEBHOOK_SECRET) bad(name, "must not be the sandbox default in live mode");
    return v;
  };
  const workflowWebhookSecret = secret("GHL_WORKFLOW_WEBHOOK_SECRET");
  const unknownLocationPolicy = parse<"refuse" | "hold">(
    "UNKNOWN_LOCATIONS",
    z.enum(["refuse", "hold"]),
    "refuse",
  );
  const maxPendingLocations = parse("UNKNOWN_LOCATIONS_MAX_PENDING", intText(1, 1000), 20);
  const bulksmsWebhookSecret = secret("BULKSMS_WEBHOOK_SECRET");

  const ghlApiBaseUrl = parse("GHL_API_BASE_URL", urlText, DEFAULT_GHL_API_BASE_URL);
  const bulksmsApiBaseUrl = parse("BULKSMS_API_BASE_URL", urlText, DEFAULT_BULKSMS_API_BASE_URL);
  const tokenId = str("BULKSMS_TOKEN_ID");
  const tokenSecret = str("BULKSMS_TOKEN_SECRET");

  // Messaging.
  const quietText = str("QUIET_HOURS") ?? "08:00-21:00";
  let quietHours = parseQuietHours(quietText);
  if (quietHours === null) {
    bad("QUIET_HOURS", `must be HH:MM-HH:MM, the allowed sending window (got ${JSON.stringify(quietText)})`);
    quietHours = { startMinute: 480, endMinute: 1260 };
  }
  const defaultTimezone = str("DEFAULT_TIMEZONE") ?? "UTC";
  if (!isTimezone(defaultTimezone))
    bad("DEFAULT_TIMEZONE", `is not an IANA timezone (got ${JSON.stringify(defaultTimezone)})`);
  const welcomeTemplate = str("WELCOME_TEMPLATE");
  if (welcomeTemplate !== null) {
    const t = checkTemplate(welcomeTemplate);
    if (!t.ok)
      bad(
        "WELCOME_TEMPLATE",
        `is not a valid template: ${t.error.message}; write {{field}} or {{field | "fallback"}} with a field of ${DEFAULT_TEMPLATE_FIELDS.join(", ")} (a mapped custom field: set engine.defaults.welcome.template in the policy file)`,
      );
  }
  const welcomeDelayMs = parse("WELCOME_DELAY_SECONDS", intText(0, 7 * 86_400), 0) * 1000;
  const words = (name: string, fallback: readonly string[]) => {
    const v = str(name);
    if (v === null) return [...fallback];
    const list = wordList(v);
    if (list.length === 0) bad(name, "must list at least one word (comma-separated)");
    return list;
  };
  const stopWords = words("STOP_WORDS", DEFAULT_STOP_WORDS);
  const startWords = words("START_WORDS", DEFAULT_START_WORDS);
  const helpWords = words("HELP_WORDS", DEFAULT_HELP_WORDS);
  for (const w of startWords) {
    if (stopWords.includes(w)) bad("START_WORDS", `shares ${JSON.stringify(w)} with STOP_WORDS`);
  }

  const bodyLimitBytes = parse("BODY_LIMIT_BYTES", intText(1024, 16 * 1024 * 1024), 1024 * 1024);
  const overloadThreshold = parse("INBOX_OVERLOAD_THRESHOLD", intText(1, 10_000_000), 10_000);
  const headersTimeoutMs = parse("HTTP_HEADERS_TIMEOUT_SECONDS", intText(1, 600), 10) * 1000;
  const requestTimeoutMs = parse("HTTP_REQUEST_TIMEOUT_SECONDS", intText(1, 3600), 30) * 1000;
  const keepAliveTimeoutMs = parse("HTTP_KEEP_ALIVE_TIMEOUT_SECONDS", intText(1, 3600), 72) * 1000;
  if (headersTimeoutMs > requestTimeoutMs)
    bad(
      "HTTP_HEADERS_TIMEOUT_SECONDS",
      `must not exceed HTTP_REQUEST_TIMEOUT_SECONDS (${requestTimeoutMs / 1000}); got ${headersTimeoutMs / 1000}`,
    );
  const concurrency = parse("JOB_CONCURRENCY", intText(1, 256), 8);
  const perLocationConcurrency = parse("JOB_CONCURRENCY_PER_LOCATION", intText(1, 64), 2);
  const maxAttempts = parse("JOB_MAX_ATTEMPTS", intText(1, 100), 8);
  const leaseMs = parse("JOB_LEASE_SECONDS", intText(5, 3600), 120) * 1000;
  const shutdownTimeoutMs = parse("SHUTDOWN_TIMEOUT_SECONDS", intText(1, 600), 25) * 1000;
  const workerId = parse<string | null>(
    "WORKER_ID",
    z.string().regex(/^[A-Za-z0-9._:@-]{1,100}$/, "letters, digits and . _ : @ - only, at most 100"),
    null,
  );
  const ghlRateBudget = parse<"local" | "shared">("GHL_RATE_BUDGET", z.enum(["local", "shared"]), "local");

  // Confirmation texts: unset = the engine's default, empty = none.
  // HELP_TEXT and the confirmations are sent as they are: a {{placeholder}} in them is a mistake.
  const plainText = (name: string, value: string | null): string | null => {
    const plain = value === null ? null : checkPlainText(value);
    if (plain && !plain.ok) bad(name, `has a ${plain.error.message}`);
    return value;
  };
  const confirmation = (name: string, value: string | null): string | null => {
    if (value !== null && value.length > 918)
      bad(name, `must be at most 918 characters (6 SMS parts), got ${value.length}`);
    return plainText(name, value);
  };
  const stopConfirmationText = confirmation(
    "STOP_CONFIRMATION_TEXT",
    env.STOP_CONFIRMATION_TEXT === undefined ? null : (str("STOP_CONFIRMATION_TEXT") ?? ""),
  );
  const helpText = plainText("HELP_TEXT", str("HELP_TEXT"));
  const startConfirmationText = confirmation(
    "START_CONFIRMATION_TEXT",
    env.START_CONFIRMATION_TEXT === undefined ? null : (str("START_CONFIRMATION_TEXT") ?? ""),
  );

  // Confirmation behaviour: off by default (BulkSMS blocks a number on STOP; a confirmation after it ends
  // FAILED.BLOCKED and is billed, and so is a START confirmation while the number is still blocked).
  const confirmationMode = (name: string) =>
    parse<ConfirmationMode>(
      name,
      z.enum(["off", "unless-blocked"], { error: `must be one of ${CONFIRMATION_MODES.join(", ")}` }),
      "off",
    );
  const stopConfirmation = confirmationMode("STOP_CONFIRMATION");
  const startConfirmation = confirmationMode("START_CONFIRMATION");
  const gatewayStopWords = str("BULKSMS_STOP_WORDS") === null ? null : words("BULKSMS_STOP_WORDS", []);
  for (const w of gatewayStopWords ?? []) {
    if (!stopWords.includes(w))
      bad("BULKSMS_STOP_WORDS", `lists ${JSON.stringify(w)}, which is not one of STOP_WORDS`);
  }
  const consentMaxAgeMs =
    parse("GHL_CONSENT_MAX_AGE_SECONDS", intText(0, 86_400), DEFAULT_CONSENT_MAX_AGE_SECONDS) * 1000;

  // Conversations: provider mode thread
  // mode, SMS notes, unknown senders.
  const onOff = (name: string): boolean | null =>
    parse<boolean | null>(
      name,
      z.enum(["on", "off"], { error: "must be on or off" }).transform((v) => v === "on"),
      null,
    );
  const providerMode = parse<ProviderMode>(
    "GHL_PROVIDER_MODE",
    z
      .enum(["off", "default", "extra", "on"], { error: `must be one of ${PROVIDER_MODES.join(", ")}` })
      .transform((v): ProviderMode => (v === "on" ? "default" : v)),
    "off",
  );
  const providerId = str("GHL_CONVERSATION_PROVIDER_ID");
  if (providerMode === "extra" && providerId === null)
    bad(
      "GHL_CONVERSATION_PROVIDER_ID",
      "is required with GHL_PROVIDER_MODE=extra (the provider's id from the marketplace app; GHL refuses an extra provider's inbound message without it)",
    );
  const thread = onOff("GHL_SMS_THREAD") ?? providerMode !== "off";
  const smsNotes = onOff("GHL_SMS_NOTES");
  const unknownSender = parse<UnknownSender | null>(
    "UNKNOWN_SENDER",
    z.enum(["create-contact", "task", "ignore"], { error: `must be one of ${UNKNOWN_SENDERS.join(", ")}` }),
    null,
  );
  const unknownSenderTaskContact = str("UNKNOWN_SENDER_TASK_CONTACT");
  if (unknownSender === "task" && unknownSenderTaskContact === null)
    bad(
      "UNKNOWN_SENDER_TASK_CONTACT",
      'is required with UNKNOWN_SENDER=task (the id of the GHL contact that holds the tasks, e.g. an "SMS inbox" contact)',
    );
  const conversations: ConversationsConfig = {
    providerMode,
    providerId,
    thread,
    smsNotes,
    unknownSender,
    unknownSenderTag: str("UNKNOWN_SENDER_TAG"),
    unknownSenderTaskContact,
    unknownSenderTaskUser: str("UNKNOWN_SENDER_TASK_USER"),
  };
  // BulkSMS as GHL's SMS provider.
  const providerQuietHours = parse<ProviderQuietHoursMode>(
    "PROVIDER_QUIET_HOURS",
    z.enum(["user-immediate", "always", "never"], {
      error: `must be one of ${PROVIDER_QUIET_HOURS_MODES.join(", ")}`,
    }),
    "user-immediate",
  );
  const providerAttachments = parse<ProviderAttachmentsMode>(
    "PROVIDER_ATTACHMENTS",
    z.enum(["fail", "links"], { error: "must be fail or links" }),
    "fail",
  );

  // Periodic jobs.
  const scheduleIntervalMs = parse("SCHEDULE_INTERVAL_SECONDS", intText(0, 3600), 60) * 1000;
  const blockedPullEveryMs = parse("BLOCKED_PULL_INTERVAL_MINUTES", intText(1, 1440), 15) * 60_000;
  const reconcileMinutes = parse("RECONCILE_INTERVAL_MINUTES", intText(1, 1440), null as number | null);
  const reconcileFullAt = parse(
    "RECONCILE_FULL_AT",
    z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM (24 h local time)"),
    null as string | null,
  );

  // Live mode: refuse to start without what real vendors need, naming each missing variable.
  if (live) {
    if (keyText === null)
      bad(
        "GHL_BULKSMS_ENCRYPTION_KEY",
        "is required in live mode (32 bytes base64, e.g. `openssl rand -base64 32`)",
      );
    if (tokenId === null) bad("BULKSMS_TOKEN_ID", "is required in live mode (BulkSMS API token id)");
    if (tokenSecret === null)
      bad("BULKSMS_TOKEN_SECRET", "is required in live mode (BulkSMS API token secret)");
    if (str("BULKSMS_WEBHOOK_SECRET") === null)
      bad("BULKSMS_WEBHOOK_SECRET", "is required in live mode (path secret of the BulkSMS webhook URL)");
    if (publicBaseUrl === null && str("PUBLIC_BASE_URL") === null)
      bad("PUBLIC_BASE_URL", "is required in live mode (the https URL GHL and BulkSMS call)");
    const hasPit = locations.some((l) => l.privateToken !== null);
    if (!hasPit && oauth === null && clientId === null && clientSecret === null) {
      bad(
        "GHL_LOCATIONS",
        "or GHL_LOCATION_<n>_ID/_TOKEN (private integration tokens) or GHL_CLIENT_ID/GHL_CLIENT_SECRET (marketplace app) is required in live mode",
      );
    }
    for (const l of locations) {
      if (l.privateToken === null && oauth === null) {
        bad(
          "GHL_LOCATIONS",
          `location ${JSON.stringify(l.locationId)} has no token and no GHL_CLIENT_ID/GHL_CLIENT_SECRET is set`,
        );
      }
    }
    if (hasPit && str("GHL_WORKFLOW_WEBHOOK_SECRET") === null) {
      bad(
        "GHL_WORKFLOW_WEBHOOK_SECRET",
        "is required in live mode with private integration tokens (they get no signed app webhooks)",
      );
    }
  }

  if (issues.length > 0) throw new ConfigError(issues);

  return Object.freeze({
    mode,
    host,
    port,
    publicBaseUrl,
    dataDir,
    databaseUrl,
    logLevel,
    encryptionKey,
    ghl: {
      apiBaseUrl: ghlApiBaseUrl.replace(/\/+$/, ""),
      locations,
      defaultLocation,
      oauth,
      webhookPublicKey,
      webhookLegacyPublicKey,
      webhookMaxAgeMs,
      workflowWebhookSecret,
      unknownLocations: { policy: unknownLocationPolicy, maxPending: maxPendingLocations },
    },
    bulksms: {
      apiBaseUrl: bulksmsApiBaseUrl.replace(/\/+$/, ""),
      tokenId,
      tokenSecret,
      webhookSecret: bulksmsWebhookSecret,
    },
    messaging: {
      quietHours,
      defaultTimezone,
      welcomeTemplate,
      welcomeDelayMs,
      stopWords,
      startWords,
      helpWords,
      helpText,
      stopConfirmationText,
      startConfirmationText,
      stopConfirmation,
      startConfirmation,
      gatewayStopWords,
      consentMaxAgeMs,
    },
    provider: { mode: providerMode, quietHours: providerQuietHours, attachments: providerAttachments },
    conversations,
    http: { bodyLimitBytes, overloadThreshold, headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs },
    jobs: { concurrency, perLocationConcurrency, maxAttempts, leaseMs, shutdownTimeoutMs },
    cluster: { workerId, ghlRateBudget },
    schedule: {
      intervalMs: scheduleIntervalMs,
      blockedPullEveryMs,
      reconcileIncrementalEveryMs: reconcileMinutes === null ? null : reconcileMinutes * 60_000,
      reconcileFullAt,
    },
  });
}

const SECRET_NAME_RE = /(SECRET|TOKEN|KEY|PASSWORD)/;

/** Values of secret-looking variables never appear in error messages. */
/** A URL with its password replaced by *** (for error messages). */
function withoutPassword(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, "$1***@");
}

/**
 * DATABASE_URL: unset = the embedded SQLite store; else a PostgreSQL URL with a host and a database name.
 * (A SQLite file is chosen with DATA_DIR, not here.)
 */
function parseDatabaseUrl(
  raw: string | null,
  bad: (variable: string, message: string) => void,
): string | null {
  if (raw === null) return null;
  const shown = JSON.stringify(withoutPassword(raw));
  if (!/^postgres(ql)?:\/\//i.test(raw)) {
    bad(
      "DATABASE_URL",
      `must be a postgres:// or postgresql:// URL (got ${shown}); unset it to use the embedded SQLite store in DATA_DIR`,
    );
    return null;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    bad("DATABASE_URL", `is not a valid URL (got ${shown})`);
    return null;
  }
  if (!url.hostname || url.pathname.replace(/^\//, "") === "") {
    bad(
      "DATABASE_URL",
      `must name a host and a database, e.g. postgres://user:password@db:5432/ghl_bulksms (got ${shown})`,
    );
    return null;
  }
  return raw;
}

function redactForError(name: string, value: string): string {
  return SECRET_NAME_RE.test(name) ? `<${value.length} characters>` : value;
}
