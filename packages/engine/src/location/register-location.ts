import type { Location, QuietHours } from "@ghl-bulksms/store";
import type { EngineDeps } from "../core/deps.js";

/** Registers (or updates) a location, e.g. the private-integration locations of the worker's config. */
export function registerLocation(
  deps: EngineDeps,
  input: {
    id: string;
    name?: string;
    region?: string;
    timezone?: string;
    quietHours?: QuietHours;
    settings?: unknown;
  },
): Promise<Location> {
  return deps.store.locations.upsert({ ...input, active: true });
}
