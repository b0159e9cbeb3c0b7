// Crash test of a campaign (issue 14): a 5,000-recipient campaign sent by a worker (a child process running
// the job runner) that is SIGKILLed three times mid-send; a last run after the quiet hours of the far-away
// recipients finishes it. Asserted against the sandbox's record of what BulkSMS actually accepted:
// 0 duplicates, 0 lost, 0 texts to opted-out or DND recipients, 0 texts in a recipient's quiet hours.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createBulkSmsClient } from "@ghl-bulksms/bulksms";
import {
  campaignStatus,
  createCampaign,
  createEngine,
  isWithinWindow,
  registerLocation,
  sendCampaign,
} from "@ghl-bulksms/engine";
import { drainJobs } from "@ghl-bulksms/engine/testing";
import { createGhlClient } from "@ghl-bulksms/ghl";
import { startSandbox } from "@ghl-bulksms/sandbox";
import { openSqliteStore } from "@ghl-bulksms/store";
import type { CampaignChildInput } from "./campaign-worker-child.js";

const here = dirname(fileURLToPath(import.meta.url));
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
/** 2026-03-10 14:00 UTC: London 14:00, New York 10:00 (in their window), Auckland 03:00 (quiet). */
const START = Date.UTC(2026, 2, 10, 14, 0);
const WINDOW = { start: "08:00", end: "21:00" };
const ZONES = ["Europe/London", "Europe/London", "Europe/London", "America/New_York", "Pacific/Auckland"];

export interface CampaignCrashReport {
  recipients: number;
  kills: number;
  sent: number;
  expected: number;
  duplicates: number;
  lost: number;
  toOptedOutOrDnd: number;
  inQuietHours: number;
  bulkSmsRequests: number;
  /** Batches submitted more than once (a kill between the POST and its recording): answered by dedup. */
  resubmittedBatches: number;
  wallMs: number;
}

const digits = (n: string) => n.replace(/\D/g, "");

function spawnChild(input: CampaignChildInput): ChildProcess {
  return spawn(
    process.execPath,
    [
      ...(process.env.CHILD_PROF ? ["--prof"] : []),
      "--conditions=@ghl-bulksms/source",
      "--import",
      tsxLoader,
      join(here, "campaign-worker-child.ts"),
      JSON.stringify(input),
    ],
    { stdio: ["ignore", "inherit", "inherit"], cwd: process.env.CHILD_PROF ?? process.cwd() },
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runCampaignCrash(options: {
  recipients: number;
  kills: number;
  log?: (m: string) => void;
}): Promise<CampaignCrashReport> {
  const log = options.log ?? (() => {});
  const t0 = Date.now();
  const dir = mkdtempSync(join(tmpdir(), "campaign-crash-"));
  const key = randomBytes(32);
  const sandbox = await startSandbox({
    seedContacts: 0,
    clockStart: START,
    ghl: {
      locations: [{ country: "GB", timezone: "Europe/London", allowDuplicates: true }],
      rateLimit: { burstMax: 100_000 },
    },
  } as never);
  const children: ChildProcess[] = [];
  try {
    const loc = sandbox.ghl.locations[0]!;
    const cred = sandbox.bulksms.credentials[0]!;
    sandbox.bulksms.control.setCredits(1_000_000);
    // the segment: every 10th has SMS DND on in GHL, every 25th has opted out by STOP (known locally)
    const zoneOf = new Map<string, string>();
    const dnd = new Set<string>();
    const optedOut = new Set<string>();
    for (let i = 0; i < options.recipients; i++) {
      const phone = `+4474009${String(i).padStart(5, "0")}`;
      const timezone = ZONES[i % ZONES.length]!;
      const isDnd = i % 10 === 9;
      sandbox.ghl.control.createContact(loc.id, {
        firstName: `R${i}`,
        phone,
        timezone,
        tags: ["crash"],
        ...(isDnd ? { dndSettings: { SMS: { status: "active", message: "", code: "" } } } : {}),
      });
      zoneOf.set(digits(phone), timezone);
      if (isDnd) dnd.add(digits(phone));
      else if (i % 25 === 3) optedOut.add(digits(phone));
    }
    const dbPath = join(dir, "crash.db");
    const parentNow = () => sandbox.clock.now();
    let store = openSqliteStore({ path: dbPath, now: parentNow, encryptionKey: key });
    const ghl = createGhlClient({
      auth: { kind: "private-integration", token: loc.token },
      baseUrl: sandbox.ghl.url,
      now: parentNow,
    });
    const sms = createBulkSmsClient({
      tokenId: cred.tokenId,
      tokenSecret: cred.tokenSecret,
      baseUrl: sandbox.bulksms.url,
      now: parentNow,
    });
    let engine = createEngine({ store, ghl: () => ghl, sms, config: {}, now: parentNow });
    await registerLocation(engine.deps, { id: loc.id, region: "GB", timezone: "Europe/London" });
    for (const d of optedOut) {
      const at = parentNow() - 86_400_000;
      await store.optOuts.put({
        locationId: loc.id,
        phoneE164: `+${d}`,
        state: "opted_out",
        source: "sms_stop",
        note: "STOP",
        at,
        eventAt: at,
        eventKey: `stop:${d}`,
      });
    }
    const created = await createCampaign(engine.deps, {
      locationId: loc.id,
      name: "Crash",
      template: "Hello {{firstName}}, this is our campaign.",
      audience: { tags: { any: ["crash"] } },
      options: { batchSize: Math.max(1, Math.ceil(options.recipients / 10)) },
    });
    if (!created.ok) throw new Error(created.message);
    const campaignId = created.campaign.id;
    const scheduled = await sendCampaign(engine.deps, campaignId);
    if (!scheduled.ok) throw new Error(scheduled.message);
    await store.close();

    const campaignTexts = () =>
      sandbox.bulksms.control.sentMessages().filter((m) => m.body.startsWith("Hello R"));
    const expected = options.recipients - dnd.size - optedOut.size;
    const daytime = [...zoneOf.entries()].filter(
      ([d, tz]) => tz !== "Pacific/Auckland" && !dnd.has(d) && !optedOut.has(d),
    ).length;
    const childInput = (): CampaignChildInput => ({
      dbPath,
      keyHex: key.toString("hex"),
      ghlUrl: sandbox.ghl.url,
      ghlToken: loc.token,
      bulksmsUrl: sandbox.bulksms.url,
      tokenId: cred.tokenId,
      tokenSecret: cred.tokenSecret,
      virtualAt: sandbox.clock.now(),
      realAt: Date.now(),
    });
    // kills at growing amounts sent (the first before anything is sent: mid audience resolution)
    const killAt = Array.from({ length: options.kills }, (_, k) =>
      Math.floor((daytime * k) / (options.kills + 1)),
    );
    for (const [k, threshold] of killAt.entries()) {
      const child = spawnChild(childInput());
      children.push(child);
      const deadline = Date.now() + 120_000;
      // soon after a batch went out: often while its answer is being recorded (the in-doubt window)
      const extra = Math.floor(Math.random() * 200);
      // each worker makes progress before it dies: killed just after a batch went out, mid-way into the next
      const floor = Math.max(threshold, campaignTexts().length);
      while (campaignTexts().length <= floor && campaignTexts().length < daytime && Date.now() < deadline)
        await sleep(5);
      await sleep(extra);
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
      log(`kill ${k + 1}: ${campaignTexts().length} texts sent so far`);
    }
    // a last worker finishes the daytime recipients
    const last = spawnChild(childInput());
    children.push(last);
    const deadline = Date.now() + 180_000;
    while (campaignTexts().length < daytime && Date.now() < deadline) await sleep(50);
    await sleep(500);
    last.kill("SIGTERM");
    await new Promise((r) => last.once("exit", r));
    log(`daytime done: ${campaignTexts().length} texts`);

    // Auckland's morning: the deferred recipients go out in their sending window (in-process worker)
    store = openSqliteStore({ path: dbPath, now: parentNow, encryptionKey: key });
    engine = createEngine({ store, ghl: () => ghl, sms, config: {}, now: parentNow });
    await sandbox.clock.advance(Date.UTC(2026, 2, 10, 19, 30) - sandbox.clock.now());
    for (let i = 0; i < 20; i++) {
      await drainJobs(engine, { maxJobs: 10_000 });
      const st = await campaignStatus(engine.deps, campaignId);
      if (st?.campaign.status === "completed") break;
      await sandbox.clock.advance(60_000);
    }
    const status = await campaignStatus(engine.deps, campaignId);
    await store.close();

    const texts = campaignTexts();
    const perNumber = new Map<string, number>();
    for (const t of texts) perNumber.set(digits(t.to), (perNumber.get(digits(t.to)) ?? 0) + 1);
    const duplicates = [...perNumber.values()].filter((n) => n > 1).length;
    const eligible = [...zoneOf.keys()].filter((d) => !dnd.has(d) && !optedOut.has(d));
    const lost = eligible.filter((d) => !perNumber.has(d)).length;
    const toOptedOutOrDnd = [...perNumber.keys()].filter((d) => dnd.has(d) || optedOut.has(d)).length;
    const inQuietHours = texts.filter(
      (t) => !isWithinWindow(t.at, zoneOf.get(digits(t.to)) ?? "UTC", WINDOW),
    ).length;
    const report: CampaignCrashReport = {
      recipients: options.recipients,
      kills: options.kills,
      sent: texts.length,
      expected,
      duplicates,
      lost,
      toOptedOutOrDnd,
      inQuietHours,
      bulkSmsRequests: new Set(texts.map((t) => t.deduplicationId)).size,
      resubmittedBatches: status?.batches.filter((b) => b.attempts > 1).length ?? 0,
      wallMs: Date.now() - t0,
    };
    log(`campaign status: ${status?.campaign.status}, batches ${status?.batches.length}`);
    return report;
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const recipients = Number(process.env.CAMPAIGN_CRASH_RECIPIENTS ?? 5000);
  const report = await runCampaignCrash({ recipients, kills: 3, log: (m) => console.log(m) });
  console.log(JSON.stringify(report));
  const ok =
    report.duplicates === 0 && report.lost === 0 && report.toOptedOutOrDnd === 0 && report.inQuietHours === 0;
  console.log(
    `campaign crash: ${report.recipients} recipients, ${report.kills} SIGKILLs, ${report.sent}/${report.expected} texts, ` +
      `${report.duplicates} duplicates, ${report.lost} lost, ${report.toOptedOutOrDnd} to opted-out/DND, ` +
      `${report.inQuietHours} in quiet hours, ${report.bulkSmsRequests} BulkSMS requests, ` +
      `${report.resubmittedBatches} batches resubmitted after a kill`,
  );
  process.exit(ok ? 0 : 1);
}
