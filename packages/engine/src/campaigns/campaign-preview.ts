// Preview before anything is sent: who gets a text and who does not (each reason with its count and a few
// samples), encoding, parts and credits per message and in total, sample renders, and what the BulkSMS
// balance allows. Reads GHL (search pages) and BulkSMS (GET /profile); sends nothing.
import { parseTemplate } from "@ghl-bulksms/sync";
import type { EngineDeps } from "../core/deps.js";
import { loadLocation } from "../core/deps.js";
import { readAudience } from "./campaign-spec.js";
import {
  type Classified,
  classifyRecipient,
  EXCLUSION_REASONS,
  type ExclusionReason,
} from "./classify-recipient.js";
import { resolveAudience } from "./resolve-audience.js";

const SAMPLES = 3;

export interface PreviewSample {
  contactId: string;
  /** The number with all but its last 4 digits masked. */
  phone: string | null;
  detail?: string;
}

export interface CampaignPreview {
  campaignId: string;
  /** Contacts the segment matched in GHL. */
  matched: number;
  eligible: number;
  excluded: Record<ExclusionReason, { count: number; samples: PreviewSample[] }>;
  encoding: { "GSM-7": number; "UCS-2": number };
  parts: { min: number; max: number; total: number };
  credits: { perPart: number; perMessage: { min: number; max: number }; total: number };
  samples: Array<{ contactId: string; text: string; encoding: "GSM-7" | "UCS-2"; parts: number }>;
  balance:
    | { known: true; credits: number; sufficient: boolean; affordableTexts: number }
    | { known: false; error: string };
  ghlRequests: number;
  /** The BulkSMS requests the send would take (batches). */
  bulkSmsRequests: number;
}

export type PreviewResult =
  | { ok: true; preview: CampaignPreview }
  | {
      ok: false;
      code: "not_found" | "location_unknown" | "template_invalid" | "ghl_failed";
      message: string;
    };

export function maskPhone(phone: string | null): string | null {
  return phone ? `${phone.slice(0, 3)}${"*".repeat(Math.max(0, phone.length - 7))}${phone.slice(-4)}` : null;
}

/** The credits of one part (a campaign estimate; BulkSMS fills the real cost in later). */
export const CREDITS_PER_PART = 1;

export async function previewCampaign(deps: EngineDeps, campaignId: string): Promise<PreviewResult> {
  const campaign = await deps.store.campaigns.get(campaignId);
  if (!campaign) return { ok: false, code: "not_found", message: `no campaign ${campaignId}` };
  const ctx = await loadLocation(deps, campaign.locationId);
  if (!ctx)
    return { ok: false, code: "location_unknown", message: `unknown location ${campaign.locationId}` };
  const parsed = parseTemplate(campaign.template);
  if (!parsed.ok) return { ok: false, code: "template_invalid", message: parsed.error.message };
  const excluded = Object.fromEntries(
    EXCLUSION_REASONS.map((r) => [r, { count: 0, samples: [] as PreviewSample[] }]),
  ) as Record<ExclusionReason, { count: number; samples: PreviewSample[] }>;
  const preview: CampaignPreview = {
    campaignId,
    matched: 0,
    eligible: 0,
    excluded,
    encoding: { "GSM-7": 0, "UCS-2": 0 },
    parts: { min: 0, max: 0, total: 0 },
    credits: { perPart: CREDITS_PER_PART, perMessage: { min: 0, max: 0 }, total: 0 },
    samples: [],
    balance: { known: false, error: "not read" },
    ghlRequests: 0,
    bulkSmsRequests: 0,
  };
  const add = (c: Classified) => {
    if (!c.eligible) {
      const slot = excluded[c.reason];
      slot.count++;
      if (slot.samples.length < SAMPLES)
        slot.samples.push({
          contactId: c.contactId,
          phone: maskPhone(c.phone),
          ...(c.detail !== undefined ? { detail: c.detail } : {}),
        });
      return;
    }
    preview.eligible++;
    preview.encoding[c.measure.encoding]++;
    const p = c.measure.parts;
    preview.parts.min = preview.eligible === 1 ? p : Math.min(preview.parts.min, p);
    preview.parts.max = Math.max(preview.parts.max, p);
    preview.parts.total += p;
    if (preview.samples.length < SAMPLES)
      preview.samples.push({ contactId: c.contactId, text: c.text, encoding: c.measure.encoding, parts: p });
  };
  const r = await resolveAudience(deps, ctx, readAudience(campaign.audience), async (members, readAt) => {
    for (const m of members)
      add(
        await classifyRecipient(deps, ctx, {
          contactId: m.contactId,
          contact: m.contact,
          hit: m.hit,
          template: parsed.template,
          at: readAt,
        }),
      );
  });
  preview.ghlRequests = r.requests;
  if (!r.ok) return { ok: false, code: "ghl_failed", message: r.error };
  preview.matched = r.matched;
  preview.credits.perMessage = {
    min: preview.parts.min * CREDITS_PER_PART,
    max: preview.parts.max * CREDITS_PER_PART,
  };
  preview.credits.total = preview.parts.total * CREDITS_PER_PART;
  const batchSize = (campaign.options as { batchSize?: number } | null)?.batchSize ?? 4000;
  preview.bulkSmsRequests = Math.ceil(preview.eligible / batchSize);
  const profile = await deps.sms.getProfile();
  if (profile.ok) {
    const credits = profile.data.credits.balance;
    // the cheapest texts first: how many of the eligible the balance covers at the average cost
    const avg = preview.eligible > 0 ? preview.credits.total / preview.eligible : 0;
    preview.balance = {
      known: true,
      credits,
      sufficient: credits >= preview.credits.total,
      affordableTexts: avg > 0 ? Math.min(preview.eligible, Math.floor(credits / avg)) : preview.eligible,
    };
  } else {
    preview.balance = { known: false, error: `${profile.error.code}: ${profile.error.title}` };
  }
  return { ok: true, preview };
}
