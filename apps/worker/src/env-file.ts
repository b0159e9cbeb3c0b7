// The worker's command line and its `.env`. The worker reads the same `.env` the CLI's `ghl-bulksms init`
// writes, with the same rules (@ghl-bulksms/config loadEnvFile): `--env-file <path>`, else
// GHL_BULKSMS_ENV_FILE (both must exist), else `./.env` when present; the process environment always wins.
// One addition for `pnpm start`: pnpm runs the script in apps/worker, so when there is no ./.env there,
// the `.env` of the directory pnpm was started from (INIT_CWD) is read.
import { EnvFileError, loadEnvFile } from "@ghl-bulksms/config";

type Env = Readonly<Record<string, string | undefined>>;

export class WorkerArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorkerArgsError";
  }
}

export interface WorkerArgs {
  /** `--env-file <path>` */
  readonly envFile: string | null;
  /** `--config <path>`: the policy file */
  readonly config: string | null;
  /** `--help` / `-h`: print the usage and exit */
  readonly help: boolean;
  /** `--version` / `-V`: print the version and exit */
  readonly version: boolean;
}

/** What `--help` prints. */
export const WORKER_USAGE = `Usage: node dist/main.js [--env-file <path>] [--config <path>]

The ghl-bulksms worker: GHL and BulkSMS webhooks, the job runner and the scheduler.

Options:
  --env-file <path>  the .env file to read (default ./.env if present; env GHL_BULKSMS_ENV_FILE);
                     variables already set in the environment win
  --config <path>    the policy file (default ./ghl-bulksms.config.json if present; env GHL_BULKSMS_CONFIG)
  -V, --version      print the version and exit
  -h, --help         print this help and exit

Node itself reads --env-file anywhere on its command line and stops (exit 9) when the file is missing: run
\`node -- dist/main.js --env-file <path>\`, or set GHL_BULKSMS_ENV_FILE, to get the worker's own message.

Exit codes: 0 stopped cleanly (SIGTERM / SIGINT), 1 refused to start (every problem is named) or failed.
Health: GET /livez, GET /readyz (200 once the store, engine and job runner are up), GET /metrics.
Every variable: .env.example beside this package.
`;

/** The worker's command-line options (`--env-file`, `--config`; `--opt value` or `--opt=value`). */
export function parseWorkerArgs(argv: readonly string[]): WorkerArgs {
  const out: { envFile: string | null; config: string | null; help: boolean; version: boolean } = {
    envFile: null,
    config: null,
    help: false,
    version: false,
  };
  const keys = { "--env-file": "envFile", "--config": "config" } as const;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--") continue;
    if (arg === "--help" || arg === "-h") {
      out.help = true;
      continue;
    }
    if (arg === "--version" || arg === "-V") {
      out.version = true;
      continue;
    }
    const eq = arg.indexOf("=");
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (!(flag in keys))
      throw new WorkerArgsError(
        `unknown option ${JSON.stringify(arg)} (the worker takes --env-file <path>, --config <path>, --version and --help)`,
      );
    const key = keys[flag as keyof typeof keys];
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value.trim() === "" || (eq < 0 && value.startsWith("--")))
      throw new WorkerArgsError(`${flag} needs a path`);
    out[key] = value;
  }
  return out;
}

export interface WorkerEnvOptions {
  /** `--env-file` */
  readonly path?: string | null;
  /** the process environment; it wins over the file */
  readonly env: Env;
  readonly cwd: string;
  /** injected for tests */
  readonly readFile?: (path: string) => string;
}

export interface WorkerEnv {
  /** the file's variables under the process environment */
  readonly env: Record<string, string | undefined>;
  /** absolute path of the file read; null when there was none */
  readonly path: string | null;
}

/** The environment to configure the worker from. Throws EnvFileError naming a missing or unreadable file. */
export function workerEnv(options: WorkerEnvOptions): WorkerEnv {
  const read = options.readFile ? { readFile: options.readFile } : {};
  const explicit = options.path != null && options.path.trim() !== "" ? options.path : undefined;
  const first = loadEnvFile({ path: explicit, env: options.env, cwd: options.cwd, ...read });
  const initCwd = options.env.INIT_CWD?.trim();
  if (first.path !== null || explicit !== undefined || options.env.GHL_BULKSMS_ENV_FILE || !initCwd)
    return first;
  return loadEnvFile({ env: options.env, cwd: initCwd, ...read });
}

export { EnvFileError };
