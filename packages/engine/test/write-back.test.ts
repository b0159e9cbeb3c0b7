// SMS side -> GHL: delivery reports, failures and retries, replies; and exactly-once notes across a crash.
import type { GhlClient } from "@ghl-bulksms/ghl";
import { afterEach, describe, expect, it } from "vitest";
import { failureTaskKey, hasMarker } from "../src/index.js";
import { type Harness, startHarness } from "./harness.js";

const WELCOME = { defaults: { welcome: { enabled: true, template: "Hello {{firstName}}" } } };

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

async function notesOf(harness: Harness, contactId: string) {
  const r = await harness.ghl.notes.list({ locationId: harness.locationId, contactId });
  if (!r.ok) throw r.error;
  return r.data.notes;
}

async function tasksOf(harness: Harness, contactId: string) {
  const r = await harness.ghl.tasks.list({ locationId: harness.locationId, contactId });
  if (!r.ok) throw r.error;
  return r.data.tasks;
}

describe("write-back to GHL", () => {
  it("a delivery report updates the status and writes one note", async () => {
    h = await startHarness({ config: WELCOME });
    const c = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "Dee", phone: "07400 500001" });
    await h.settle();
    await h.advance(10_000); // ACCEPTED -> SENT -> DELIVERED on the sandbox clock, webhooks follow
    const m = await h.store.messages.getByKey(`welcome:${h.locationId}:${c.id}`);
    expect(m?.status).toBe("DELIVERED");
    const notes = await notesOf(h, c.id);
    const delivered = notes.filter((n) => n.body?.startsWith("SMS (welcome) delivered."));
    expect(delivered).toHaveLength(1);
    expect(delivered[0]?.body).toMatch(/\[ref:[0-9a-f]{16}\]$/);
    // a repeated report changes nothing
    await h.advance(10_000);
    expect(
      (await notesOf(h, c.id)).filter((n) => n.body?.startsWith("SMS (welcome) delivered.")),
    ).toHaveLength(1);
  });

  it("a failed message creates a task; a later successful retry completes it", async () => {
    h = await startHarness({
      config: { defaults: { ...WELCOME.defaults, retry: { maxRetries: 1, delayMs: 3600_000 } } },
    });
    await h.sandbox.bulksms.control.setNumberOutcome("+447400600001", "HANDSET_ERROR");
    const c = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "Fay", phone: "07400 600001" });
    await h.settle();
    await h.advance(10_000);
    const first = await h.store.messages.getByKey(`welcome:${h.locationId}:${c.id}`);
    expect(first?.status).toBe("FAILED");
    expect(first?.subtype).toBe("HANDSET_ERROR");
    let tasks = await tasksOf(h, c.id);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]?.title).toMatch(/^SMS failed: the phone could not receive it/);
    expect(tasks[0]?.completed).toBe(false);
    expect((await h.store.vendorWrites.get(failureTaskKey(first?.id ?? "")))?.state).toBe("completed");

    await h.sandbox.bulksms.control.setNumberOutcome("+447400600001", null);
    await h.advance(3600_000 + 10_000); // the retry is sent...
    await h.advance(10_000); // ...and delivered
    const retry = await h.store.messages.getByKey(`welcome:${h.locationId}:${c.id}:retry:1`);
    expect(retry?.status).toBe("DELIVERED");
    expect(retry?.retryOf).toBe(first?.id);
    expect(h.sandbox.bulksms.control.sentMessages().filter((s) => s.to.endsWith("7400600001"))).toHaveLength(
      2,
    );
    tasks = await tasksOf(h, c.id);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]?.completed).toBe(true);
    expect(tasks[0]?.title).toMatch(/^Resolved: SMS failed/);
    expect(tasks[0]?.body).toMatch(/^Resolved: retry 1 was delivered\./);
  });

  it("an inbound reply is matched by E.164 and written as a note (and a task when configured)", async () => {
    h = await startHarness({ config: { defaults: { ...WELCOME.defaults, tasks: { onReply: true } } } });
    const c = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "Ray", phone: "07400 700001" });
    await h.settle();
    h.sandbox.bulksms.control.simulateReply({ from: "+447400700001", body: "Yes please, call me tomorrow" });
    await h.settle();
    const notes = (await notesOf(h, c.id)).filter((n) => n.body?.startsWith("SMS reply received:"));
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body).toContain("Yes please, call me tomorrow");
    const tasks = await tasksOf(h, c.id);
    expect(tasks.map((t) => t.title)).toEqual(["Answer SMS reply"]);
  });

  it("a crash between the vendor call and the commit writes no duplicate note", async () => {
    let crashes = 0;
    const wrap = (client: GhlClient): GhlClient => ({
      ...client,
      notes: {
        ...client.notes,
        async create(p, o) {
          const r = await client.notes.create(p, o); // the note really reaches GHL...
          if (crashes === 0 && p.body.body.startsWith("SMS reply received:")) {
            crashes++;
            throw new Error("simulated crash after the vendor call"); // ...and the worker dies before complete()
          }
          return r;
        },
      },
    });
    h = await startHarness({ config: WELCOME, wrapGhl: wrap });
    const c = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "Cra", phone: "07400 800001" });
    await h.settle();
    h.sandbox.bulksms.control.simulateReply({ from: "+447400800001", body: "hello there" });
    const run = await h.settle();
    expect(crashes).toBe(1);
    expect(
      run.failures.some((f) => f.name === "ghl.note.create" && f.error.includes("simulated crash")),
    ).toBe(true);
    const replyNotes = (await notesOf(h, c.id)).filter((n) => n.body?.startsWith("SMS reply received:"));
    expect(replyNotes).toHaveLength(1);
    const key = (await h.store.vendorWrites.listBegun()).length;
    expect(key).toBe(0);
    const audit = await h.store.audit.list({ vendor: "ghl" });
    expect(audit.some((a) => a.operation === "note.create" && a.resultStatus === "recovered")).toBe(true);
    const recovered = audit.find((a) => a.resultStatus === "recovered");
    expect(hasMarker(replyNotes[0]?.body, recovered?.idempotencyKey ?? "")).toBe(true);
  });
});
