import { z } from "zod";

/** GHL standard contact fields a mapping can read. */
export const GHL_STANDARD_FIELDS = [
  "id",
  "firstName",
  "lastName",
  "name",
  "email",
  "phone",
  "timezone",
  "country",
  "companyName",
  "city",
  "state",
  "postalCode",
  "address1",
  "website",
  "source",
  "type",
  "dateOfBirth",
  "tags",
] as const;
export type GhlStandardField = (typeof GHL_STANDARD_FIELDS)[number];

const standardField = z.enum(GHL_STANDARD_FIELDS);
const customField = z.strictObject({
  customField: z.union([
    z.strictObject({ id: z.string().min(1) }),
    z.strictObject({ key: z.string().min(1) }),
  ]),
});
const SOURCE_ERROR = `must be a GHL standard field (${GHL_STANDARD_FIELDS.join(", ")}) or { customField: { id } } or { customField: { key } }`;
const source = z.union([standardField, customField], { error: SOURCE_ERROR });

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const transform = z.union(
  [
    z.enum(["trim", "lower", "upper", "e164", "collapseSpaces"]),
    z.strictObject({
      split: z.strictObject({ separator: z.string().min(1), index: z.number().int().optional() }),
    }),
    z.strictObject({ default: scalar }),
    z.strictObject({
      map: z.record(z.string(), z.string()),
      otherwise: z.enum(["keep", "empty"]).optional(),
    }),
  ],
  {
    error:
      'must be "trim", "lower", "upper", "e164", "collapseSpaces", { split: { separator, index? } }, { default: value } or { map: { from: to }, otherwise? }',
  },
);

const fieldMapping = z.strictObject({
  /** One source, or several: the first non-empty one is used. */
  from: z.union([source, z.array(source).min(1)], { error: `${SOURCE_ERROR}, or a non-empty list of them` }),
  transforms: z.array(transform).default([]),
  required: z.boolean().default(false),
});

export const mappingConfigSchema = z.strictObject({
  version: z.literal(1),
  /** Region for national phone formats (ISO 3166-1 alpha-2), e.g. "GB". */
  defaultRegion: z
    .string()
    .regex(/^[A-Za-z]{2}$/, "must be a two-letter country code such as GB or US")
    .optional(),
  profile: z.strictObject({
    phone: fieldMapping.default({ from: "phone", transforms: ["e164"], required: false }),
    firstName: fieldMapping.optional(),
    lastName: fieldMapping.optional(),
    name: fieldMapping.optional(),
    locale: fieldMapping.optional(),
    timezone: fieldMapping.optional(),
    /** A field whose mapped value is "opted-out", "opted-in" or "unknown" (in addition to GHL's DND). */
    consent: fieldMapping.optional(),
    /** Segment tags (default: the contact's tags). */
    segmentTags: fieldMapping.optional(),
  }),
  /** Keep only segment tags with this prefix (and strip it when `stripPrefix`). */
  segmentTagPrefix: z.string().optional(),
  stripSegmentTagPrefix: z.boolean().default(false),
  /** More profile attributes for templates, by name. */
  extra: z
    .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, "must be an identifier"), fieldMapping)
    .default({}),
});

export type MappingConfig = z.output<typeof mappingConfigSchema>;
export type MappingConfigInput = z.input<typeof mappingConfigSchema>;
export type FieldMapping = z.output<typeof fieldMapping>;
export type MappingSource = z.output<typeof source>;
export type MappingTransform = z.output<typeof transform>;

export interface ConfigError {
  /** Where the problem is, e.g. "profile.phone.transforms[1]". */
  path: string;
  message: string;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? String(p) : `.${String(p)}`;
  }
  return out === "" ? "(root)" : out;
}

/** Validate a mapping config. Errors name the path of each problem. */
export function parseMappingConfig(
  input: unknown,
): { ok: true; config: MappingConfig } | { ok: false; errors: ConfigError[] } {
  const result = mappingConfigSchema.safeParse(input);
  if (result.success) return { ok: true, config: result.data };
  return {
    ok: false,
    errors: result.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
  };
}
