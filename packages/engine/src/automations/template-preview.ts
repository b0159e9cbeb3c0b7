// Template preview with encoding, parts and cost: sync's previewTemplate measured by bulksms's measureSms.
import { estimateCost, measureSms } from "@ghl-bulksms/bulksms";
import { previewTemplate, type TemplateData } from "@ghl-bulksms/sync";

export type TemplatePreview =
  | {
      ok: true;
      text: string;
      encoding: string;
      parts: number;
      characters: number;
      credits: number;
      fallbacksUsed: string[];
    }
  | { ok: false; error: string };

/** Renders a template for sample data; `creditsPerPart` defaults to 1 (BulkSMS standard route). */
export function previewFollowUpTemplate(
  template: string,
  data: TemplateData,
  options: { creditsPerPart?: number } = {},
): TemplatePreview {
  const r = previewTemplate(template, data, {
    measure: (text) => {
      const m = measureSms(text);
      return { encoding: m.encoding, parts: m.parts };
    },
    pricePerPart: options.creditsPerPart ?? 1,
    missing: "empty",
  });
  if (!r.ok) return { ok: false, error: `${r.error.kind}: ${r.error.message}` };
  void estimateCost;
  return {
    ok: true,
    text: r.text,
    encoding: r.encoding,
    parts: r.parts,
    characters: r.characters,
    credits: r.cost,
    fallbacksUsed: r.fallbacksUsed,
  };
}
