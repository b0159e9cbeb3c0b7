// Faults: the real worker against simulators that answer 20% of API calls with a 5xx, add latency, go
// through a 429 storm, and duplicate and reorder their webhooks (GHL and BulkSMS). No webhook is DROPPED:
// GHL would lose such an event for good, so that is not a fault a receiver can converge from.
// Every flow must converge (welcome once, delivery notes once, failure task once, reply notes once, STOP
// honoured with no billed confirmation) and nothing may end in the dead letters.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoStack, startDemoStack } from "../src/demo/stack.ts";

const dir = mkdtempSync(join(tmpdir(), "worker-faults-"));
const FAULTS = {
  errorRate: 0.2,
  latencyMs: 2,
  latencyJitterMs: 10,
  webhookDuplicateRate: 0.25,
  webhookReorderRate: 0.25,
};
let s: DemoStack;

beforeAll(async () => {
  s = await startDemoStack({
    dataDir: dir,
    faults: { ghl: FAULTS, bulksms: FAULTS },
    env: { JOB_MAX_ATTEMPTS: "12" },
  });
});
afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Let the clock run (retries and backoffs are on the sandbox clock) until nothing moves any more. */
async function converge(minutes: number) {
  await s.advance(minutes * 60_000, 15_000);
}

describe("faults: 20% 5xx, a 429 storm, latency, duplicated and reordered webhooks", () => {
  it("every flow converges and nothing is dead-lettered", async () => {
    const ghl = s.sandbox.ghl.control;
    const sms = s.sandbox.bulksms.control;
    const people = Array.from({ length: 12 }, (_, i) => {
      const local = String(500100 + i);
      return { name: `F${i}`, national: `07400 ${local}`, e164: `+447400${local}`, id: "" };
    });
    const failing = people.slice(0, 2);
    for (const p of failing) sms.setNumberOutcome(p.e164, "NOT_SENT");
    for (const p of people)
      p.id = ghl.createContact(s.locationId, { firstName: p.name, phone: p.national }).id;
    await s.settle({ timeoutMs: 60_000 });
    await converge(5);

    // a 429 storm on the GHL API while replies and STOPs arrive
    ghl.startRateLimitStorm(20_000); // sandbox time: over after the second 15 s step below
    const repliers = people.slice(2, 7);
    const stoppers = people.slice(7, 10);
    for (const p of repliers) sms.simulateReply({ from: p.e164, body: `Reply from ${p.name}: call me back` });
    for (const p of stoppers) sms.simulateReply({ from: p.e164, body: "STOP" });
    for (const p of people.slice(0, 6)) ghl.updateContact(p.id, { lastName: "Edited" });
    await converge(30);

    // the faults really happened
    const statuses = ghl.requestLog().map((r) => r.status);
    expect(statuses.filter((x) => x >= 500).length).toBeGreaterThan(5);
    expect(statuses.filter((x) => x === 429).length).toBeGreaterThan(0);
    const ghlFaults = ghl.webhookDeliveries().flatMap((d) => d.faults);
    expect(ghlFaults).toContain("duplicated");
    expect(ghlFaults).toContain("held");
    expect(sms.deliveryLog().some((e) => e.outcome === "duplicate")).toBe(true);

    // convergence
    const problems: string[] = [];
    for (const p of people) {
      const sent = s.sentTo(p.e164);
      const welcome = sent.filter((m) => m.body.startsWith(`Hi ${p.name}, welcome`));
      if (welcome.length !== 1) problems.push(`${p.name}: ${welcome.length} welcomes`);
      const notes = (await s.notes(p.id)).map((n) => n.body);
      if (new Set(notes).size !== notes.length) problems.push(`${p.name}: duplicate notes`);
      const tasks = await s.tasks(p.id);
      if (failing.includes(p)) {
        if (tasks.length !== 1) problems.push(`${p.name}: ${tasks.length} failure tasks`);
      } else {
        const delivered = notes.filter((b) => b.startsWith("SMS (welcome) delivered."));
        if (delivered.length !== 1) problems.push(`${p.name}: ${delivered.length} delivered notes`);
        if (tasks.length !== 0) problems.push(`${p.name}: ${tasks.length} tasks`);
      }
      if (repliers.includes(p)) {
        const n = notes.filter((b) => b.includes(`Reply from ${p.name}: call me back`)).length;
        if (n !== 1) problems.push(`${p.name}: ${n} reply notes`);
      }
      if (stoppers.includes(p)) {
        const c = s.contact(p.id);
        if (c.dndSettings.SMS?.status !== "active") problems.push(`${p.name}: no DND after STOP`);
        if (!c.tags.includes("sms-opted-out")) problems.push(`${p.name}: no tag after STOP`);
        if (!s.blocked(p.e164)) problems.push(`${p.name}: not blocked after STOP`);
        if (notes.filter((b) => b.startsWith("Opted out of SMS")).length !== 1)
          problems.push(`${p.name}: not one opt-out note`);
        // nothing after STOP, no confirmation either (BulkSMS blocked the number: it would be billed)
        const others = sent.filter((m) => !m.body.startsWith("Hi "));
        if (others.length !== 0) problems.push(`${p.name}: ${others.length} texts after STOP`);
      } else if (sent.length !== 1) {
        problems.push(`${p.name}: ${sent.length} texts`);
      }
    }
    expect(problems).toEqual([]);
    const dead = await s.store().deadLetters.list();
    expect(dead.map((d) => `${d.name}: ${d.lastError}`)).toEqual([]);
    expect((await s.store().inbox.lag()).pending).toBe(0);
    expect((await s.store().jobs.counts()).queued).toBe(0);
  }, 120_000);
});
