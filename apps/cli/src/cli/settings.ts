// Configuration: the SAME environment variables as the worker (its zod schema, `loadConfig`), read from
// the process environment over an optional `.env` file, plus the optional JSON configuration file with the
// engine policies (`{ "engine": {...}, "lifecycle": {...} }`).
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseEnv } from "node:util";
import type { WorkerConfig } from "@ghl-bulksms/worker";
import { CliError } from "./errors.js";

export type Env = Readonly<Record<string, string | undefined>>;

export interface GlobalOptions {
  envFile?: string;
  config?: string;
}

export interface LoadedEnv {
  env: Env;
  /** The .env file that was read, if any. */
  envFile: string | null;
}

export const DEFAULT_ENV_FILE = ".env";
export const DEFAULT_CONFIG_FILE = "ghl-bulksms.config.json";

/** Process environment over the `.env` file (`--env-file`, else `GHL_BULKSMS_ENV_FILE`, else ./.env if present). */
export function loadEnv(options: GlobalOptions, processEnv: Env = process.env): LoadedEnv {
  const explicit = options.envFile ?? processEnv.GHL_BULKSMS_ENV_FILE;
  const path = resolve(explicit ?? DEFAULT_ENV_FILE);
  if (!existsSync(path)) {
    if (explicit !== undefined)
      throw new CliError(`env file ${path} does not exist`, {
        hint: "create it with `ghl-bulksms init`, or pass the right path with --env-file",
      });
    return { env: { ...processEnv }, envFile: null };
  }
  let fromFile: Record<string, string>;
  try {
    fromFile = parseEnv(readFileSync(path, "utf8")) as Record<string, string>;
  } catch (e) {
    throw new CliError(`cannot read env file ${path}: ${(e as Error).message}`);
  }
  return { env: { ...fromFile, ...processEnv }, envFile: path };
}

export interface LoadedSettings extends LoadedEnv {
  config: WorkerConfig;
  /** The JSON configuration file (engine policies), if any. */
  configFile: string | null;
  engineConfig: unknown;
  lifecycleConfig: unknown;
}

/** Loads and validates everything; a bad variable or file is a CliError naming it. */
export async function loadSettings(
  options: GlobalOptions,
  processEnv: Env = process.env,
): Promise<LoadedSettings> {
  const loaded = loadEnv(options, processEnv);
  const { ConfigError, loadConfig } = await import("@ghl-bulksms/worker");
  let config: WorkerConfig;
  try {
    config = loadConfig(loaded.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      throw new CliError(
        `invalid configuration${loaded.envFile ? ` (${loaded.envFile} and the environment)` : " (environment)"}:\n${e.issues
          .map((i) => `  - ${i.message}`)
          .join("\n")}`,
        { hint: "fix the variables above (see apps/worker/.env.example), or run `ghl-bulksms init`" },
      );
    }
    throw e;
  }
  const file = readConfigFile(options, loaded.env);
  return { ...loaded, config, ...file };
}

export function readConfigFile(
  options: GlobalOptions,
  env: Env,
): { configFile: string | null; engineConfig: unknown; lifecycleConfig: unknown } {
  const explicit = options.config ?? env.GHL_BULKSMS_CONFIG;
  const path = resolve(explicit ?? DEFAULT_CONFIG_FILE);
  if (!existsSync(path)) {
    if (explicit !== undefined && explicit !== "")
      throw new CliError(`configuration file ${path} does not exist`, {
        hint: "create it with `ghl-bulksms init`, or fix --config / GHL_BULKSMS_CONFIG",
      });
    return { configFile: null, engineConfig: {}, lifecycleConfig: {} };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new CliError(`configuration file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
    throw new CliError(
      `configuration file ${path} must be a JSON object { "engine": {...}, "lifecycle": {...} }`,
    );
  const o = parsed as Record<string, unknown>;
  const unknownKeys = Object.keys(o).filter((k) => k !== "engine" && k !== "lifecycle" && k !== "$schema");
  if (unknownKeys.length > 0)
    throw new CliError(
      `configuration file ${path} has unknown top-level key(s) ${unknownKeys.map((k) => JSON.stringify(k)).join(", ")}`,
      { hint: 'only "engine" and "lifecycle" are allowed' },
    );
  return { configFile: path, engineConfig: o.engine ?? {}, lifecycleConfig: o.lifecycle ?? {} };
}
