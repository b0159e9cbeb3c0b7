// The welcome SMS under reconciliation (recent enough only, never twice) and the lifecycle jobs/schedule.
import { afterEach, describe, expect, it } from "vitest";
import {
  createLifecycleJobRegistry,
  enqueueDueLifecycleJobs,
  LIFECYCLE_JOB_NAMES,
  reconcile,
} from "../../src/index.js";
import { type LifecycleHarness, startLifecycleHarness } from "./lifecycle-harness.js";

const HOUR = 3_600_000;
let h: LifecycleHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ctx = {
  jobId: 1,
  attempt: 1,
  locationId: null,
  finalAttempt: false,
  signal: new AbortController().signal,
};

describe("welcome under reconciliation", () => {
  it("welcomes a discovered contact only if recent enough, and never twice", async () => {
    h = await startLifecycleHarness({
      config: { defaults: { welcome: { enabled: true, template: "Welcome {{firstName}}!" } } },
      lifecycle: { defaults: { reconcile: { welcomeMaxAgeHours: 6 } } },
    });
    const control = h.sandbox.ghl.control;
    control.setFaults({ webhookDropRate: 1 }); // the ContactCreate webhooks are lost
    const old = control.createContact(h.locationId, {
      firstName: "Old",
      lastName: "Timer",
      phone: "+447911123470",
    });
    await h.sandbox.clock.advance(7 * HOUR); // 19:00 London, inside the sending window
    const fresh = control.createContact(h.locationId, {
      firstName: "Fresh",
      lastName: "Face",
      phone: "+447911123471",
    });
    await h.sandbox.clock.advance(10 * 60_000);
    const r = await reconcile({
      deps: h.engine.deps,
      locationId: h.locationId,
      kind: "full",
      config: h.lifecycle,
    });
    expect(r.ok && r.counts.created).toBe(2);
    await h.settle();
    const sent = () =>
      h!.sandbox.bulksms.control.sentMessages().map((m) => String((m as { body?: string }).body));
    expect(sent()).toEqual(["Welcome Fresh!"]);
    expect((await h.store.contacts.get(h.locationId, fresh.id))?.welcomeSentAt).not.toBeNull();
    expect((await h.store.contacts.get(h.locationId, old.id))?.welcomeSentAt).toBeNull();

    // The lost webhook finally arrives, and reconciliation runs again: still one welcome.
    control.setFaults({ webhookDropRate: 0 });
    control.updateContact(fresh.id, { tags: ["customer"] });
    await h.settle();
    await h.sandbox.clock.advance(60_000);
    await reconcile({ deps: h.engine.deps, locationId: h.locationId, kind: "full", config: h.lifecycle });
    await h.settle();
    expect(sent()).toEqual(["Welcome Fresh!"]);
  });
});

describe("lifecycle jobs", () => {
  it("registers every job with a schema, and the schedule enqueues each due job once per slot", async () => {
    h = await startLifecycleHarness({
      seedContacts: 3,
      lifecycle: { defaults: { reconcile: { fullAt: "03:00" } } },
    });
    const jobs = createLifecycleJobRegistry(h.engine.deps, h.lifecycle);
    expect(Object.keys(jobs).sort()).toEqual([...LIFECYCLE_JOB_NAMES].sort());
    expect(jobs["reconcile.full"].schema.safeParse({}).success).toBe(false);
    expect(await jobs["reconcile.full"].handler({ locationId: h.locationId }, ctx)).toEqual({ ok: true });
    expect((await h.store.runs.latest(h.locationId, { kind: "full" }))?.counts.created).toBe(3);
    expect(await jobs["reconcile.incremental"].handler({ locationId: h.locationId }, ctx)).toEqual({
      ok: true,
    });
    expect(await jobs["followups.run"].handler({}, ctx)).toEqual({ ok: true });
    expect(await jobs["digest.tick"].handler({}, ctx)).toEqual({ ok: true });

    // 12:00 London: incremental + follow-ups + digest tick + (03:00 passed) today's full run.
    const now = h.sandbox.clock.now();
    expect(await enqueueDueLifecycleJobs(h.engine.deps, h.lifecycle, now)).toBe(4);
    expect(await enqueueDueLifecycleJobs(h.engine.deps, h.lifecycle, now + 1_000)).toBe(0);
    // 15 minutes later: a new incremental slot, a new follow-up minute, a new digest slot; no second full run.
    expect(await enqueueDueLifecycleJobs(h.engine.deps, h.lifecycle, now + 15 * 60_000)).toBe(3);
  });
});
