// The engine policy the environment implies (welcome template, keywords, help text, quiet hours, per
// location quiet hours), combined with the policy file's `engine` section. The worker and the CLI both
// build the engine from `enginePolicy(config, file)`, so they run the same policies.

import type { QuietHours, WorkerConfig } from "./env-config.js";
import type { PolicyFile } from "./policy-file.js";

type Json = Record<string, unknown>;

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** "HH:MM" start and end of an allowed sending window. */
export function quietWindow(q: QuietHours): { start: string; end: string } {
  return { start: hhmm(q.startMinute), end: hhmm(q.endMinute) };
}

/** GHL_PROVIDER_MODE / PROVIDER_QUIET_HOURS / PROVIDER_ATTACHMENTS (optional in hand-built test configs). */
function providerPolicy(config: WorkerConfig): Json {
  const p = config.provider;
  if (!p) return {};
  return {
    provider: { enabled: p.mode !== "off", quietHours: p.quietHours, attachments: p.attachments },
  };
}

/** The environment's settings as engine configuration input (parseEngineConfig's shape). */
export function enginePolicyFromEnv(config: WorkerConfig): Json {
  const m = config.messaging;
  const locations: Record<string, Json> = {};
  for (const l of config.ghl.locations) {
    if (l.quietHours) locations[l.locationId] = { quietHours: quietWindow(l.quietHours) };
  }
  // replies: HELP_TEXT when set; STOP/START_CONFIRMATION_TEXT when set ("" = none -> null); the
  // STOP/START_CONFIRMATION modes always (their defaults are the free "off")
  const replies: Json = {};
  if (m.helpText !== null) replies.help = m.helpText;
  if (m.stopConfirmationText !== null) replies.stopConfirmation = m.stopConfirmationText || null;
  if (m.startConfirmationText !== null) replies.startConfirmation = m.startConfirmationText || null;
  replies.stopConfirmationMode = m.stopConfirmation;
  replies.startConfirmationMode = m.startConfirmation;
  const c = config.conversations;
  const conversations: Json = {};
  const notes: Json = {};
  if (c) {
    // only what differs from the engine's defaults (thread off, provider off), so a file setting stays visible
    if (c.thread) conversations.thread = true;
    if (c.providerMode !== "off") conversations.provider = c.providerMode;
    if (c.providerId !== null) conversations.providerId = c.providerId;
    if (c.unknownSender !== null) conversations.unknownSender = c.unknownSender;
    if (c.unknownSenderTag !== null) conversations.unknownSenderTag = c.unknownSenderTag;
    if (c.unknownSenderTaskContact !== null) conversations.taskContactId = c.unknownSenderTaskContact;
    if (c.unknownSenderTaskUser !== null) conversations.taskAssignee = c.unknownSenderTaskUser;
    if (c.smsNotes !== null) notes.sms = c.smsNotes ? "on" : "off";
  }
  return {
    defaults: {
      welcome: {
        enabled: m.welcomeTemplate !== null,
        ...(m.welcomeTemplate !== null ? { template: m.welcomeTemplate } : {}),
        delayMs: m.welcomeDelayMs,
      },
      keywords: {
        stop: [...m.stopWords],
        start: [...m.startWords],
        help: [...m.helpWords],
        gatewayStop: m.gatewayStopWords === null ? null : [...m.gatewayStopWords],
      },
      replies,
      quietHours: { enabled: true, ...quietWindow(m.quietHours) },
      consent: { maxAgeMs: m.consentMaxAgeMs },
      ...providerPolicy(config),
      ...(Object.keys(conversations).length > 0 ? { conversations } : {}),
      ...(Object.keys(notes).length > 0 ? { notes } : {}),
    },
    locations,
  };
}

function isObject(v: unknown): v is Json {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

/** b over a, one level of sections deep (a section object in b overrides the same keys of a's). */
function overSections(a: Json, b: Json): Json {
  const out: Json = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isObject(v) && isObject(a[k]) ? { ...a[k], ...v } : v;
  return out;
}

/**
 * The engine configuration input: the environment's policy, with the policy file's `engine` section over
 * it (the file wins, setting by setting). Validate it with the engine's parseEngineConfig.
 */
export function enginePolicy(config: WorkerConfig, file: Pick<PolicyFile, "engine"> | null): Json {
  const env = enginePolicyFromEnv(config);
  const fromFile = file?.engine ?? {};
  const out: Json = { ...env, ...fromFile };
  out.defaults = overSections(
    isObject(env.defaults) ? env.defaults : {},
    isObject(fromFile.defaults) ? fromFile.defaults : {},
  );
  const envLocations = isObject(env.locations) ? env.locations : {};
  const fileLocations = isObject(fromFile.locations) ? fromFile.locations : {};
  const locations: Json = {};
  for (const id of new Set([...Object.keys(envLocations), ...Object.keys(fileLocations)])) {
    const a = envLocations[id];
    const b = fileLocations[id];
    locations[id] = overSections(isObject(a) ? a : {}, isObject(b) ? b : {});
  }
  out.locations = locations;
  return out;
}

/**
 * The lifecycle settings the environment implies (RECONCILE_INTERVAL_MINUTES, RECONCILE_FULL_AT), as
 * parseLifecycleConfig input; null when none is set (then the lifecycle defaults apply).
 */
export function lifecyclePolicyFromEnv(config: WorkerConfig): Json | null {
  const s = config.schedule;
  const reconcile: Json = {};
  if (s.reconcileIncrementalEveryMs !== null) reconcile.incrementalEveryMs = s.reconcileIncrementalEveryMs;
  if (s.reconcileFullAt !== null) reconcile.fullAt = s.reconcileFullAt;
  return Object.keys(reconcile).length > 0 ? { defaults: { reconcile } } : null;
}

/**
 * The lifecycle configuration input: the environment's reconcile schedule with the policy file's
 * `lifecycle` section over it (the file wins, setting by setting). Null when neither sets anything (then
 * the engine runs the lifecycle defaults and contact webhooks start no follow-ups). Validate it with the
 * engine's parseLifecycleConfig.
 */
export function lifecyclePolicy(
  config: WorkerConfig,
  file: Pick<PolicyFile, "lifecycle"> | null,
): Json | null {
  const env = lifecyclePolicyFromEnv(config);
  const fromFile = file?.lifecycle;
  if (env === null) return fromFile ?? null;
  if (fromFile === undefined) return env;
  const out: Json = { ...env, ...fromFile };
  out.defaults = overSections(
    isObject(env.defaults) ? env.defaults : {},
    isObject(fromFile.defaults) ? fromFile.defaults : {},
  );
  return out;
}
