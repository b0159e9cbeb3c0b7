// Configuration-time checks of the texts the engine sends: a template must parse and use only fields the
// engine fills in; a plain text (HELP, confirmations) is sent as it is, so a placeholder in it is a mistake.
import { parseTemplate, type TemplateError } from "./parse-template.js";
import { DEFAULT_TEMPLATE_FIELDS, renderTemplate } from "./render-template.js";

export type TemplateCheck = { ok: true } | { ok: false; error: TemplateError };

/**
 * Checks a template before any contact is at hand: it parses, and every placeholder names one of `fields`
 * (default DEFAULT_TEMPLATE_FIELDS; `null` checks the syntax only, for open-ended data). The error names
 * the placeholder, with a suggestion for a near miss (`"frstName"` -> `did you mean "firstName"?`).
 */
export function checkTemplate(
  source: string,
  options: { fields?: readonly string[] | null } = {},
): TemplateCheck {
  const fields = options.fields === undefined ? DEFAULT_TEMPLATE_FIELDS : options.fields;
  if (fields === null) {
    const p = parseTemplate(source);
    return p.ok ? { ok: true } : p;
  }
  // Rendering against no data with `missing: "empty"` fails only on syntax and on unknown fields.
  const r = renderTemplate(source, {}, { missing: "empty", fields });
  return r.ok ? { ok: true } : { ok: false, error: r.error };
}

/** A text sent as it is: a `{{...}}` in it would reach the phone unfilled. */
export function checkPlainText(text: string): TemplateCheck {
  const m = /\{\{[^{}]*\}\}/.exec(text);
  if (m === null) return { ok: true };
  return {
    ok: false,
    error: {
      kind: "invalid-placeholder",
      message: `placeholder "${m[0]}" at ${m.index}: this text is sent as it is, placeholders are not filled in`,
      index: m.index,
    },
  };
}
