// Locations named by a workflow webhook that this installation does not know.
//
// A workflow webhook is authenticated only by the shared path secret, and any GHL sub-account's workflow
// can post any `location.id`. So it never registers a location (that would create an active location per
// post: 50 posts, 50 phantom locations). Signed marketplace `AppInstall` webhooks, the CLI's `auth login`
// and GHL_LOCATIONS are the ways a location is registered.
//
// Policy (UNKNOWN_LOCATIONS):
// - "refuse" (default): the webhook is refused; nothing is stored.
// - "hold": the location is recorded as pending an operator's approval (no events are kept), at most
//   `maxPending` of them; `ghl-bulksms locations approve <id>` registers it, `reject` forgets it.
import type { Repositories, Store } from "@ghl-bulksms/store";

export type UnknownLocationPolicy = "refuse" | "hold";

export const UNKNOWN_LOCATION_POLICIES: readonly UnknownLocationPolicy[] = ["refuse", "hold"];

/** A location waiting for approval: when it was first and last named, and how often. No personal data. */
export interface PendingLocation {
  readonly locationId: string;
  readonly firstSeenAt: number;
  readonly lastSeenAt: number;
  readonly requests: number;
}

export type LocationAdmission =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** unknown: refused (policy refuse, or the pending list is full); pending: held for approval */
      readonly status: "unknown" | "pending";
      /** with "unknown" under "hold": the pending list is full, this location was not recorded */
      readonly pendingFull?: boolean;
    };

const PENDING_PREFIX = "locations.pending.";

/** Location ids are GHL ids: refuse anything else before it becomes a settings key. */
const LOCATION_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function isPlausibleLocationId(id: string): boolean {
  return LOCATION_ID.test(id);
}

function toPending(locationId: string, value: unknown): PendingLocation | null {
  if (!value || typeof value !== "object") return null;
  const v = value as Record<string, unknown>;
  if (typeof v.firstSeenAt !== "number" || typeof v.lastSeenAt !== "number") return null;
  return {
    locationId,
    firstSeenAt: v.firstSeenAt,
    lastSeenAt: v.lastSeenAt,
    requests: typeof v.requests === "number" ? v.requests : 1,
  };
}

export async function listPendingLocations(
  repos: Pick<Repositories, "settings">,
): Promise<PendingLocation[]> {
  const rows = await repos.settings.list(PENDING_PREFIX);
  return rows
    .map((r) => toPending(r.key.slice(PENDING_PREFIX.length), r.value))
    .filter((p): p is PendingLocation => p !== null);
}

/**
 * Decides whether a workflow webhook naming `locationId` may be taken. Known = configured (GHL_LOCATIONS)
 * or registered in the store (active or not; events of an inactive location are ignored later). An
 * unknown one is refused, or held for approval under "hold" (bounded by `maxPending`).
 */
export async function admitWorkflowLocation(
  store: Store,
  locationId: string,
  options: {
    readonly policy: UnknownLocationPolicy;
    readonly maxPending: number;
    readonly configured: ReadonlySet<string>;
    readonly now: number;
  },
): Promise<LocationAdmission> {
  if (options.configured.has(locationId)) return { ok: true };
  if (await store.locations.get(locationId)) return { ok: true };
  if (options.policy === "refuse" || !isPlausibleLocationId(locationId))
    return { ok: false, status: "unknown" };
  return store.transaction(async (tx) => {
    if (await tx.locations.get(locationId)) return { ok: true } as const;
    const key = `${PENDING_PREFIX}${locationId}`;
    const existing = toPending(locationId, await tx.settings.get(key));
    if (existing) {
      await tx.settings.set(key, {
        firstSeenAt: existing.firstSeenAt,
        lastSeenAt: options.now,
        requests: existing.requests + 1,
      });
      return { ok: false, status: "pending" } as const;
    }
    const pending = await tx.settings.list(PENDING_PREFIX);
    if (pending.length >= options.maxPending)
      return { ok: false, status: "unknown", pendingFull: true } as const;
    await tx.settings.set(key, { firstSeenAt: options.now, lastSeenAt: options.now, requests: 1 });
    return { ok: false, status: "pending" } as const;
  });
}

/** Registers a pending location as active and removes it from the pending list. */
export async function approvePendingLocation(
  store: Store,
  locationId: string,
  input: { region?: string; timezone?: string } = {},
): Promise<{ ok: true } | { ok: false; error: { code: "not_pending"; message: string } }> {
  return store.transaction(async (tx) => {
    const key = `${PENDING_PREFIX}${locationId}`;
    if (!(await tx.settings.delete(key)))
      return {
        ok: false,
        error: { code: "not_pending", message: `location ${locationId} is not waiting for approval` },
      } as const;
    await tx.locations.upsert({ id: locationId, active: true, ...input });
    return { ok: true } as const;
  });
}

/** Forgets a pending location (its next webhook is held again, if the list has room). */
export async function rejectPendingLocation(store: Store, locationId: string): Promise<boolean> {
  return store.settings.delete(`${PENDING_PREFIX}${locationId}`);
}
