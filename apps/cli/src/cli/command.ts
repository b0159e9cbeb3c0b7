// Helpers shared by the command files.

import type { Store } from "@ghl-bulksms/store";
import type { Command } from "commander";
import { usageError } from "./errors.js";
import type { Io } from "./io.js";
import { openStore } from "./runtime.js";
import { type GlobalOptions, type LoadedSettings, loadSettings } from "./settings.js";

export interface CommandEnv {
  readonly io: Io;
}

/** Adds the example shown at the end of `--help`. */
export function withExamples(cmd: Command, ...examples: string[]): Command {
  return cmd.addHelpText("after", `\nExamples:\n${examples.map((e) => `  $ ${e}`).join("\n")}\n`);
}

export function globalsOf(cmd: Command): GlobalOptions {
  const o = cmd.optsWithGlobals() as GlobalOptions;
  return {
    ...(o.envFile ? { envFile: o.envFile } : {}),
    ...(o.config ? { config: o.config } : {}),
    ...(o.database ? { database: o.database } : {}),
  };
}

/** Loads the settings and opens the store; always closes it. */
export async function withStore<T>(
  cmd: Command,
  fn: (settings: LoadedSettings, store: Store) => Promise<T>,
  options: { create?: boolean } = {},
): Promise<T> {
  const settings = await loadSettings(globalsOf(cmd));
  const store = await openStore(settings.config, options);
  try {
    return await fn(settings, store);
  } finally {
    await store.close();
  }
}

export function parseIntOption(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw usageError(`${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(value)})`);
    return n;
  };
}

/** "2026-11-01", "2026-11-01T10:00:00Z", "24h", "7d", "30m" -> epoch ms. */
export function parseSince(value: string, now = Date.now()): number {
  const rel = /^(\d+)([smhd])$/.exec(value.trim());
  if (rel) {
    const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[rel[2] as "s" | "m" | "h" | "d"];
    return now - Number(rel[1]) * unit;
  }
  const t = Date.parse(value);
  if (Number.isNaN(t))
    throw usageError(
      `not a time: ${JSON.stringify(value)}`,
      'use an ISO date ("2026-11-01") or an age ("24h", "7d")',
    );
  return t;
}
