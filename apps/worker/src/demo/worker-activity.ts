// What one demo worker actually did, read from its own /metrics (what an operator's Prometheus would see):
// the webhooks it accepted (2xx answers on /webhooks/...) and the job attempts it completed. Outcomes, not
// submissions: a webhook the balancer handed it but it refused, or a job it leased and failed, does not count.

export interface WorkerActivity {
  /** Its WORKER_ID. */
  readonly id: string;
  readonly pid: number;
  readonly webhooksAccepted: number;
  readonly jobsCompleted: number;
}

/** `name{a="x",b="y"} 3` -> labels and value (the Prometheus text format; label values hold no quotes here). */
function samples(text: string, name: string): Array<{ labels: Record<string, string>; value: number }> {
  const out: Array<{ labels: Record<string, string>; value: number }> = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const m = /^[^{\s]+(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[1] ?? "").matchAll(/(\w+)="([^"]*)"/g)) labels[l[1] ?? ""] = l[2] ?? "";
    out.push({ labels, value: Number(m[2]) });
  }
  return out;
}

export function activityFromMetrics(
  worker: { id: string; pid: number },
  metricsText: string,
): WorkerActivity {
  const sum = (xs: Array<{ value: number }>) => xs.reduce((n, x) => n + x.value, 0);
  return {
    id: worker.id,
    pid: worker.pid,
    webhooksAccepted: sum(
      samples(metricsText, "ghlbulksms_webhook_requests_total").filter(
        (s) => s.labels.route?.startsWith("/webhooks/") && /^2\d\d$/.test(s.labels.status ?? ""),
      ),
    ),
    jobsCompleted: sum(
      samples(metricsText, "ghlbulksms_jobs_total").filter((s) => s.labels.outcome === "complete"),
    ),
  };
}

export async function readWorkerActivity(worker: {
  id: string;
  pid: number;
  url: string;
}): Promise<WorkerActivity> {
  const res = await fetch(`${worker.url}/metrics`);
  if (!res.ok) throw new Error(`${worker.id}: GET /metrics answered ${res.status}`);
  return activityFromMetrics(worker, await res.text());
}
