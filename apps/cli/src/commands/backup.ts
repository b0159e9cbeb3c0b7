// backup / restore: a consistent copy of the store while the worker runs (SQLite's online backup API; a
// plain `cp` of a WAL database loses the commits still in its -wal file), and putting one back.
import { mkdirSync } from "node:fs";
import type { Command } from "commander";
import { globalsOf, withExamples } from "../cli/command.js";
import { CliError, usageError } from "../cli/errors.js";
import type { Io } from "../cli/io.js";
import { dbPath } from "../cli/runtime.js";
import { loadSettings } from "../cli/settings.js";

export function registerBackup(program: Command, io: Io): void {
  const backup = program
    .command("backup")
    .description(
      "Copy the store to <file> (mode 0600) while the worker keeps running: one consistent snapshot of every committed row",
    )
    .argument("<file>", "where to write the copy (a new file)")
    .option("--force", "overwrite <file> if it exists")
    .option("--json", "print the result as JSON")
    .action(async (file: string, opts: { force?: boolean; json?: boolean }, command: Command) => {
      const settings = await loadSettings(globalsOf(command));
      sqliteOnly(settings.config, "backup");
      const from = dbPath(settings.config);
      const store = await import("@ghl-bulksms/store");
      try {
        const result = await store.backupSqliteFile({ from, to: file, overwrite: opts.force === true });
        if (opts.json) io.json({ store: from, ...result });
        else
          io.out(
            `backup of ${from} written to ${result.path} (${result.bytes} bytes, schema version ${result.schemaVersion})`,
          );
      } catch (e) {
        if (e instanceof store.BackupFileError)
          throw new CliError(e.message, {
            hint: /already exists/.test(e.message)
              ? "choose a new file name, or add --force to overwrite it"
              : `check DATA_DIR (${settings.config.dataDir}): the store is ${from}`,
          });
        throw e;
      }
    });
  withExamples(
    backup,
    "ghl-bulksms backup backups/ghl-bulksms-$(date +%F).db",
    "ghl-bulksms backup /var/backups/ghl-bulksms.db --force --json",
  );

  const restore = program
    .command("restore")
    .description(
      "Put a backup back as the store (refused while a worker or another command has it open); the replaced store is kept beside it",
    )
    .argument("<file>", "a file written by `ghl-bulksms backup`")
    .option("--json", "print the result as JSON")
    .action(async (file: string, opts: { json?: boolean }, command: Command) => {
      const settings = await loadSettings(globalsOf(command));
      sqliteOnly(settings.config, "restore");
      const to = dbPath(settings.config);
      const store = await import("@ghl-bulksms/store");
      const { storeEncryptionKey } = await import("@ghl-bulksms/config");
      mkdirSync(settings.config.dataDir, { recursive: true });
      try {
        const result = await store.restoreSqliteFile({
          from: file,
          to,
          // Opened once with this configuration's key before anything is replaced: a copy made with another
          // key is refused, and migrations bring a copy from an older release up to date.
          prepare: async (staged) => {
            await store
              .openSqliteStore({ path: staged, encryptionKey: storeEncryptionKey(settings.config) })
              .close();
          },
        });
        if (opts.json) io.json({ from: file, ...result });
        else {
          io.out(`restored ${to} from ${file} (schema version ${result.schemaVersion})`);
          if (result.previous) io.out(`the replaced store was kept as ${result.previous}`);
          io.out("start the worker again; it resumes from the restored state");
        }
      } catch (e) {
        if (e instanceof store.StoreInUseError)
          throw new CliError(e.message, {
            hint: "e.g. `systemctl stop ghl-bulksms-worker` or `docker stop ghl-bulksms`, then run this again",
          });
        if (e instanceof store.SchemaTooNewError)
          throw new CliError(e.message, {
            hint: "restore it with the release that wrote it, or a newer one",
          });
        if (e instanceof store.EncryptionError)
          throw new CliError(`${file} cannot be restored with this configuration: ${e.message}`, {
            hint: "set GHL_BULKSMS_ENCRYPTION_KEY to the key the backup's store was created with",
          });
        if (e instanceof store.BackupFileError)
          throw usageError(e.message, "give a file written by `ghl-bulksms backup`");
        throw e;
      }
    });
  withExamples(restore, "ghl-bulksms restore backups/ghl-bulksms-2026-12-01.db");
}

/** backup / restore copy the embedded SQLite file; a PostgreSQL store is backed up with PostgreSQL's tools. */
function sqliteOnly(config: { databaseUrl?: string | null }, command: string): void {
  if (config.databaseUrl)
    throw new CliError(
      `\`${command}\` copies the embedded SQLite store, but this installation uses PostgreSQL (DATABASE_URL)`,
      {
        hint: "back up PostgreSQL with pg_dump / pg_restore (or your provider's snapshots)",
      },
    );
}
