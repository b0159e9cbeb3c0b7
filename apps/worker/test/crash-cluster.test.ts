// Crash safety of a CLUSTER: three REAL worker processes (node + tsx on src/main.ts) on ONE PostgreSQL
// database (DATABASE_URL, GHL_RATE_BUDGET=shared, their own WORKER_ID and port) behind a loopback
// round-robin balancer (src/demo/loopback-balancer.ts: a worker that refuses connections is skipped, a
// request a worker accepted is never re-sent). Every worker is SIGKILLed at least twice at random moments
// and restarted on its port while the sandbox keeps producing 1,000+ events: contacts created and edited in
// GHL, replies and STOPs from handsets, DND changes made in GHL, GHL conversation texts (provider mode), and
// the delivery report of every text.
//
// The rules are those of crash.test.ts (read its header): only GHL events the balancer ACKNOWLEDGED count
// (GHL retries only on 429), every BulkSMS event is retried until acknowledged. Afterwards, from the
// simulators' own records: no SMS sent twice, none lost, no duplicate note or task, no text to an
// opted-out number (STOP or DND), no GHL request answered 429, nothing dead-lettered.
//
// The sandbox clock runs 30x (BulkSMS retries 90 s of sandbox time later); its GHL rate limit counts in
// sandbox time, i.e. it is looser than the workers' shared budget, which counts 100 / 10 s of real time
// from the headers (so "0 429s" here shows the workers kept to their own shared budget, not to GHL's).
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registerBulkSmsWebhooks, type Sandbox, startSandbox } from "@ghl-bulksms/sandbox";
import { afterAll, describe, expect, it } from "vitest";
import { type LoopbackBalancer, startLoopbackBalancer } from "../src/demo/loopback-balancer.ts";
import { crashEvidence, ghlEvidenceReader, printProblemDiagnostics } from "./support/crash-evidence.js";
import { afternoonZone, digits, freePort, rng, sleep } from "./support/process-kit.ts";
import { createSharedDatabase, type SharedDatabase } from "./support/shared-database.ts";

const WORKER_DIR = join(import.meta.dirname, "..");
const BULK_SECRET = "crash-bulksms-webhook-secret-01";
const WORKERS = 3;
const LOCATIONS = 3;
const CONTACTS_PER_LOCATION = 50;
const FAILING_PER_LOCATION = 4;
/** Every worker is killed at least this often. */
const KILLS_PER_WORKER = 2;
const MIN_EVENTS = 1_000;
const SANDBOX_KEY_HEX = createHash("sha256").update("ghl-bulksms sandbox key (not secret)").digest("hex");

let sandbox: Sandbox | null = null;
let balancer: LoopbackBalancer | null = null;
let shared: SharedDatabase | null = null;
const children: Array<ChildProcess | null> = [];
afterAll(async () => {
  for (const c of children) c?.kill("SIGKILL");
  await balancer?.close();
  await sandbox?.close();
  await shared?.drop();
});

describe("crash safety of three workers on one PostgreSQL database", () => {
  it("1,000+ events, each worker SIGKILLed >= 2 times: every acknowledged event has its effect exactly once, no 429", async () => {
    const started = Date.now();
    const zone = afternoonZone(Date.now());
    shared = await createSharedDatabase("postgres");
    sandbox = await startSandbox({
      clockSpeed: 30,
      seedContacts: 0,
      ghl: {
        locations: Array.from({ length: LOCATIONS }, () => ({
          country: "GB",
          timezone: "Europe/London",
        })),
        signing: { timestamps: "real" }, // the children verify with their own clocks
      },
    });
    const sb = sandbox;
    const locations = sb.ghl.locations;
    const credential = sb.bulksms.credentials[0];
    if (locations.length !== LOCATIONS || !credential) throw new Error("sandbox set-up");
    const ports: number[] = [];
    for (let i = 0; i < WORKERS; i++) ports.push(await freePort());
    const urls = ports.map((p) => `http://127.0.0.1:${p}`);
    balancer = await startLoopbackBalancer(() => urls);
    const lb = balancer;
    const baseEnv: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      GHL_BULKSMS_MODE: "sandbox",
      HOST: "127.0.0.1",
      ...shared.env, // one PostgreSQL database for all three
      GHL_RATE_BUDGET: "shared",
      LOG_LEVEL: "warn",
      GHL_API_BASE_URL: sb.ghl.url,
      BULKSMS_API_BASE_URL: sb.bulksms.url,
      BULKSMS_TOKEN_ID: credential.tokenId,
      BULKSMS_TOKEN_SECRET: credential.tokenSecret,
      BULKSMS_WEBHOOK_SECRET: BULK_SECRET,
      GHL_WEBHOOK_PUBLIC_KEY: sb.ghl.keys.ed25519PublicKeyPem,
      WELCOME_TEMPLATE: "Hi {{firstName}}, welcome!",
      JOB_LEASE_SECONDS: "5", // a killed worker's leased jobs come back 5 s later
      JOB_CONCURRENCY: "6",
      JOB_CONCURRENCY_PER_LOCATION: "3",
      SHUTDOWN_TIMEOUT_SECONDS: "5",
      GHL_PROVIDER_MODE: "on",
      // replies, delivery reports and opt-outs as notes (what the evidence below reads), not in the thread
      GHL_SMS_THREAD: "off",
    };
    locations.forEach((l, i) => {
      baseEnv[`GHL_LOCATION_${i + 1}_ID`] = l.id;
      baseEnv[`GHL_LOCATION_${i + 1}_TOKEN`] = l.token;
      baseEnv[`GHL_LOCATION_${i + 1}_REGION`] = "GB";
      baseEnv[`GHL_LOCATION_${i + 1}_TIMEZONE`] = zone;
    });
    let stderr = "";
    let starts = 0;
    let lastRestartMs = 0;
    const restartMs: number[] = [];
    const spawnWorker = async (i: number): Promise<void> => {
      starts++;
      const spawnedAt = Date.now();
      const c = spawn(
        process.execPath,
        ["--conditions=@ghl-bulksms/source", "--import", "tsx", "src/main.ts"],
        {
          cwd: WORKER_DIR,
          env: { ...baseEnv, PORT: String(ports[i]), WORKER_ID: `w${i + 1}` },
          stdio: ["ignore", "ignore", "pipe"],
        },
      );
      c.stderr?.on("data", (b: Buffer) => {
        stderr += b.toString();
      });
      children[i] = c;
      for (let n = 0; n < 900; n++) {
        if (c.exitCode !== null)
          throw new Error(`worker w${i + 1} exited ${c.exitCode} at start:\n${stderr.slice(-3000)}`);
        const ok = await fetch(`${urls[i]}/readyz`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) {
          lastRestartMs = Date.now() - spawnedAt;
          restartMs.push(lastRestartMs);
          return;
        }
        await sleep(50);
      }
      throw new Error(`worker w${i + 1} did not become ready`);
    };
    const stopWorker = async (i: number, signal: "SIGKILL" | "SIGTERM"): Promise<void> => {
      const c = children[i];
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise((r) => c.once("exit", r));
      c.kill(signal);
      await exited;
    };

    // all three start at once on the fresh database (each migrates it)
    await Promise.all(Array.from({ length: WORKERS }, (_, i) => spawnWorker(i)));
    sb.ghl.control.setWebhookUrl(`${lb.url}/webhooks/ghl`);
    expect(await registerBulkSmsWebhooks(sb.bulksms, `${lb.url}/webhooks/bulksms/${BULK_SECRET}`)).toEqual(
      [],
    );

    // ---- the killer: SIGKILL one worker at a time in turn, restart it on its port at once
    const random = rng(20261203);
    const killsOf = Array.from({ length: WORKERS }, () => 0);
    const minKills = () => Math.min(...killsOf);
    let kills = 0;
    let scenarioDone = false;
    const killer = (async () => {
      while (!scenarioDone || minKills() < KILLS_PER_WORKER) {
        await sleep(Math.max(2500, 1.5 * lastRestartMs) + random() * 2000);
        const i = kills % WORKERS;
        await stopWorker(i, "SIGKILL");
        kills++;
        killsOf[i] = (killsOf[i] ?? 0) + 1;
        await sleep(random() * 300);
        await spawnWorker(i);
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
    /** contacts put on SMS DND in GHL (by a user): no text may follow, STOP-like */
    const dnd = new Set<string>();
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
    const budgetMs = 100_000;
    let enough = false;
    for (
      let round = 0;
      !enough || replyN < 30 || stopped.size < 8 || minKills() < KILLS_PER_WORKER;
      round++
    ) {
      if (Date.now() - started > budgetMs) break;
      if (round % 10 === 0) enough = acknowledged() >= MIN_EVENTS + 100;
      const candidates = people.filter(
        (x) => !x.failing && !stopped.has(x.e164) && !dnd.has(x.e164) && welcomed(x),
      );
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
      if (
        q &&
        !q.provider &&
        !q.failing &&
        !stopped.has(q.e164) &&
        !dnd.has(q.e164) &&
        welcomed(q) &&
        random() < 0.08
      ) {
        // a user sets SMS DND in GHL (DndUpdate): the contact is opted out from then on
        sb.ghl.control.updateContact(q.contactId, {
          dndSettings: { SMS: { status: "active", message: "set by a user" } },
        });
        dnd.add(q.e164);
      } else if (q) sb.ghl.control.updateContact(q.contactId, { lastName: `Later${round}` });
      await sleep(40 + random() * 60);
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
      await Promise.all(children.map((_, i) => stopWorker(i, "SIGTERM")));
      const store = await shared.open(SANDBOX_KEY_HEX);
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
      if (!converged) await Promise.all(children.map((_, i) => spawnWorker(i)));
    }
    expect(converged, `${JSON.stringify(lastState)}\n${stderr.slice(-3000)}`).toBe(true);

    // ---- the evidence (GHL's 429s counted before the evidence reads below, which hit the same limit)
    const ghl429 = sb.ghl.control.requestLog().filter((r) => r.status === 429).length;
    const store = await shared.open(SANDBOX_KEY_HEX);
    const dead = await store.deadLetters.list();
    const jobsAtEnd = await store.jobs.counts();
    const ghlRequests: Record<string, number> = {};
    for (const r of sb.ghl.control.requestLog()) {
      const k = `${r.method} ${r.operation ?? r.path} ${r.status}`;
      ghlRequests[k] = (ghlRequests[k] ?? 0) + 1;
    }
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
        dnd,
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
      killsPerWorker: killsOf,
      ghl429,
      servedPerWorker: lb.served(),
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
      dndSetInGhl: dnd.size,
      notesChecked,
      deadLetters: dead.length,
      jobsAtEnd,
      ghlRequests,
      lastState,
      problems: problems.length,
      scenarioSeconds,
      restartMs,
      seconds: Math.round((Date.now() - started) / 1000),
    };
    writeFileSync(join(tmpdir(), "ghl-bulksms-crash-cluster-figures.json"), JSON.stringify(figures, null, 2));
    process.stdout.write(`crash-cluster figures: ${JSON.stringify(figures)}\n`);
    expect(problems).toEqual([]);
    expect(ghl429).toBe(0);
    expect(minKills()).toBeGreaterThanOrEqual(KILLS_PER_WORKER);
    expect(figures.acknowledgedEvents).toBeGreaterThanOrEqual(MIN_EVENTS);
    expect(dnd.size).toBeGreaterThanOrEqual(3);
    expect(stopped.size).toBeGreaterThanOrEqual(8);
    expect(replies.size).toBeGreaterThanOrEqual(20);
    expect(ackedProvider.size).toBeGreaterThanOrEqual(5);
  }, 240_000);
});
