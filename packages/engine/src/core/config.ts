// Engine configuration: parsed once with zod. `defaults` apply to every location; `locations[id]` and a
// location's stored settings (`location.settings.engine`) override them section by section.
import {
  checkPlainText,
  checkTemplate,
  DEFAULT_TEMPLATE_FIELDS,
  type MappingConfig,
  parseMappingConfig,
} from "@ghl-bulksms/sync";
import { z } from "zod";

export const DEFAULT_STOP_KEYWORDS = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"] as const;
export const DEFAULT_START_KEYWORDS = ["START", "UNSTOP"] as const;
export const DEFAULT_HELP_KEYWORDS = ["HELP"] as const;
export const DEFAULT_OPT_OUT_TAG = "sms-opted-out";

const keyword = z
  .string()
  .trim()
  .min(1)
  .transform((w) => w.toUpperCase());

const welcomeSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** Template with `{{ field | "fallback" }}` placeholders (see @ghl-bulksms/sync renderTemplate). */
  template: z.string().default('Hi {{firstName | "there"}}, thanks for joining us!'),
  delayMs: z.number().int().min(0).default(0),
  /** Only send to numbers that are mobile (or possibly mobile) numbers. */
  requireMobile: z.boolean().default(true),
});

const keywordsSchema = z.strictObject({
  stop: z
    .array(keyword)
    .min(1)
    .default([...DEFAULT_STOP_KEYWORDS]),
  start: z.array(keyword).default([...DEFAULT_START_KEYWORDS]),
  help: z.array(keyword).default([...DEFAULT_HELP_KEYWORDS]),
  /**
   * The STOP words the BulkSMS account itself acts on: it blocks the number when one arrives (BulkSMS
   * fact sheet section 11). null = every `stop` keyword (the safe assumption: a confirmation to a number
   * BulkSMS blocked ends FAILED.BLOCKED and is billed).
   */
  gatewayStop: z.array(keyword).nullable().default(null),
});

/**
 * When a STOP / START confirmation is sent. "off": never (free). "unless-blocked": only when the BulkSMS
 * account is not known to block the number; the send gate refuses it otherwise, before anything is billed.
 */
export const confirmationModeSchema = z.enum(["off", "unless-blocked"]);
export type ConfirmationMode = z.output<typeof confirmationModeSchema>;

const repliesSchema = z.strictObject({
  /** Default "off": after a STOP BulkSMS blocks the number, so a confirmation would be billed and refused. */
  stopConfirmationMode: confirmationModeSchema.default("off"),
  /** Default "off": after STOP -> START the number stays blocked at BulkSMS (no unblock API). */
  startConfirmationMode: confirmationModeSchema.default("off"),
  /** Sent once after STOP (the only text ever sent to an opted-out number); null = none. */
  stopConfirmation: z
    .string()
    .nullable()
    .default("You have been unsubscribed and will receive no more messages. Reply START to resubscribe."),
  startConfirmation: z.string().nullable().default("You have been resubscribed. Reply STOP to unsubscribe."),
  help: z.string().nullable().default("Reply STOP to unsubscribe, START to resubscribe."),
});

const notesSchema = z.strictObject({
  /**
   * Notes for SMS texts (inbound replies and delivery reports). "auto": on unless thread mode records the
   * texts in the contact's GHL conversation (conversations.thread), where a note would repeat them.
   */
  sms: z.enum(["auto", "on", "off"]).default("auto"),
  /** Which delivery reports become a note on the contact. */
  deliveryReports: z.enum(["none", "final", "failures", "all"]).default("final"),
  inboundReplies: z.boolean().default(true),
  optOuts: z.boolean().default(true),
});

const tasksSchema = z.strictObject({
  onFailure: z.boolean().default(true),
  /** A task for a human to answer each inbound reply. */
  onReply: z.boolean().default(false),
  dueInMs: z
    .number()
    .int()
    .min(0)
    .default(24 * 3600_000),
  assignedTo: z.string().optional(),
});

const retrySchema = z.strictObject({
  /** Automatic re-sends of a failed message (a new attempt of the same logical send). */
  maxRetries: z.number().int().min(0).max(5).default(1),
  delayMs: z.number().int().min(0).default(3600_000),
  /** BulkSMS failure subtypes worth retrying. */
  subtypes: z.array(z.string()).default(["EXPIRED", "HANDSET_ERROR"]),
});

const quietHoursSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** "HH:MM"; null = the location's stored window (default 08:00-21:00). */
  start: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM")
    .nullable()
    .default(null),
  end: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM")
    .nullable()
    .default(null),
});

const consentSchema = z.strictObject({
  /** "not-opted-out": text unless an opt-out is known; "explicit-opt-in": only when the consent field says opted-in. */
  require: z.enum(["not-opted-out", "explicit-opt-in"]).default("not-opted-out"),
  /**
   * The oldest view of a contact's GHL DND and tags an automated text may be decided on (ms). An older
   * mirror is re-read from GHL first; when GHL cannot be read the text is deferred. 0 = always re-read.
   */
  maxAgeMs: z
    .number()
    .int()
    .min(0)
    .max(7 * 86_400_000)
    .default(5 * 60_000),
});

/**
 * Quiet hours for texts GHL hands us as its SMS provider (ProviderOutboundMessage):
 * - "user-immediate": a text a person typed in GHL (the payload has a `userId`) goes at once; workflow and
 *   bulk sends (no `userId`) follow the location's quiet hours;
 * - "always": every provider text follows quiet hours; "never": none does.
 */
export const providerQuietHoursSchema = z.enum(["user-immediate", "always", "never"]);
export type ProviderQuietHours = z.output<typeof providerQuietHoursSchema>;

/** What happens to a provider text with attachments (BulkSMS sends SMS only). */
export const providerAttachmentsSchema = z.enum(["fail", "links"]);
export type ProviderAttachments = z.output<typeof providerAttachmentsSchema>;

const providerSchema = z.strictObject({
  /**
   * BulkSMS is the location's GHL SMS provider: ProviderOutboundMessage events are sent. Off: nothing is
   * sent, and a provider message that still arrives fails in GHL with the reason.
   */
  enabled: z.boolean().default(false),
  quietHours: providerQuietHoursSchema.default("user-immediate"),
  /** "fail": the message fails in GHL ("attachments cannot be sent by SMS"); "links": links appended. */
  attachments: providerAttachmentsSchema.default("fail"),
  /** At most this many SMS parts for a provider text (with appended links); longer ones fail in GHL. */
  maxParts: z.number().int().min(1).max(10).default(6),
});
/** Unknown senders: create a GHL contact, a task for a person, or nothing. */
export const unknownSenderSchema = z.enum(["create-contact", "task", "ignore"]);
export type UnknownSenderMode = z.output<typeof unknownSenderSchema>;

export const DEFAULT_UNKNOWN_SENDER_TAG = "sms-inbound-unknown";

const conversationsSchema = z
  .strictObject({
    /**
     * Thread mode: every inbound text (and every text we send) is recorded in the contact's GHL
     * conversation with POST /conversations/messages/inbound.
     */
    thread: z.boolean().default(false),
    /**
     * The app's SMS conversation provider in GHL: "default" (replaces LC Phone; no provider id needed),
     * "extra" (a custom provider: every inbound message must carry `providerId`), or "off" (no provider).
     */
    provider: z.enum(["off", "default", "extra"]).default("off"),
    /** The conversation provider's id ("conversationProviderId"); required with provider "extra". */
    providerId: z.string().min(1).nullable().default(null),
    /** A text from a number no contact has. null = "create-contact" in thread mode, else "ignore". */
    unknownSender: unknownSenderSchema.nullable().default(null),
    /** Tag of a contact created for an unknown sender. */
    unknownSenderTag: z.string().min(1).default(DEFAULT_UNKNOWN_SENDER_TAG),
    /** unknownSender "task": the GHL contact that holds the tasks (GHL tasks live on a contact). */
    taskContactId: z.string().min(1).nullable().default(null),
    /** unknownSender "task": the GHL user the task is assigned to. */
    taskAssignee: z.string().min(1).nullable().default(null),
  })
  .superRefine((c, ctx) => {
    if (c.provider === "extra" && c.providerId === null)
      ctx.addIssue({
        code: "custom",
        path: ["providerId"],
        message:
          'is required with provider "extra" (GHL refuses an extra provider\'s inbound message without it)',
      });
    if (c.unknownSender === "task" && c.taskContactId === null)
      ctx.addIssue({
        code: "custom",
        path: ["taskContactId"],
        message: 'is required with unknownSender "task" (the GHL contact that holds the tasks)',
      });
  });
export type ConversationsPolicy = z.output<typeof conversationsSchema>;

export const locationPolicySchema = z.strictObject({
  welcome: welcomeSchema.default(welcomeSchema.parse({})),
  keywords: keywordsSchema.default(keywordsSchema.parse({})),
  replies: repliesSchema.default(repliesSchema.parse({})),
  notes: notesSchema.default(notesSchema.parse({})),
  tasks: tasksSchema.default(tasksSchema.parse({})),
  retry: retrySchema.default(retrySchema.parse({})),
  quietHours: quietHoursSchema.default(quietHoursSchema.parse({})),
  consent: consentSchema.default(consentSchema.parse({})),
  provider: providerSchema.default(providerSchema.parse({})),
  conversations: conversationsSchema.default(conversationsSchema.parse({})),
  optOutTag: z.string().min(1).default(DEFAULT_OPT_OUT_TAG),
  /** Sender id for BulkSMS ("REPLIABLE" so replies come back, or a number / alphanumeric id). */
  sender: z.string().min(1).default("REPLIABLE"),
  /** @ghl-bulksms/sync mapping config (validated with parseMappingConfig); null = the default mapping. */
  mapping: z.unknown().default(null),
});

export type LocationPolicy = z.output<typeof locationPolicySchema>;
export type LocationPolicyInput = z.input<typeof locationPolicySchema>;

// Overrides are checked for shape here and validated in full once merged over the defaults (zod
// defaults inside a `.partial()` section would otherwise silently reset the values they leave out).
const section = z.record(z.string(), z.unknown());
const partialPolicy = z.strictObject({
  welcome: section.optional(),
  keywords: section.optional(),
  replies: section.optional(),
  notes: section.optional(),
  tasks: section.optional(),
  retry: section.optional(),
  quietHours: section.optional(),
  consent: section.optional(),
  provider: section.optional(),
  conversations: section.optional(),
  optOutTag: z.string().min(1).optional(),
  sender: z.string().min(1).optional(),
  mapping: z.unknown().optional(),
});
export type LocationPolicyOverride = {
  [K in keyof LocationPolicyInput]?: LocationPolicyInput[K] extends object | undefined
    ? Partial<NonNullable<LocationPolicyInput[K]>>
    : LocationPolicyInput[K];
};

export const engineConfigSchema = z.strictObject({
  defaults: locationPolicySchema.default(locationPolicySchema.parse({})),
  /** Per-location overrides by GHL location id. */
  locations: z.record(z.string(), partialPolicy).default({}),
  /** Register a location the first time one of its events arrives (private-integration set-ups). */
  autoRegisterLocations: z.boolean().default(true),
});

export type EngineConfig = z.output<typeof engineConfigSchema>;
export type EngineConfigInput = z.input<typeof engineConfigSchema>;

export class EngineConfigError extends Error {
  readonly issues: ReadonlyArray<{ path: string; message: string }>;
  constructor(issues: ReadonlyArray<{ path: string; message: string }>) {
    super(`Invalid engine configuration:\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join("\n")}`);
    this.name = "EngineConfigError";
    this.issues = issues;
  }
}

function pathOf(path: readonly PropertyKey[]): string {
  return path.length === 0 ? "(root)" : path.map(String).join(".");
}

/** Parses the engine configuration; throws EngineConfigError naming every bad setting. */
export function parseEngineConfig(input: EngineConfigInput | unknown = {}): EngineConfig {
  const r = engineConfigSchema.safeParse(input ?? {});
  if (!r.success) {
    throw new EngineConfigError(r.error.issues.map((i) => ({ path: pathOf(i.path), message: i.message })));
  }
  const issues: Array<{ path: string; message: string }> = [];
  const check = (where: string, mapping: unknown) => {
    if (mapping === null || mapping === undefined) return;
    const m = parseMappingConfig(mapping);
    if (!m.ok)
      for (const e of m.errors) issues.push({ path: `${where}.mapping.${e.path}`, message: e.message });
  };
  check("defaults", r.data.defaults.mapping);
  issues.push(...templateIssues(r.data.defaults, "defaults"));
  for (const [id, o] of Object.entries(r.data.locations)) {
    check(`locations.${id}`, o.mapping);
    const merged = locationPolicySchema.safeParse(mergePolicy(r.data.defaults, o, {}));
    if (!merged.success) {
      for (const i of merged.error.issues)
        issues.push({ path: `locations.${id}.${pathOf(i.path)}`, message: i.message });
    } else if (o.welcome || o.replies || o.mapping !== undefined) {
      issues.push(...templateIssues(merged.data, `locations.${id}`));
    }
  }
  if (issues.length > 0) throw new EngineConfigError(issues);
  return r.data;
}

/**
 * The texts of a policy, checked before any contact is at hand: the welcome template parses and uses only
 * fields the welcome fills in (the standard ones and the mapping's custom `extra` fields); the replies are
 * sent as they are, so a placeholder in them is refused.
 */
function templateIssues(policy: LocationPolicy, where: string): Array<{ path: string; message: string }> {
  const issues: Array<{ path: string; message: string }> = [];
  const mapping =
    policy.mapping && typeof policy.mapping === "object" ? parseMappingConfig(policy.mapping) : null;
  const extra = mapping?.ok ? Object.keys(mapping.config.extra) : [];
  const welcome = checkTemplate(policy.welcome.template, { fields: [...DEFAULT_TEMPLATE_FIELDS, ...extra] });
  if (!welcome.ok)
    issues.push({
      path: `${where}.welcome.template`,
      message: `not a valid template: ${welcome.error.message}`,
    });
  for (const [name, text] of Object.entries(policy.replies)) {
    const plain = text === null ? null : checkPlainText(text);
    if (plain && !plain.ok) issues.push({ path: `${where}.replies.${name}`, message: plain.error.message });
  }
  return issues;
}

type Override = z.output<typeof partialPolicy>;

function mergePolicy(d: LocationPolicy, fromConfig: Override, fromStore: Override): unknown {
  return {
    welcome: { ...d.welcome, ...fromConfig.welcome, ...fromStore.welcome },
    keywords: { ...d.keywords, ...fromConfig.keywords, ...fromStore.keywords },
    replies: { ...d.replies, ...fromConfig.replies, ...fromStore.replies },
    notes: { ...d.notes, ...fromConfig.notes, ...fromStore.notes },
    tasks: { ...d.tasks, ...fromConfig.tasks, ...fromStore.tasks },
    retry: { ...d.retry, ...fromConfig.retry, ...fromStore.retry },
    quietHours: { ...d.quietHours, ...fromConfig.quietHours, ...fromStore.quietHours },
    consent: { ...d.consent, ...fromConfig.consent, ...fromStore.consent },
    provider: { ...d.provider, ...fromConfig.provider, ...fromStore.provider },
    conversations: { ...d.conversations, ...fromConfig.conversations, ...fromStore.conversations },
    optOutTag: fromStore.optOutTag ?? fromConfig.optOutTag ?? d.optOutTag,
    sender: fromStore.sender ?? fromConfig.sender ?? d.sender,
    mapping: fromStore.mapping ?? fromConfig.mapping ?? d.mapping,
  };
}

/**
 * defaults <- config.locations[id] <- location.settings.engine, section by section. Invalid stored
 * settings are ignored as a whole (the configured policy applies) rather than half-applied.
 */
export function resolvePolicy(config: EngineConfig, locationId: string, stored: unknown): LocationPolicy {
  const fromConfig = config.locations[locationId] ?? {};
  const storedEngine =
    stored && typeof stored === "object" && "engine" in stored
      ? (stored as { engine: unknown }).engine
      : undefined;
  const parsedStored = partialPolicy.safeParse(storedEngine ?? {});
  const withStore = parsedStored.success
    ? locationPolicySchema.safeParse(mergePolicy(config.defaults, fromConfig, parsedStored.data))
    : null;
  if (withStore?.success) return withStore.data;
  return locationPolicySchema.parse(mergePolicy(config.defaults, fromConfig, {}));
}

/** The mapping config of a location: its own, else the default mapping with the location's region. */
export function mappingFor(policy: LocationPolicy, region: string): MappingConfig {
  const input =
    policy.mapping && typeof policy.mapping === "object"
      ? { defaultRegion: region, ...(policy.mapping as Record<string, unknown>) }
      : { version: 1, defaultRegion: region, profile: {} };
  const r = parseMappingConfig(input);
  if (!r.ok)
    throw new EngineConfigError(r.errors.map((e) => ({ path: `mapping.${e.path}`, message: e.message })));
  return r.config;
}

/** Whether SMS texts (inbound replies, delivery reports) become notes (see notes.sms). */
export function smsNotesOn(policy: Pick<LocationPolicy, "notes" | "conversations">): boolean {
  switch (policy.notes.sms) {
    case "on":
      return true;
    case "off":
      return false;
    case "auto":
      return !policy.conversations.thread;
    default: {
      const never: never = policy.notes.sms;
      throw new Error(`unknown notes.sms ${String(never)}`);
    }
  }
}

/** What a text from a number no contact has leads to (see conversations.unknownSender). */
export function unknownSenderMode(policy: Pick<LocationPolicy, "conversations">): UnknownSenderMode {
  const c = policy.conversations;
  return c.unknownSender ?? (c.thread ? "create-contact" : "ignore");
}
