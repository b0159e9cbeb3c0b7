// reconcile: the engine's reconciliation of one location (or all), with a progress bar on a TTY and a
// summary table at the end.
import type { LifecycleConfig, ReconcileResult } from "@ghl-bulksms/engine";
import type { Store, SyncRun } from "@ghl-bulksms/store";

/** The engine's result, or skipped before it ran. */
type Outcome = ReconcileResult | { ok: false; reason: "no_credentials" };

import type { Command } from "commander";
import { withExamples, withStore } from "../cli/command.js";
import { contactName } from "../cli/contact-name.js";
import { CliError, EXIT_PARTIAL, usageError } from "../cli/errors.js";
import { onInterrupt } from "../cli/interrupt.js";
import type { Io } from "../cli/io.js";
import { lifecycleConfigOf } from "../cli/lifecycle.js";
import { renderPlan } from "../cli/plan-text.js";
import { createProgress } from "../cli/progress.js";
import { knownLocations, openEngine, resolveLocation, syncConfiguredLocations } from "../cli/runtime.js";
import { renderTable } from "../cli/table.js";

interface ReconcileOpts {
  location?: string;
  all?: boolean;
  full?: boolean;
  dryRun?: boolean;
  plan?: boolean;
  json?: boolean;
}

export function registerReconcile(program: Command, io: Io): void {
  const cmd = program
    .command("reconcile")
    .description(
      "Repair what webhooks missed: three-way merge of every changed contact (--full: every contact, finds deletes)",
    )
    .option("--location <id>", "location (default: the only one)")
    .option("--all", "every known location, one after the other")
    .option("--full", "full run: every contact of the location (default: incremental since the last run)")
    .option("--dry-run", "compute the whole plan, write nothing to any vendor (the run is still recorded)")
    .option("--plan", "with --dry-run: print the planned changes per contact")
    .option("--json", "print the results as JSON")
    .action(async (opts: ReconcileOpts, command: Command) => {
      if (opts.all && opts.location) throw usageError("give --location or --all, not both");
      if (opts.plan && !opts.dryRun) throw usageError("--plan needs --dry-run");
      await withStore(
        command,
        async (settings, store) => {
          await syncConfiguredLocations(settings.config, store);
          const ids = opts.all
            ? await knownLocations(settings.config, store)
            : [(await resolveLocation(settings.config, store, opts.location)).id];
          const lifecycle = await lifecycleConfigOf(settings);
          const { reconcile } = await import("@ghl-bulksms/engine");
          const { engine, ghl, factory } = await openEngine(settings, store, { needSms: false });
          const kind = opts.full ? "full" : "incremental";
          const owner = `cli-${process.pid}`;
          // Ctrl-C / SIGTERM: give back the lock of the run this process holds, so the next reconcile
          // resumes it at once instead of waiting for its heartbeat to go stale.
          const releaseOnInterrupt = onInterrupt(async () => {
            for (const locationId of ids) {
              const active = await store.runs.active(locationId);
              if (active?.owner === owner) await store.runs.release(active.id);
            }
          });
          const results: Array<{
            locationId: string;
            result: Outcome;
            waits: number;
            waitedMs: number;
          }> = [];
          try {
            for (const locationId of ids) {
              if ((await factory.authSource(locationId)) === "none") {
                io.err(
                  `warning: location ${locationId} has no GHL credentials: skipped (\`ghl-bulksms auth login --location ${locationId}\`)`,
                );
                results.push({
                  locationId,
                  result: { ok: false, reason: "no_credentials" },
                  waits: 0,
                  waitedMs: 0,
                });
                continue;
              }
              const estimate = kind === "full" ? await store.contacts.count(locationId) : 0;
              const bar = createProgress(
                io,
                `reconcile ${locationId} (${kind}${opts.dryRun ? ", dry run" : ""})`,
                { enabled: !opts.json },
              );
              const limiter = ghl(locationId).limiter;
              const before = limiter.stats();
              const result = await reconcile({
                deps: engine.deps,
                locationId,
                kind,
                dryRun: opts.dryRun === true,
                config: lifecycle,
                owner,
                onProgress: (p) => {
                  const s = limiter.stats();
                  bar.update(
                    p.counts.scanned,
                    estimate > 0 ? Math.max(estimate, p.counts.scanned) : null,
                    `${p.phase}, ${s.waits - before.waits} rate-limit waits`,
                  );
                },
              });
              bar.done();
              const after = limiter.stats();
              results.push({
                locationId,
                result,
                waits: after.waits - before.waits,
                waitedMs: after.waitedMs - before.waitedMs,
              });
            }
          } finally {
            releaseOnInterrupt();
          }
          const locks = await describeLocks(store, lifecycle, results);
          const names = opts.plan && !opts.json ? await planNames(store, results) : new Map<string, string>();
          report(io, opts, results, locks, names);
        },
        { create: true },
      );
    });
  withExamples(
    cmd,
    "ghl-bulksms reconcile",
    "ghl-bulksms reconcile --location abc123 --full --dry-run --plan",
    "ghl-bulksms reconcile --all --json",
  );
}

/**
 * For each location refused with `already_running`: who holds the run, when it last showed signs of life,
 * and when its lock expires if that process is gone (its heartbeat older than the reconcile's staleAfterMs).
 */
async function describeLocks(
  store: Store,
  lifecycle: LifecycleConfig,
  results: ReadonlyArray<{ locationId: string; result: Outcome }>,
): Promise<string[]> {
  const { lifecycleFor } = await import("@ghl-bulksms/engine");
  const lines: string[] = [];
  const now = Date.now();
  for (const { locationId, result } of results) {
    if (result.ok || result.reason !== "already_running") continue;
    const run = await store.runs.get(result.activeRunId);
    if (run?.status !== "running") continue;
    const staleAfterMs = lifecycleFor(lifecycle, locationId).reconcile.staleAfterMs;
    lines.push(describeLock(run, staleAfterMs, now));
  }
  return lines;
}

/** One honest sentence about a held reconcile lock (exported for tests). */
export function describeLock(
  run: Pick<SyncRun, "id" | "locationId" | "owner" | "heartbeatAt">,
  staleAfterMs: number,
  now: number,
): string {
  const holder = run.owner?.startsWith("cli-")
    ? `a ghl-bulksms reconcile (process ${run.owner.slice(4)})`
    : run.owner
      ? `the worker ${run.owner}`
      : "another process";
  const ageS = Math.max(0, Math.round((now - run.heartbeatAt) / 1000));
  const expiresAt = new Date(run.heartbeatAt + staleAfterMs);
  const inS = Math.max(0, Math.ceil((run.heartbeatAt + staleAfterMs - now) / 1000));
  return (
    `location ${run.locationId}: run ${run.id} is held by ${holder}, last heartbeat ${ageS}s ago. ` +
    `If it is still working, wait for it (\`ghl-bulksms runs show ${run.id}\`); if that process is gone ` +
    `(killed, crashed), its lock is stale and expires at ${expiresAt.toISOString()} (in ${inS}s), ` +
    "after which the next reconcile takes it over (and resumes it from its checkpoint if it is the same kind of run)."
  );
}

/** Names for the planned contacts: the mirror's, else the name a create would give. */
async function planNames(
  store: Store,
  results: ReadonlyArray<{ locationId: string; result: Outcome }>,
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const { locationId, result: r } of results) {
    if (!r.ok || !r.plan) continue;
    for (const p of r.plan) {
      const rec = await store.contacts.get(locationId, p.contactId);
      const created = p.operations.find((o) => o.op === "create");
      const fields = rec?.ghl ?? (created?.op === "create" ? created.fields : undefined);
      if (fields) names.set(p.contactId, contactName(fields as Record<string, unknown>));
    }
  }
  return names;
}

function report(
  io: Io,
  opts: ReconcileOpts,
  results: Array<{ locationId: string; result: Outcome; waits: number; waitedMs: number }>,
  locks: readonly string[],
  names: ReadonlyMap<string, string>,
): void {
  const failed = results.filter((r) => !r.result.ok);
  if (opts.json)
    io.json(
      results.map((r) => ({
        locationId: r.locationId,
        rateLimitWaits: r.waits,
        rateLimitWaitedMs: r.waitedMs,
        ...r.result,
      })),
    );
  else {
    io.out(
      renderTable(
        [
          "location",
          "run",
          "status",
          "scanned",
          "created",
          "updated",
          "unchanged",
          "deleted",
          "opt-outs",
          "conflicts",
          "errors",
          "requests",
          "waits",
        ],
        results.map(({ locationId, result: r, waits }) => {
          if (!r.ok) {
            const status =
              r.reason === "already_running"
                ? `already running (run ${r.activeRunId})`
                : r.reason === "failed"
                  ? `failed: ${r.error}`
                  : r.reason;
            const c = r.reason === "failed" ? r.counts : null;
            return [
              locationId,
              r.reason === "failed" ? r.runId : null,
              status,
              c?.scanned,
              c?.created,
              c?.updated,
              c?.unchanged,
              c?.deleted,
              c?.optOutsSynced,
              c ? sum(c.conflicts) : null,
              c?.errors,
              null,
              waits,
            ];
          }
          const c = r.counts;
          return [
            locationId,
            r.runId,
            `${r.dryRun ? "dry run" : "done"}${r.resumed ? " (resumed)" : ""}`,
            c.scanned,
            c.created,
            c.updated,
            c.unchanged,
            c.deleted,
            c.optOutsSynced,
            sum(c.conflicts),
            c.errors,
            r.requests,
            waits,
          ];
        }),
      ),
    );
    for (const { result: r } of results) {
      if (r.ok && r.dryRun && opts.plan && r.plan) {
        io.out(renderPlan(r.plan, names));
        if (r.planTruncated) io.out("(plan truncated: `--json` prints it as data)");
      }
    }
    io.out("Details of a run: `ghl-bulksms runs show <run>`.");
  }
  if (failed.length > 0) {
    const first = failed[0]?.result;
    const hint =
      first && !first.ok && first.reason === "already_running"
        ? locks.length > 0
          ? locks.join("\n       ")
          : "another reconcile holds this location; check `ghl-bulksms runs list`"
        : "see `ghl-bulksms doctor`; a failed run resumes from its checkpoint when run again";
    if (failed.length === results.length)
      throw new CliError(`reconcile did not complete for ${failed.map((f) => f.locationId).join(", ")}`, {
        hint,
      });
    io.err(`warning: reconcile did not complete for ${failed.map((f) => f.locationId).join(", ")} (${hint})`);
    io.exitCode = EXIT_PARTIAL;
  }
}

function sum(o: Record<string, number>): number {
  return Object.values(o).reduce((a, b) => a + b, 0);
}
