// Crash safety. The worker runs as a CHILD PROCESS (node + tsx on the sources, the real src/main.ts) on a
// SQLite file and is killed with SIGKILL at random moments (at least 5 times) and restarted on the same
// port and file, while the sandbox in this process keeps producing events: contacts created and edited in
// GHL, replies and STOPs from handsets, and the delivery reports of every text.
//
// Which events must have had their effect: GHL retries a webhook only on 429, so a GHL event sent while the
// worker is down is lost by GHL's own rules (the sandbox logs it as "lost"). We therefore count only the GHL
// events the worker ACKNOWLEDGED with a 2xx (the delivery log of the sandbox). BulkSMS retries failed
// webhooks (90 s of sandbox time later; the sandbox clock runs 30x here), so EVERY BulkSMS event (reply,
// STOP, status report) must eventually be acknowledged and have its effect.
//
// Users also write to some contacts in GHL's conversation (GHL_PROVIDER_MODE=on: BulkSMS is the SMS
// provider, each text arrives as a signed ProviderOutboundMessage).
//
// Afterwards, from the simulators' own records: no SMS sent twice, none lost, no duplicate note or task,
// no text to an opted-out number, every acknowledged provider message sent once with "delivered" as its
// last status in GHL (never pending after delivered), nothing dead-lettered.
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registerBulkSmsWebhooks, type Sandbox, startSandbox } from "@ghl-bulksms/sandbox";
import { openSqliteStore } from "@ghl-bulksms/store";
import { afterAll, describe, expect, it } from "vitest";
import { crashEvidence, ghlEvidenceReader, printProblemDiagnostics } from "./support/crash-evidence.js";
import { afternoonZone, digits, freePort, rng, sleep } from "./support/process-kit.ts";

const WORKER_DIR = join(import.meta.dirname, "..");
const BULK_SECRET = "crash-bulksms-webhook-secret-01";
const CONTACTS_PER_LOCATION = 60;
const FAILING_PER_LOCATION = 5;
const MIN_KILLS = 6;

let sandbox: Sandbox | null = null;
let child: ChildProcess | null = null;
const dir = mkdtempSync(join(tmpdir(), "worker-crash-"));
afterAll(async () => {
  child?.kill("SIGKILL");
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("crash safety", () => {
  it("500+ events, the worker SIGKILLed at random moments >= 5 times: every acknowledged event has its effect exactly once", async () => {
    const started = Date.now();
    const zone = afternoonZone(Date.now());
    sandbox = await startSandbox({
      clockSpeed: 30,
      seedContacts: 0,
      ghl: {
        locations: [
          { country: "GB", timezone: "Europe/London" },
          { country: "GB", timezone: "Europe/London" },
        ],
        signing: { timestamps: "real" }, // the child verifies with its own clock
      },
    });
    const sb = sandbox;
    const locations = sb.ghl.locations;
    const credential = sb.bulksms.credentials[0];
    if (locations.length !== 2 || !credential) throw new Error("sandbox set-up");
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      GHL_BULKSMS_MODE: "sandbox",
      HOST: "127.0.0.1",
      PORT: String(port),
      DATA_DIR: dir,
      LOG_LEVEL: "warn",
      GHL_API_BASE_URL: sb.ghl.url,
      BULKSMS_API_BASE_URL: sb.bulksms.url,
      BULKSMS_TOKEN_ID: credential.tokenId,
      BULKSMS_TOKEN_SECRET: credential.tokenSecret,
      BULKSMS_WEBHOOK_SECRET: BULK_SECRET,
      GHL_WEBHOOK_PUBLIC_KEY: sb.ghl.keys.ed25519PublicKeyPem,
      WELCOME_TEMPLATE: "Hi {{firstName}}, welcome!",
      JOB_LEASE_SECONDS: "5", // a killed worker's leased jobs come back 5 s later
      JOB_CONCURRENCY: "8",
      JOB_CONCURRENCY_PER_LOCATION: "4",
      SHUTDOWN_TIMEOUT_SECONDS: "5",
      GHL_PROVIDER_MODE: "on",
      // replies, delivery reports and opt-outs as notes (what the evidence below reads): since thread mode
      // defaults to on with a provider mode, they would otherwise go to the GHL conversation
      GHL_SMS_THREAD: "off",
    };
    locations.forEach((l, i) => {
      env[`GHL_LOCATION_${i + 1}_ID`] = l.id;
      env[`GHL_LOCATION_${i + 1}_TOKEN`] = l.token;
      env[`GHL_LOCATION_${i + 1}_REGION`] = "GB";
      env[`GHL_LOCATION_${i + 1}_TIMEZONE`] = zone;
    });
    let stderr = "";
    let starts = 0;
    let lastRestartMs = 0;
    const spawnWorker = async (): Promise<void> => {
      starts++;
      const spawnedAt = Date.now();
      const c = spawn(
        process.execPath,
        ["--conditions=@ghl-bulksms/source", "--import", "tsx", "src/main.ts"],
        {
          cwd: WORKER_DIR,
          env,
          stdio: ["ignore", "ignore", "pipe"],
        },
      );
      c.stderr?.on("data", (b: Buffer) => {
        stderr += b.toString();
      });
      child = c;
      for (let i = 0; i < 600; i++) {
        if (c.exitCode !== null)
          throw new Error(`worker exited ${c.exitCode} at start:\n${stderr.slice(-3000)}`);
        const ok = await fetch(`${url}/readyz`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) {
          lastRestartMs = Date.now() - spawnedAt;
          return;
        }
        await sleep(50);
      }
      throw new Error("worker did not become ready");
    };
    const killWorker = async (): Promise<void> => {
      const c = child;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise((r) => c.once("exit", r));
      c.kill("SIGKILL");
      await exited;
    };

    await spawnWorker();
    sb.ghl.control.setWebhookUrl(`${url}/webhooks/ghl`);
    expect(await registerBulkSmsWebhooks(sb.bulksms, `${url}/webhooks/bulksms/${BULK_SECRET}`)).toEqual([]);

    // ---- the killer: SIGKILL at random moments, restart at once on the same port and file
    const random = rng(20261125);
    let kills = 0;
    let scenarioDone = false;
    const killer = (async () => {
      while (!scenarioDone || kills < MIN_KILLS) {
        await sleep(Math.max(3500, 2 * lastRestartMs) + random() * 2500);
        await killWorker();
        kills++;
        await sleep(random() * 300); // sometimes the sandbox finds nobody listening for a while
        await spawnWorker();
      }
    })();

    // ---- the scenario
    interface Person {
      locationId: string;
      contactId: string;
      e164: string;
      national: string;
      failing: boolean;
      /** users write to this contact in GHL (it never texts STOP, so every provider text must go) */
      provider: boolean;
    }
    const people: Person[] = [];
    locations.forEach((l, li) => {
      for (let i = 0; i < CONTACTS_PER_LOCATION; i++) {
        const local = String(300000 + li * 1000 + i);
        people.push({
          locationId: l.id,
          contactId: "",
          e164: `+447400${local}`,
          national: `07400 ${local}`,
          failing: i < FAILING_PER_LOCATION,
          provider: i % 10 === 9,
        });
      }
    });
    for (const p of people) if (p.failing) sb.bulksms.control.setNumberOutcome(p.e164, "NOT_SENT");
    const replies = new Map<string, string>(); // reply text -> e164
    const providerTexts = new Map<string, { text: string; person: Person }>(); // GHL message id ->
    const stopped = new Set<string>();
    const welcomed = (p: Person) =>
      sb.bulksms.control
        .sentMessages()
        .some((m) => digits(m.to) === digits(p.e164) && m.body.startsWith("Hi "));

    // creates, interleaved with edits of earlier contacts
    for (const [i, p] of people.entries()) {
      p.contactId = sb.ghl.control.createContact(p.locationId, { firstName: `P${i}`, phone: p.national }).id;
      if (i > 0) {
        const q = people[Math.floor(random() * i)];
        if (q?.contactId) sb.ghl.control.updateContact(q.contactId, { lastName: `Edit${i}` });
      }
      await sleep(40 + random() * 60);
    }
    // replies and STOPs from handsets that got their welcome; more edits (also of opted-out contacts)
    let replyN = 0;
    // Acknowledged events so far (GHL deliveries answered 2xx + BulkSMS events answered 2xx).
    const acknowledged = () =>
      sb.ghl.control.webhookDeliveries().filter((d) => d.outcome === "delivered").length +
      new Set(
        sb.bulksms.control
          .deliveryLog()
          .filter((e) => e.outcome === "delivered" && e.event !== "test")
          .flatMap((e) => e.messageIds.map((id, k) => `${id}:${e.statusIds[k]}`)),
      ).size;
    // Keep producing until enough events were acknowledged (a loaded machine loses more GHL events to
    // downtime) and every kill happened while events were flowing, within a time budget.
    const budgetMs = 70_000;
    let enough = false;
    for (let round = 0; !enough || replyN < 30 || stopped.size < 8 || kills < MIN_KILLS; round++) {
      if (Date.now() - started > budgetMs) break;
      if (round % 10 === 0) enough = acknowledged() >= 600;
      const candidates = people.filter((x) => !x.failing && !stopped.has(x.e164) && welcomed(x));
      const p = candidates[Math.floor(random() * candidates.length)];
      if (!p) {
        await sleep(30);
        continue;
      }
      const welcomedCount = people.filter((x) => !x.failing && welcomed(x)).length;
      if (p.provider && random() < 0.5) {
        const text = `Provider ${providerTexts.size + 1}: your order ${Math.floor(random() * 1e6)} is ready`;
        const m = sb.ghl.control.sendProviderMessage(p.contactId, text);
        providerTexts.set(m.id, { text, person: p });
      } else if (
        !p.provider &&
        random() < 0.35 &&
        stopped.size < Math.min(24, Math.ceil(welcomedCount / 3))
      ) {
        sb.bulksms.control.simulateReply({ from: p.e164, body: "STOP" });
        stopped.add(p.e164);
      } else {
        const text = `Question ${++replyN}: is my order ${Math.floor(random() * 1e6)} ready?`;
        replies.set(text, p.e164);
        sb.bulksms.control.simulateReply({ from: p.e164, body: text });
      }
      const q = people[Math.floor(random() * people.length)];
      if (q) sb.ghl.control.updateContact(q.contactId, { lastName: `Later${round}` });
      await sleep(60 + random() * 80);
    }
    scenarioDone = true;
    const scenarioSeconds = Math.round((Date.now() - started) / 1000);
    await killer;

    // ---- convergence: every BulkSMS event acknowledged, the queue empty (checked with the worker stopped)
    const bulkEvents = () => {
      const all = new Set<string>();
      const acked = new Set<string>();
      for (const e of sb.bulksms.control.deliveryLog()) {
        if (e.event === "test") continue;
        e.messageIds.forEach((id, k) => {
          const key = `${id}:${e.statusIds[k]}`;
          all.add(key);
          if (e.outcome === "delivered") acked.add(key);
        });
      }
      return { all, acked };
    };
    let converged = false;
    let lastState: unknown = null;
    for (let round = 0; round < 12 && !converged; round++) {
      await sb.ghl.control.flushWebhooks();
      for (let i = 0; i < 100; i++) {
        const { all, acked } = bulkEvents();
        if (acked.size === all.size) break;
        await sleep(100);
      }
      await sleep(1500);
      const c = child;
      if (c && c.exitCode === null) {
        const exited = new Promise((r) => c.once("exit", r));
        c.kill("SIGTERM");
        await exited;
      }
      const store = openSqliteStore({
        path: join(dir, "ghl-bulksms.db"),
        encryptionKey: createHash("sha256").update("ghl-bulksms sandbox key (not secret)").digest(),
      });
      const jobs = await store.jobs.counts();
      const lag = await store.inbox.lag();
      // jobs that are DUE now (deliberately deferred ones, e.g. a block that waits for the STOP
      // confirmation, may stay queued): a claim + release probe, which leaves attempts unchanged
      const due = await store.jobs.claim({ workerId: "crash-probe", limit: 10_000, leaseMs: 60_000 });
      for (const j of due) await store.jobs.release(j.id, { workerId: "crash-probe" });
      await store.close();
      const { all, acked } = bulkEvents();
      converged = due.length === 0 && jobs.running === 0 && lag.pending === 0 && acked.size === all.size;
      lastState = {
        due: due.map((j) => `${j.name}: ${j.lastError}`).slice(0, 5),
        jobs,
        lag,
        bulk: [acked.size, all.size],
      };
      if (!converged) await spawnWorker();
    }
    expect(converged, `${JSON.stringify(lastState)}\n${stderr.slice(-3000)}`).toBe(true);

    // ---- the evidence
    const store = openSqliteStore({
      path: join(dir, "ghl-bulksms.db"),
      encryptionKey: createHash("sha256").update("ghl-bulksms sandbox key (not secret)").digest(),
    });
    const dead = await store.deadLetters.list();
    const ghlLog = sb.ghl.control.webhookDeliveries();
    const ghlAcked = ghlLog.filter((d) => d.outcome === "delivered");
    const ghlLost = ghlLog.filter((d) => d.outcome === "lost");
    const { acked: bulkAcked } = bulkEvents();
    const sent = sb.bulksms.control.sentMessages();
    const ghlList = ghlEvidenceReader(sb);

    const { problems, ackedCreates, notesChecked, welcomes, ackedProvider, providerSent } =
      await crashEvidence({
        sb,
        people,
        ghlAcked,
        replies,
        stopped,
        providerTexts,
        dead,
        ghlList,
      });

    await printProblemDiagnostics(store, people, problems);
    await store.close();

    const figures = {
      acknowledgedEvents: ghlAcked.length + bulkAcked.size,
      ghlAcknowledged: ghlAcked.length,
      ghlLostWhileDown: ghlLost.length,
      bulksmsAcknowledged: bulkAcked.size,
      kills,
      workerStarts: starts,
      contacts: people.length,
      acknowledgedCreates: ackedCreates.size,
      welcomesSent: welcomes,
      textsSent: sent.length,
      replies: replies.size,
      providerMessages: providerTexts.size,
      providerAcknowledged: ackedProvider.size,
      providerSent,
      stops: stopped.size,
      notesChecked,
      deadLetters: dead.length,
      problems: problems.length,
      scenarioSeconds,
      seconds: Math.round((Date.now() - started) / 1000),
    };
    writeFileSync(join(tmpdir(), "ghl-bulksms-crash-figures.json"), JSON.stringify(figures, null, 2));
    process.stdout.write(`crash figures: ${JSON.stringify(figures)}\n`);
    expect(problems).toEqual([]);
    expect(kills).toBeGreaterThanOrEqual(5);
    expect(figures.acknowledgedEvents).toBeGreaterThanOrEqual(500);
    expect(stopped.size).toBeGreaterThanOrEqual(8);
    expect(replies.size).toBeGreaterThanOrEqual(20);
    expect(ackedProvider.size).toBeGreaterThanOrEqual(5);
  }, 180_000);
});
