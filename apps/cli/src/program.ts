// The command tree. One file per command under ./commands.
import { Command } from "commander";
import type { Io } from "./cli/io.js";
import { CLI_VERSION } from "./cli/version.js";
import { registerAuth } from "./commands/auth.js";
import { registerBackup } from "./commands/backup.js";
import { registerCampaign } from "./commands/campaign.js";
import { registerCompletion } from "./commands/completion.js";
import { registerConfig } from "./commands/config.js";
import { registerDedupe } from "./commands/dedupe.js";
import { registerDigest } from "./commands/digest.js";
import { registerDlq } from "./commands/dlq.js";
import { registerDoctor } from "./commands/doctor.js";
import { registerExplain } from "./commands/explain.js";
import { registerInit } from "./commands/init.js";
import { registerLocations } from "./commands/locations.js";
import { registerMessages } from "./commands/messages.js";
import { registerOptOuts } from "./commands/optouts.js";
import { registerReconcile } from "./commands/reconcile.js";
import { registerRuns } from "./commands/runs.js";
import { registerSandbox } from "./commands/sandbox.js";
import { registerSend } from "./commands/send.js";
import { registerStore } from "./commands/store.js";
import { registerWebhooks } from "./commands/webhooks.js";

export { CLI_VERSION };

export function createProgram(io: Io): Command {
  const program = new Command("ghl-bulksms");
  program
    .description(
      "Operate ghl-bulksms: set up, look inside, fix things. Uses the same store and engine as the worker.",
    )
    .version(CLI_VERSION)
    .option(
      "--env-file <path>",
      "the .env file to read (default ./.env if present; env GHL_BULKSMS_ENV_FILE)",
    )
    .option(
      "--config <path>",
      "engine policy file (default ./ghl-bulksms.config.json if present; env GHL_BULKSMS_CONFIG)",
    )
    .option(
      "--database <url-or-path>",
      "the store: a postgres:// URL, or a SQLite file (default: env DATABASE_URL, else DATA_DIR/ghl-bulksms.db)",
    )
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
      outputError: (s, write) => write(io.paint("red", s)),
    })
    .exitOverride();
  program.addHelpText(
    "after",
    `
Exit codes: 0 ok, 1 failed, 2 usage error (also: a missing --env-file), 3 partial success,
130/143 interrupted (SIGINT/SIGTERM). Output piped into \`head\` ends quietly.
Configuration: the worker's environment variables (see apps/worker/.env.example), from the environment
over ./.env. NO_COLOR disables colour; progress bars are drawn only when stderr is a terminal.

Examples:
  $ ghl-bulksms init
  $ ghl-bulksms doctor
  $ ghl-bulksms dedupe --from-file contacts.jsonl --region GB --json`,
  );
  registerInit(program, io);
  registerConfig(program, io);
  registerAuth(program, io);
  registerLocations(program, io);
  registerDoctor(program, io);
  registerReconcile(program, io);
  registerDedupe(program, io);
  registerSend(program, io);
  registerCampaign(program, io);
  registerMessages(program, io);
  registerExplain(program, io);
  registerOptOuts(program, io);
  registerDlq(program, io);
  registerRuns(program, io);
  registerWebhooks(program, io);
  registerDigest(program, io);
  registerBackup(program, io);
  registerStore(program, io);
  registerSandbox(program, io);
  registerCompletion(program, io);
  // Command groups (`config`, `dlq`, ...): their help lists an example per subcommand.
  for (const group of program.commands) {
    if (group.commands.length === 0) continue;
    group.addHelpText(
      "after",
      `\nExamples:\n${group.commands.map((c) => `  $ ghl-bulksms ${group.name()} ${c.name()} --help`).join("\n")}\n`,
    );
  }
  return program;
}
