// The one decision on the environment: what the worker accepts, the CLI, `doctor`, `config validate` and
// `init` accept, and nothing else. `loadConfig` parses the variables; this adds the checks that depend on
// several of them (the sandbox vendor-URL guard), so a `.env` is either good for every one of them or
// refused by every one of them with the same messages.
import {
  ConfigError,
  type ConfigIssue,
  DEFAULT_BULKSMS_API_BASE_URL,
  DEFAULT_GHL_API_BASE_URL,
  loadConfig,
  type WorkerConfig,
} from "./env-config.js";
import { vendorUrlIssues } from "./vendor-url-guard.js";

type Env = Readonly<Record<string, string | undefined>>;

function text(env: Env, name: string): string | null {
  const v = env[name]?.trim();
  return v ? v : null;
}

/**
 * Reads and validates the configuration exactly as the worker runs it. Throws ConfigError listing every
 * problem, each naming its variable (the parse's and the sandbox guard's together).
 */
export function loadWorkerConfig(env: Env): WorkerConfig {
  let config: WorkerConfig | null = null;
  let issues: ConfigIssue[] = [];
  try {
    config = loadConfig(env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    issues = [...e.issues];
  }
  const mode = text(env, "GHL_BULKSMS_MODE") ?? "sandbox";
  const guard =
    config !== null
      ? vendorUrlIssues(config)
      : mode === "sandbox"
        ? vendorUrlIssues({
            mode,
            ghl: { apiBaseUrl: text(env, "GHL_API_BASE_URL") ?? DEFAULT_GHL_API_BASE_URL },
            bulksms: { apiBaseUrl: text(env, "BULKSMS_API_BASE_URL") ?? DEFAULT_BULKSMS_API_BASE_URL },
          })
        : [];
  // a URL the parse already refused is named once
  for (const g of guard) if (!issues.some((i) => i.variable === g.variable)) issues.push(g);
  if (issues.length > 0 || config === null) throw new ConfigError(issues);
  return config;
}

/**
 * The problems of one or more variables within a whole environment (empty = fine): what an interactive
 * `init` shows under the answer it is checking, from the same schema the worker uses.
 */
export function configIssuesFor(env: Env, variables: readonly string[]): ConfigIssue[] {
  try {
    loadWorkerConfig(env);
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.issues.filter((i) => variables.includes(i.variable));
  }
}
