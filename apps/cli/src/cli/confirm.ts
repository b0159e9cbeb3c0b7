// Asking before destroying something: on a terminal a yes/no question (default no); `--yes` skips it; with
// stdin not a terminal and no --yes there is nobody to ask, so the command refuses (exit 2).
import { CliError, usageError } from "./errors.js";
import type { Io } from "./io.js";

/**
 * Resolves when the operator agreed (or `yes` was given); throws a CliError otherwise, saying nothing was
 * done. `what` describes the destruction: "delete the stored GHL tokens of 2 locations (a, b)".
 */
export async function confirmDestroy(
  io: Io,
  what: string,
  options: { yes?: boolean | undefined },
): Promise<void> {
  if (options.yes) return;
  if (!io.stdinIsTty)
    throw usageError(
      `this would ${what}; refusing without --yes (stdin is not a terminal, so there is no one to ask)`,
      "run it again with --yes to confirm",
    );
  const { createPrompter } = await import("./prompts.js");
  const prompter = await createPrompter("cancelled: nothing was deleted");
  const ok = await prompter.confirm({ message: `This will ${what}. Continue?`, initialValue: false });
  if (!ok) throw new CliError("cancelled: nothing was deleted");
}
