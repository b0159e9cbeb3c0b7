// The questions `ghl-bulksms init` asks (or takes from flags), and the .env they make. Every answer is
// checked as it is given against the worker's own schema (@ghl-bulksms/config loadWorkerConfig), inside
// the whole environment the answers so far make: an answer `init` accepts is one the worker accepts.
import type { ConfigIssue } from "@ghl-bulksms/config";
import { isKnownRegion } from "./region.js";

export interface InitAnswers {
  mode: "sandbox" | "live";
  ghlApiBaseUrl: string;
  bulksmsApiBaseUrl: string;
  location: string;
  token: string;
  region: string;
  timezone: string;
  quietHours: string;
  bulksmsTokenId: string;
  bulksmsTokenSecret: string;
  publicUrl: string;
  dataDir: string;
  welcome: string;
}

/** Generated once per run: the store key and the two webhook path secrets. */
export interface InitSecrets {
  encryptionKey: string;
  workflowWebhookSecret: string;
  bulksmsWebhookSecret: string;
}

export type AnswerKey = keyof InitAnswers;

export interface InitQuestion {
  key: AnswerKey;
  /** the flag that answers it without a prompt */
  flag: string;
  message: string;
  kind: "text" | "password" | "select";
  options?: ReadonlyArray<{ value: string; label: string; hint?: string }>;
  /** the variables whose schema problems belong to this answer */
  variables: readonly string[];
  /** the answer an empty line (or --yes) gives */
  fallback(a: Partial<InitAnswers>, defaults: InitDefaults): string;
  /** asked at all (false: the fallback is taken silently) */
  when?(a: Partial<InitAnswers>): boolean;
  /** a check the schema does not make */
  extra?(value: string): Promise<string | undefined>;
}

export interface InitDefaults {
  localTimezone: string;
  sandboxGhl: string;
  sandboxBulksms: string;
}

const live = (a: Partial<InitAnswers>) => a.mode === "live";

export const INIT_QUESTIONS: readonly InitQuestion[] = [
  {
    key: "mode",
    flag: "--mode",
    message: "Mode",
    kind: "select",
    options: [
      {
        value: "sandbox",
        label: "sandbox",
        hint: "the local simulators (`ghl-bulksms sandbox`), nothing real",
      },
      { value: "live", label: "live", hint: "the real GHL and BulkSMS, with your credentials" },
    ],
    variables: ["GHL_BULKSMS_MODE"],
    fallback: () => "sandbox",
  },
  {
    key: "ghlApiBaseUrl",
    flag: "--ghl-api-base-url",
    message: "GHL simulator address",
    kind: "text",
    variables: ["GHL_API_BASE_URL"],
    fallback: (a, d) => (live(a) ? "" : d.sandboxGhl),
    when: (a) => !live(a),
  },
  {
    key: "bulksmsApiBaseUrl",
    flag: "--bulksms-api-base-url",
    message: "BulkSMS simulator address",
    kind: "text",
    variables: ["BULKSMS_API_BASE_URL"],
    fallback: (a, d) => (live(a) ? "" : d.sandboxBulksms),
    when: (a) => !live(a),
  },
  {
    key: "location",
    flag: "--location",
    message: "GHL location id (Settings > Business Profile)",
    kind: "text",
    variables: ["GHL_LOCATIONS", "GHL_DEFAULT_LOCATION"],
    fallback: () => "",
  },
  {
    key: "token",
    flag: "--token",
    message: "GHL private integration token of the location",
    kind: "password",
    variables: ["GHL_LOCATIONS"],
    fallback: () => "",
    when: (a) => live(a) && a.location !== "",
  },
  {
    key: "region",
    flag: "--region",
    message: "Phone region for national numbers (ISO country code)",
    kind: "text",
    variables: ["GHL_LOCATIONS"],
    fallback: () => "US",
    when: (a) => a.location !== "",
    extra: async (v) =>
      (await isKnownRegion(v)) ? undefined : "must be an ISO 3166-1 alpha-2 phone region such as GB, US, ZA",
  },
  {
    key: "timezone",
    flag: "--timezone",
    message: "Timezone (IANA)",
    kind: "text",
    variables: ["DEFAULT_TIMEZONE", "GHL_LOCATIONS"],
    fallback: (_, d) => d.localTimezone,
  },
  {
    key: "quietHours",
    flag: "--quiet-hours",
    message: "Allowed sending window, local time (HH:MM-HH:MM)",
    kind: "text",
    variables: ["QUIET_HOURS", "GHL_LOCATIONS"],
    fallback: () => "08:00-21:00",
  },
  {
    key: "bulksmsTokenId",
    flag: "--bulksms-token-id",
    message: "BulkSMS API token id (BulkSMS > Settings > API Tokens)",
    kind: "text",
    variables: ["BULKSMS_TOKEN_ID"],
    fallback: () => "",
  },
  {
    key: "bulksmsTokenSecret",
    flag: "--bulksms-token-secret",
    message: "BulkSMS API token secret",
    kind: "password",
    variables: ["BULKSMS_TOKEN_SECRET"],
    fallback: () => "",
    when: (a) => live(a) || a.bulksmsTokenId !== "",
  },
  {
    key: "publicUrl",
    flag: "--public-url",
    message: "The worker's public https address (GHL and BulkSMS call it)",
    kind: "text",
    variables: ["PUBLIC_BASE_URL"],
    fallback: () => "",
    when: live,
  },
  {
    key: "dataDir",
    flag: "--data-dir",
    message: "Data folder (the store)",
    kind: "text",
    variables: ["DATA_DIR"],
    fallback: () => "./data",
  },
  {
    key: "welcome",
    flag: "--welcome",
    message: "Welcome SMS for new contacts (empty: none)",
    kind: "text",
    variables: ["WELCOME_TEMPLATE"],
    fallback: () => "",
  },
];

/**
 * Stand-ins for answers not given yet, valid for the schema, so an answer is judged on its own (the token
 * asked after the location does not make the location "wrong"). Never written anywhere.
 */
const PENDING: Partial<InitAnswers> = {
  token: "pit-pending",
  bulksmsTokenId: "pending",
  bulksmsTokenSecret: "pending",
  publicUrl: "https://pending.invalid",
};

/** The .env variables the answers make (empty values are written empty: the defaults apply). */
export function initEnv(a: InitAnswers, s: InitSecrets): Record<string, string> {
  return {
    GHL_BULKSMS_MODE: a.mode,
    DATA_DIR: a.dataDir,
    GHL_BULKSMS_ENCRYPTION_KEY: s.encryptionKey,
    PUBLIC_BASE_URL: a.publicUrl,
    GHL_LOCATIONS: a.location
      ? JSON.stringify([
          {
            locationId: a.location,
            ...(a.token ? { token: a.token } : {}),
            region: a.region,
            timezone: a.timezone,
            quietHours: a.quietHours,
          },
        ])
      : "",
    GHL_DEFAULT_LOCATION: a.location,
    GHL_WORKFLOW_WEBHOOK_SECRET: s.workflowWebhookSecret,
    GHL_API_BASE_URL: a.ghlApiBaseUrl,
    BULKSMS_TOKEN_ID: a.bulksmsTokenId,
    BULKSMS_TOKEN_SECRET: a.bulksmsTokenSecret,
    BULKSMS_WEBHOOK_SECRET: s.bulksmsWebhookSecret,
    BULKSMS_API_BASE_URL: a.bulksmsApiBaseUrl,
    QUIET_HOURS: a.quietHours,
    DEFAULT_TIMEZONE: a.timezone,
    WELCOME_TEMPLATE: a.welcome,
  };
}

/**
 * The problem with one answer, or undefined: its own check, then the worker's schema over the environment
 * the answers so far make (unanswered questions stand in with their fallback or a valid placeholder).
 */
export async function checkAnswer(
  q: InitQuestion,
  value: string,
  answers: Partial<InitAnswers>,
  defaults: InitDefaults,
  secrets: InitSecrets,
): Promise<string | undefined> {
  if (value !== "" && q.extra) {
    const problem = await q.extra(value);
    if (problem) return problem;
  }
  const merged: Partial<InitAnswers> = { ...answers, [q.key]: value };
  const full = {} as Record<AnswerKey, string>;
  for (const other of INIT_QUESTIONS) {
    const given = merged[other.key];
    full[other.key] = given !== undefined ? given : (PENDING[other.key] ?? other.fallback(merged, defaults));
  }
  if (full.mode !== "live") {
    full.token = merged.token ?? "";
    full.bulksmsTokenSecret = merged.bulksmsTokenSecret ?? (full.bulksmsTokenId ? "pending" : "");
  }
  if (full.region) full.region = full.region.toUpperCase();
  const { configIssuesFor } = await import("@ghl-bulksms/config");
  const issues: ConfigIssue[] = configIssuesFor(
    initEnv(full as unknown as InitAnswers, secrets),
    q.variables,
  );
  // the answer's own variable first (a window is named as QUIET_HOURS before the location that copies it)
  const rank = (i: ConfigIssue) => q.variables.indexOf(i.variable);
  return [...issues].sort((x, y) => rank(x) - rank(y))[0]?.message;
}
