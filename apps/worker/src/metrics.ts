// Prometheus metrics of one worker instance (its own registry, so tests and several apps never collide).
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { type BuildInfo, buildInfo } from "./version.js";

export interface WorkerMetrics {
  readonly registry: Registry;
  /** `ghlbulksms_build_info{version, node} 1`: what is running (set once, at creation) */
  readonly buildInfo: Gauge<"version" | "node">;
  readonly webhookRequests: Counter<"route" | "status">;
  readonly inboxLagSeconds: Gauge;
  readonly inboxPending: Gauge;
  readonly jobLatencySeconds: Histogram<"job" | "outcome">;
  readonly jobsTotal: Counter<"job" | "outcome">;
  readonly sendsByStatus: Counter<"status">;
  readonly vendorErrors: Counter<"vendor" | "code">;
  readonly rateLimitWaits: Counter<"vendor">;
  readonly rateLimitWaitSeconds: Histogram<"vendor">;
  readonly scheduleTicks: Counter<"outcome">;
  readonly periodicJobsEnqueued: Counter;
}

export function createMetrics(
  options: { defaultMetrics?: boolean; buildInfo?: BuildInfo } = {},
): WorkerMetrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const info = new Gauge({
    name: "ghlbulksms_build_info",
    help: "The running worker: its version and the Node.js version, always 1",
    labelNames: ["version", "node"],
    registers,
  });
  info.set({ ...(options.buildInfo ?? buildInfo()) }, 1);
  return {
    registry,
    buildInfo: info,
    webhookRequests: new Counter({
      name: "ghlbulksms_webhook_requests_total",
      help: "Webhook requests by route and HTTP status",
      labelNames: ["route", "status"],
      registers,
    }),
    inboxLagSeconds: new Gauge({
      name: "ghlbulksms_inbox_lag_seconds",
      help: "Age of the oldest unprocessed inbox event",
      registers,
    }),
    inboxPending: new Gauge({
      name: "ghlbulksms_inbox_pending",
      help: "Unprocessed inbox events",
      registers,
    }),
    jobLatencySeconds: new Histogram({
      name: "ghlbulksms_job_duration_seconds",
      help: "Job handler duration by job name and outcome",
      labelNames: ["job", "outcome"],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    jobsTotal: new Counter({
      name: "ghlbulksms_jobs_total",
      help: "Finished job attempts by job name and outcome (done, retry, dead, released)",
      labelNames: ["job", "outcome"],
      registers,
    }),
    sendsByStatus: new Counter({
      name: "ghlbulksms_sms_sends_total",
      help: "BulkSMS status reports processed, by status type (SENT, DELIVERED, FAILED, ...)",
      labelNames: ["status"],
      registers,
    }),
    vendorErrors: new Counter({
      name: "ghlbulksms_vendor_errors_total",
      help: "Vendor API errors by vendor and error code",
      labelNames: ["vendor", "code"],
      registers,
    }),
    rateLimitWaits: new Counter({
      name: "ghlbulksms_rate_limit_waits_total",
      help: "Times a request waited for a rate limit",
      labelNames: ["vendor"],
      registers,
    }),
    rateLimitWaitSeconds: new Histogram({
      name: "ghlbulksms_rate_limit_wait_seconds",
      help: "Time spent waiting for rate limits",
      labelNames: ["vendor"],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30],
      registers,
    }),
    scheduleTicks: new Counter({
      name: "ghlbulksms_schedule_ticks_total",
      help: "Scheduler ticks (engine.schedule calls) by outcome (ok, error)",
      labelNames: ["outcome"],
      registers,
    }),
    periodicJobsEnqueued: new Counter({
      name: "ghlbulksms_periodic_jobs_enqueued_total",
      help: "Periodic jobs (pull blocked numbers, sweeps, reconciliation, follow-ups, digests) enqueued by this worker",
      registers,
    }),
  };
}
