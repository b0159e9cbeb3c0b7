// The demo's `campaign` step: a segment is previewed (exclusions with their reasons, encoding, cost, the
// balance), then sent in batches by the worker at 2 texts a minute; a person of the second batch texts
// STOP before it goes, so their text is never sent; the deliveries are counted per campaign.
import {
  campaignStatus,
  createCampaign,
  isWithinWindow,
  previewCampaign,
  sendCampaign,
} from "@ghl-bulksms/engine";
import type { DemoStack } from "./stack.js";

export interface CampaignStepContext {
  readonly stack: DemoStack;
  readonly log: (line: string) => void;
  readonly expect: (expectation: string, observed: string, ok: boolean) => void;
  /** The demo's people by first name: GHL contact id and current E.164 number. */
  readonly people: Readonly<Record<"ada" | "ben" | "cleo" | "dan", { id: string; e164: string }>>;
}

const TAG = "spring-offer";
const digits = (n: string) => n.replace(/\D/g, "");

export async function runCampaignStep(c: CampaignStepContext): Promise<void> {
  const { stack, log, expect, people } = c;
  const ghl = stack.sandbox.ghl.control;
  const sms = stack.sandbox.bulksms.control;
  const deps = stack.operator.deps;
  const loc = stack.locationId;
  // the segment: Ada, Cleo, Dan (SMS DND in GHL), Ben (blocked at BulkSMS since his STOP), and two newcomers
  for (const p of [people.ada, people.cleo, people.dan, people.ben])
    ghl.updateContact(p.id, { tags: [...stack.contact(p.id).tags, TAG] });
  const ivy = ghl.createContact(loc, { firstName: "Ivy", phone: "07400 100021", tags: [TAG] });
  ghl.createContact(loc, { firstName: "Lou", phone: "020 7946 0555", tags: [TAG] });
  log(`  GHL: 6 contacts tagged ${TAG} (Ada, Cleo, Dan, Ben, new: Ivy, Lou with a landline)`);
  await stack.settle();
  // inside London's sending window, so the batches go now
  while (
    !isWithinWindow(stack.sandbox.clock.now() + 60_000, "Europe/London", { start: "08:00", end: "20:00" })
  )
    await stack.advance(30 * 60_000, 30 * 60_000);

  const created = await createCampaign(deps, {
    locationId: loc,
    name: "Spring offer",
    template: 'Hi {{firstName | "there"}}, spring offer: 20% off until Sunday. Reply STOP to opt out.',
    audience: { tags: { any: [TAG] } },
    options: { throughputPerMinute: 2 },
  });
  if (!created.ok) throw new Error(`campaign create: ${created.message}`);
  const id = created.campaign.id;
  const preview = await previewCampaign(deps, id);
  if (!preview.ok) throw new Error(`campaign preview: ${preview.message}`);
  const p = preview.preview;
  const reasons = Object.entries(p.excluded)
    .filter(([, v]) => v.count > 0)
    .map(([k, v]) => `${k} ${v.count}`)
    .join(", ");
  log(`  preview: ${p.matched} in the segment, ${p.eligible} to text; not texted: ${reasons}`);
  log(`  preview: "${p.samples[0]?.text ?? ""}" (${p.samples[0]?.encoding}, ${p.samples[0]?.parts} part)`);
  expect(
    "the preview names each exclusion and the cost before anything is sent",
    `${p.eligible} to text; ${reasons}; ${p.credits.total} credits (${p.encoding["GSM-7"]} GSM-7), balance ${p.balance.known ? `${p.balance.credits}: ${p.balance.sufficient ? "enough" : "short"}` : "unknown"}`,
    p.matched === 6 &&
      p.eligible === 3 &&
      p.excluded.dnd.count === 1 &&
      p.excluded.blocked.count === 1 &&
      p.excluded.landline.count === 1 &&
      p.credits.total === 3 &&
      p.balance.known &&
      p.balance.sufficient,
  );

  const before = sms.sentMessages().length;
  const campaignTexts = () =>
    sms
      .sentMessages()
      .slice(before)
      .filter((m) => m.body.includes("spring offer"));
  const sent = await sendCampaign(deps, id, { throughputPerMinute: 2 });
  if (!sent.ok) throw new Error(`campaign send: ${sent.message}`);
  await stack.settle();
  const first = campaignTexts().map((m) => digits(m.to));
  log(`  worker: batch 1 submitted (${first.length} texts in one BulkSMS request); batch 2 due in a minute`);
  const eligible = [people.ada.e164, people.cleo.e164, "+447400100021"];
  const waiting = eligible.find((e) => !first.includes(digits(e)));
  if (waiting) {
    sms.simulateReply({ from: waiting, body: "STOP" });
    log(`  BulkSMS: STOP from ${waiting} (waiting for batch 2)`);
  }
  await stack.settle();
  await stack.advance(3 * 60_000, 30_000);
  await stack.advance(30_000, 10_000);
  const texts = campaignTexts();
  const requests = new Set(texts.map((t) => t.deduplicationId)).size;
  const status = await campaignStatus(deps, id);
  const counts = status?.counts;
  expect(
    "the campaign is sent in batches, and the STOP mid-campaign stops that person's text",
    `${texts.length} texts in ${requests} BulkSMS requests; ${waiting ?? "-"} texted ${texts.filter((t) => digits(t.to) === digits(waiting ?? "")).length} times`,
    first.length === 2 && texts.length === 2 && requests === 1 && waiting !== undefined,
  );
  expect(
    "delivery counts per campaign",
    `status ${status?.campaign.status}; delivered ${counts?.messages.DELIVERED ?? 0}, failed ${counts?.messages.FAILED ?? 0}; excluded ${JSON.stringify(counts?.excluded ?? {})}`,
    status?.campaign.status === "completed" &&
      counts?.messages.DELIVERED === 2 &&
      counts?.excluded.opted_out === 1 &&
      counts?.excluded.dnd === 1,
  );
  void ivy;
}
