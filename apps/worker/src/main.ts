// Entry point: `node dist/main.js [--env-file <path>] [--config <path>] [--version] [--help]` (built, or in a
// `pnpm --filter @ghl-bulksms/worker deploy --prod <dir>` bundle), from sources
// `node --conditions=@ghl-bulksms/source --import tsx src/main.ts` (or `pnpm start`). Reads the `.env` file (see env-file.ts; variables already set win) and the policy
// file, validates everything, and refuses to start — printing every problem, naming the variable or the
// file — on bad configuration or when sandbox mode points at non-local vendor URLs. Exit code 1 then.
import process from "node:process";
import {
  ConfigError,
  EnvFileError,
  loadPolicyFile,
  loadWorkerConfig,
  type PolicyFile,
  PolicyFileError,
  type WorkerConfig,
} from "@ghl-bulksms/config";
import { SchemaTooNewError } from "@ghl-bulksms/store";
import { createWorkerApp } from "./app.js";
import { createEnginePlugin } from "./engine-plugin.js";
import { parseWorkerArgs, WORKER_USAGE, WorkerArgsError, workerEnv } from "./env-file.js";
import { buildInfo, WORKER_VERSION } from "./version.js";

interface Settings {
  readonly config: WorkerConfig;
  readonly policy: PolicyFile | null;
  /** the `.env` file read, if any */
  readonly envFile: string | null;
}

function refuse(message: string, see = "See apps/worker/.env.example."): never {
  process.stderr.write(`ghl-bulksms worker: refusing to start.\n${message}\n${see}\n`);
  process.exit(1);
}

function settings(): Settings {
  try {
    const args = parseWorkerArgs(process.argv.slice(2));
    if (args.help) {
      process.stdout.write(WORKER_USAGE);
      process.exit(0);
    }
    if (args.version) {
      process.stdout.write(`${WORKER_VERSION}\n`);
      process.exit(0);
    }
    const { env, path } = workerEnv({ path: args.envFile, env: process.env, cwd: process.cwd() });
    // the one schema the CLI, `doctor` and `config validate` use too (sandbox vendor-URL guard included)
    const config = loadWorkerConfig(env);
    const policy = loadPolicyFile({ path: args.config ?? undefined, env });
    return { config, policy, envFile: path };
  } catch (e) {
    if (
      e instanceof ConfigError ||
      e instanceof WorkerArgsError ||
      e instanceof EnvFileError ||
      e instanceof PolicyFileError
    )
      refuse(e.message);
    throw e;
  }
}

async function main(): Promise<void> {
  const { config, policy, envFile } = settings();
  const app = createWorkerApp({ config, engine: createEnginePlugin({ policy }) });
  app.logger.info(
    {
      ...buildInfo(),
      mode: config.mode,
      envFile,
      policyFile: policy?.path ?? null,
    },
    "configuration loaded",
  );
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      app.logger.warn(
        { signal },
        "second signal: exiting now (claimed jobs return to the queue when their lease expires)",
      );
      process.exit(1);
    }
    app.logger.info({ signal }, "shutting down");
    app.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        app.logger.error({ err: e }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  try {
    await app.start();
  } catch (e) {
    app.logger.fatal({ err: e }, "start-up failed");
    await app.stop().catch(() => undefined);
    // A store migrated by a newer release: say so in plain words on stderr too, with what to do.
    if (e instanceof SchemaTooNewError) refuse(e.message, "Upgrades: the README's Production section.");
    process.exit(1);
  }
}

void main();
