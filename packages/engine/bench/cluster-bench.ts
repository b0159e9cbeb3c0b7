// pnpm --filter @ghl-bulksms/engine bench:cluster — two worker processes against ONE sandbox location at
// GHL's real limit (100 requests / 10 s), both drawing on the store's shared budget (GHL_RATE_BUDGET=shared):
// worker 1 runs a full reconcile with writes pending (BENCH_CONTACTS contacts, BENCH_CHANGED_PERCENT of them
// changed in GHL), worker 2 sends background calls to the same location the whole time. Prints the 429
// count and the share of the background allowance (80 / 10 s: 100 minus the real-time reserve) the two
// used together while the reconcile's writes were pending. BENCH_LIMITER=local gives each worker its own
// in-process limiter instead (what several workers did before), for comparison.
//
// The database both workers share: PostgreSQL by default (BENCH_DATABASE_URL, else TEST_DATABASE_URL, else
// a throwaway cluster from the PostgreSQL binaries on the machine; a fresh database is created on it and
// dropped after), or one SQLite file with BENCH_STORE=sqlite.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createBulkSmsClient } from "@ghl-bulksms/bulksms";
import { createGhlClient } from "@ghl-bulksms/ghl";
import { startSandbox } from "@ghl-bulksms/sandbox";
import { createTestDatabase, startTestPostgres, type TestPostgres } from "@ghl-bulksms/store/testing";
import { createEngine, parseLifecycleConfig, reconcile, registerLocation } from "../src/index.js";
import type { BudgetChildInput } from "./budget-child.js";
import { openSharedStore } from "./open-shared-store.js";
import { spawnReconcileChild } from "./spawn-child.js";

const N = Number(process.env.BENCH_CONTACTS ?? 3_000);
const CHANGED_PERCENT = Number(process.env.BENCH_CHANGED_PERCENT ?? 6);
const SHARED = process.env.BENCH_LIMITER !== "local";
const STORE: "postgres" | "sqlite" = process.env.BENCH_STORE === "sqlite" ? "sqlite" : "postgres";
// every worker must share one clock (the budget is dated in epoch ms): the sandbox runs on real time
const START = Date.now();
const BURST = 100;
const WINDOW_MS = 10_000;
const RESERVED = 0.2;
const WRITE = /^(PUT|POST|DELETE)$/;
const here = dirname(fileURLToPath(import.meta.url));
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

const dir = mkdtempSync(join(tmpdir(), "cluster-bench-"));
const sandbox = await startSandbox({
  clockStart: START,
  ghl: { locations: [{ country: "GB", timezone: "Europe/London" }] },
});
let background: ChildProcess | null = null;
let postgres: TestPostgres | null = null;
let dropDatabase: (() => Promise<void>) | null = null;
try {
  const loc = sandbox.ghl.locations[0]!;
  const cred = sandbox.bulksms.credentials[0]!;
  const key = randomBytes(32);
  let storePath = join(dir, "cluster.db");
  if (STORE === "postgres") {
    postgres = await startTestPostgres({
      ...process.env,
      ...(process.env.BENCH_DATABASE_URL ? { TEST_DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
    });
    const db = await createTestDatabase(postgres.url);
    storePath = db.url;
    dropDatabase = db.drop;
  }
  console.log(
    `seeding ${N} contacts; ${CHANGED_PERCENT}% changed in GHL; limiter: ${SHARED ? "shared" : "local"}; store: ${STORE}${postgres ? ` (${postgres.source})` : ""}`,
  );
  sandbox.ghl.control.seedContacts(N, { locationId: loc.id });
  const ids = sandbox.ghl.control.listContacts(loc.id).map((c) => c.id);
  {
    // the mirror as after an earlier run, then changes in GHL the next run must write back / apply
    const now = sandbox.clock.now;
    const store = await openSharedStore(storePath, key.toString("hex"), now);
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
    const deps = createEngine({ store, ghl: () => ghl, sms, now }).deps;
    await registerLocation(deps, { id: loc.id, region: loc.country, timezone: loc.timezone });
    const t = Date.now();
    const r = await reconcile({ deps, locationId: loc.id, kind: "full", config: parseLifecycleConfig({}) });
    if (!r.ok) throw new Error(JSON.stringify(r));
    console.log(`preparation run: ${Date.now() - t} ms, ${JSON.stringify(r.counts)}`);
    const every = Math.max(1, Math.round(100 / CHANGED_PERCENT));
    for (const [i, id] of ids.entries()) {
      if (i % every === 0) {
        const rec = await store.contacts.get(loc.id, id);
        if (rec) {
          await store.contacts.upsert({
            locationId: loc.id,
            contactId: id,
            profile: { ...(rec.profile as object), lastName: `Local${i}`, localEditedAt: now() },
          });
        }
      }
    }
    await store.close();
    // the preparation's requests must not count in the measured windows
    await new Promise((r) => setTimeout(r, WINDOW_MS + 500));
  }

  const logBefore = sandbox.ghl.control.requestLog().length;
  // worker 2: background calls to the same location until worker 1's reconcile is over
  const input: BudgetChildInput = {
    ghlUrl: sandbox.ghl.url,
    token: loc.token,
    locationId: loc.id,
    database: storePath,
    keyHex: key.toString("hex"),
    limiter: SHARED ? "shared" : "local",
    requests: 1_000_000,
    concurrency: 8,
    startAt: Date.now(),
  };
  background = spawn(
    process.execPath,
    [
      "--conditions=@ghl-bulksms/source",
      "--import",
      tsxLoader,
      join(here, "budget-child.ts"),
      JSON.stringify(input),
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  // worker 1: the reconcile
  const child = await spawnReconcileChild({
    ghlUrl: sandbox.ghl.url,
    ghlToken: loc.token,
    bulksmsUrl: sandbox.bulksms.url,
    bulksmsTokenId: cred.tokenId,
    bulksmsTokenSecret: cred.tokenSecret,
    storePath,
    encryptionKeyHex: key.toString("hex"),
    locationId: loc.id,
    kind: "full",
    clock: { virtualAt: sandbox.clock.now(), realAt: Date.now(), speed: 1 },
    realtimeReservedShare: RESERVED,
    sharedBudget: SHARED,
  }).done;
  background.kill("SIGTERM");
  if (!child.output?.ok) throw new Error(`reconcile failed: ${child.stderr} ${JSON.stringify(child.output)}`);

  const log = sandbox.ghl.control.requestLog().slice(logBefore);
  const writes = log.filter((e) => WRITE.test(e.method) && e.path !== "/contacts/search");
  const firstWrite = writes[0]?.at ?? 0;
  const lastWrite = writes[writes.length - 1]?.at ?? 0;
  const spanMs = Math.max(1, lastWrite - firstWrite);
  // the most GHL lets through in a span of T ms is limit x ceil(T / 10 s)
  const windows = Math.max(1, Math.ceil(spanMs / WINDOW_MS));
  const answered = log.filter((e) => e.at >= firstWrite && e.at <= lastWrite && e.status !== 429).length;
  const allowance = windows * (BURST - Math.ceil(BURST * RESERVED));
  const tooMany = log.filter((e) => e.status === 429).length;
  const result = child.output.result as { counts: unknown };
  const figures = {
    workers: 2,
    store: STORE,
    limiter: SHARED ? "shared (store)" : "local (per process)",
    contacts: N,
    reconcileCounts: result.counts,
    writeRequests: writes.length,
    requestsWhileWritesPending: answered,
    spanMs,
    limitWindows: windows,
    shareOfBackgroundAllowance: +(answered / allowance).toFixed(3),
    shareOfFullLimit: +(answered / (windows * BURST)).toFixed(3),
    http429: tooMany,
    reconcileWallMs: child.output.wallMs,
  };
  console.log(JSON.stringify(figures, null, 2));
  const ok = tooMany === 0 && figures.shareOfBackgroundAllowance >= 0.9;
  console.log(
    `targets: 429s ${tooMany} ${tooMany === 0 ? "OK" : "MISSED"}; ` +
      `${(figures.shareOfBackgroundAllowance * 100).toFixed(1)}% of the background allowance (80 / 10 s) while writes pending ` +
      `${figures.shareOfBackgroundAllowance >= 0.9 ? "OK" : "MISSED"} (>= 90%)`,
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  background?.kill("SIGTERM");
  await sandbox.close();
  await dropDatabase?.().catch((e: unknown) => console.error(`dropping the bench database: ${e}`));
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
}
