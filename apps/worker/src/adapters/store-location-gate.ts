// LocationGate over the store and the configuration, through the engine's unknown-location policy.
import { admitWorkflowLocation, type UnknownLocationPolicy } from "@ghl-bulksms/engine";
import type { Store } from "@ghl-bulksms/store";
import type { LocationGate } from "../ports.js";

export function createStoreLocationGate(
  store: Store,
  options: {
    readonly configured: readonly string[];
    readonly policy: UnknownLocationPolicy;
    readonly maxPending: number;
  },
): LocationGate {
  const configured = new Set(options.configured);
  return {
    async admit(locationId, at) {
      const r = await admitWorkflowLocation(store, locationId, {
        policy: options.policy,
        maxPending: options.maxPending,
        configured,
        now: at,
      });
      return r.ok ? r : { ok: false, status: r.status };
    },
  };
}
