// Entry point: `node --conditions=@ghl-bulksms/source --import tsx src/main.ts` (or `pnpm start`).
// Configuration errors are printed, naming every bad variable, and the process exits 1.
import process from "node:process";
import { createWorkerApp } from "./app.js";
import { ConfigError, loadConfig } from "./config.js";
import { createEnginePlugin } from "./engine-plugin.js";

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(
        `ghl-bulksms worker: refusing to start.\n${e.message}\nSee apps/worker/.env.example.\n`,
      );
      process.exit(1);
    }
    throw e;
  }
  const app = createWorkerApp({ config, engine: createEnginePlugin() });
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
    process.exit(1);
  }
}

void main();
