// dedupe: duplicate clusters with evidence and survivor, from a JSONL export or from the contact mirror.
import { resolve } from "node:path";
import type { Store } from "@ghl-bulksms/store";
import type { DedupeResult, DuplicateCluster } from "@ghl-bulksms/sync";
import type { Command } from "commander";
import { parseIntOption, withExamples, withStore } from "../cli/command.js";
import { contactName, labelled } from "../cli/contact-name.js";
import { CliError, EXIT_PARTIAL, usageError } from "../cli/errors.js";
import type { Io } from "../cli/io.js";
import { lifecycleConfigOf } from "../cli/lifecycle.js";
import { mergePlanFieldLines } from "../cli/merge-plan-text.js";
import { createProgress } from "../cli/progress.js";
import { readJsonlContacts } from "../cli/read-jsonl-contacts.js";
import { isKnownRegion } from "../cli/region.js";
import { openEngine, resolveLocation } from "../cli/runtime.js";
import { renderTable } from "../cli/table.js";

interface DedupeOptions {
  fromFile?: string;
  region?: string;
  location?: string;
  json?: boolean;
  skipInvalid?: boolean;
  survivor?: "most-complete" | "oldest" | "most-recent";
  apply?: boolean;
  yes?: boolean;
  mode?: "delete" | "tag-only";
  undo?: string;
  limit?: number;
}

export function registerDedupe(program: Command, io: Io): void {
  const cmd = program
    .command("dedupe")
    .description(
      "Find duplicate contacts (clusters with evidence and a proposed survivor), from a JSONL export or the mirror",
    )
    .option("--from-file <path>", "JSONL file, one GHL contact object per line (needs no configuration)")
    .option(
      "--region <CC>",
      "phone region for national numbers, e.g. GB, after each contact's own country (with a mirror: after the location's region too)",
    )
    .option("--location <id>", "location whose mirror to read (without --from-file)")
    .option("--survivor <rule>", "most-complete | oldest | most-recent", "most-complete")
    .option("--skip-invalid", "skip malformed lines with a warning (exit 3) instead of failing (exit 1)")
    .option(
      "--limit <n>",
      "clusters to print in the table (all with --json)",
      parseIntOption("--limit", 1, 1_000_000),
      50,
    )
    .option(
      "--apply",
      "plan the merges of the mirror's clusters in GHL (the reconciliation's merge, with its undo log)",
    )
    .option("--yes", "with --apply: really merge (without it only the plan is shown)")
    .option("--mode <mode>", "with --apply: delete | tag-only (the location's never-delete setting wins)")
    .option("--undo <undoId>", "undo one applied merge: recreate the merged contact with its notes and tasks")
    .option("--json", 'print {"clusters":[{"ids","survivor","evidence"}],"stats":{...}}')
    .action(async (opts: DedupeOptions, command: Command) => {
      if (!["most-complete", "oldest", "most-recent"].includes(opts.survivor ?? ""))
        throw usageError(
          `--survivor must be most-complete, oldest or most-recent (got ${JSON.stringify(opts.survivor)})`,
        );
      if (opts.region !== undefined && !(await isKnownRegion(opts.region)))
        throw usageError(
          `unknown phone region ${JSON.stringify(opts.region)}`,
          "use an ISO 3166-1 alpha-2 code such as GB, US, ZA",
        );
      if (opts.mode && opts.mode !== "delete" && opts.mode !== "tag-only")
        throw usageError("--mode must be delete or tag-only");
      if (opts.undo !== undefined) return undo(io, opts, command);
      if (opts.apply && opts.fromFile)
        throw usageError(
          "--apply merges contacts of the mirror, not of a file",
          "drop --from-file and pass --location",
        );
      if (opts.fromFile) await fromFile(io, opts);
      else await fromMirror(io, opts, command);
    });
  withExamples(
    cmd,
    "ghl-bulksms dedupe --from-file contacts.jsonl --region GB",
    "ghl-bulksms dedupe --from-file contacts.jsonl --region GB --json > clusters.json",
    "ghl-bulksms dedupe --location abc123",
    "ghl-bulksms dedupe --location abc123 --apply          # shows the merge plan",
    "ghl-bulksms dedupe --location abc123 --apply --yes    # merges; prints undo ids",
    "ghl-bulksms dedupe --undo 7",
  );
}

async function fromFile(io: Io, opts: DedupeOptions): Promise<void> {
  const path = resolve(opts.fromFile as string);
  let read: Awaited<ReturnType<typeof readJsonlContacts>>;
  const reading = createProgress(io, `reading ${opts.fromFile}`, { enabled: !opts.json });
  try {
    read = await readJsonlContacts(path, {
      ...(opts.skipInvalid ? {} : { maxProblems: 1 }),
      onLine: (n) => reading.update(n, null, "lines"),
    });
  } catch (e) {
    reading.done();
    if ((e as { code?: string }).code === "ENOENT")
      throw new CliError(`file not found: ${path}`, { hint: "pass a JSONL export with --from-file" });
    throw new CliError(`cannot read ${path}: ${(e as Error).message}`);
  }
  reading.done();
  if (read.problems.length > 0 && !opts.skipInvalid) {
    const p = read.problems[0] as { line: number; message: string };
    throw new CliError(`${opts.fromFile}:${p.line}: ${p.message}`, {
      hint: "fix or remove that line, or pass --skip-invalid to skip malformed lines (exit code 3)",
    });
  }
  for (const p of read.problems.slice(0, 20))
    io.err(`warning: ${opts.fromFile}:${p.line}: ${p.message} (skipped)`);
  if (read.problems.length > 20)
    io.err(`warning: ... and ${read.problems.length - 20} more malformed lines skipped`);
  const { findDuplicates } = await import("@ghl-bulksms/sync");
  const result = findDuplicates(read.contacts, {
    ...(opts.region ? { defaultRegion: opts.region.toUpperCase() } : {}),
    survivor: opts.survivor ?? "most-complete",
  });
  const names = new Map(read.contacts.map((c) => [c.id, contactName(c)]));
  print(io, opts, result, names, { lines: read.lines, skippedLines: read.problems.length });
  if (read.problems.length > 0) io.exitCode = EXIT_PARTIAL;
}

async function fromMirror(io: Io, opts: DedupeOptions, command: Command): Promise<void> {
  await withStore(
    command,
    async (settings, store) => {
      const location = await resolveLocation(settings.config, store, opts.location);
      const { engine } = await openEngine(settings, store, { needSms: false });
      const lifecycle = await lifecycleConfigOf(settings);
      const { applyMerge, proposeMerges } = await import("@ghl-bulksms/engine");
      const count = await store.contacts.count(location.id);
      if (count === 0)
        io.err(
          `warning: the mirror of location ${location.id} is empty; run \`ghl-bulksms reconcile --full\` first`,
        );
      const proposals = await proposeMerges(engine.deps, location.id, {
        config: lifecycle,
        ...(opts.region ? { fallbackRegion: opts.region.toUpperCase() } : {}),
      });
      const clusters = proposals.map((p) => p.cluster);
      const stats = {
        contacts: count,
        clusters: clusters.length,
        duplicates: clusters.reduce((n, c) => n + c.ids.length - 1, 0),
        location: location.id,
      };
      const names = await mirrorNames(store, location.id, clusters);
      if (!opts.apply) {
        printClusters(io, opts, clusters, names, stats);
        return;
      }
      let overrideSaid = false;
      // printed after the progress bar is gone
      const planText: string[] = [];
      const notes: string[] = [];
      // --apply: the engine's merge, one cluster at a time; without --yes only the plan is shown.
      const results: Array<{
        survivor: string;
        ids: string[];
        applied: boolean;
        mode?: "delete" | "tag-only";
        undoIds?: number[];
        error?: string;
      }> = [];
      const bar = createProgress(io, `${opts.yes ? "merging" : "planning merges"} in ${location.id}`, {
        enabled: !opts.json,
      });
      for (const [i, c] of clusters.entries()) {
        bar.update(i, clusters.length);
        const r = await applyMerge(engine.deps, location.id, c, {
          config: lifecycle,
          confirm: opts.yes === true,
          ...(opts.mode ? { mode: opts.mode } : {}),
        });
        if (!r.ok) {
          if (r.reason !== "ghl_error") bar.done();
          if (r.reason === "merge_disabled")
            throw new CliError(`merging is disabled for location ${location.id}`, {
              hint: 'merging is opt-in: set "lifecycle": {"defaults": {"merge": {"enabled": true}}} (or per location) in the policy file',
            });
          if (r.reason === "location_unknown") throw new CliError(`unknown location "${location.id}"`);
          if (r.reason === "ghl_error")
            results.push({
              survivor: c.survivor,
              ids: c.ids,
              applied: false,
              error: `${r.step}: ${r.error.message}`,
            });
          continue;
        }
        results.push({
          survivor: c.survivor,
          ids: c.ids,
          applied: r.applied,
          mode: r.preview.mode,
          ...(r.applied ? { undoIds: r.undoIds } : {}),
        });
        // A setting that overrides a flag is said, never silent: the location's "never delete" wins.
        if (opts.mode && r.preview.mode !== opts.mode && !overrideSaid) {
          overrideSaid = true;
          notes.push(
            `note: --mode ${opts.mode} is overridden by the policy: location ${location.id} has merge mode "${r.preview.mode}" (never delete), so duplicates are tagged, not deleted` +
              ` (to allow deleting, set "lifecycle" > "locations" > "${location.id}" > "merge" > "mode": "delete" in the policy file)`,
          );
        }
        if (!opts.json && !r.applied) {
          const p = r.preview;
          const others = c.ids.filter((i) => i !== c.survivor).map((id) => labelled(id, names));
          planText.push(
            [
              `plan: keep ${labelled(c.survivor, names)}`,
              `  ${p.mode === "delete" ? "delete" : "tag as duplicate"}: ${others.join(", ")}`,
              `  set on the survivor: ${Object.keys(p.survivorUpdate.fields).join(", ") || "no fields"}; add tags: ${p.survivorUpdate.addTags.join(", ") || "none"}`,
              `  carry over: ${p.carried.reduce((n, x) => n + x.notes, 0)} note(s), ${p.carried.reduce((n, x) => n + x.openTasks, 0)} open task(s)`,
            ].join("\n"),
          );
          planText.push(...mergePlanFieldLines(p.plan));
        }
      }
      bar.done();
      for (const n of notes) io.err(n);
      for (const t of planText) io.out(t);
      const failed = results.filter((r) => r.error);
      if (opts.json)
        io.json({
          applied: opts.yes === true,
          ...(opts.mode ? { requestedMode: opts.mode, modeOverridden: overrideSaid } : {}),
          results,
        });
      else {
        for (const r of results.filter((x) => x.applied))
          io.out(
            `merged into ${labelled(r.survivor, names)}: ${r.ids
              .filter((i) => i !== r.survivor)
              .map((id) => labelled(id, names))
              .join(
                ", ",
              )} (${r.mode === "delete" ? "deleted" : "tagged"}; undo ids ${r.undoIds?.join(", ")})`,
          );
        for (const r of failed) io.err(`error: merging into ${r.survivor} failed: ${r.error}`);
        if (!opts.yes)
          io.out(
            `${results.length} merge(s) planned; nothing changed. Run again with --apply --yes to merge (undo with \`ghl-bulksms dedupe --undo <id>\`).`,
          );
      }
      if (failed.length > 0) {
        if (failed.length === results.length)
          throw new CliError("every merge failed", {
            hint: "see the errors above; nothing was lost (undo log)",
          });
        io.exitCode = EXIT_PARTIAL;
      }
    },
    { create: false },
  );
}

async function undo(io: Io, opts: DedupeOptions, command: Command): Promise<void> {
  const id = Number(opts.undo);
  if (!Number.isInteger(id) || id <= 0)
    throw usageError(`--undo needs an undo id (a positive whole number), got ${JSON.stringify(opts.undo)}`);
  await withStore(command, async (settings, store) => {
    const entry = await store.mergeUndo.get(id);
    if (!entry)
      throw new CliError(`undo entry ${id} not found`, {
        hint: "the ids are printed by `dedupe --apply --yes`",
      });
    const { engine } = await openEngine(settings, store, { needSms: false });
    const { undoMerge } = await import("@ghl-bulksms/engine");
    const r = await undoMerge(engine.deps, id);
    if (!r.ok) {
      if (r.reason === "ghl_error")
        throw new CliError(`undo failed at ${r.step}: ${r.error.message}`, {
          hint: "run the undo again: it resumes where it stopped",
        });
      throw new CliError(
        `undo entry ${id} cannot be undone (${r.reason}${r.status ? `, status ${r.status}` : ""})`,
      );
    }
    if (opts.json) io.json(r);
    else
      io.out(
        `restored ${entry.mergedId}${r.recreatedId ? ` as ${r.recreatedId}` : ""} with ${r.notes} note(s) and ${r.tasks} task(s)`,
      );
  });
}

function print(
  io: Io,
  opts: DedupeOptions,
  result: DedupeResult,
  names: ReadonlyMap<string, string>,
  extra: Record<string, unknown>,
): void {
  const clusters = result.clusters.filter((c) => c.ids.length > 1);
  printClusters(io, opts, clusters, names, { ...result.stats, ...extra });
}

/** The mirror's names of the contacts in the clusters. */
async function mirrorNames(
  store: Store,
  locationId: string,
  clusters: readonly DuplicateCluster[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const id of new Set(clusters.flatMap((c) => c.ids))) {
    const rec = await store.contacts.get(locationId, id);
    names.set(id, contactName(rec?.ghl as Record<string, unknown> | undefined));
  }
  return names;
}

function printClusters(
  io: Io,
  opts: DedupeOptions,
  clusters: readonly DuplicateCluster[],
  names: ReadonlyMap<string, string>,
  stats: Record<string, unknown>,
): void {
  if (opts.json) {
    io.json({
      clusters: clusters.map((c) => ({
        ids: c.ids,
        survivor: c.survivor,
        evidence: c.evidence,
        names: Object.fromEntries(c.ids.map((id) => [id, names.get(id) ?? null])),
      })),
      stats,
    });
    return;
  }
  const limit = opts.limit ?? 50;
  const rows = clusters.slice(0, limit).map((c, i) => [
    i + 1,
    labelled(c.survivor, names),
    c.ids
      .filter((id) => id !== c.survivor)
      .map((id) => labelled(id, names))
      .join(", "),
    c.evidence.map((e) => `${e.a}~${e.b}: ${e.keys.join("+")} ${e.score.toFixed(2)}`).join("; "),
  ]);
  io.out(renderTable(["#", "survivor", "duplicates", "evidence"], rows));
  if (clusters.length > limit)
    io.out(`... ${clusters.length - limit} more clusters (use --limit or --json)\n`);
  const dups = clusters.reduce((n, c) => n + c.ids.length - 1, 0);
  io.out(
    `${stats.contacts} contacts, ${clusters.length} clusters, ${dups} duplicates would merge into a survivor` +
      (stats.invalidPhones !== undefined
        ? ` (${stats.invalidPhones} invalid phones, ${stats.invalidEmails} invalid emails, ${stats.weakBlocks} shared phones/mailboxes)`
        : ""),
  );
}
