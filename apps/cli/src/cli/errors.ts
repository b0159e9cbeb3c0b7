// Exit codes and the one error type commands throw for expected failures.

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_PARTIAL = 3;

export type ExitCode = typeof EXIT_OK | typeof EXIT_FAILED | typeof EXIT_USAGE | typeof EXIT_PARTIAL;

/** An expected failure: what went wrong (`message`) and what to do about it (`hint`). */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  readonly hint: string | null;
  constructor(message: string, options: { hint?: string; exitCode?: ExitCode } = {}) {
    super(message);
    this.name = "CliError";
    this.exitCode = options.exitCode ?? EXIT_FAILED;
    this.hint = options.hint ?? null;
  }
}

/** A usage error (bad flag value, missing argument): exit code 2. */
export function usageError(message: string, hint?: string): CliError {
  return new CliError(message, { exitCode: EXIT_USAGE, ...(hint ? { hint } : {}) });
}
