// bench:campaign — a 10,000-recipient campaign against the sandbox (both simulators on 127.0.0.1):
// resolve + preview the audience, then send it. Prints the time to resolve and preview, the time to
// submit, peak memory, and a last line `campaign: 10000 texts, N BulkSMS requests, ...`.
import { randomBytes } from "node:crypto";
import { createBulkSmsClient } from "@ghl-bulksms/bulksms";
import { createGhlClient } from "@ghl-bulksms/ghl";
import { startSandbox } from "@ghl-bulksms/sandbox";
import { openMemoryStore } from "@ghl-bulksms/store";
import {
  campaignStatus,
  createCampaign,
  createEngine,
  previewCampaign,
  registerLocation,
  sendCampaign,
} from "../src/index.js";
import { drainJobs } from "../src/testing/index.js";

const N = Number(process.env.CAMPAIGN_BENCH_RECIPIENTS ?? 10_000);
const START = Date.UTC(2026, 2, 10, 12, 0);

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;

const sandbox = await startSandbox({
  seedContacts: 0,
  clockStart: START,
  clockSpeed: 1e-9,
  ghl: {
    locations: [{ country: "GB", timezone: "Europe/London", allowDuplicates: true }],
    rateLimit: { burstMax: 100_000 },
  },
} as never);
try {
  const loc = sandbox.ghl.locations[0]!;
  const cred = sandbox.bulksms.credentials[0]!;
  sandbox.bulksms.control.setCredits(1_000_000);
  const tSeed = performance.now();
  for (let i = 0; i < N; i++)
    sandbox.ghl.control.createContact(loc.id, {
      firstName: `Reader${i}`,
      phone: `+447400${String(i).padStart(6, "0")}`,
      tags: ["newsletter"],
    });
  const seedMs = performance.now() - tSeed;
  const now = () => sandbox.clock.now();
  const store = openMemoryStore({ now, encryptionKey: randomBytes(32) });
  const ghl = createGhlClient({
    auth: { kind: "private-integration", token: loc.token },
    baseUrl: sandbox.ghl.url,
    now,
  });
  const sms = createBulkSmsClient({
    tokenId: cred.tokenId,
    tokenSecret: cred.tokenSecret,
    baseUrl: sandbox.bulksms.url,
    now,
  });
  const engine = createEngine({ store, ghl: () => ghl, sms, config: {}, now });
  await registerLocation(engine.deps, { id: loc.id, region: "GB", timezone: "Europe/London" });
  const created = await createCampaign(engine.deps, {
    locationId: loc.id,
    name: "Bench",
    template: "Hi {{firstName}}, our December newsletter is out. Reply STOP to opt out.",
    audience: { tags: { any: ["newsletter"] } },
  });
  if (!created.ok) throw new Error(created.message);
  const id = created.campaign.id;

  const t0 = performance.now();
  const preview = await previewCampaign(engine.deps, id);
  const previewMs = performance.now() - t0;
  if (!preview.ok) throw new Error(preview.message);
  console.log(
    `preview: ${preview.preview.matched} matched, ${preview.preview.eligible} eligible, ` +
      `${preview.preview.credits.total} credits, ${preview.preview.ghlRequests} GHL requests, ${previewMs.toFixed(0)} ms`,
  );

  const requestsBefore = sandbox.bulksms.control.sentMessages().length;
  const t1 = performance.now();
  const sent = await sendCampaign(engine.deps, id);
  if (!sent.ok) throw new Error(sent.message);
  await drainJobs(engine, { maxJobs: 10_000 });
  const submitMs = performance.now() - t1;
  const texts = sandbox.bulksms.control.sentMessages().slice(requestsBefore);
  const requests = new Set(texts.map((t) => t.deduplicationId)).size;
  const status = await campaignStatus(engine.deps, id);
  const unique = new Set(texts.map((t) => t.to)).size;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  console.log(`setup (sandbox contacts, not measured): ${seedMs.toFixed(0)} ms`);
  console.log(`resolve + preview: ${previewMs.toFixed(0)} ms`);
  console.log(
    `resolve + gate + submit: ${submitMs.toFixed(0)} ms (${status?.batches.length} batches, status ${status?.campaign.status})`,
  );
  console.log(`peak memory (rss): ${mb(peakRss)}`);
  console.log(
    `campaign: ${texts.length} texts, ${requests} BulkSMS requests, ${unique} distinct numbers, ` +
      `preview ${previewMs.toFixed(0)} ms, submit ${submitMs.toFixed(0)} ms, peak ${mb(peakRss)}`,
  );
  await store.close();
} finally {
  clearInterval(sampler);
  await sandbox.close();
}
