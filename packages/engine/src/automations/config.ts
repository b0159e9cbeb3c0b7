// Lifecycle configuration (reconciliation, duplicate merging, follow-ups, digest): parsed once with zod,
// every bad setting reported with its path. `defaults` apply to every location; `locations[id]` overrides
// them section by section.
import { checkTemplate } from "@ghl-bulksms/sync";
import { z } from "zod";

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM (24 h)");
const fieldPolicy = z.enum(["ghl-wins", "sms-wins", "last-writer-wins", "union"]);

const reconcileSchema = z.strictObject({
  /** Field policies for the three-way merge (see @ghl-bulksms/sync SyncPolicies). */
  policies: z
    .strictObject({
      fields: z.record(z.string(), fieldPolicy).default({}),
      defaultField: fieldPolicy.default("last-writer-wins"),
      tags: z.enum(["union", "ghl-wins", "sms-wins"]).default("union"),
      tieBreaker: z.enum(["ghl", "local"]).default("ghl"),
      notes: z.boolean().default(true),
      tasks: z.boolean().default(true),
    })
    .default({
      fields: {},
      defaultField: "last-writer-wins",
      tags: "union",
      tieBreaker: "ghl",
      notes: true,
      tasks: true,
    }),
  /** Contacts per search request (GHL allows at most 500). */
  pageLimit: z.number().int().min(1).max(500).default(500),
  /** Search pages requested ahead of the one being processed. */
  prefetchPages: z.number().int().min(0).max(5).default(2),
  /**
   * Contacts whose GHL writes run at once (each contact's own writes stay in order). High enough that a
   * whole rate window's worth of writes leaves quickly when the limiter opens again (at ~250 ms per GHL
   * call, 32 at once send 80 writes in well under a second); the limiter, not this, bounds the rate.
   */
  writeConcurrency: z.number().int().min(1).max(32).default(32),
  /** Incremental runs re-read this much before the last cursor (GHL's search index is near-real-time). */
  overlapMs: z.number().int().min(0).default(120_000),
  /** A discovered contact that never got its welcome gets it only if it was added this recently. */
  welcomeMaxAgeHours: z.number().min(0).default(24),
  /** A running run with no heartbeat for this long crashed and may be taken over. */
  staleAfterMs: z.number().int().min(1_000).default(120_000),
  incrementalEveryMs: z
    .number()
    .int()
    .min(60_000)
    .default(15 * 60_000),
  /** Local time of the daily full run, in the location's time zone. */
  fullAt: hhmm.default("03:00"),
});

const mergeSchema = z.strictObject({
  /** Merging is opt-in per location. */
  enabled: z.boolean().default(false),
  /** "delete": absorbed duplicates are deleted (after the undo snapshot); "tag-only": never delete. */
  mode: z.enum(["delete", "tag-only"]).default("tag-only"),
  duplicateTag: z.string().min(1).default("duplicate"),
  survivor: z.enum(["most-complete", "oldest", "most-recent"]).default("most-complete"),
  /** Minimum cluster score (0..1) to propose a merge. */
  minScore: z.number().min(0).max(1).default(0),
});

const triggerSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("tag-added"), tag: z.string().min(1) }),
  z.strictObject({
    type: z.literal("field-changed"),
    /** A shared field name ("firstName", "cf.<customFieldId>", ...). */
    field: z.string().min(1),
    /** Start only when the new value equals this; absent = any change to a non-empty value. */
    equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
  }),
]);

const stepSchema = z.strictObject({
  /** Delay after the trigger (first step) or after the previous step. */
  afterHours: z.number().min(0),
  /** Filled in from the contact's GHL record and profile (open-ended fields: the syntax is checked). */
  template: z
    .string()
    .min(1)
    .superRefine((t, ctx) => {
      const c = checkTemplate(t, { fields: null });
      if (!c.ok) ctx.addIssue({ code: "custom", message: `not a valid template: ${c.error.message}` });
    }),
});

export const followUpRuleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-_]*$/, "must be lower-case letters, digits, - or _"),
  trigger: triggerSchema,
  steps: z.array(stepSchema).min(1, "a rule needs at least one step"),
  stopOn: z
    .strictObject({
      reply: z.boolean().default(true),
      optOut: z.boolean().default(true),
      /** For tag-added rules: stop when the tag is removed. */
      tagRemoved: z.boolean().default(true),
      /** For field-changed rules: stop when the field no longer has the triggering value. */
      fieldChanged: z.boolean().default(true),
    })
    .default({ reply: true, optOut: true, tagRemoved: true, fieldChanged: true }),
});

const digestSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** Local time (location time zone) the digest is sent. */
  at: hhmm.default("08:00"),
  /** Team numbers (E.164). */
  recipients: z.array(z.string().regex(/^\+\d{7,15}$/, "must be an E.164 number")).default([]),
  maxNames: z.number().int().min(0).max(20).default(3),
  maxParts: z.number().int().min(1).max(10).default(2),
});

export const lifecyclePolicySchema = z.strictObject({
  reconcile: reconcileSchema.default(reconcileSchema.parse({})),
  merge: mergeSchema.default(mergeSchema.parse({})),
  followUps: z
    .array(followUpRuleSchema)
    .default([])
    .superRefine((rules, ctx) => {
      const seen = new Set<string>();
      rules.forEach((r, i) => {
        if (seen.has(r.id))
          ctx.addIssue({ code: "custom", path: [i, "id"], message: `duplicate rule id "${r.id}"` });
        seen.add(r.id);
      });
    }),
  digest: digestSchema.default(digestSchema.parse({})),
});

export type LifecyclePolicy = z.output<typeof lifecyclePolicySchema>;
export type FollowUpRule = z.output<typeof followUpRuleSchema>;
export type ReconcileSettings = LifecyclePolicy["reconcile"];
export type MergeSettings = LifecyclePolicy["merge"];
export type DigestSettings = LifecyclePolicy["digest"];

const overrideSchema = z.strictObject({
  reconcile: reconcileSchema.partial().optional(),
  merge: mergeSchema.partial().optional(),
  followUps: z.array(followUpRuleSchema).optional(),
  digest: digestSchema.partial().optional(),
});

export const lifecycleConfigSchema = z.strictObject({
  defaults: lifecyclePolicySchema.default(lifecyclePolicySchema.parse({})),
  locations: z.record(z.string(), overrideSchema).default({}),
});

export type LifecycleConfig = z.output<typeof lifecycleConfigSchema>;
export type LifecycleConfigInput = z.input<typeof lifecycleConfigSchema>;

export class LifecycleConfigError extends Error {
  readonly issues: ReadonlyArray<{ path: string; message: string }>;
  constructor(issues: ReadonlyArray<{ path: string; message: string }>) {
    super(`Invalid lifecycle configuration:\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join("\n")}`);
    this.name = "LifecycleConfigError";
    this.issues = issues;
  }
}

/** Parses the lifecycle configuration; throws LifecycleConfigError naming each bad setting by its path. */
export function parseLifecycleConfig(input: unknown = {}): LifecycleConfig {
  const r = lifecycleConfigSchema.safeParse(input ?? {});
  if (!r.success) {
    throw new LifecycleConfigError(
      r.error.issues.map((i) => ({
        path: i.path.length === 0 ? "(root)" : i.path.map(String).join("."),
        message: i.message,
      })),
    );
  }
  return r.data;
}

/** The effective policy of one location: defaults <- locations[id], section by section. */
export function lifecycleFor(config: LifecycleConfig, locationId: string): LifecyclePolicy {
  const o = config.locations[locationId];
  const d = config.defaults;
  if (!o) return d;
  return {
    reconcile: { ...d.reconcile, ...o.reconcile },
    merge: { ...d.merge, ...o.merge },
    followUps: o.followUps ?? d.followUps,
    digest: { ...d.digest, ...o.digest },
  };
}
