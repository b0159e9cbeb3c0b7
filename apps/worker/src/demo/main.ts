// `pnpm demo`: both simulators + the real worker on a fresh embedded SQLite store, then a scripted run of
// every flow with a live log and a summary table.
//   --once                 exit after the scenario: JSON summary on stdout, exit 0 only if all held
//   --ghl-port N           GHL simulator port (default 0 = any free port)
//   --bulksms-port N       BulkSMS simulator port (default 0)
//   --port N               worker port (default 3000; 0 with --once)
//   --data-dir DIR         SQLite folder (default ./data/demo-<timestamp>; a temp dir with --once)
//   --keep-data            keep the --once temp dir
//   --database URL         run the worker on this (empty) PostgreSQL database instead of SQLite
//   --workers N            N workers on the one database (default 1, in this process). Above 1 EVERY worker
//                          runs in a process of its own (worker-process.ts), each with its own WORKER_ID,
//                          port and connections, GHL_RATE_BUDGET=shared, behind a loopback round-robin
//                          balancer that the simulators deliver to, and logging to <data>/logs/<id>.log; this
//                          process only drives the scenario and checks it. With --database on PostgreSQL,
//                          without it on one shared SQLite file (one machine only; see the worker README)
//   --verbose              the workers' own logs (info) on stderr
// GHL_API_BASE_URL / BULKSMS_API_BASE_URL in the environment replace the simulators' URLs for the worker,
// so a recording or validating proxy can sit between them (start the sandbox on fixed ports for it).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";
import { createLogger } from "../logger.js";
import { type Expectation, runScenario } from "./scenario.js";
import { type DemoStack, startDemoStack } from "./stack.js";
import { formatTable } from "./table.js";
import type { WorkerActivity } from "./worker-activity.js";

const USAGE = `Usage: pnpm demo [--once] [--ghl-port N] [--bulksms-port N] [--port N] [--data-dir DIR] [--keep-data] [--database postgres://...] [--workers N] [--verbose]
Environment: GHL_API_BASE_URL, BULKSMS_API_BASE_URL (point the worker at a proxy in front of the sandbox).`;

function port(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    process.stderr.write(
      `demo: --${name} must be a port number 0-65535 (got ${JSON.stringify(value)})\n${USAGE}\n`,
    );
    process.exit(2);
  }
  return n;
}

function envUrl(name: string): string | undefined {
  const v = process.env[name]?.trim();
  return v ? v : undefined;
}

function workerCount(value: string | undefined): number {
  if (value === undefined) return 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 16) {
    process.stderr.write(
      `demo: --workers must be a whole number 1-16 (got ${JSON.stringify(value)})\n${USAGE}\n`,
    );
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  let args: ReturnType<typeof parse>;
  function parse() {
    return parseArgs({
      args: process.argv.slice(2).filter((a) => a !== "--"),
      options: {
        once: { type: "boolean", default: false },
        "ghl-port": { type: "string" },
        "bulksms-port": { type: "string" },
        port: { type: "string" },
        "data-dir": { type: "string" },
        "keep-data": { type: "boolean", default: false },
        database: { type: "string" },
        workers: { type: "string" },
        verbose: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
      strict: true,
    });
  }
  try {
    args = parse();
  } catch (e) {
    process.stderr.write(`demo: ${(e as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  const v = args.values;
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const once = v.once === true;
  // The live log goes to stdout, except with --once where stdout carries only the JSON summary.
  const out = once ? process.stderr : process.stdout;
  const log = (line: string) => out.write(`${line}\n`);
  const baseDir = process.env.INIT_CWD ?? process.cwd();
  const tempDir = once && !v["data-dir"];
  const dataDir = v["data-dir"]
    ? resolve(baseDir, v["data-dir"])
    : tempDir
      ? mkdtempSync(join(tmpdir(), "ghl-bulksms-demo-"))
      : join(baseDir, "data", `demo-${new Date().toISOString().replace(/[:.]/g, "-")}`);
  const ghlApiBaseUrl = envUrl("GHL_API_BASE_URL");
  const bulksmsApiBaseUrl = envUrl("BULKSMS_API_BASE_URL");
  const started = Date.now();
  const workers = workerCount(v.workers);
  const storeName = v.database ? "one PostgreSQL database" : "an embedded SQLite store";

  log(
    workers === 1
      ? `ghl-bulksms demo: the GHL and BulkSMS simulators + the worker on ${storeName}`
      : `ghl-bulksms demo: the GHL and BulkSMS simulators + ${workers} worker processes behind a loopback balancer on ${storeName}`,
  );
  let stack: DemoStack;
  try {
    stack = await startDemoStack({
      dataDir,
      ghlPort: port("ghl-port", v["ghl-port"], 0),
      bulksmsPort: port("bulksms-port", v["bulksms-port"], 0),
      workerPort: port("port", v.port, once ? 0 : 3000),
      ghlApiBaseUrl,
      bulksmsApiBaseUrl,
      seedContacts: 5,
      workers,
      ...(v.database ? { env: { DATABASE_URL: v.database } } : {}),
      ...(v.verbose
        ? {
            logger: createLogger({ level: "info", destination: process.stderr }),
            logLevel: "info",
            workerLogEcho: process.stderr,
          }
        : {}),
    });
  } catch (e) {
    process.stderr.write(`demo: could not start: ${(e as Error).message}\n`);
    // worker processes log to files in the data folder: keep them for a look
    if (workers > 1) process.stderr.write(`demo: the workers' logs are kept in ${join(dataDir, "logs")}\n`);
    else if (tempDir && !v["keep-data"]) rmSync(dataDir, { recursive: true, force: true });
    process.exit(1);
  }
  log(`  GHL simulator      ${stack.urls.ghl}`);
  log(`  BulkSMS simulator  ${stack.urls.bulksms}`);
  log(`  ${workers === 1 ? "worker  " : "balancer"}           ${stack.urls.worker}  (data: ${dataDir})`);
  if (workers > 1) {
    log(
      `    in front of ${workers} worker processes (pids ${stack.workers.map((w) => w.pid).join(", ")}; the demo is pid ${process.pid}): ${stack.workers.map((w) => `${w.id} (pid ${w.pid}) ${w.url}`).join(", ")}`,
    );
    log(`    their logs: ${join(dataDir, "logs")}/<worker id>.log`);
  }
  if (ghlApiBaseUrl) log(`  worker -> GHL via  ${ghlApiBaseUrl} (GHL_API_BASE_URL)`);
  if (bulksmsApiBaseUrl) log(`  worker -> BulkSMS via ${bulksmsApiBaseUrl} (BULKSMS_API_BASE_URL)`);
  log(
    `  webhooks: GHL -> ${stack.urls.ghlWebhook}, BulkSMS -> ${stack.urls.worker}/webhooks/bulksms/<secret>`,
  );
  if (stack.policyFile) log(`  policy file        ${stack.policyFile.path}`);
  log(`  sandbox clock starts at ${new Date(stack.sandbox.clock.now()).toISOString()} (noon in London)`);

  // a signal stops the workers in order (a second one, or the exit, kills them), in both modes
  let stopping = false;
  let ok = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    log(`\n${signal}: stopping the worker${workers > 1 ? "s" : ""} (draining jobs) and the simulators...`);
    stack.close().then(
      () => {
        log("stopped.");
        process.exit(once ? 130 : ok ? 0 : 1);
      },
      (e: unknown) => {
        process.stderr.write(`demo: stopping failed: ${(e as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));

  let results: Expectation[] = [];
  let failure: string | null = null;
  try {
    results = await runScenario(stack, log);
  } catch (e) {
    failure = e instanceof Error ? (e.stack ?? e.message) : String(e);
    log(`\n✘ the scenario stopped: ${failure}`);
  }
  const passed = results.filter((r) => r.ok).length;
  ok = failure === null && results.length > 0 && passed === results.length;
  // what each worker process did, read from the workers themselves before they stop
  let activity: WorkerActivity[] | null = null;
  if (workers > 1) {
    try {
      activity = await stack.activity();
    } catch (e) {
      log(`\n✘ could not read the workers' activity: ${(e as Error).message}`);
    }
  }
  log("");
  log(
    formatTable(
      ["step", "expectation", "observed", "ok"],
      results.map((r) => [r.step, r.expectation, r.observed, r.ok ? "✔" : "✘"]),
    ),
  );
  log(
    `\n${ok ? "✔ every expectation held" : "✘ some expectations did not hold"}: ${passed}/${results.length} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  if (activity) {
    log(
      `  ${activity.length} worker processes (pids ${activity.map((a) => a.pid).join(", ")}) shared the work: ${activity.map((a) => `${a.id} ${a.webhooksAccepted} webhooks accepted, ${a.jobsCompleted} jobs completed`).join("; ")}`,
    );
  }
  const keepForInspection = !ok && workers > 1;
  if (keepForInspection)
    log(`  the workers' logs: ${stack.workers.map((w) => w.logFile).join(", ")}${tempDir ? " (kept)" : ""}`);

  if (once) {
    if (stopping) return; // a signal came first: stop() exits
    stopping = true;
    await stack.close();
    // a failed run with worker processes keeps their logs (and the database) for a look
    if (tempDir && !v["keep-data"] && !keepForInspection) rmSync(dataDir, { recursive: true, force: true });
    const summary = {
      ok,
      workers,
      ...(workers > 1
        ? {
            demoPid: process.pid,
            webhooksPerWorker: stack.served(),
            workerProcesses: activity,
            ...(keepForInspection ? { workerLogs: stack.workers.map((w) => w.logFile) } : {}),
          }
        : {}),
      passed,
      failed: results.length - passed,
      durationMs: Date.now() - started,
      error: failure,
      expectations: results,
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    process.exitCode = ok ? 0 : 1;
    return;
  }

  log("\nStill running — poke it (Ctrl-C stops everything):");
  log(`  curl ${stack.urls.worker}/metrics | grep ghlbulksms_`);
  log(`  curl ${stack.urls.worker}/readyz`);
  log(`  curl -X POST ${stack.urls.ghl}/__sandbox/contacts -H 'content-type: application/json' \\`);
  log(`       -d '{"locationId":"${stack.locationId}","firstName":"Eve","phone":"07400 100099"}'`);
  log(`  curl ${stack.sandbox.bulksms.origin}/__sandbox/sent`);
  log(
    `  curl -X POST ${stack.sandbox.bulksms.origin}/__sandbox/reply -H 'content-type: application/json' \\`,
  );
  log(`       -d '{"from":"+447400100099","body":"STOP"}'`);
  log(`  GHL token for ${stack.locationId}: ${stack.locationToken}`);
  // Keep the process alive (the servers' sockets are unref'd by nothing, but be explicit).
  setInterval(() => undefined, 1 << 30);
}

void main();
