import type { BulkSmsClient } from "@ghl-bulksms/bulksms";
import type { GhlClient } from "@ghl-bulksms/ghl";
import type { Location, Store } from "@ghl-bulksms/store";
import type { LifecycleConfig } from "../automations/config.js";
import { type EngineConfig, type LocationPolicy, resolvePolicy } from "./config.js";
import type { EngineLogger } from "./logger.js";

/** Everything a use-case needs. Use-cases are plain functions over these. */
export interface EngineDeps {
  readonly store: Store;
  /** The GHL client for a location (one OAuth client for all, or one private-integration client each). */
  readonly ghl: (locationId: string) => GhlClient;
  readonly sms: BulkSmsClient;
  readonly config: EngineConfig;
  /** Clock (epoch ms); the same one the store and clients use. */
  readonly now: () => number;
  readonly logger: EngineLogger;
  /**
   * Follow-up / reconcile policy. When set, contact webhooks start and stop follow-up sequences by their
   * rules and a reply stops only the sequences whose rule says so; when absent, a reply stops them all.
   */
  readonly lifecycle?: LifecycleConfig;
}

export interface LocationContext {
  readonly location: Location;
  readonly policy: LocationPolicy;
}

/** The stored location and its effective policy, or null when unknown. */
export async function loadLocation(deps: EngineDeps, locationId: string): Promise<LocationContext | null> {
  const location = await deps.store.locations.get(locationId);
  if (!location) return null;
  return { location, policy: resolvePolicy(deps.config, locationId, location.settings) };
}

/** Like loadLocation, registering an unknown location when the configuration allows it. */
export async function ensureLocation(deps: EngineDeps, locationId: string): Promise<LocationContext | null> {
  const found = await loadLocation(deps, locationId);
  if (found || !deps.config.autoRegisterLocations) return found;
  await deps.store.locations.upsert({ id: locationId, active: true });
  return loadLocation(deps, locationId);
}
