import { LATEST_SCHEMA_VERSION, type Store } from "@ghl-bulksms/store";
import type { ReadinessProbe } from "../ports.js";

export interface StoreReadinessOptions {
  /** how long the commit probe may take before the worker is reported not ready (ms); default 2000 */
  readonly timeoutMs?: number;
}

export const DEFAULT_READINESS_TIMEOUT_MS = 2000;

type Verdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Ready when the store answers, is migrated to the version this release knows, and can COMMIT: a tiny
 * write transaction to a health row (a full disk or a read-only file fails it, while reads still work),
 * within `timeoutMs`. Probes do not pile up: a probe still running is shared by the next calls.
 */
export function createStoreReadiness(store: Store, options: StoreReadinessOptions = {}): ReadinessProbe {
  const timeoutMs = options.timeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS;
  let inFlight: Promise<Verdict> | null = null;

  async function probe(): Promise<Verdict> {
    if (!(await store.ping())) return { ok: false, reason: "store does not answer" };
    const version = await store.schemaVersion();
    if (version !== LATEST_SCHEMA_VERSION) {
      return {
        ok: false,
        reason: `store schema is at version ${version}, expected ${LATEST_SCHEMA_VERSION}`,
      };
    }
    return store.probeCommit();
  }

  return {
    async check() {
      inFlight ??= probe()
        .catch(
          (e: unknown): Verdict => ({
            ok: false,
            reason: `store probe failed: ${e instanceof Error ? e.message.slice(0, 200) : String(e)}`,
          }),
        )
        .finally(() => {
          inFlight = null;
        });
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<Verdict>((resolve) => {
        timer = setTimeout(
          () => resolve({ ok: false, reason: `store did not commit within ${timeoutMs} ms` }),
          timeoutMs,
        );
      });
      try {
        return await Promise.race([inFlight, timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
