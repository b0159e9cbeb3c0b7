// Duplicate merging in GHL: proposal from the mirror, plan first, apply (delete and tag-only), undo with
// nothing lost (full records compared before and after).
import { afterEach, describe, expect, it } from "vitest";
import { applyMerge, proposeMerges, reconcile, undoMerge } from "../../src/index.js";
import { type LifecycleHarness, startLifecycleHarness } from "./lifecycle-harness.js";

let h: LifecycleHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function fullRecord(harness: LifecycleHarness, contactId: string) {
  const { locationId, ghl } = harness;
  const c = await ghl.contacts.get({ locationId, contactId });
  if (!c.ok) throw new Error(`get ${contactId}: ${c.error.message}`);
  const n = await ghl.notes.list({ locationId, contactId });
  const t = await ghl.tasks.list({ locationId, contactId });
  if (!n.ok || !t.ok) throw new Error("notes/tasks");
  const k = c.data.contact;
  return {
    fields: {
      firstName: k.firstName,
      lastName: k.lastName,
      email: k.email,
      phone: k.phone,
      companyName: k.companyName,
      city: k.city,
      timezone: k.timezone,
      customFields: k.customFields,
      dnd: k.dnd,
    },
    tags: [...(k.tags ?? [])].sort(),
    notes: n.data.notes.map((x) => (x.body ?? "").replace(/\n\n\[ref:[0-9a-f]+\]$/, "")).sort(),
    tasks: t.data.tasks
      .map((x) => ({
        title: x.title,
        body: (x.body ?? "").replace(/\n\n\[ref:[0-9a-f]+\]$/, ""),
        completed: x.completed,
      }))
      .sort((a, b) => (a.title ?? "").localeCompare(b.title ?? "")),
  };
}

async function setup(lifecycle: unknown) {
  const harness = await startLifecycleHarness({ location: { allowDuplicates: true }, lifecycle });
  const control = harness.sandbox.ghl.control;
  control.setFaults({ webhookDropRate: 1 });
  const { locationId, ghl } = harness;
  const older = control.createContact(locationId, {
    firstName: "Ada",
    lastName: "Lovelace",
    phone: "+447911123401",
    email: "ada@example.org",
    city: "London",
    tags: ["customer"],
  });
  await harness.sandbox.clock.advance(60_000);
  const dup = control.createContact(locationId, {
    firstName: "Ada",
    lastName: "Lovelace",
    phone: "+447911123401",
    email: "ada.l@example.org",
    companyName: "Analytical Engines",
    tags: ["vip", "newsletter"],
  });
  control.createContact(locationId, {
    firstName: "Other",
    lastName: "Person",
    phone: "+447911123402",
    email: "other@example.org",
  });
  control.addNote(dup.id, "Called about the quote");
  control.addNote(dup.id, "Prefers texts after 5pm");
  control.addTask(dup.id, {
    title: "Send the quote",
    dueDate: "2026-03-12T09:00:00.000Z",
    body: "Quote #42",
  });
  const done = control.addTask(dup.id, {
    title: "Intro call",
    dueDate: "2026-03-01T09:00:00.000Z",
    body: "done",
  });
  const r = await ghl.tasks.update({
    locationId,
    contactId: dup.id,
    taskId: done.id,
    body: { completed: true },
  });
  if (!r.ok) throw new Error(r.error.message);
  control.addNote(older.id, "First contact at the fair");
  await reconcile({ deps: harness.engine.deps, locationId, kind: "full", config: harness.lifecycle });
  return { harness, older, dup };
}

describe("duplicate merging", () => {
  it("proposes, shows the plan first, merges (delete mode) and undoes with nothing lost", async () => {
    const s = await setup({ defaults: { merge: { enabled: true, mode: "delete" } } });
    h = s.harness;
    const { older, dup } = s;
    const { locationId, engine } = h;
    const proposals = await proposeMerges(engine.deps, locationId, { config: h.lifecycle });
    expect(proposals).toHaveLength(1);
    const proposal = proposals[0];
    if (!proposal) throw new Error("no proposal");
    expect(proposal.cluster.ids).toEqual([older.id, dup.id].sort());
    expect(proposal.cluster.evidence[0]?.keys).toContain("phone");
    const survivorId = proposal.cluster.survivor;
    const absorbedId = survivorId === older.id ? dup.id : older.id;
    const survivorBefore = await fullRecord(h, survivorId);
    const absorbedBefore = await fullRecord(h, absorbedId);

    // The plan first: nothing is written.
    const writes = () => h!.sandbox.ghl.control.requestLog().filter((e) => e.method !== "GET").length;
    const w0 = writes();
    const preview = await applyMerge(engine.deps, locationId, proposal.cluster, { config: h.lifecycle });
    if (!preview.ok) throw new Error(JSON.stringify(preview));
    expect(preview.applied).toBe(false);
    expect(preview.preview.plan.absorbed).toEqual([absorbedId]);
    expect(preview.preview.survivorUpdate.addTags.length).toBeGreaterThan(0);
    expect(writes()).toBe(w0);

    const applied = await applyMerge(engine.deps, locationId, proposal.cluster, {
      config: h.lifecycle,
      confirm: true,
    });
    if (!applied.ok || !applied.applied) throw new Error(JSON.stringify(applied));
    // Survivor: union of tags, merged fields, the other's notes and OPEN task with their origin.
    const survivorAfter = await fullRecord(h, survivorId);
    expect(survivorAfter.tags).toEqual(["customer", "newsletter", "vip"]);
    expect(survivorAfter.fields).toMatchObject({ city: "London", firstName: "Ada" });
    const carriedNotes = survivorAfter.notes.filter((n) => n.includes(`carried over from duplicate`));
    expect(carriedNotes).toHaveLength(absorbedBefore.notes.length);
    expect(carriedNotes.every((n) => n.includes(absorbedId))).toBe(true);
    const carriedTasks = survivorAfter.tasks.filter((t) => t.body.includes("carried over"));
    expect(carriedTasks.map((t) => t.title)).toEqual(
      absorbedBefore.tasks.filter((t) => !t.completed).map((t) => t.title),
    );
    // The other is deleted in GHL and in the mirror; its full record is in the undo log.
    expect(h.sandbox.ghl.control.getContact(absorbedId)).toBeUndefined();
    expect((await h.store.contacts.get(locationId, absorbedId))?.deleted).toBe(true);
    const undoId = applied.undoIds[0] as number;
    expect((await h.store.mergeUndo.get(undoId))?.status).toBe("applied");

    const undone = await undoMerge(engine.deps, undoId);
    if (!undone.ok) throw new Error(JSON.stringify(undone));
    expect(undone.recreatedId).toBeTruthy();
    expect(undone.recreatedId).not.toBe(absorbedId);
    expect(await h.store.mergeUndo.get(undoId)).toMatchObject({
      status: "undone",
      recreatedId: undone.recreatedId,
    });
    // Nothing lost: the recreated contact and the survivor are as they were before the merge.
    expect(await fullRecord(h, undone.recreatedId as string)).toEqual(absorbedBefore);
    expect(await fullRecord(h, survivorId)).toEqual(survivorBefore);
    // Undo is not repeatable.
    expect(await undoMerge(engine.deps, undoId)).toMatchObject({ ok: false, reason: "not_applied" });
  });

  it("is opt-in per location, and 'never delete' only tags the duplicate", async () => {
    const off = await setup({});
    h = off.harness;
    const [p] = await proposeMerges(h.engine.deps, h.locationId, { config: h.lifecycle });
    if (!p) throw new Error("no proposal");
    expect(
      await applyMerge(h.engine.deps, h.locationId, p.cluster, { config: h.lifecycle, confirm: true }),
    ).toEqual({
      ok: false,
      reason: "merge_disabled",
    });
    await h.close();

    const s = await setup({ defaults: { merge: { enabled: true, mode: "tag-only" } } });
    h = s.harness;
    const [q] = await proposeMerges(h.engine.deps, h.locationId, { config: h.lifecycle });
    if (!q) throw new Error("no proposal");
    const absorbedId = q.cluster.ids.find((id) => id !== q.cluster.survivor) as string;
    // A requested delete is refused by the location's "never delete".
    const r = await applyMerge(h.engine.deps, h.locationId, q.cluster, {
      config: h.lifecycle,
      confirm: true,
      mode: "delete",
    });
    if (!r.ok || !r.applied) throw new Error(JSON.stringify(r));
    expect(r.preview.mode).toBe("tag-only");
    expect(h.sandbox.ghl.control.getContact(absorbedId)?.tags).toContain("duplicate");
    const u = await undoMerge(h.engine.deps, r.undoIds[0] as number);
    expect(u).toMatchObject({ ok: true, recreatedId: null });
    expect(h.sandbox.ghl.control.getContact(absorbedId)?.tags).not.toContain("duplicate");
  });
});

describe("duplicate merging: country and form (issue 12)", () => {
  it("finds a UK contact written nationally in a US location, and the merge keeps 'Evans' over 'EVANS'", async () => {
    h = await startLifecycleHarness({
      location: { allowDuplicates: true, country: "US", timezone: "America/New_York" },
      lifecycle: { defaults: { merge: { enabled: true, mode: "delete" } } },
    });
    const control = h.sandbox.ghl.control;
    control.setFaults({ webhookDropRate: 1 });
    const { locationId, engine } = h;
    const older = control.createContact(locationId, {
      firstName: "Megan",
      lastName: "Evans",
      phone: "07400 123456", // national UK form: only the contact's country reads it in a US location
      country: "GB",
      email: "megan.evans@example.org",
      city: "Leeds",
    });
    await h.sandbox.clock.advance(60_000);
    const dup = control.createContact(locationId, {
      firstName: "MEGAN",
      lastName: "EVANS",
      phone: "+44 7400 123456",
      country: "GB",
    });
    // No country on either: only a fallback region (the operator's --region) reads the national form.
    const ian = control.createContact(locationId, {
      firstName: "Ian",
      lastName: "Wright",
      phone: "07400 123457",
    });
    const ian2 = control.createContact(locationId, {
      firstName: "Ian",
      lastName: "Wright",
      phone: "+447400123457",
    });
    await reconcile({ deps: engine.deps, locationId, kind: "full", config: h.lifecycle });
    expect((await h.store.contacts.get(locationId, older.id))?.phoneE164).toBe("+447400123456");

    const withFallback = await proposeMerges(engine.deps, locationId, {
      config: h.lifecycle,
      fallbackRegion: "GB",
    });
    expect(withFallback.map((p) => p.cluster.ids).sort()).toEqual(
      [[older.id, dup.id].sort(), [ian.id, ian2.id].sort()].sort(),
    );
    const proposals = await proposeMerges(engine.deps, locationId, { config: h.lifecycle });
    expect(proposals.map((p) => p.cluster.ids)).toEqual([[older.id, dup.id].sort()]);
    const cluster = proposals[0]?.cluster;
    if (!cluster) throw new Error("no proposal");
    expect(cluster.survivor).toBe(older.id);
    expect(cluster.evidence[0]?.fields.find((f) => f.field === "phone")?.level).toBe("same-number");
    expect(cluster.evidence[0]?.probability).toBeGreaterThan(0.9);

    const applied = await applyMerge(engine.deps, locationId, cluster, {
      config: h.lifecycle,
      confirm: true,
    });
    if (!applied.ok || !applied.applied) throw new Error(JSON.stringify(applied));
    const lastName = applied.preview.plan.fields.find((f) => f.field === "lastName");
    expect(lastName).toMatchObject({ value: "Evans", rule: "better-form", from: [older.id] });
    expect(applied.preview.survivorUpdate.fields).not.toHaveProperty("lastName");
    const survivor = await fullRecord(h, older.id);
    expect(survivor.fields).toMatchObject({ firstName: "Megan", lastName: "Evans", city: "Leeds" });
  });
});
