#!/usr/bin/env -S node --
// ghl-bulksms: the operator's command-line tool.
// The shebang passes `--` to node: Node reads `--env-file <path>` anywhere on its command line, even after
// the script (nodejs/node#54232), and exits 9 with its own error when the file is missing; after `--` it
// leaves our `--env-file` to us. Run by hand as `node -- dist/bin.js ...` for the same reason.
import { CommanderError } from "commander";
import { quietOnBrokenPipe } from "./cli/broken-pipe.js";
import { CliError, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from "./cli/errors.js";
import { createIo } from "./cli/io.js";
import { createProgram } from "./program.js";

async function main(): Promise<number> {
  quietOnBrokenPipe();
  const io = createIo();
  const program = createProgram(io);
  try {
    await program.parseAsync(process.argv);
    return io.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version") return EXIT_OK;
      // A command group without its subcommand (`ghl-bulksms dlq`): help was shown, but it is a usage error.
      if (e.code === "commander.help") return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
      if (e.code === "commander.executeSubCommandAsync") return e.exitCode;
      return EXIT_USAGE; // commander already printed the message
    }
    if (e instanceof CliError) {
      io.err(`${io.paint("red", "error:")} ${e.message}`);
      if (e.hint) io.err(`${io.paint("yellow", "hint:")}  ${e.hint}`);
      return e.exitCode;
    }
    const err = e as Error;
    io.err(`${io.paint("red", "error:")} unexpected failure: ${err?.message ?? String(e)}`);
    if (process.env.GHL_BULKSMS_DEBUG) io.err(String(err?.stack ?? ""));
    else
      io.err("hint:  run again with GHL_BULKSMS_DEBUG=1 for the stack trace, and report it if it persists");
    return EXIT_FAILED;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = EXIT_FAILED;
  },
);
