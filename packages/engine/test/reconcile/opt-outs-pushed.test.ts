// Every opt-out a reconcile finds reaches BulkSMS: all opt-outs of one run share the run's event key, and
// each number's block job must still be its own (issue 10, point 3). Read back from the BulkSMS sandbox.
import { afterEach, describe, expect, it } from "vitest";
import { reconcile } from "../../src/index.js";
import { type LifecycleHarness, startLifecycleHarness } from "./lifecycle-harness.js";

let h: LifecycleHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const N = 50;
const phoneOf = (i: number) => `+4479112${String(i).padStart(5, "0")}`;

describe("reconcile opt-outs", () => {
  it(`${N} contacts with SMS DND found by one reconcile: ${N} numbers blocked at BulkSMS`, async () => {
    h = await startLifecycleHarness();
    const { store, locationId, engine } = h;
    const control = h.sandbox.ghl.control;
    control.setFaults({ webhookDropRate: 1 }); // only reconciliation sees these
    const people = Array.from({ length: N }, (_, i) =>
      control.createContact(locationId, { firstName: `Dnd${i}`, lastName: "Person", phone: phoneOf(i) }),
    );
    const first = await reconcile({ deps: engine.deps, locationId, kind: "full", config: h.lifecycle });
    expect(first.ok && first.counts.created).toBe(N);
    await h.settle();

    await h.sandbox.clock.advance(60_000);
    for (const p of people)
      control.updateContact(p.id, { dndSettings: { SMS: { status: "active", message: "" } } });
    await h.sandbox.clock.advance(60_000);
    const run = await reconcile({ deps: engine.deps, locationId, kind: "incremental", config: h.lifecycle });
    if (!run.ok) throw new Error(JSON.stringify(run));
    expect(run.counts.optOutsSynced).toBe(N);
    await h.settle(); // the opt-out jobs run

    const blocked = new Set(
      h.sandbox.bulksms.control.blockedNumbers().map((n) => `+${n.replace(/\D/g, "")}`),
    );
    const pushed = people.map((_, i) => phoneOf(i)).filter((p) => blocked.has(p));
    expect(pushed).toHaveLength(N);
    for (let i = 0; i < N; i++) {
      expect(await store.optOuts.get(locationId, phoneOf(i))).toMatchObject({
        state: "opted_out",
        source: "ghl_dnd",
      });
    }
    const adds = (await store.audit.list({ vendor: "bulksms" })).filter(
      (a) => a.operation === "blocked-numbers.add",
    );
    expect(adds).toHaveLength(N); // one push per number, none twice
  }, 120_000);
});
