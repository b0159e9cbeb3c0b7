// The worker in miniature for the campaign crash test: the engine's jobs on the worker's job runner, over
// the SQLite file and the sandbox. Run as a child process and SIGKILLed by campaign-crash.ts.
import { createBulkSmsClient } from "@ghl-bulksms/bulksms";
import { createEngine } from "@ghl-bulksms/engine";
import { createGhlClient } from "@ghl-bulksms/ghl";
import { openSqliteStore } from "@ghl-bulksms/store";
import { createJobRunner } from "../src/job-runner.js";
import { createLogger } from "../src/logger.js";
import type { JobRegistry } from "../src/ports.js";

export interface CampaignChildInput {
  dbPath: string;
  keyHex: string;
  ghlUrl: string;
  ghlToken: string;
  bulksmsUrl: string;
  tokenId: string;
  tokenSecret: string;
  /** The sandbox's virtual time at `realAt` (wall clock): the child's clock runs at the same speed (1). */
  virtualAt: number;
  realAt: number;
}

const input = JSON.parse(process.argv[2] ?? "{}") as CampaignChildInput;
const now = () => input.virtualAt + (Date.now() - input.realAt);
if (process.env.CHILD_LOG) console.error("opening", Date.now() - input.realAt);
const store = openSqliteStore({ path: input.dbPath, now, encryptionKey: Buffer.from(input.keyHex, "hex") });
if (process.env.CHILD_LOG) console.error("store open", Date.now() - input.realAt);
const ghl = createGhlClient({
  auth: { kind: "private-integration", token: input.ghlToken },
  baseUrl: input.ghlUrl,
  now,
});
const sms = createBulkSmsClient({
  tokenId: input.tokenId,
  tokenSecret: input.tokenSecret,
  baseUrl: input.bulksmsUrl,
  now,
  timeoutMs: 10_000,
});
const engine = createEngine({ store, ghl: () => ghl, sms, config: {}, now });
const runner = createJobRunner({
  queue: store.jobs,
  registry: engine.jobs as unknown as JobRegistry<Record<string, unknown>>,
  workerId: `crash-child-${process.pid}`,
  concurrency: 2,
  perLocationConcurrency: 2,
  maxAttempts: 100,
  leaseMs: 3_000,
  pollIntervalMs: 50,
  backoff: { baseMs: 100, maxMs: 1_000 },
  now,
  logger: createLogger({ level: (process.env.CHILD_LOG as "silent") ?? "silent" }),
});
runner.start();
// the runner's poll timer does not hold the process open (the worker's HTTP server does): this does
setInterval(() => {}, 60_000);
if (process.env.CHILD_LOG) {
  console.error("child up");
  setInterval(async () => {
    console.error("tick", runner.stats());
    console.error("jobs", JSON.stringify(await store.jobs.counts()));
  }, 1000).unref();
}
