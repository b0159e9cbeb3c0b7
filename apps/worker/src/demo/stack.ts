// The demo stack: both simulators (one shared sandbox clock) and the REAL worker (HTTP on 127.0.0.1, the
// engine, the job runner, SQLite) in one process. Used by `pnpm demo` and by the end-to-end tests.
// With several workers (`pnpm demo --workers N`) EVERY worker runs in a process of its own
// (worker-processes.ts), as in a real deployment; this process then only drives the scenario, the
// simulators, the balancer in front of the workers and the checks, through a store of its own on the
// workers' database (what the CLI opens).
//
// Time: the worker reads the sandbox clock (`now: sandbox.clock.now`), and the GHL simulator stamps its
// webhooks with the same clock, so the worker's 5-minute replay window and the webhook timestamps agree
// even after `advance()` jumps an hour ahead (the sandbox README's advice for in-process receivers). The
// vendor clients' waits (retry backoff, rate-limit waits) sleep on the same clock, and `advance()` runs the
// worker's scheduler after each step, so periodic jobs (reconciliation, follow-ups, blocked-number pulls)
// fall due in virtual time exactly as they would in real time.
//
// Policies: the stack writes the demo's policy file (lifecycle: merging on for the demo location,
// a follow-up rule) into the data folder and loads it like `pnpm start --config` would.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createBulkSmsClient } from "@ghl-bulksms/bulksms";
import {
  enginePolicy,
  lifecyclePolicy,
  loadConfig,
  loadPolicyFile,
  type PolicyFile,
  storeEncryptionKey,
  type WorkerConfig,
} from "@ghl-bulksms/config";
import {
  createEngine,
  createGhlClientFactory,
  type Engine,
  type EngineConfigInput,
  type LifecycleConfig,
  type LifecycleConfigInput,
  parseLifecycleConfig,
} from "@ghl-bulksms/engine";
import {
  type BulkSmsSimulatorOptions,
  type FaultConfig,
  type GhlContact,
  type GhlSimulatorOptions,
  registerBulkSmsWebhooks,
  type Sandbox,
  startSandbox,
} from "@ghl-bulksms/sandbox";
import { openStore, type Store } from "@ghl-bulksms/store";
import { createWorkerApp, type WorkerApp } from "../app.js";
import { createEnginePlugin, SANDBOX_TOKEN } from "../engine-plugin.js";
import { createLogger, type Logger } from "../logger.js";
import { type LoopbackBalancer, startLoopbackBalancer } from "./loopback-balancer.js";
import { readWorkerActivity, type WorkerActivity } from "./worker-activity.js";
import { startWorkerProcess, type WorkerProcess } from "./worker-processes.js";

/** 2026-03-10 12:00 in London (GMT): inside the default 08:00-21:00 sending window. */
export const DEMO_NOON_LONDON = Date.UTC(2026, 2, 10, 12, 0);
export const DEMO_BULKSMS_SECRET = "demo-bulksms-webhook-secret-0001";
export const DEMO_WORKFLOW_SECRET = "demo-workflow-webhook-secret-001";
export const DEMO_WELCOME = "Hi {{firstName}}, welcome to Acme! Reply STOP to opt out.";
export const DEMO_HELP = "Acme: reply STOP to unsubscribe, START to resubscribe.";
export const DEMO_QUOTE_TAG = "quote-sent";
export const DEMO_FOLLOW_UP =
  "Hi {{firstName}}, did you have a chance to look at our quote? Reply with any question.";

/** The demo's policy file (`ghl-bulksms.config.json`): merging on for the location, one follow-up rule. */
export function demoPolicy(locationId: string): { lifecycle: LifecycleConfigInput } {
  return {
    lifecycle: {
      defaults: {
        reconcile: { welcomeMaxAgeHours: 24 },
        followUps: [
          {
            id: "quote-follow-up",
            trigger: { type: "tag-added", tag: DEMO_QUOTE_TAG },
            steps: [{ afterHours: 48, template: DEMO_FOLLOW_UP }],
            stopOn: { reply: true, optOut: true, tagRemoved: true, fieldChanged: true },
          },
        ],
      },
      // merging is opt-in per location; "delete" keeps the full records in the undo log first
      locations: { [locationId]: { merge: { enabled: true, mode: "delete" } } },
    },
  };
}

export interface DemoStackOptions {
  /** Folder of the worker's SQLite database (created). */
  readonly dataDir: string;
  /** Sandbox ports (0 = any free port). */
  readonly ghlPort?: number;
  readonly bulksmsPort?: number;
  /** Worker port (0 = any free port). */
  readonly workerPort?: number;
  /** Vendor base URLs the worker uses (e.g. a recording proxy); default the sandbox's own. */
  readonly ghlApiBaseUrl?: string | undefined;
  readonly bulksmsApiBaseUrl?: string | undefined;
  /** Virtual start time; default DEMO_NOON_LONDON. */
  readonly clockStart?: number;
  /** Contacts seeded silently (they existed before the worker). */
  readonly seedContacts?: number;
  readonly faults?: { ghl?: FaultConfig; bulksms?: BulkSmsSimulatorOptions["faults"] };
  readonly ghl?: Omit<GhlSimulatorOptions, "clock" | "port" | "locations" | "faults">;
  /**
   * Worker instances sharing the one database (default 1, in this process). Above 1 every one runs in a
   * process of its own with its own WORKER_ID, port and connections, GHL_RATE_BUDGET=shared, on
   * DATABASE_URL (PostgreSQL) from `env`, or else on one shared SQLite file; the simulators deliver their
   * webhooks to a loopback round-robin balancer in front of them.
   */
  readonly workers?: number;
  /** Extra worker environment (overrides the defaults). */
  readonly env?: Readonly<Record<string, string>>;
  /** The in-process worker's logger (one worker). */
  readonly logger?: Logger;
  /**
   * The in-process worker's log level (default silent); worker processes log at this level or, by default,
   * at info, each to `<dataDir>/logs/<WORKER_ID>.log`.
   */
  readonly logLevel?: WorkerConfig["logLevel"];
  /** Also copy the worker processes' logs here (the demo's --verbose). */
  readonly workerLogEcho?: NodeJS.WritableStream;
  readonly pollIntervalMs?: number;
  /** The policy file's content; default demoPolicy(locationId). null = no policy file. */
  readonly policy?: { engine?: Record<string, unknown>; lifecycle?: LifecycleConfigInput } | null;
}

/** One worker of the stack. */
export interface DemoWorker {
  /** Its WORKER_ID (the in-process worker's own when there is one). */
  readonly id: string;
  /** Its process: this one for the single in-process worker. */
  readonly pid: number;
  readonly inProcess: boolean;
  readonly url: string;
  /** Where its log goes (null: the in-process worker's logger). */
  readonly logFile: string | null;
}

export interface DemoStack {
  readonly sandbox: Sandbox;
  /** The workers, in the balancer's order. */
  readonly workers: readonly DemoWorker[];
  /**
   * The demo's window on the workers' database: the in-process worker's store, or with worker processes
   * a store this process opened on their database.
   */
  store(): Store;
  /** What each worker did so far (its webhooks accepted and jobs completed, from its /metrics). */
  activity(): Promise<WorkerActivity[]>;
  /** Webhooks each worker answered through the balancer (null with one worker). */
  served(): number[] | null;
  readonly config: WorkerConfig;
  /** The worker's base URL (the balancer's with several workers). */
  readonly url: string;
  readonly locationId: string;
  readonly locationToken: string;
  readonly urls: { ghl: string; bulksms: string; worker: string; ghlWebhook: string; bulksmsWebhook: string };
  /** The policy file the worker loaded (null: none). */
  readonly policyFile: PolicyFile | null;
  /** The lifecycle configuration in force (the policy file's, parsed). */
  readonly lifecycle: LifecycleConfig;
  /**
   * The operator's engine over the worker's store (what the CLI builds for `ghl-bulksms dedupe --apply`,
   * `reconcile`, ...): same policies, its own vendor clients.
   */
  readonly operator: Engine;
  /** Run the worker's scheduler once at the current clock time (due periodic jobs), then settle. */
  tick(): Promise<number>;
  /** Deliver pending webhooks and run due jobs until nothing moves any more. */
  settle(options?: { timeoutMs?: number }): Promise<void>;
  /** Move the shared clock forward (in steps, so status reports and retries interleave), settling each step. */
  advance(ms: number, stepMs?: number): Promise<void>;
  /** Notes and tasks of a contact as GHL holds them. */
  notes(contactId: string): Promise<Array<{ id: string; body: string }>>;
  tasks(contactId: string): Promise<Array<{ id: string; title: string; body: string; completed: boolean }>>;
  contact(contactId: string): GhlContact;
  /** Texts the gateway actually sent to a number (any format; compared by digits). */
  sentTo(phone: string): Array<{ body: string; at: number; deduplicationId: number | null }>;
  /**
   * What BulkSMS made of every text submitted to a number, oldest first: its status id (DELIVERED,
   * FAILED.BLOCKED, SENT while under way...) and the credits it cost. A text never submitted is not here.
   */
  outcomes(phone: string): Array<{ body: string; status: string; cost: number }>;
  blocked(phone: string): boolean;
  close(): Promise<void>;
}

const digits = (s: string): string => s.replace(/\D/g, "");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startDemoStack(options: DemoStackOptions): Promise<DemoStack> {
  mkdirSync(options.dataDir, { recursive: true });
  const sandbox = await startSandbox({
    clockStart: options.clockStart ?? DEMO_NOON_LONDON,
    seedContacts: options.seedContacts ?? 0,
    ghl: {
      ...options.ghl,
      port: options.ghlPort ?? 0,
      locations: [{ country: "GB", timezone: "Europe/London" }],
    },
    bulksms: { port: options.bulksmsPort ?? 0 },
    ...(options.faults ? { faults: options.faults } : {}),
  });
  const workerCount = options.workers ?? 1;
  if (!Number.isInteger(workerCount) || workerCount < 1)
    throw new Error(`workers must be a whole number >= 1 (got ${workerCount})`);
  let inProcess: WorkerApp | null = null;
  let ownStore: Store | null = null;
  const processes: WorkerProcess[] = [];
  let balancer: LoopbackBalancer | null = null;
  try {
    const location = sandbox.ghl.locations[0];
    const credential = sandbox.bulksms.credentials[0];
    if (!location || !credential) throw new Error("the sandbox started without a location or credential");
    const logLevel = options.logLevel ?? "silent";
    const policyContent = options.policy === undefined ? demoPolicy(location.id) : options.policy;
    let policyFile: PolicyFile | null = null;
    if (policyContent !== null) {
      const path = join(options.dataDir, "ghl-bulksms.config.json");
      writeFileSync(path, `${JSON.stringify(policyContent, null, 2)}\n`);
      policyFile = loadPolicyFile({ path });
    }
    const several = workerCount > 1;
    const envFor = (i: number): Record<string, string> => ({
      GHL_BULKSMS_MODE: "sandbox",
      HOST: "127.0.0.1",
      // several workers: each on a free port, the balancer on the demo's port
      PORT: String(several ? 0 : (options.workerPort ?? 0)),
      ...(several ? { WORKER_ID: `demo-worker-${i + 1}`, GHL_RATE_BUDGET: "shared" } : {}),
      DATA_DIR: options.dataDir,
      LOG_LEVEL: several ? (options.logLevel ?? "info") : logLevel,
      GHL_API_BASE_URL: options.ghlApiBaseUrl ?? sandbox.ghl.url,
      BULKSMS_API_BASE_URL: options.bulksmsApiBaseUrl ?? sandbox.bulksms.url,
      GHL_LOCATION_1_ID: location.id,
      GHL_LOCATION_1_TOKEN: location.token,
      GHL_LOCATION_1_TIMEZONE: location.timezone,
      GHL_LOCATION_1_REGION: location.country,
      BULKSMS_TOKEN_ID: credential.tokenId,
      BULKSMS_TOKEN_SECRET: credential.tokenSecret,
      BULKSMS_WEBHOOK_SECRET: DEMO_BULKSMS_SECRET,
      GHL_WORKFLOW_WEBHOOK_SECRET: DEMO_WORKFLOW_SECRET,
      GHL_WEBHOOK_PUBLIC_KEY: sandbox.ghl.keys.ed25519PublicKeyPem,
      WELCOME_TEMPLATE: DEMO_WELCOME,
      HELP_TEXT: DEMO_HELP,
      // BulkSMS is the sub-account's GHL SMS provider (the demo's "provider" step)
      GHL_PROVIDER_MODE: "default",
      // thread mode is turned on per location by the demo's thread step; until then the notes flows show
      GHL_SMS_THREAD: "off",
      ...options.env,
    });
    const config = loadConfig(envFor(0));
    const pollIntervalMs = options.pollIntervalMs ?? 10;
    const workers: DemoWorker[] = [];
    let store: Store;
    if (!several) {
      // one worker: in this process, on the sandbox clock itself
      const app = createWorkerApp({
        config,
        logger: options.logger ?? createLogger({ level: logLevel }),
        now: () => sandbox.clock.now(),
        pollIntervalMs,
        // vendor waits on the sandbox clock: a 429 storm costs virtual time, and advance() cuts it short
        engine: createEnginePlugin({ sleep: (ms) => sandbox.clock.sleep(ms), policy: policyFile }),
      });
      inProcess = app;
      const { url } = await app.start();
      store = app.store();
      const id = config.cluster.workerId ?? "worker";
      workers.push({ id, pid: process.pid, inProcess: true, url, logFile: null });
    } else {
      // every worker in a process of its own, all started together on the fresh database (each migrates
      // it, and so does this process's store; the migrations take a lock)
      const logDir = join(options.dataDir, "logs");
      mkdirSync(logDir, { recursive: true });
      const [opened, ...spawned] = await Promise.allSettled([
        openStore({
          database: config.databaseUrl ?? join(config.dataDir, "ghl-bulksms.db"),
          encryptionKey: storeEncryptionKey(config),
          now: () => sandbox.clock.now(),
        }),
        ...Array.from({ length: workerCount }, (_, i) => {
          const env = envFor(i);
          const name = env.WORKER_ID ?? `demo-worker-${i + 1}`;
          return startWorkerProcess(
            {
              type: "start",
              env,
              policyPath: policyFile?.path ?? null,
              now: sandbox.clock.now(),
              speed: sandbox.clock.speed,
              pollIntervalMs,
            },
            {
              name,
              logFile: join(logDir, `${name}.log`),
              ...(options.workerLogEcho ? { echo: options.workerLogEcho } : {}),
            },
          ).then((p) => ({ name, p }));
        }),
      ]);
      // everything that did start is closed by the catch below if anything else did not
      if (opened?.status === "fulfilled") ownStore = opened.value;
      for (const r of spawned) {
        if (r.status !== "fulfilled") continue;
        const { name, p } = r.value;
        processes.push(p);
        workers.push({ id: name, pid: p.pid, inProcess: false, url: p.url, logFile: p.logFile });
      }
      // a worker's own failure names its log, so it goes first
      const failed = [...spawned, opened].find((r) => r?.status === "rejected");
      if (failed?.status === "rejected") throw failed.reason;
      if (opened?.status !== "fulfilled") throw new Error("the demo's store did not open");
      store = opened.value;
      balancer = await startLoopbackBalancer(() => workers.map((w) => w.url), {
        port: options.workerPort ?? 0,
      });
    }
    const url = balancer?.url ?? workers[0]?.url;
    if (url === undefined) throw new Error("no worker started");
    const ghlWebhook = `${url}/webhooks/ghl`;
    const bulksmsWebhook = `${url}/webhooks/bulksms/${DEMO_BULKSMS_SECRET}`;
    sandbox.ghl.control.setWebhookUrl(ghlWebhook);
    const warnings = await registerBulkSmsWebhooks(sandbox.bulksms, bulksmsWebhook);
    if (warnings.length > 0)
      throw new Error(`registering the BulkSMS webhooks failed: ${warnings.join("; ")}`);
    const now = () => sandbox.clock.now();
    const lifecycleInput = lifecyclePolicy(config, policyFile);
    const lifecycle = parseLifecycleConfig(lifecycleInput ?? {});
    const sleepOnClock = (ms: number) => sandbox.clock.sleep(ms);
    const operator = createEngine({
      store,
      ghl: createGhlClientFactory({
        config,
        store,
        now,
        sandboxToken: SANDBOX_TOKEN,
        sleep: sleepOnClock,
      }).forLocation,
      sms: createBulkSmsClient({
        tokenId: config.bulksms.tokenId ?? SANDBOX_TOKEN,
        tokenSecret: config.bulksms.tokenSecret ?? SANDBOX_TOKEN,
        baseUrl: config.bulksms.apiBaseUrl,
        now,
        sleep: sleepOnClock,
      }),
      config: enginePolicy(config, policyFile) as EngineConfigInput,
      ...(lifecycleInput !== null ? { lifecycle: lifecycleInput as LifecycleConfigInput } : {}),
      now,
    });

    // Evidence reads (retried: the simulator may be injecting faults into its API).
    const ghlGet = async (path: string): Promise<unknown> => {
      for (let attempt = 1; ; attempt++) {
        const res = await fetch(`${sandbox.ghl.url}${path}`, {
          headers: { authorization: `Bearer ${location.token}`, version: "2021-07-28" },
        });
        if (res.ok) return res.json();
        const text = await res.text();
        if ((res.status < 500 && res.status !== 429) || attempt >= 20)
          throw new Error(`GET ${path}: ${res.status} ${text}`);
        await sleep(10);
      }
    };

    // A cheap fingerprint of everything that can still move; settled = unchanged for a few polls.
    const fingerprint = async (): Promise<string> => {
      const [lag, jobs] = await Promise.all([store.inbox.lag(), store.jobs.counts()]);
      return JSON.stringify([
        lag.pending,
        jobs,
        sandbox.bulksms.control.sentMessages().length,
        sandbox.bulksms.control.deliveryLog().length,
        sandbox.ghl.control.webhookDeliveries().length,
      ]);
    };

    // the worker processes follow the sandbox clock: after a jump they get the new time before anything else
    let synced = sandbox.clock.now();
    async function syncClocks(): Promise<void> {
      const now = sandbox.clock.now();
      if (processes.length === 0 || now - synced < 1_000) return;
      synced = now;
      await Promise.all(processes.map((p) => p.clock(now)));
    }

    async function settle(settleOptions: { timeoutMs?: number } = {}): Promise<void> {
      const deadline = Date.now() + (settleOptions.timeoutMs ?? 20_000);
      let last = "";
      let stable = 0;
      while (Date.now() < deadline) {
        // a worker process that died or failed ends the run with its log, instead of a timeout later
        for (const p of processes) {
          const failure = p.failure();
          if (failure) throw failure;
        }
        await syncClocks();
        await sandbox.ghl.control.flushWebhooks();
        await sandbox.bulksms.control.settle();
        const [lag, jobs, due] = await Promise.all([
          store.inbox.lag(),
          store.jobs.counts(),
          // a due job not picked up yet (graphile-worker's poll, a seat about to free) is not settled
          store.jobs.countDue(store.now()),
        ]);
        const fp = await fingerprint();
        if (lag.pending === 0 && jobs.running === 0 && due === 0 && fp === last) {
          if (++stable >= 3) return;
        } else {
          stable = 0;
        }
        last = fp;
        await sleep(15);
      }
      throw new Error(`the worker did not settle within ${settleOptions.timeoutMs ?? 20_000} ms`);
    }

    // The scheduler's own timer ticks every minute of REAL time; under a jumping clock the demo ticks it.
    async function tick(): Promise<number> {
      // every worker's scheduler runs (as each would on its own timer): periodic jobs fire once per cluster
      await syncClocks();
      let n = (await inProcess?.scheduler()?.runNow()) ?? 0;
      for (const p of processes) n += await p.tick();
      await settle();
      return n;
    }

    async function advance(ms: number, stepMs = 5_000): Promise<void> {
      let left = ms;
      while (left > 0) {
        const step = Math.min(stepMs, left);
        await sandbox.clock.advance(step);
        left -= step;
        await settle();
        await tick();
      }
    }

    return {
      sandbox,
      workers,
      store: () => store,
      activity: () => Promise.all(workers.map(readWorkerActivity)),
      served: () => balancer?.served() ?? null,
      config,
      url,
      locationId: location.id,
      locationToken: location.token,
      urls: {
        ghl: sandbox.ghl.url,
        bulksms: sandbox.bulksms.url,
        worker: url,
        ghlWebhook,
        bulksmsWebhook,
      },
      policyFile,
      lifecycle,
      operator,
      tick,
      settle,
      advance,
      async notes(contactId) {
        const r = (await ghlGet(`/contacts/${contactId}/notes`)) as {
          notes: Array<{ id: string; body?: string }>;
        };
        return r.notes.map((n) => ({ id: n.id, body: n.body ?? "" }));
      },
      async tasks(contactId) {
        const r = (await ghlGet(`/contacts/${contactId}/tasks`)) as {
          tasks: Array<{ id: string; title?: string; body?: string; completed?: boolean }>;
        };
        return r.tasks.map((t) => ({
          id: t.id,
          title: t.title ?? "",
          body: t.body ?? "",
          completed: t.completed === true,
        }));
      },
      contact(contactId) {
        const c = sandbox.ghl.control.getContact(contactId);
        if (!c) throw new Error(`no contact ${contactId} in the GHL sandbox`);
        return c;
      },
      sentTo(phone) {
        const d = digits(phone);
        return sandbox.bulksms.control
          .sentMessages()
          .filter((m) => digits(m.to) === d)
          .map((m) => ({ body: m.body, at: m.at, deduplicationId: m.deduplicationId }));
      },
      outcomes(phone) {
        const d = digits(phone);
        return sandbox.bulksms.control
          .messages({ type: "SENT" })
          .filter((m) => digits(m.to) === d)
          .map((m) => ({
            body: m.body,
            status: m.status.id.replace(/\.null$/, ""),
            cost: m.creditCost ?? 0,
          }));
      },
      blocked(phone) {
        const d = digits(phone);
        return sandbox.bulksms.control.blockedNumbers().some((n) => digits(n) === d);
      },
      async close() {
        // the workers first (they drain their jobs into the database), then the demo's own store
        await Promise.all([inProcess?.stop(), ...processes.map((p) => p.stop())]);
        await balancer?.close();
        await ownStore?.close();
        await sandbox.close();
      },
    };
  } catch (error) {
    await Promise.all([
      inProcess?.stop().catch(() => undefined),
      ...processes.map((p) => p.stop().catch(() => undefined)),
    ]);
    await balancer?.close();
    await ownStore?.close().catch(() => undefined);
    await sandbox.close();
    throw error;
  }
}
