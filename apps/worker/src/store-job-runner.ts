// The job runner for a store: graphile-worker on PostgreSQL (store.queueEngine), the outbox runner on the
// embedded store. The worker and the tests that run jobs on a real store both start runners through here.
import type { Store } from "@ghl-bulksms/store";
import { createGraphileJobRunner } from "./graphile-runner.js";
import { createJobRunner, type JobRunner, type JobRunnerOptions } from "./job-runner.js";

export type StoreJobRunnerOptions<Catalog extends Record<string, unknown>> = Omit<
  JobRunnerOptions<Catalog>,
  "queue"
>;

export function createStoreJobRunner<Catalog extends Record<string, unknown>>(
  store: Pick<Store, "jobs" | "queueEngine">,
  options: StoreJobRunnerOptions<Catalog>,
): JobRunner & { readonly queue: "graphile-worker" | "outbox" } {
  const engine = store.queueEngine;
  if (engine) {
    const { locations: _locations, maxBuffered: _maxBuffered, ...common } = options;
    return Object.assign(
      createGraphileJobRunner<Catalog>({
        ...common,
        engine,
        queue: store.jobs,
        // new jobs arrive by NOTIFY; the poll only finds due retries and scheduled jobs
        pollIntervalMs: Math.max(250, options.pollIntervalMs ?? 1_000),
      }),
      { queue: "graphile-worker" as const },
    );
  }
  return Object.assign(createJobRunner<Catalog>({ ...options, queue: store.jobs }), {
    queue: "outbox" as const,
  });
}
