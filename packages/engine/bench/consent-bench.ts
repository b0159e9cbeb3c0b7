// pnpm bench (second part) — what the fresh-consent gate costs in GHL requests.
//
// Every automated text is decided on a view of the contact's GHL DND and tags no older than
// `consent.maxAgeMs`; an older one is re-read (GET /contacts/{id}) through the client's rate limiter at
// background priority. This bench mirrors BENCH_CONSENT_CONTACTS contacts (default 1,000, UK mobiles) from
// the GHL sandbox, spreads the ages of their views evenly over the last 24 hours, and gates one automated text per
// contact through checkSendGateFresh (what the send job runs), for several bounds; then the same batch
// through refreshConsentViews (the follow-up runner's path) with 4 texts per contact. It prints the GHL
// requests per 1,000 texts, the most requests in any 10 s window (GHL allows 100 per location), 429s, and
// the share of the daily budget (200,000 per location) a day of such texts would use. The engine's limiter
// sleeps on the sandbox clock, so pacing shows as sandbox time and the bench takes seconds.
// Exits non-zero when a run exceeds the budget: more than one read per stale contact, a 429, or a 10 s window
// over 100 requests.
import { randomBytes } from "node:crypto";
import { createBulkSmsClient } from "@ghl-bulksms/bulksms";
import { createGhlClient } from "@ghl-bulksms/ghl";
import { startSandbox } from "@ghl-bulksms/sandbox";
import { openMemoryStore } from "@ghl-bulksms/store";
import {
  checkSendGateFresh,
  createEngine,
  type EngineDeps,
  reconcile,
  refreshConsentViews,
  registerLocation,
} from "../src/index.js";

const N = Number(process.env.BENCH_CONSENT_CONTACTS ?? 1000);
const START = Date.UTC(2026, 2, 10, 12, 0); // noon in London: no quiet hours
const DAY = 86_400_000;
const BURST = 100;
const WINDOW_MS = 10_000;
const DAILY = 200_000;
const BOUNDS_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000];

const sandbox = await startSandbox({
  clockStart: START,
  ghl: { locations: [{ country: "GB", timezone: "Europe/London" }] },
});
let failed = false;
try {
  const loc = sandbox.ghl.locations[0];
  const cred = sandbox.bulksms.credentials[0];
  if (!loc || !cred) throw new Error("sandbox without a location or a BulkSMS credential");
  const now = sandbox.clock.now;
  const store = openMemoryStore({ now, encryptionKey: randomBytes(32) });
  // the limiter waits on the sandbox clock: its pacing is measured in sandbox time, instantly
  const ghl = createGhlClient({
    auth: { kind: "private-integration", token: loc.token },
    baseUrl: sandbox.ghl.url,
    now,
    sleep: (ms) => sandbox.clock.advance(ms),
  });
  const sms = createBulkSmsClient({
    tokenId: cred.tokenId,
    tokenSecret: cred.tokenSecret,
    baseUrl: sandbox.bulksms.url,
    now,
  });
  const engineFor = (maxAgeMs: number): EngineDeps =>
    createEngine({ store, ghl: () => ghl, sms, now, config: { defaults: { consent: { maxAgeMs } } } }).deps;
  const base = engineFor(BOUNDS_MS[0] ?? 60_000);
  await registerLocation(base, { id: loc.id, region: loc.country, timezone: loc.timezone });
  for (let i = 0; i < N; i++) {
    sandbox.ghl.control.createContact(loc.id, {
      firstName: `C${i}`,
      phone: `07400 ${String(100000 + i).padStart(6, "0")}`,
    });
  }
  const mirrored = await reconcile({ deps: base, locationId: loc.id, kind: "full" });
  if (!mirrored.ok) throw new Error(JSON.stringify(mirrored));

  // the texts: one per live contact with a phone and no opt-out (the others never reach a GHL read)
  const targets: Array<{ contactId: string; to: string }> = [];
  for (const c of await store.contacts.list({ locationId: loc.id, limit: N + 10 })) {
    const phone = (c.profile as { phone?: string | null } | null)?.phone;
    if (phone && !(await store.optOuts.isOptedOut(loc.id, phone)))
      targets.push({ contactId: c.contactId, to: phone });
  }
  console.log(
    `consent bench: ${N} contacts in GHL, ${targets.length} textable, view ages spread evenly over 24 h; GHL budget ${BURST}/${WINDOW_MS / 1000} s and ${DAILY}/day per location`,
  );

  const spreadAges = async () => {
    const t = now();
    for (const [i, x] of targets.entries()) {
      const age = Math.floor(((i + 0.5) * DAY) / targets.length);
      await store.contacts.upsert({ locationId: loc.id, contactId: x.contactId, consentCheckedAt: t - age });
    }
  };
  const measure = async (run: () => Promise<void>) => {
    const before = sandbox.ghl.control.requestLog().length;
    const t0 = now();
    await run();
    const log = sandbox.ghl.control.requestLog().slice(before);
    const reads = log.filter(
      (e) => e.method === "GET" && /^\/contacts\/[^/?]+$/.test(e.path.split("?")[0] ?? ""),
    );
    let peak = 0;
    for (const [i, e] of log.entries()) {
      let n = 0;
      for (let j = i; j < log.length && (log[j]?.at ?? 0) < e.at + WINDOW_MS; j++) n++;
      peak = Math.max(peak, n);
    }
    return {
      requests: log.length,
      reads: reads.length,
      tooMany: log.filter((e) => e.status === 429).length,
      peak,
      ms: now() - t0,
    };
  };

  const rows: string[][] = [];
  const row = (label: string, texts: number, expected: number, m: Awaited<ReturnType<typeof measure>>) => {
    const per1000 = (m.requests * 1000) / texts;
    const ok = m.requests <= expected && m.tooMany === 0 && m.peak <= BURST;
    if (!ok) failed = true;
    rows.push([
      label,
      String(texts),
      String(expected),
      String(m.requests),
      per1000.toFixed(0),
      String(m.peak),
      String(m.tooMany),
      `${(m.ms / 1000).toFixed(0)} s`,
      `${((per1000 / DAILY) * 100).toFixed(2)}%`,
      ok ? "yes" : "NO",
    ]);
  };

  for (const bound of BOUNDS_MS) {
    const deps = engineFor(bound);
    await spreadAges();
    // views older than the bound: every age above it (ages are evenly spread)
    const stale = targets.filter((_, i) => ((i + 0.5) * DAY) / targets.length > bound).length;
    const m = await measure(async () => {
      for (const x of targets) {
        const gate = await checkSendGateFresh(deps, { locationId: loc.id, ...x, purpose: "automated" });
        if ("defer" in gate && gate.reason === "ghl_unreachable")
          throw new Error(`GHL unreachable: ${gate.detail}`);
      }
    });
    row(`send gate, bound ${bound / 60_000} min`, targets.length, stale, m);
  }
  {
    // every view read within the bound (e.g. by a reconcile minutes ago): nothing to read
    const deps = engineFor(5 * 60_000);
    const t = now();
    for (const x of targets)
      await store.contacts.upsert({
        locationId: loc.id,
        contactId: x.contactId,
        consentCheckedAt: t - 60_000,
      });
    const m = await measure(async () => {
      for (const x of targets)
        await checkSendGateFresh(deps, { locationId: loc.id, ...x, purpose: "automated" });
    });
    row("send gate, every view fresh", targets.length, 0, m);
  }
  {
    // the follow-up runner's batch: 4 texts per contact, one read per stale contact
    const deps = engineFor(5 * 60_000);
    await spreadAges();
    const quarter = targets.slice(0, Math.ceil(targets.length / 4));
    const stale = quarter.filter((_, i) => ((i + 0.5) * DAY) / targets.length > 5 * 60_000).length;
    const ids = quarter.flatMap((x) => [x.contactId, x.contactId, x.contactId, x.contactId]);
    const m = await measure(async () => {
      const r = await refreshConsentViews(deps, loc.id, ids);
      if (r.failed.length > 0) throw new Error(`GHL unreachable for ${r.failed.length} contacts`);
    });
    row("batch refresh (4 texts/contact), 5 min", ids.length, stale, m);
  }

  const head = [
    "run",
    "texts",
    "stale views",
    "GHL requests",
    "per 1,000 texts",
    "max per 10 s",
    "429s",
    "sandbox time",
    "daily budget per 1,000",
    "within budget",
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const r of rows) console.log(line(r));
  console.log(
    failed
      ? "✘ a run exceeded the GHL budget (more than one read per stale view, a 429, or > 100 requests in 10 s)"
      : "✔ one GHL read per stale view at most, no 429, never more than 100 requests in any 10 s window",
  );
  await store.close();
} finally {
  await sandbox.close();
}
process.exitCode = failed ? 1 : 0;
