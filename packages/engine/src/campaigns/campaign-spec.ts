// What a campaign is made of, parsed once with a schema: its audience (a GHL segment with exclusions) and
// its options (schedule, throughput cap, batch size, GHL tag/note per recipient, trigger).
import { z } from "zod";

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be "HH:MM"');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be "YYYY-MM-DD"');

export const audienceSchema = z.strictObject({
  /** Contacts with at least one of these tags / with every one of these tags. */
  tags: z
    .strictObject({ any: z.array(z.string().min(1)).optional(), all: z.array(z.string().min(1)).optional() })
    .optional(),
  /** Custom field values (field id -> value), all must match. */
  customFields: z.record(z.string().min(1), z.union([z.string(), z.number()])).optional(),
  /** GHL contact `source` equals this. */
  source: z.string().min(1).optional(),
  /** GHL `dateAdded` within [from, to] (ISO dates or date-times). */
  dateAdded: z.strictObject({ from: z.string().optional(), to: z.string().optional() }).optional(),
  exclude: z
    .strictObject({
      tags: z.array(z.string().min(1)).optional(),
      contactIds: z.array(z.string().min(1)).optional(),
    })
    .optional(),
});
export type Audience = z.output<typeof audienceSchema>;

export const scheduleSchema = z.discriminatedUnion("kind", [
  /** As soon as possible (still inside each recipient's sending window). */
  z.strictObject({ kind: z.literal("now") }),
  /** A local date and time in each recipient's own time zone (contact's, else the location's). */
  z.strictObject({ kind: z.literal("local"), date: isoDate, time: hhmm }),
  /** One instant for everyone (still inside each recipient's sending window). */
  z.strictObject({ kind: z.literal("at"), at: z.number().int() }),
]);
export type CampaignSchedule = z.output<typeof scheduleSchema>;

export const triggerSchema = z.discriminatedUnion("kind", [
  /** A contact gains this tag in GHL: it becomes a recipient (if it matches the audience). */
  z.strictObject({ kind: z.literal("tag-added"), tag: z.string().min(1) }),
  /** A contact's field (e.g. "customFields.<id>", "source") changes value. */
  z.strictObject({ kind: z.literal("field-changed"), field: z.string().min(1) }),
]);
export type CampaignTrigger = z.output<typeof triggerSchema>;

/** BulkSMS advises about 4 000 messages per request. */
export const MAX_BATCH_SIZE = 4000;

export const campaignOptionsSchema = z.strictObject({
  schedule: scheduleSchema.optional(),
  /** Texts per minute at most (the batch size shrinks to it and batches are spaced). */
  throughputPerMinute: z.number().int().min(1).max(1_000_000).optional(),
  batchSize: z.number().int().min(1).max(MAX_BATCH_SIZE).default(MAX_BATCH_SIZE),
  /** Added to each recipient in GHL once its text is accepted (idempotent job per recipient). */
  tag: z.string().min(1).optional(),
  /** A note written on each recipient in GHL once its text is accepted. */
  note: z.boolean().default(false),
  /** Replies within this window after a campaign text are attributed to the campaign. */
  replyWindowMs: z
    .number()
    .int()
    .min(60_000)
    .default(3 * 86_400_000),
  trigger: triggerSchema.optional(),
  /** Concatenated parts a text may use (BulkSMS longMessageMaxParts). */
  maxParts: z.number().int().min(1).max(10).default(6),
});
export type CampaignOptions = z.output<typeof campaignOptionsSchema>;
export type CampaignOptionsInput = z.input<typeof campaignOptionsSchema>;

export function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
}

/** Options as stored (parsed again on read: a stored campaign always has every default). */
export function readOptions(stored: unknown): CampaignOptions {
  return campaignOptionsSchema.parse(stored ?? {});
}

export function readAudience(stored: unknown): Audience {
  return audienceSchema.parse(stored ?? {});
}
