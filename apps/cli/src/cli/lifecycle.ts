import type { LifecycleConfig } from "@ghl-bulksms/engine";
import { CliError } from "./errors.js";
import type { LoadedSettings } from "./settings.js";

/** The "lifecycle" section of the policy file (reconcile, merge, follow-ups, digest), validated. */
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
