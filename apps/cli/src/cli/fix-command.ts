// A command an operator can paste: `ghl-bulksms` with the same --env-file / --config the current run got,
// so a fix printed by `doctor` acts on the configuration doctor checked.
import type { GlobalOptions } from "./settings.js";

function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function cliCommand(globals: GlobalOptions, args: string): string {
  const flags = [
    ...(globals.envFile ? ["--env-file", shellWord(globals.envFile)] : []),
    ...(globals.config ? ["--config", shellWord(globals.config)] : []),
    // a SQLite path only: a PostgreSQL URL may hold a password, which is never printed
    ...(globals.database && !/^postgres(ql)?:\/\//i.test(globals.database)
      ? ["--database", shellWord(globals.database)]
      : []),
  ];
  return ["ghl-bulksms", ...flags, args].join(" ");
}
