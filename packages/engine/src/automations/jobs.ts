// Job handlers and schedule for the worker, in the worker's JobRegistry shape ({ schema, handler }).
import { z } from "zod";
import type { EngineDeps } from "../core/deps.js";
import { type JobContext, type JobOutcome, OK, retryLater } from "../core/outcome.js";
import { reconcile } from "../reconcile/reconcile.js";
import { type LifecycleConfig, lifecycleFor } from "./config.js";
import { digestDueAt, digestTick, localDateOf } from "./digest.js";
import { runDueFollowUps } from "./follow-up-runner.js";

const id = z.string().min(1);

export const lifecycleJobSchemas = {
  /** Contacts changed since the last cursor (default every 15 minutes). */
  "reconcile.incremental": z.object({ locationId: id }),
  /** Every contact, with delete detection (default daily). */
  "reconcile.full": z.object({ locationId: id }),
  /** Due follow-up steps (every minute). */
  "followups.run": z.object({ locationId: id.optional() }),
  /** Daily digests that are due (every 5 minutes). */
  "digest.tick": z.object({}),
} as const;

export type LifecycleJobName = keyof typeof lifecycleJobSchemas;
export type LifecycleJobCatalog = { [K in LifecycleJobName]: z.output<(typeof lifecycleJobSchemas)[K]> };
export const LIFECYCLE_JOB_NAMES = Object.keys(lifecycleJobSchemas) as LifecycleJobName[];

export type LifecycleJobRegistry = {
  readonly [N in LifecycleJobName]: {
    readonly schema: (typeof lifecycleJobSchemas)[N];
    readonly handler: (payload: LifecycleJobCatalog[N], context: JobContext) => Promise<JobOutcome>;
  };
};

async function runReconcileJob(
  deps: EngineDeps,
  config: LifecycleConfig,
  kind: "incremental" | "full",
  locationId: string,
  context: JobContext,
): Promise<JobOutcome> {
  const r = await reconcile({ deps, config, locationId, kind, owner: runOwner(context) });
  if (r.ok) return OK;
  switch (r.reason) {
    case "already_running":
    case "location_unknown":
      return OK; // another run covers it / nothing to reconcile
    case "failed":
      return r.retryable
        ? retryLater(`reconcile_${kind}_failed`, r.error)
        : { ok: false, error: { code: `reconcile_${kind}_failed`, message: r.error, retryable: false } };
    default: {
      const never: never = r;
      throw new Error(`unexpected reconcile result ${JSON.stringify(never)}`);
    }
  }
}

export function createLifecycleJobRegistry(deps: EngineDeps, config: LifecycleConfig): LifecycleJobRegistry {
  return {
    "reconcile.incremental": {
      schema: lifecycleJobSchemas["reconcile.incremental"],
      handler: (p, c) => runReconcileJob(deps, config, "incremental", p.locationId, c),
    },
    "reconcile.full": {
      schema: lifecycleJobSchemas["reconcile.full"],
      handler: (p, c) => runReconcileJob(deps, config, "full", p.locationId, c),
    },
    "followups.run": {
      schema: lifecycleJobSchemas["followups.run"],
      handler: async (p) => {
        await runDueFollowUps(deps, { config, ...(p.locationId ? { locationId: p.locationId } : {}) });
        return OK;
      },
    },
    "digest.tick": {
      schema: lifecycleJobSchemas["digest.tick"],
      handler: async () => {
        await digestTick(deps, { config });
        return OK;
      },
    },
  };
}

/**
 * The scheduler entry point: call it every minute or so. Enqueues each due lifecycle job once (the job
 * key names its time slot, so several workers calling it enqueue nothing twice). Returns how many were new.
 */
export async function enqueueDueLifecycleJobs(
  deps: EngineDeps,
  config: LifecycleConfig,
  now = deps.now(),
): Promise<number> {
  let n = 0;
  const enqueue = async (
    name: LifecycleJobName,
    payload: unknown,
    key: string,
    locationId: string | null,
  ) => {
    const r = await deps.store.jobs.enqueue({ name, payload, key: `${name}:${key}`, locationId, runAt: now });
    if (r.enqueued) n++;
  };
  for (const location of await deps.store.locations.list({ activeOnly: true })) {
    const s = lifecycleFor(config, location.id).reconcile;
    await enqueue(
      "reconcile.incremental",
      { locationId: location.id },
      `${location.id}:${Math.floor(now / s.incrementalEveryMs)}`,
      location.id,
    );
    const localDate = localDateOf(now, location.timezone);
    if (now >= digestDueAt(localDate, s.fullAt, location.timezone)) {
      await enqueue(
        "reconcile.full",
        { locationId: location.id },
        `${location.id}:${localDate}`,
        location.id,
      );
    }
  }
  await enqueue("followups.run", {}, String(Math.floor(now / 60_000)), null);
  await enqueue("digest.tick", {}, String(Math.floor(now / 300_000)), null);
  return n;
}

/** The owner written on a reconcile run: the worker (WORKER_ID) and the job, e.g. `host:123/job:42`. */
function runOwner(context: JobContext): string {
  return context.workerId ? `${context.workerId}/job:${context.jobId}` : `job:${context.jobId}`;
}
