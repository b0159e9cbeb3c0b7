// operatorSend through the one send gate; the sweeper for begun-but-never-completed GHL writes; uninstall
// cancelling a location's queued work.
import { afterEach, describe, expect, it } from "vitest";
import {
  enqueueJob,
  handleAppUninstalled,
  hasMarker,
  OperatorSendError,
  operatorOptOut,
  operatorSend,
  operatorSendDryRun,
  refMarker,
  sweepBegunVendorWrites,
} from "../src/index.js";
import { type Harness, startHarness } from "./harness.js";

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

function sentTo(harness: Harness, e164: string) {
  return harness.sandbox.bulksms.control.sentMessages().filter((m) => m.to === e164 || `+${m.to}` === e164);
}

describe("operatorSend", () => {
  it("sends once per key through the gate, renders templates, and a dry run queues nothing", async () => {
    h = await startHarness({});
    const c = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "Opal", phone: "07911 200101" });
    await h.settle();
    const input = {
      locationId: h.locationId,
      contactId: c.id,
      to: "+447911200101",
      key: "cli:1",
      body: "Hi {{firstName}}",
      template: true,
    };
    const dry = await operatorSendDryRun(h.engine.deps, input);
    expect(dry).toMatchObject({
      status: "dry-run",
      gate: { allow: true },
      body: "Hi Opal",
      measure: { parts: 1, encoding: "GSM-7" },
    });
    expect(await h.store.messages.getByKey("cli:1")).toBeNull();

    const sent = await operatorSend(h.engine.deps, input);
    expect(sent).toMatchObject({ status: "sent" });
    if (sent.status !== "sent") throw new Error("not sent");
    expect(sent.message).toMatchObject({ key: "cli:1", body: "Hi Opal", meta: { kind: "operator" } });
    expect(sent.message.providerIds.length).toBe(1);
    expect(await operatorSend(h.engine.deps, input)).toMatchObject({ status: "duplicate" });
    const run = await h.settle(); // the safety-net sms.send job finds the message sent
    expect(run.dead).toBe(0);
    expect(sentTo(h, "+447911200101").map((m) => m.body)).toEqual(["Hi Opal"]);
  });

  it("refuses an opted-out number without queuing, defers in quiet hours, rejects bad input", async () => {
    h = await startHarness({ clockStart: Date.UTC(2026, 2, 10, 22, 30) }); // 22:30 London: outside 08-21
    await operatorOptOut(h.engine.deps, { locationId: h.locationId, phone: "+447911200102" });
    const blocked = await operatorSend(h.engine.deps, {
      locationId: h.locationId,
      to: "+447911200102",
      key: "cli:2",
      body: "hello",
    });
    expect(blocked).toMatchObject({ status: "blocked", gate: { block: "opted_out" } });
    expect(await h.store.messages.getByKey("cli:2")).toBeNull();

    const deferred = await operatorSend(h.engine.deps, {
      locationId: h.locationId,
      to: "+447911200103",
      key: "cli:3",
      body: "later",
    });
    expect(deferred.status).toBe("deferred");
    if (deferred.status !== "deferred") throw new Error("not deferred");
    expect(new Date(deferred.sendAt).toISOString()).toBe("2026-03-11T08:00:00.000Z");
    expect(sentTo(h, "+447911200103")).toEqual([]);
    await h.advance(10 * 3_600_000);
    expect(sentTo(h, "+447911200103").map((m) => m.body)).toEqual(["later"]);

    await expect(
      operatorSend(h.engine.deps, { locationId: h.locationId, to: "+447911200104", key: " ", body: "x" }),
    ).rejects.toThrow(OperatorSendError);
    await expect(
      operatorSend(h.engine.deps, { locationId: h.locationId, to: "+447911200104", key: "k", body: "" }),
    ).rejects.toThrow(/empty/);
    expect(
      await operatorSend(h.engine.deps, { locationId: h.locationId, to: "07911", key: "k", body: "x" }),
    ).toMatchObject({
      status: "blocked",
      gate: { block: "invalid_number" },
    });
  });
});

describe("sweepBegunVendorWrites", () => {
  async function deadNoteJob(harness: Harness, contactId: string, key: string) {
    const { store } = harness;
    await store.vendorWrites.begin(key, {
      vendor: "ghl",
      operation: "note.create",
      locationId: harness.locationId,
    });
    await enqueueJob(
      store,
      "ghl.note.create",
      { locationId: harness.locationId, contactId, key, body: `note ${key}` },
      { key, locationId: harness.locationId },
    );
    const job = await store.jobs.getByKey(`ghl.note.create:${key}`);
    const [claimed] = await store.jobs.claim({
      workerId: "t",
      limit: 1,
      leaseMs: 1000,
      names: ["ghl.note.create"],
    });
    expect(claimed?.id).toBe(job?.id);
    await store.jobs.deadLetter(job!.id, "gave up", { workerId: "t" });
  }

  async function notes(harness: Harness, contactId: string) {
    const r = await harness.ghl.notes.list({ locationId: harness.locationId, contactId });
    if (!r.ok) throw r.error;
    return r.data.notes;
  }

  it("re-enqueues a dead write job: the note is written once, or found by its marker when it had landed", async () => {
    h = await startHarness({});
    const c = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "Swe", phone: "07911 200110" });
    await h.settle();
    await deadNoteJob(h, c.id, "sweep-a"); // never reached GHL
    await deadNoteJob(h, c.id, "sweep-b"); // reached GHL, then the worker died
    const landed = await h.ghl.notes.create({
      locationId: h.locationId,
      contactId: c.id,
      body: { body: `note sweep-b\n\n${refMarker("sweep-b")}` },
    });
    expect(landed.ok).toBe(true);
    // a write without a job (a direct caller's) and a fresh one are left alone
    await h.store.vendorWrites.begin("direct", {
      vendor: "ghl",
      operation: "note.create",
      locationId: h.locationId,
    });

    expect(await sweepBegunVendorWrites(h.engine.deps)).toEqual({
      scanned: 0,
      requeued: 0,
      pending: 0,
      skipped: 0,
    });
    await h.sandbox.clock.advance(16 * 60_000);
    expect(await sweepBegunVendorWrites(h.engine.deps)).toEqual({
      scanned: 3,
      requeued: 2,
      pending: 0,
      skipped: 1,
    });
    // the sweep jobs are queued: a second sweep adds nothing
    expect(await sweepBegunVendorWrites(h.engine.deps)).toMatchObject({ requeued: 0, pending: 2 });
    const run = await h.settle();
    expect(run.dead).toBe(0);
    const all = await notes(h, c.id);
    expect(all.filter((n) => hasMarker(n.body, "sweep-a"))).toHaveLength(1);
    expect(all.filter((n) => hasMarker(n.body, "sweep-b"))).toHaveLength(1);
    expect((await h.store.vendorWrites.get("sweep-a"))?.state).toBe("completed");
    expect(await h.store.vendorWrites.get("sweep-b")).toMatchObject({
      state: "completed",
      resultId: landed.ok ? landed.data.note.id : "",
    });
    const audit = await h.store.audit.list({ vendor: "ghl" });
    expect(audit.some((a) => a.idempotencyKey === "sweep-b" && a.resultStatus === "recovered")).toBe(true);
    expect(await sweepBegunVendorWrites(h.engine.deps)).toEqual({
      scanned: 1,
      requeued: 0,
      pending: 0,
      skipped: 1,
    });
  });
});

describe("uninstall", () => {
  it("cancels the location's queued sends and write jobs, keeps bulksms.block, deletes tokens", async () => {
    h = await startHarness({ clockStart: Date.UTC(2026, 2, 10, 22, 30) });
    const c = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "Un", phone: "07911 200120" });
    await h.settle();
    await operatorSend(h.engine.deps, {
      locationId: h.locationId,
      contactId: c.id,
      to: "+447911200120",
      key: "cli:u1",
      body: "tomorrow",
    });
    await operatorSend(h.engine.deps, {
      locationId: h.locationId,
      to: "+447911200121",
      key: "cli:u2",
      body: "no contact",
    });
    await enqueueJob(
      h.store,
      "ghl.note.create",
      { locationId: h.locationId, contactId: c.id, key: "n1", body: "note" },
      { key: "n1", locationId: h.locationId, runAt: h.engine.deps.now() + 60_000 },
    );
    await enqueueJob(
      h.store,
      "bulksms.block",
      { locationId: h.locationId, phone: "+447911200122" },
      { key: "b1", locationId: h.locationId, runAt: h.engine.deps.now() + 60_000 },
    );
    await h.store.tokens.save(h.locationId, { accessToken: "t", tokenType: "pit" });
    expect((await handleAppUninstalled(h.engine.deps, h.locationId)).ok).toBe(true);
    expect((await h.store.messages.getByKey("cli:u1"))?.status).toBe("CANCELLED");
    expect((await h.store.messages.getByKey("cli:u2"))?.status).toBe("CANCELLED");
    expect(await h.store.jobs.getByKey("ghl.note.create:n1")).toMatchObject({
      state: "done",
      lastError: "cancelled: app uninstalled",
    });
    expect((await h.store.jobs.getByKey("bulksms.block:b1"))?.state).toBe("queued");
    expect(await h.store.tokens.load(h.locationId)).toBeNull();
    expect((await h.store.locations.get(h.locationId))?.active).toBe(false);
  });
});
