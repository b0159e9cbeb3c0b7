import type { LifecycleConfig } from "@ghl-bulksms/engine";
import { CliError } from "./errors.js";
import type { LoadedSettings } from "./settings.js";

/**
 * The lifecycle policy the worker runs too (reconcile, merge, follow-ups, digest), validated: the
 * environment's reconcile schedule (RECONCILE_INTERVAL_MINUTES, RECONCILE_FULL_AT) with the policy file's
 * `lifecycle` section over it.
 */
export async function lifecycleConfigOf(settings: LoadedSettings): Promise<LifecycleConfig> {
  const { parseLifecycleConfig } = await import("@ghl-bulksms/engine");
  try {
    return parseLifecycleConfig(settings.lifecycleConfig ?? {});
  } catch (e) {
    throw new CliError(
      `invalid "lifecycle" configuration${settings.configFile ? ` in ${settings.configFile}` : ""}: ${(e as Error).message}`,
      {
        hint: "fix the settings named above",
      },
    );
  }
}
