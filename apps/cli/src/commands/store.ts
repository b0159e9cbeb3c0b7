// `ghl-bulksms store migrate --to postgres://...`: moves the embedded SQLite store into PostgreSQL.
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { globalsOf, withExamples } from "../cli/command.js";
import { CliError, usageError } from "../cli/errors.js";
import type { Io } from "../cli/io.js";
import { createProgress } from "../cli/progress.js";
import { dbPath } from "../cli/runtime.js";
import { loadSettings } from "../cli/settings.js";
import { renderTable } from "../cli/table.js";

export function registerStore(program: Command, io: Io): void {
  const store = program.command("store").description("The store itself: move it to PostgreSQL");

  const migrate = store
    .command("migrate")
    .description(
      "Copy the embedded SQLite store (every table; tokens stay encrypted) into a fresh PostgreSQL database, then check the row count of every table. Stop the worker first; afterwards set DATABASE_URL to the same URL",
    )
    .requiredOption("--to <url>", "the PostgreSQL database: postgres://user:password@host:5432/db")
    .option("--force", "empty the target first when it already holds data")
    .option("--json", "print the per-table counts as JSON")
    .action(async (opts: { to: string; force?: boolean; json?: boolean }, command: Command) => {
      const { copySqliteToPostgres, isPostgresUrl, redactDatabaseUrl, TargetNotEmptyError } = await import(
        "@ghl-bulksms/store"
      );
      if (!isPostgresUrl(opts.to))
        throw usageError(
          `--to must be a postgres:// or postgresql:// URL (got ${JSON.stringify(redactDatabaseUrl(opts.to))})`,
        );
      const settings = await loadSettings(globalsOf(command));
      const from = dbPath(settings.config);
      if (!existsSync(from))
        throw new CliError(`no SQLite store at ${from} to migrate`, {
          hint: "check DATA_DIR (or pass the file with --database <path>)",
        });
      const to = redactDatabaseUrl(opts.to);
      const progress = createProgress(io, "copying", { enabled: !opts.json });
      let current = "";
      let result: Awaited<ReturnType<typeof copySqliteToPostgres>>;
      try {
        result = await copySqliteToPostgres({
          from,
          to: opts.to,
          force: opts.force === true,
          onProgress: (p) => {
            progress.update(p.copied, p.total, p.table);
            if (p.copied === p.total && p.table !== current && !opts.json && !io.interactive)
              io.err(`copied ${p.table}: ${p.total} rows`);
            if (p.copied === p.total) current = p.table;
          },
        });
      } catch (e) {
        progress.done();
        if (e instanceof TargetNotEmptyError)
          throw new CliError(e.message, {
            hint: "point --to at an empty database, or add --force to replace what is there",
          });
        throw new CliError(`store migrate failed, nothing was written to ${to}: ${(e as Error).message}`, {
          hint: "fix the problem above and run the command again (the copy is one transaction)",
        });
      }
      progress.done();
      if (opts.json) {
        io.json({ from, to, ...result });
      } else {
        io.out(
          renderTable(
            ["table", "sqlite", "postgres"],
            result.tables.map((t) => [t.table, t.source, t.target]),
          ),
        );
        io.out(
          `${result.ok ? "copied" : "MISMATCH:"} ${result.rows} rows from ${from} to ${to} (schema version ${result.schemaVersion}). ` +
            "Next: stop using the SQLite file and set DATABASE_URL to that URL.",
        );
      }
      if (!result.ok) io.exitCode = 1;
    });
  withExamples(
    migrate,
    "ghl-bulksms store migrate --to postgres://ghl:secret@127.0.0.1:5432/ghl_bulksms",
    "ghl-bulksms store migrate --to postgres://ghl@db/ghl_bulksms --force --json",
  );
}
