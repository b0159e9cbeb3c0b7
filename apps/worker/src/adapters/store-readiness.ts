import { LATEST_SCHEMA_VERSION, type Store } from "@ghl-bulksms/store";
import type { ReadinessProbe } from "../ports.js";

/** Ready when the store answers a trivial query and is migrated to the version this release knows. */
export function createStoreReadiness(store: Store): ReadinessProbe {
  return {
    async check() {
      if (!(await store.ping())) return { ok: false, reason: "store does not answer" };
      const version = await store.schemaVersion();
      if (version !== LATEST_SCHEMA_VERSION) {
        return {
          ok: false,
          reason: `store schema is at version ${version}, expected ${LATEST_SCHEMA_VERSION}`,
        };
      }
      return { ok: true };
    },
  };
}
