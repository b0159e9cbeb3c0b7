// Configuration: the SAME environment variables as the worker (its zod schema, `loadConfig`), read from
// the process environment over an optional `.env` file, plus the optional JSON configuration file with the
// engine policies (`{ "engine": {...}, "lifecycle": {...} }`).
import { existsSync } from "node:fs";
import type { PolicyFile, WorkerConfig } from "@ghl-bulksms/config";
import { CliError, EXIT_FAILED, EXIT_USAGE } from "./errors.js";

export type Env = Readonly<Record<string, string | undefined>>;

export interface GlobalOptions {
  envFile?: string;
  config?: string;
  /** `--database <url-or-path>`: a PostgreSQL URL (as DATABASE_URL) or a SQLite file path. */
  database?: string;
}

const POSTGRES_URL_RE = /^postgres(ql)?:\/\//i;

export interface LoadedEnv {
  env: Env;
  /** The .env file that was read, if any. */
  envFile: string | null;
}

/** Same as @ghl-bulksms/config DEFAULT_ENV_FILE (kept here so `--help` loads nothing). */
export const DEFAULT_ENV_FILE = ".env";
/** Same as @ghl-bulksms/config DEFAULT_POLICY_FILE (kept here so `--help` loads nothing). */
export const DEFAULT_CONFIG_FILE = "ghl-bulksms.config.json";

/**
 * Process environment over the `.env` file (`--env-file`, else `GHL_BULKSMS_ENV_FILE`, else ./.env if
 * present), read by @ghl-bulksms/config's `loadEnvFile`, the loader the worker uses too.
 */
export async function loadEnv(options: GlobalOptions, processEnv: Env = process.env): Promise<LoadedEnv> {
  const { EnvFileError, loadEnvFile } = await import("@ghl-bulksms/config");
  try {
    const { env, path } = loadEnvFile({ path: options.envFile, env: processEnv });
    return { env, envFile: path };
  } catch (e) {
    // A file named by --env-file or GHL_BULKSMS_ENV_FILE that is not there is a usage error (exit 2).
    if (e instanceof EnvFileError)
      throw new CliError(e.message, {
        hint: "create it with `ghl-bulksms init`, or pass the right path with --env-file",
        exitCode: existsSync(e.path) ? EXIT_FAILED : EXIT_USAGE,
      });
    throw e;
  }
}

export interface LoadedSettings extends LoadedEnv {
  config: WorkerConfig;
  /** The policy file (engine and lifecycle policies), if any. */
  policy: PolicyFile | null;
  configFile: string | null;
  /** The engine policy input the worker runs too: `enginePolicy(env config, policy file)`. */
  engineConfig: unknown;
  /**
   * The lifecycle policy input the worker runs too: `lifecyclePolicy(env config, policy file)` (the
   * environment's reconcile schedule with the file's `lifecycle` section over it); null when neither sets
   * anything (the engine then runs the lifecycle defaults).
   */
  lifecycleConfig: unknown;
}

/**
 * Loads and validates everything with @ghl-bulksms/config, the package the worker uses too (the same
 * environment schema and policy file loader); a bad variable or file is a CliError naming it.
 */
export async function loadSettings(
  options: GlobalOptions,
  processEnv: Env = process.env,
): Promise<LoadedSettings> {
  const loaded = await loadEnv(options, processEnv);
  const { ConfigError, enginePolicy, lifecyclePolicy, loadWorkerConfig, loadPolicyFile, PolicyFileError } =
    await import("@ghl-bulksms/config");
  let config: WorkerConfig;
  try {
    // the worker's own decision (its schema and its sandbox vendor-URL guard): accepted here iff there
    // --database: a PostgreSQL URL is validated as DATABASE_URL; a path is the SQLite file (below)
    const database = options.database?.trim();
    const env =
      database && POSTGRES_URL_RE.test(database) ? { ...loaded.env, DATABASE_URL: database } : loaded.env;
    config = loadWorkerConfig(env);
    if (database && !POSTGRES_URL_RE.test(database))
      config = Object.freeze({ ...config, databaseUrl: null, sqliteFile: database });
  } catch (e) {
    if (e instanceof ConfigError) {
      throw new CliError(
        `invalid configuration${loaded.envFile ? ` (${loaded.envFile} and the environment)` : " (environment)"}:\n${e.issues
          .map((i) => `  - ${i.message}`)
          .join("\n")}`,
        { hint: "fix the variables above in the .env file (see apps/worker/.env.example)" },
      );
    }
    throw e;
  }
  let policy: PolicyFile | null;
  try {
    policy = loadPolicyFile({ path: options.config, env: loaded.env });
  } catch (e) {
    if (e instanceof PolicyFileError)
      throw new CliError(e.message, {
        hint: "fix the file, or point --config / GHL_BULKSMS_CONFIG at the right one",
      });
    throw e;
  }
  // The default location: GHL_DEFAULT_LOCATION, else the policy file's "defaultLocation".
  if (!config.ghl.defaultLocation && policy?.defaultLocation)
    config = Object.freeze({ ...config, ghl: { ...config.ghl, defaultLocation: policy.defaultLocation } });
  return {
    ...loaded,
    config,
    policy,
    configFile: policy?.path ?? null,
    engineConfig: enginePolicy(config, policy),
    lifecycleConfig: lifecyclePolicy(config, policy),
  };
}
