import type { ParsedTemplate, TemplateError } from "./parse-template.js";
import { type RenderOptions, renderTemplate, type TemplateData } from "./render-template.js";

/** What an SMS segment calculator reports (e.g. `measureSms` of @ghl-bulksms/bulksms). */
export interface SmsMeasurement {
  /** "GSM-7" or "UCS-2" (as named by the calculator). */
  encoding: string;
  /** Number of SMS parts (segments) the text is sent as. */
  parts: number;
}

/** Injected so this package depends on no gateway package. */
export type SmsMeasure = (text: string) => SmsMeasurement;

export interface PreviewOptions extends RenderOptions {
  measure: SmsMeasure;
  /** Price of one SMS part (credits or money, in the unit you bill in). */
  pricePerPart: number;
}

export type PreviewResult =
  | {
      ok: true;
      text: string;
      encoding: string;
      parts: number;
      characters: number;
      cost: number;
      fallbacksUsed: string[];
    }
  | { ok: false; error: TemplateError };

/** Render a template for one contact and show encoding, parts and cost. */
export function previewTemplate(
  template: string | ParsedTemplate,
  data: TemplateData,
  options: PreviewOptions,
): PreviewResult {
  if (!Number.isFinite(options.pricePerPart) || options.pricePerPart < 0) {
    throw new RangeError(`pricePerPart must be a non-negative number, got ${options.pricePerPart}`);
  }
  const rendered = renderTemplate(template, data, options);
  if (!rendered.ok) return rendered;
  const m = options.measure(rendered.text);
  const cost = Math.round(m.parts * options.pricePerPart * 1e6) / 1e6;
  return {
    ok: true,
    text: rendered.text,
    encoding: m.encoding,
    parts: m.parts,
    characters: [...rendered.text].length,
    cost,
    fallbacksUsed: rendered.fallbacksUsed,
  };
}
