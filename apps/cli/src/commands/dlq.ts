// dlq list | show | replay | purge: jobs that failed for good, with their last error.
import type { Job } from "@ghl-bulksms/store";
import type { Command } from "commander";
import { parseIntOption, parseSince, withExamples, withStore } from "../cli/command.js";
import { CliError, EXIT_PARTIAL, usageError } from "../cli/errors.js";
import type { Io } from "../cli/io.js";
import { isoTime, renderPairs, renderTable } from "../cli/table.js";

function jobId(text: string): number {
  const id = Number(text);
  if (!Number.isInteger(id) || id <= 0)
    throw usageError(`job id must be a positive whole number (got ${JSON.stringify(text)})`);
  return id;
}

function shortError(e: string | null): string | null {
  if (!e) return e;
  return e.length > 80 ? `${e.slice(0, 77)}...` : e;
}

export function registerDlq(program: Command, io: Io): void {
  const dlq = program
    .command("dlq")
    .description("Dead letters: jobs that ran out of attempts (replay or purge them)");

  const list = dlq
    .command("list")
    .description("List dead jobs with their last error")
    .option("--location <id>", "only this location")
    .option("--name <job>", "only this job name, e.g. sms.send")
    .option("--limit <n>", "how many", parseIntOption("--limit", 1, 100_000), 50)
    .option("--json", "print as JSON")
    .action(
      async (opts: { location?: string; name?: string; limit: number; json?: boolean }, cmd: Command) => {
        await withStore(cmd, async (_s, store) => {
          const jobs = await store.deadLetters.list({
            limit: opts.limit,
            ...(opts.location ? { locationId: opts.location } : {}),
            ...(opts.name ? { name: opts.name } : {}),
          });
          if (opts.json) return io.json(jobs);
          io.out(
            renderTable(
              ["id", "name", "location", "attempts", "failed at", "last error"],
              jobs.map((j) => [
                j.id,
                j.name,
                j.locationId,
                j.attempts,
                isoTime(j.finishedAt ?? j.updatedAt),
                shortError(j.lastError),
              ]),
            ),
          );
          if (jobs.length > 0)
            io.out("Replay with `ghl-bulksms dlq replay <id>` (or --all) once the cause is fixed.");
        });
      },
    );
  withExamples(list, "ghl-bulksms dlq list", "ghl-bulksms dlq list --name sms.send --json");

  const show = dlq
    .command("show <id>")
    .description("Show one dead job: payload, attempts and the full last error")
    .option("--json", "print as JSON")
    .action(async (idText: string, opts: { json?: boolean }, cmd: Command) => {
      const id = jobId(idText);
      await withStore(cmd, async (_s, store) => {
        const job = await store.jobs.get(id);
        if (job?.state !== "dead")
          throw new CliError(
            job ? `job ${id} is not dead (state ${job.state})` : `dead job ${id} not found`,
            {
              hint: "list dead jobs with `ghl-bulksms dlq list`",
            },
          );
        if (opts.json) return io.json(job);
        io.out(describe(job));
      });
    });
  withExamples(show, "ghl-bulksms dlq show 42");

  const replay = dlq
    .command("replay [id]")
    .description("Re-queue a dead job (or all of them) with its attempts reset; the worker runs it")
    .option("--all", "replay every dead job (optionally only --location / --name)")
    .option("--location <id>", "with --all: only this location")
    .option("--name <job>", "with --all: only this job name")
    .option("--json", "print the result as JSON")
    .action(
      async (
        idText: string | undefined,
        opts: { all?: boolean; location?: string; name?: string; json?: boolean },
        cmd: Command,
      ) => {
        if (!idText && !opts.all) throw usageError("give a job id or --all");
        if (idText && opts.all) throw usageError("give either a job id or --all, not both");
        await withStore(cmd, async (_s, store) => {
          const ids = idText
            ? [jobId(idText)]
            : (
                await store.deadLetters.list({
                  limit: 100_000,
                  ...(opts.location ? { locationId: opts.location } : {}),
                  ...(opts.name ? { name: opts.name } : {}),
                })
              ).map((j) => j.id);
          const replayed: number[] = [];
          const failed: number[] = [];
          for (const id of ids) ((await store.deadLetters.replay(id)) ? replayed : failed).push(id);
          if (opts.json) io.json({ replayed, notFound: failed });
          else {
            io.out(`replayed ${replayed.length} job(s)${replayed.length ? `: ${replayed.join(", ")}` : ""}`);
            if (failed.length) io.err(`not dead or not found: ${failed.join(", ")}`);
          }
          if (idText && failed.length)
            throw new CliError(`dead job ${idText} not found`, {
              hint: "list dead jobs with `ghl-bulksms dlq list`",
            });
          if (failed.length && replayed.length) io.exitCode = EXIT_PARTIAL;
        });
      },
    );
  withExamples(replay, "ghl-bulksms dlq replay 42", "ghl-bulksms dlq replay --all --name sms.send");

  const purge = dlq
    .command("purge [id]")
    .description("Delete a dead job, or all dead jobs (with --all --yes)")
    .option("--all", "purge every dead job (optionally --location, --before)")
    .option("--before <time>", 'with --all: only jobs that died before this time ("2026-11-01", "7d")')
    .option("--location <id>", "with --all: only this location")
    .option("--yes", "confirm purging several jobs")
    .option("--json", "print the result as JSON")
    .action(
      async (
        idText: string | undefined,
        opts: { all?: boolean; before?: string; location?: string; yes?: boolean; json?: boolean },
        cmd: Command,
      ) => {
        if (!idText && !opts.all) throw usageError("give a job id or --all");
        if (idText && opts.all) throw usageError("give either a job id or --all, not both");
        if (opts.all && !opts.yes)
          throw usageError("purging all dead jobs deletes them for good", "add --yes to confirm");
        await withStore(cmd, async (_s, store) => {
          const purged = idText
            ? await store.deadLetters.purge({ id: jobId(idText) })
            : await store.deadLetters.purge({
                ...(opts.before ? { before: parseSince(opts.before) } : {}),
                ...(opts.location ? { locationId: opts.location } : {}),
              });
          if (idText && purged === 0)
            throw new CliError(`dead job ${idText} not found`, {
              hint: "list dead jobs with `ghl-bulksms dlq list`",
            });
          if (opts.json) io.json({ purged });
          else io.out(`purged ${purged} dead job(s)`);
        });
      },
    );
  withExamples(purge, "ghl-bulksms dlq purge 42", "ghl-bulksms dlq purge --all --before 30d --yes");
}

function describe(job: Job): string {
  return renderPairs([
    ["id", job.id],
    ["name", job.name],
    ["key", job.key],
    ["location", job.locationId],
    ["attempts", job.attempts],
    ["created", isoTime(job.createdAt)],
    ["failed at", isoTime(job.finishedAt ?? job.updatedAt)],
    ["payload", JSON.stringify(job.payload)],
    ["last error", job.lastError],
  ]);
}
