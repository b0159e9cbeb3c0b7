import { describe, expect, it } from "vitest";
import { createMetrics } from "../metrics.js";
import { activityFromMetrics } from "./worker-activity.js";

describe("activityFromMetrics", () => {
  it("counts accepted webhooks (2xx on /webhooks/...) and completed jobs, nothing else", async () => {
    const m = createMetrics();
    const hook = (route: string, status: string, n: number) => m.webhookRequests.inc({ route, status }, n);
    hook("/webhooks/ghl", "200", 3);
    hook("/webhooks/bulksms/:secret", "202", 2);
    hook("/webhooks/ghl", "401", 5); // refused: not taken
    hook("/webhooks/ghl", "503", 1); // too busy: not taken
    hook("/readyz", "200", 9); // not a webhook
    m.jobsTotal.inc({ job: "inbox.process", outcome: "complete" }, 4);
    m.jobsTotal.inc({ job: "sms.send", outcome: "complete" }, 1);
    m.jobsTotal.inc({ job: "sms.send", outcome: "retry" }, 7);
    m.jobsTotal.inc({ job: "sms.send", outcome: "dead" }, 1);
    const text = await m.registry.metrics();
    expect(activityFromMetrics({ id: "w1", pid: 42 }, text)).toEqual({
      id: "w1",
      pid: 42,
      webhooksAccepted: 5,
      jobsCompleted: 5,
    });
  });

  it("a worker that did nothing did nothing", async () => {
    const text = await createMetrics().registry.metrics();
    expect(activityFromMetrics({ id: "w2", pid: 7 }, text)).toMatchObject({
      webhooksAccepted: 0,
      jobsCompleted: 0,
    });
  });
});
