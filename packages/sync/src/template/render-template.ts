import { jaroWinkler } from "../dedupe/name-similarity.js";
import { type ParsedTemplate, parseTemplate, type TemplateError } from "./parse-template.js";

/** Fields every template may use, whether or not a contact has a value for them. */
export const DEFAULT_TEMPLATE_FIELDS: readonly string[] = [
  "firstName",
  "lastName",
  "name",
  "phone",
  "email",
  "companyName",
  "locale",
  "timezone",
];

export type TemplateData = Readonly<Record<string, unknown>>;

export interface RenderOptions {
  /** Known field names. Default: DEFAULT_TEMPLATE_FIELDS plus the keys of `data`. */
  fields?: readonly string[];
  /** What to do with a known field that has no value and no fallback. Default "error". */
  missing?: "error" | "empty";
}

export type RenderResult =
  | { ok: true; text: string; fallbacksUsed: string[] }
  | { ok: false; error: TemplateError };

function lookup(data: TemplateData, field: string): unknown {
  if (Object.hasOwn(data, field)) return data[field];
  let cur: unknown = data;
  for (const key of field.split(".")) {
    if (cur === null || typeof cur !== "object" || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function hasField(data: TemplateData, field: string): boolean {
  if (Object.hasOwn(data, field)) return true;
  let cur: unknown = data;
  for (const key of field.split(".")) {
    if (cur === null || typeof cur !== "object" || !Object.hasOwn(cur, key)) return false;
    cur = (cur as Record<string, unknown>)[key];
  }
  return true;
}

function display(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value))
    return value
      .map(display)
      .filter((s) => s !== "")
      .join(", ");
  if (typeof value === "object") return "";
  return String(value).trim();
}

/**
 * Render a template for one contact: `renderTemplate('Hi {{firstName | "there"}}', { firstName: "Ana" })`.
 * An empty or missing value uses the fallback; without a fallback it is an error (or "" with
 * `missing: "empty"`). A field that is not known at all is an error with a suggestion.
 */
export function renderTemplate(
  template: string | ParsedTemplate,
  data: TemplateData,
  options: RenderOptions = {},
): RenderResult {
  let parsed: ParsedTemplate;
  if (typeof template === "string") {
    const r = parseTemplate(template);
    if (!r.ok) return r;
    parsed = r.template;
  } else parsed = template;
  const known = options.fields ?? DEFAULT_TEMPLATE_FIELDS;
  let text = "";
  const fallbacksUsed: string[] = [];
  for (const part of parsed.parts) {
    if (part.kind === "text") {
      text += part.text;
      continue;
    }
    const isKnown =
      known.includes(part.field) || (options.fields === undefined && hasField(data, part.field));
    if (!isKnown) {
      const candidates = [...known, ...(options.fields === undefined ? Object.keys(data) : [])];
      const best = candidates
        .map((c) => ({ c, s: jaroWinkler(c.toLowerCase(), part.field.toLowerCase()) }))
        .sort((a, b) => b.s - a.s)[0];
      const hint = best !== undefined && best.s >= 0.8 ? ` (did you mean "${best.c}"?)` : "";
      return {
        ok: false,
        error: {
          kind: "unknown-field",
          message: `unknown field "${part.field}"${hint}`,
          index: part.index,
          field: part.field,
        },
      };
    }
    const value = display(lookup(data, part.field));
    if (value !== "") {
      text += value;
    } else if (part.fallback !== undefined) {
      text += part.fallback;
      fallbacksUsed.push(part.field);
    } else if (options.missing !== "empty") {
      return {
        ok: false,
        error: {
          kind: "missing-value",
          message: `field "${part.field}" has no value and no fallback (write {{${part.field} | "…"}})`,
          index: part.index,
          field: part.field,
        },
      };
    }
  }
  return { ok: true, text, fallbacksUsed };
}
