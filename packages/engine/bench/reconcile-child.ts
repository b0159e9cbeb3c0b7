// One reconcile run in its own process (used by the crash test, which SIGKILLs it, and by the benchmark,
// which measures the engine's CPU apart from the sandbox's). Input: one JSON argument; output: one JSON
// line on stdout. The sandbox clock is reproduced from (virtualAt, realAt, speed): the parent does not
// jump its clock while a child runs.
import { createBulkSmsClient } from "@ghl-bulksms/bulksms";
import { createGhlClient, createRateLimiter } from "@ghl-bulksms/ghl";
import { createEngine, createSharedRateLimiter, parseLifecycleConfig, reconcile } from "../src/index.js";
import { openSharedStore } from "./open-shared-store.js";

export interface ChildInput {
  ghlUrl: string;
  ghlToken: string;
  bulksmsUrl: string;
  bulksmsTokenId: string;
  bulksmsTokenSecret: string;
  /** The store: a SQLite file path or a postgres:// URL (see open-shared-store.ts). */
  storePath: string;
  encryptionKeyHex: string;
  locationId: string;
  kind: "incremental" | "full";
  clock: { virtualAt: number; realAt: number; speed: number };
  lifecycle?: unknown;
  realtimeReservedShare?: number;
  /** Draw on the store's shared GHL budget (several workers on one database) instead of a local limiter. */
  sharedBudget?: boolean;
  /** Retry while another (crashed) run still holds the location, up to this long (real ms). */
  waitForStaleMs?: number;
}

export interface ChildOutput {
  ok: boolean;
  result: unknown;
  cpuUserMs: number;
  cpuSystemMs: number;
  wallMs: number;
  limiter: { granted: number; waits: number; waitedMs: number };
  /** Limiter waits by reason (count, summed wait in sandbox ms). */
  waitsByReason: Record<string, { count: number; ms: number }>;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? "{}") as ChildInput;
  const { virtualAt, realAt, speed } = input.clock;
  const now = () => Math.floor(virtualAt + (Date.now() - realAt) * speed);
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms / speed)));
  const waitsByReason: ChildOutput["waitsByReason"] = {};
  const slidingOnly = process.env.BENCH_LIMITER === "sliding-only";
  const limiter = createRateLimiter({
    now,
    sleep,
    realtimeReservedShare: input.realtimeReservedShare ?? 0.2,
    onWait: (w) => {
      const r = waitsByReason[w.reason] ?? { count: 0, ms: 0 };
      r.count++;
      r.ms += w.waitMs;
      waitsByReason[w.reason] = r;
    },
  });
  const store = await openSharedStore(input.storePath, input.encryptionKeyHex, now);
  const shared = input.sharedBudget
    ? createSharedRateLimiter({
        budget: store.rateBudget,
        now,
        sleep,
        realtimeReservedShare: input.realtimeReservedShare ?? 0.2,
        onWait: (w) => {
          const r = waitsByReason[w.reason] ?? { count: 0, ms: 0 };
          r.count++;
          r.ms += w.waitMs;
          waitsByReason[w.reason] = r;
        },
      })
    : null;
  const ghl = createGhlClient({
    auth: { kind: "private-integration", token: input.ghlToken },
    baseUrl: input.ghlUrl,
    now,
    sleep,
    limiter: shared
      ? shared
      : slidingOnly
        ? {
            ...limiter,
            // Experiment (BENCH_LIMITER=sliding-only): the local sliding window alone, X-RateLimit-Remaining
            // ignored (its "wait one interval from the last answer" rule is what makes each window cost
            // 10 s + the burst). Not the client's default.
            update: (key, info, retryAfterMs) =>
              limiter.update(key, { ...info, remaining: null }, retryAfterMs),
          }
        : limiter,
    retry: { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 500 },
  });
  const sms = createBulkSmsClient({
    tokenId: input.bulksmsTokenId,
    tokenSecret: input.bulksmsTokenSecret,
    baseUrl: input.bulksmsUrl,
    now,
    sleep,
  });
  const engine = createEngine({ store, ghl: () => ghl, sms, now });
  const config = parseLifecycleConfig(input.lifecycle ?? {});
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  const onProgress = (p: { pages: number; phase: string }) =>
    process.stdout.write(`progress ${p.phase} ${p.pages}\n`);
  let result = await reconcile({
    deps: engine.deps,
    locationId: input.locationId,
    kind: input.kind,
    config,
    owner: `child:${process.pid}`,
    onProgress,
  });
  const deadline = Date.now() + (input.waitForStaleMs ?? 0);
  while (!result.ok && result.reason === "already_running" && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    result = await reconcile({
      deps: engine.deps,
      locationId: input.locationId,
      kind: input.kind,
      config,
      owner: `child:${process.pid}`,
      onProgress,
    });
  }
  const cpu = process.cpuUsage(cpu0);
  const out: ChildOutput = {
    ok: result.ok,
    result,
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    wallMs: Date.now() - t0,
    limiter: ghl.limiter.stats(),
    waitsByReason,
  };
  await shared?.settled();
  await store.close();
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
