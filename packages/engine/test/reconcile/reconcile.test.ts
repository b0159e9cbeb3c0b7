// Reconciliation against the sandbox: missed webhooks repaired, both-side edits resolved by policy,
// deletes found by a full run, dry runs that write nothing, one run at a time, the request budget.
import { afterEach, describe, expect, it } from "vitest";
import { reconcile } from "../../src/index.js";
import { type LifecycleHarness, startLifecycleHarness } from "./lifecycle-harness.js";

let h: LifecycleHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const WRITE = /^(PUT|POST|DELETE) /;
function ghlWrites(harness: LifecycleHarness): string[] {
  return harness.sandbox.ghl.control
    .requestLog()
    .map((e) => `${e.method} ${e.path}`)
    .filter((x) => WRITE.test(x) && !x.startsWith("POST /contacts/search"));
}

/** Contacts created in GHL with valid UK mobiles (webhooks dropped: only reconciliation sees them). */
function people(harness: LifecycleHarness, n: number) {
  const control = harness.sandbox.ghl.control;
  control.setFaults({ webhookDropRate: 1 });
  const names = ["Ada", "Ben", "Cleo", "Dev", "Eve", "Finn", "Gus", "Hana", "Ivo", "Jo", "Kai", "Lea"];
  return Array.from({ length: n }, (_, i) =>
    control.createContact(harness.locationId, {
      firstName: names[i % names.length] as string,
      lastName: `Tester${i}`,
      phone: `+4479111234${String(i).padStart(2, "0")}`,
      email: `person${i}@example.org`,
      tags: ["customer"],
    }),
  );
}

describe("reconcile", () => {
  it("repairs missed webhooks: updates, creations, DND and deletes (full run confirms with a GET)", async () => {
    h = await startLifecycleHarness();
    const { store, locationId, engine } = h;
    const control = h.sandbox.ghl.control;
    people(h, 20);
    const first = await reconcile({ deps: engine.deps, locationId, kind: "full", config: h.lifecycle });
    expect(first.ok && first.counts).toMatchObject({
      scanned: 20,
      created: 20,
      unchanged: 0,
      deleted: 0,
      errors: 0,
    });
    expect(await store.contacts.count(locationId)).toBe(20);

    // Every webhook is lost from here on.
    control.setFaults({ webhookDropRate: 1 });
    await h.sandbox.clock.advance(60_000);
    const [a, b, c, d] = control.listContacts(locationId).filter((c) => c.lastName?.startsWith("Tester"));
    if (!a || !b || !c || !d) throw new Error("seed too small");
    control.updateContact(a.id, { firstName: "Renamed" });
    control.updateContact(b.id, { tags: [...b.tags, "vip"] });
    control.updateContact(c.id, { dndSettings: { SMS: { status: "active", message: "", code: "" } } });
    control.deleteContact(d.id);
    const born = control.createContact(locationId, {
      firstName: "Nova",
      lastName: "Late",
      phone: "+447911123499",
      email: "nova@example.org",
    });
    await h.settle();
    expect((await store.contacts.get(locationId, a.id))?.profile).not.toMatchObject({ firstName: "Renamed" });
    expect(await store.contacts.get(locationId, born.id)).toBeNull();

    await h.sandbox.clock.advance(60_000);
    const inc = await reconcile({ deps: engine.deps, locationId, kind: "incremental", config: h.lifecycle });
    if (!inc.ok) throw new Error(JSON.stringify(inc));
    // Only what changed since the cursor (plus the overlap window) is read: one search page.
    expect(inc.requests).toBe(1);
    expect(inc.counts).toMatchObject({ created: 1, updated: 3, deleted: 0, errors: 0 });
    expect((await store.contacts.get(locationId, a.id))?.profile).toMatchObject({ firstName: "Renamed" });
    expect((await store.contacts.get(locationId, b.id))?.profile).toMatchObject({
      segmentTags: expect.arrayContaining(["vip"]),
    });
    expect((await store.contacts.get(locationId, born.id))?.profile).toMatchObject({
      firstName: "Nova",
      phone: "+447911123499",
    });
    const cPhone = (await store.contacts.get(locationId, c.id))?.phoneE164;
    expect(cPhone).toBeTruthy();
    expect(await store.optOuts.get(locationId, cPhone as string)).toMatchObject({
      state: "opted_out",
      source: "ghl_dnd",
    });
    await h.settle(); // the engine's opt-out jobs: the number reaches the BulkSMS blocked list
    expect(h.sandbox.bulksms.control.blockedNumbers().map((n) => n.replace(/^\+?/, "+"))).toContain(cPhone);
    // The deleted contact is still live in the mirror: only a full run can notice it.
    expect((await store.contacts.get(locationId, d.id))?.deleted).toBe(false);

    await h.sandbox.clock.advance(60_000);
    const full = await reconcile({ deps: engine.deps, locationId, kind: "full", config: h.lifecycle });
    if (!full.ok) throw new Error(JSON.stringify(full));
    expect(full.counts).toMatchObject({ scanned: 20, deleted: 1, created: 0, errors: 0 });
    // 1 search page + 1 GET to confirm the delete before retiring.
    expect(full.requests).toBe(2);
    expect(await store.contacts.get(locationId, d.id)).toMatchObject({ deleted: true, retired: true });
    expect(
      control.requestLog().filter((e) => e.method === "GET" && e.path === `/contacts/${d.id}`),
    ).toHaveLength(1);

    // Nothing left to do: a second full run writes nothing and finds everything unchanged.
    const before = ghlWrites(h).length;
    await h.sandbox.clock.advance(60_000);
    const again = await reconcile({ deps: engine.deps, locationId, kind: "full", config: h.lifecycle });
    expect(again.ok && again.counts).toMatchObject({
      scanned: 20,
      unchanged: 20,
      updated: 0,
      created: 0,
      deleted: 0,
    });
    expect(ghlWrites(h).length).toBe(before);
    const runs = await store.runs.list({ locationId });
    expect(runs.map((r) => r.status)).toEqual(["succeeded", "succeeded", "succeeded", "succeeded"]);
  });

  it("resolves edits on both sides by the field policies and records each conflict decision", async () => {
    h = await startLifecycleHarness({
      lifecycle: { defaults: { reconcile: { policies: { fields: { firstName: "sms-wins" } } } } },
    });
    const { store, locationId, engine } = h;
    const control = h.sandbox.ghl.control;
    people(h, 12);
    await reconcile({ deps: engine.deps, locationId, kind: "full", config: h.lifecycle });
    const [x, y] = control.listContacts(locationId).filter((c) => c.lastName?.startsWith("Tester"));
    if (!x || !y) throw new Error("seed too small");
    await h.sandbox.clock.advance(60_000);
    // Local (SMS-side) edit of x's first and last name, and a STOP from y's number.
    const rx = await store.contacts.get(locationId, x.id);
    const px = rx?.profile as Record<string, unknown>;
    await store.contacts.upsert({
      locationId,
      contactId: x.id,
      profile: {
        ...px,
        firstName: "LocalFirst",
        lastName: "LocalLast",
        localEditedAt: h.sandbox.clock.now(),
      },
    });
    const yPhone = (await store.contacts.get(locationId, y.id))?.phoneE164 as string;
    await store.optOuts.set({
      locationId,
      phoneE164: yPhone,
      state: "opted_out",
      source: "sms_stop",
      at: h.sandbox.clock.now(),
    });
    await h.sandbox.clock.advance(60_000);
    // GHL edits of x's first and last name, later than the local ones.
    control.setFaults({ webhookDropRate: 1 });
    control.updateContact(x.id, { firstName: "GhlFirst", lastName: "GhlLast" });
    await h.sandbox.clock.advance(60_000);

    const r = await reconcile({ deps: engine.deps, locationId, kind: "full", config: h.lifecycle });
    if (!r.ok) throw new Error(JSON.stringify(r));
    // firstName: sms-wins -> local value, pushed to GHL. lastName: last-writer-wins -> GHL's later edit.
    expect(control.getContact(x.id)).toMatchObject({ firstName: "LocalFirst", lastName: "GhlLast" });
    expect((await store.contacts.get(locationId, x.id))?.profile).toMatchObject({
      firstName: "LocalFirst",
      lastName: "GhlLast",
    });
    expect(r.counts.conflicts).toEqual({ "sms-wins": 1, "last-writer-wins": 1 });
    const decisions = await store.runs.listConflicts(r.runId);
    expect(decisions.map((d) => [d.contactId, d.field, d.policy, d.chosen])).toEqual(
      expect.arrayContaining([
        [x.id, "firstName", "sms-wins", "LocalFirst"],
        [x.id, "lastName", "last-writer-wins", "GhlLast"],
      ]),
    );
    // The local STOP reached GHL as SMS DND (background write), counted as an opt-out synced.
    expect(control.getContact(y.id)?.dndSettings.SMS?.status).toBe("active");
    expect(r.counts.optOutsSynced).toBeGreaterThanOrEqual(1);

    // Applying the plan converged: the next run has nothing to do.
    await h.sandbox.clock.advance(60_000);
    const again = await reconcile({
      deps: engine.deps,
      locationId,
      kind: "full",
      config: h.lifecycle,
      dryRun: true,
    });
    expect(again.ok && JSON.stringify(again.plan)).toEqual("[]");
    expect(again.ok && again.counts).toMatchObject({ updated: 0, unchanged: 12, conflicts: {} });
  });

  it("dry run computes the plan and writes nothing to any vendor nor to the mirror", async () => {
    h = await startLifecycleHarness();
    const { store, locationId, engine } = h;
    const control = h.sandbox.ghl.control;
    people(h, 12);
    await reconcile({ deps: engine.deps, locationId, kind: "full", config: h.lifecycle });
    await h.sandbox.clock.advance(60_000);
    const [x] = control.listContacts(locationId).filter((c) => c.lastName?.startsWith("Tester"));
    if (!x) throw new Error("seed too small");
    control.setFaults({ webhookDropRate: 1 });
    control.updateContact(x.id, { firstName: "Changed" });
    const phone = (await store.contacts.get(locationId, x.id))?.phoneE164 as string;
    await store.optOuts.set({ locationId, phoneE164: phone, state: "opted_out", source: "sms_stop" });
    const writesBefore = ghlWrites(h).length;
    const blockedBefore = h.sandbox.bulksms.control.blockedNumbers().length;
    const mirrorBefore = await store.contacts.get(locationId, x.id);
    await h.sandbox.clock.advance(60_000);
    const r = await reconcile({
      deps: engine.deps,
      locationId,
      kind: "full",
      dryRun: true,
      config: h.lifecycle,
    });
    if (!r.ok) throw new Error(JSON.stringify(r));
    expect(r.dryRun).toBe(true);
    expect(r.plan).toEqual([
      expect.objectContaining({
        contactId: x.id,
        kind: "update",
        operations: expect.arrayContaining([
          expect.objectContaining({
            op: "updateFields",
            side: "local",
            set: expect.objectContaining({ firstName: "Changed" }),
          }),
          expect.objectContaining({ op: "setDnd", side: "ghl", status: "opted-out" }),
        ]),
      }),
    ]);
    expect(ghlWrites(h).length).toBe(writesBefore);
    expect(h.sandbox.bulksms.control.blockedNumbers().length).toBe(blockedBefore);
    expect(await store.contacts.get(locationId, x.id)).toEqual(mirrorBefore);
    expect((await store.runs.get(r.runId))?.dryRun).toBe(true);
  });

  it("never runs twice at once for a location", async () => {
    h = await startLifecycleHarness({ seedContacts: 2 });
    const active = await h.store.runs.start({
      locationId: h.locationId,
      kind: "full",
      owner: "someone-else",
    });
    expect(active.started).toBe(true);
    const r = await reconcile({
      deps: h.engine.deps,
      locationId: h.locationId,
      kind: "incremental",
      config: h.lifecycle,
    });
    expect(r).toEqual({
      ok: false,
      reason: "already_running",
      activeRunId: active.started ? active.run.id : -1,
    });
    expect(h.sandbox.ghl.control.requestLog()).toHaveLength(0);
  });

  it("unchanged contacts cost at most 3 requests per 1,000 (pages of 500, no per-contact GET)", async () => {
    h = await startLifecycleHarness({ seedContacts: 1600 });
    const { locationId, engine } = h;
    // The first run mirrors everything; the second converges numbers shared by duplicates (an opt-out of
    // one contact's number reaches its duplicates' DND).
    await reconcile({ deps: engine.deps, locationId, kind: "full", config: h.lifecycle });
    await h.sandbox.clock.advance(60_000);
    await reconcile({ deps: engine.deps, locationId, kind: "full", config: h.lifecycle });
    await h.sandbox.clock.advance(60_000);
    const before = h.sandbox.ghl.control.requestLog().length;
    const r = await reconcile({ deps: engine.deps, locationId, kind: "full", config: h.lifecycle });
    if (!r.ok) throw new Error(JSON.stringify(r));
    const used = h.sandbox.ghl.control.requestLog().length - before;
    expect(r.counts).toMatchObject({ scanned: 1600, unchanged: 1600 });
    expect(used).toBe(4); // ceil(1600 / 500)
    expect((used / 1600) * 1000).toBeLessThanOrEqual(3);
  });
});
