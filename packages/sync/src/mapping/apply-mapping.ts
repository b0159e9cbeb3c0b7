import { normalisePhone } from "../normalise/phone.js";
import { type GhlContactLike, ghlSmsDnd } from "./ghl-contact.js";
import type { FieldMapping, MappingConfig, MappingSource, MappingTransform } from "./mapping-config.js";

type Value = string | string[] | null;

/** The local SMS profile of one contact. */
export interface SmsProfile {
  ghlId: string;
  /** E.164 when the mapping uses the "e164" transform (the default). */
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  name: string | null;
  locale: string | null;
  timezone: string | null;
  /** True when GHL DND (global or SMS) is on, or the consent field maps to "opted-out". */
  dnd: boolean;
  /** "opted-out" | "opted-in" | "unknown", from the consent field (never itself an opt-in: see README). */
  consentField: "opted-out" | "opted-in" | "unknown";
  segmentTags: string[];
  extra: Record<string, string | null>;
}

export interface CustomFieldDefinition {
  id: string;
  /** e.g. "contact.preferred_language" */
  key: string;
}

export interface MappingError {
  field: string;
  message: string;
}

export type MappingResult = { ok: true; profile: SmsProfile } | { ok: false; errors: MappingError[] };

function toValue(raw: unknown): Value {
  if (raw === null || raw === undefined) return null;
  if (Array.isArray(raw)) return raw.filter((v) => v !== null && v !== undefined).map(String);
  if (typeof raw === "object") return null; // file-upload maps and other objects are not text
  const s = String(raw);
  return s;
}

function isEmptyValue(v: Value): boolean {
  return v === null || v === "" || (Array.isArray(v) && v.length === 0);
}

function each(v: Value, f: (s: string) => string | null): Value {
  if (v === null) return null;
  if (Array.isArray(v)) return v.map(f).filter((s): s is string => s !== null && s !== "");
  return f(v);
}

export interface ApplyMappingOptions {
  /** Custom field definitions of the location, needed to read custom fields by key. */
  customFields?: readonly CustomFieldDefinition[];
}

/** Map one GHL contact to the SMS profile. Errors name the profile field and the problem. */
export function applyMapping(
  contact: GhlContactLike,
  config: MappingConfig,
  options: ApplyMappingOptions = {},
): MappingResult {
  const errors: MappingError[] = [];
  const keyToId = new Map((options.customFields ?? []).map((d) => [d.key, d.id]));
  const customValues = new Map((contact.customFields ?? []).map((f) => [f.id, f.value]));

  const read = (field: string, src: MappingSource): Value => {
    if (typeof src === "string") return toValue((contact as unknown as Record<string, unknown>)[src]);
    const ref = src.customField;
    let id: string | undefined;
    if ("id" in ref) id = ref.id;
    else {
      id = keyToId.get(ref.key);
      if (id === undefined) {
        errors.push({ field, message: `custom field key "${ref.key}" is not defined in this location` });
        return null;
      }
    }
    return toValue(customValues.get(id));
  };

  const transform = (field: string, v: Value, t: MappingTransform): Value => {
    if (typeof t === "string") {
      switch (t) {
        case "trim":
          return each(v, (s) => s.trim());
        case "lower":
          return each(v, (s) => s.toLowerCase());
        case "upper":
          return each(v, (s) => s.toUpperCase());
        case "collapseSpaces":
          return each(v, (s) => s.replace(/\s+/g, " ").trim());
        case "e164":
          return each(v, (s) => {
            if (s.trim() === "") return null;
            const r = normalisePhone(s, { country: contact.country, defaultRegion: config.defaultRegion });
            if (r.ok) return r.e164;
            errors.push({ field, message: `not a valid phone number (${r.reason})` });
            return null;
          });
        default: {
          const never: never = t;
          throw new Error(`unknown transform ${String(never)}`);
        }
      }
    }
    if ("split" in t) {
      if (v === null || Array.isArray(v)) return v;
      const parts = v
        .split(t.split.separator)
        .map((s) => s.trim())
        .filter((s) => s !== "");
      if (t.split.index === undefined) return parts;
      const i = t.split.index < 0 ? parts.length + t.split.index : t.split.index;
      return parts[i] ?? null;
    }
    if ("default" in t) return isEmptyValue(v) ? String(t.default) : v;
    const table = t.map;
    return each(v, (s) => table[s] ?? (t.otherwise === "empty" ? null : s));
  };

  const run = (field: string, m: FieldMapping | undefined): Value => {
    if (m === undefined) return null;
    const sources = Array.isArray(m.from) ? m.from : [m.from];
    let v: Value = null;
    for (const src of sources) {
      v = read(field, src);
      if (!isEmptyValue(v)) break;
    }
    for (const t of m.transforms) v = transform(field, v, t);
    if (m.required && isEmptyValue(v)) errors.push({ field, message: "is required but empty" });
    return isEmptyValue(v) ? null : v;
  };
  const text = (field: string, m: FieldMapping | undefined): string | null => {
    const v = run(field, m);
    return Array.isArray(v) ? v.join(", ") : v;
  };

  const p = config.profile;
  const consentRaw = text("consent", p.consent);
  let consentField: SmsProfile["consentField"] = "unknown";
  if (consentRaw === "opted-out" || consentRaw === "opted-in" || consentRaw === "unknown")
    consentField = consentRaw;
  else if (consentRaw !== null) {
    errors.push({
      field: "consent",
      message: `maps to "${consentRaw}", expected opted-out, opted-in or unknown (add a map transform)`,
    });
  }
  const tagsValue = run("segmentTags", p.segmentTags ?? { from: "tags", transforms: [], required: false });
  let segmentTags = tagsValue === null ? [] : Array.isArray(tagsValue) ? tagsValue : [tagsValue];
  const prefix = config.segmentTagPrefix;
  if (prefix !== undefined) {
    segmentTags = segmentTags.filter((t) => t.startsWith(prefix));
    if (config.stripSegmentTagPrefix)
      segmentTags = segmentTags.map((t) => t.slice(prefix.length)).filter((t) => t !== "");
  }
  const extra: Record<string, string | null> = {};
  for (const [name, m] of Object.entries(config.extra).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    extra[name] = text(`extra.${name}`, m);
  }
  const profile: SmsProfile = {
    ghlId: contact.id,
    phone: text("phone", p.phone),
    firstName: text("firstName", p.firstName),
    lastName: text("lastName", p.lastName),
    name: text("name", p.name),
    locale: text("locale", p.locale),
    timezone: text("timezone", p.timezone),
    dnd: ghlSmsDnd(contact) || consentField === "opted-out",
    consentField,
    segmentTags: [...new Set(segmentTags)].sort(),
    extra,
  };
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, profile };
}
