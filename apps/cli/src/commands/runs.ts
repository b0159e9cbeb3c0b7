// runs list | show: reconciliation runs and the decision taken for each conflict.
import type { Command } from "commander";
import { parseIntOption, withExamples, withStore } from "../cli/command.js";
import { CliError, usageError } from "../cli/errors.js";
import type { Io } from "../cli/io.js";
import { resolveLocation } from "../cli/runtime.js";
import { isoTime, renderPairs, renderTable } from "../cli/table.js";

export function registerRuns(program: Command, io: Io): void {
  const runs = program.command("runs").description("Reconciliation runs: counts, status, conflict decisions");

  const list = runs
    .command("list")
    .description("List recent runs (newest first)")
    .option("--location <id>", "only this location")
    .option("--limit <n>", "how many", parseIntOption("--limit", 1, 10_000), 20)
    .option("--json", "print as JSON")
    .action(async (opts: { location?: string; limit: number; json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (settings, store) => {
        const locationId = opts.location
          ? (await resolveLocation(settings.config, store, opts.location)).id
          : undefined;
        const rows = await store.runs.list({ limit: opts.limit, ...(locationId ? { locationId } : {}) });
        if (opts.json) return io.json(rows);
        io.out(
          renderTable(
            [
              "id",
              "location",
              "kind",
              "status",
              "dry-run",
              "started",
              "scanned",
              "created",
              "updated",
              "deleted",
              "errors",
            ],
            rows.map((r) => [
              r.id,
              r.locationId,
              r.kind,
              r.status,
              r.dryRun ? "yes" : "no",
              isoTime(r.startedAt),
              r.counts.scanned,
              r.counts.created,
              r.counts.updated,
              r.counts.deleted,
              r.counts.errors,
            ]),
          ),
        );
      });
    });
  withExamples(list, "ghl-bulksms runs list", "ghl-bulksms runs list --location abc123 --json");

  const show = runs
    .command("show <id>")
    .description("Show one run with its counts and conflict decisions")
    .option("--conflicts <n>", "conflict decisions to show", parseIntOption("--conflicts", 0, 100_000), 50)
    .option("--json", "print as JSON")
    .action(async (idText: string, opts: { conflicts: number; json?: boolean }, cmd: Command) => {
      const id = Number(idText);
      if (!Number.isInteger(id) || id <= 0)
        throw usageError(`run id must be a positive whole number (got ${JSON.stringify(idText)})`);
      await withStore(cmd, async (_settings, store) => {
        const run = await store.runs.get(id);
        if (!run)
          throw new CliError(`run ${id} not found`, { hint: "list runs with `ghl-bulksms runs list`" });
        const conflicts =
          opts.conflicts > 0 ? await store.runs.listConflicts(id, { limit: opts.conflicts }) : [];
        if (opts.json) return io.json({ run, conflicts });
        io.out(
          renderPairs([
            ["run", run.id],
            ["location", run.locationId],
            ["kind", run.kind],
            ["status", run.status],
            ["dry run", run.dryRun ? "yes" : "no"],
            ["started", isoTime(run.startedAt)],
            ["finished", isoTime(run.finishedAt)],
            ["resumes", run.resumes],
            ["error", run.error],
            ["scanned", run.counts.scanned],
            ["created", run.counts.created],
            ["updated", run.counts.updated],
            ["unchanged", run.counts.unchanged],
            ["deleted", run.counts.deleted],
            ["opt-outs synced", run.counts.optOutsSynced],
            ["errors", run.counts.errors],
            [
              "conflicts",
              Object.entries(run.counts.conflicts)
                .map(([k, v]) => `${k}: ${v}`)
                .join(", ") || "0",
            ],
          ]),
        );
        if (conflicts.length > 0) {
          io.out("\nConflict decisions:");
          io.out(
            renderTable(
              ["contact", "field", "policy", "decision", "chosen"],
              conflicts.map((c) => [c.contactId, c.field, c.policy, c.decision, JSON.stringify(c.chosen)]),
            ),
          );
        }
      });
    });
  withExamples(show, "ghl-bulksms runs show 12", "ghl-bulksms runs show 12 --json");
}
