export type TemplateErrorKind =
  | "unclosed-placeholder"
  | "unexpected-close"
  | "empty-placeholder"
  | "invalid-placeholder"
  | "unknown-field"
  | "missing-value";

export interface TemplateError {
  kind: TemplateErrorKind;
  message: string;
  /** Character offset in the template where the problem starts. */
  index: number;
  field?: string;
}

export type TemplatePart =
  | { kind: "text"; text: string }
  | { kind: "field"; field: string; fallback: string | undefined; index: number };

export interface ParsedTemplate {
  source: string;
  parts: TemplatePart[];
  /** Distinct field names used, in order of first use. */
  fields: string[];
}

const PLACEHOLDER = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(?:\|\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*)?$/;

function unquote(literal: string): string {
  return literal.slice(1, -1).replace(/\\(.)/g, "$1");
}

/**
 * Parse `Hi {{firstName | "there"}}, …`. A placeholder is `{{ field }}` or `{{ field | "fallback" }}`
 * (single or double quotes, backslash escapes). Field names may contain dots (`extra.plan`).
 */
export function parseTemplate(
  source: string,
): { ok: true; template: ParsedTemplate } | { ok: false; error: TemplateError } {
  const parts: TemplatePart[] = [];
  const fields: string[] = [];
  let pos = 0;
  while (pos < source.length) {
    const open = source.indexOf("{{", pos);
    const strayClose = source.indexOf("}}", pos);
    if (strayClose !== -1 && (open === -1 || strayClose < open)) {
      return {
        ok: false,
        error: {
          kind: "unexpected-close",
          message: `"}}" at ${strayClose} has no matching "{{"`,
          index: strayClose,
        },
      };
    }
    if (open === -1) {
      parts.push({ kind: "text", text: source.slice(pos) });
      break;
    }
    if (open > pos) parts.push({ kind: "text", text: source.slice(pos, open) });
    const close = source.indexOf("}}", open + 2);
    const nextOpen = source.indexOf("{{", open + 2);
    if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
      return {
        ok: false,
        error: {
          kind: "unclosed-placeholder",
          message: `"{{" at ${open} is not closed with "}}"`,
          index: open,
        },
      };
    }
    const inner = source.slice(open + 2, close);
    if (inner.trim() === "") {
      return {
        ok: false,
        error: { kind: "empty-placeholder", message: `empty placeholder "{{}}" at ${open}`, index: open },
      };
    }
    const m = PLACEHOLDER.exec(inner);
    if (m === null) {
      return {
        ok: false,
        error: {
          kind: "invalid-placeholder",
          message: `invalid placeholder "{{${inner}}}" at ${open}: expected {{field}} or {{field | "fallback"}}`,
          index: open,
        },
      };
    }
    const field = m[1] as string;
    const fallback = m[2] === undefined ? undefined : unquote(m[2]);
    parts.push({ kind: "field", field, fallback, index: open });
    if (!fields.includes(field)) fields.push(field);
    pos = close + 2;
  }
  return { ok: true, template: { source, parts, fields } };
}
