import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGhlControlClient } from "../src/ghl/control-client.ts";
import type { GhlSimulator } from "../src/ghl/simulator.ts";
import { api, startGhl, startReceiver } from "./helpers.ts";

let sim: GhlSimulator;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeEach(async () => {
  receiver = await startReceiver();
  sim = await startGhl({ seedContacts: 5 });
});
afterEach(async () => {
  await sim.close();
  await receiver.close();
});

describe("control over HTTP (/__sandbox)", () => {
  it("drives the simulator from another process: UI edits fire webhooks, clock, faults, logs, reset", async () => {
    const ctl = createGhlControlClient(sim.url);
    const state = await ctl.state();
    expect((state.locations as unknown[]).length).toBe(2);
    const loc = sim.locations[0]!;
    await ctl.setWebhookUrl(receiver.url);
    const c = await ctl.createContact(loc.id, { firstName: "Ui", email: "ui@example.com" });
    const updated = await ctl.updateContact(c.id, { tags: ["vip"] });
    expect(updated.tags).toEqual(["vip"]);
    await ctl.flushWebhooks();
    expect(receiver.received.map((r) => r.json.type)).toEqual([
      "ContactCreate",
      "ContactUpdate",
      "ContactTagUpdate",
    ]);
    const deliveries = await ctl.webhookDeliveries();
    expect(deliveries.map((d) => d.outcome)).toEqual(["delivered", "delivered", "delivered"]);

    const before = sim.clock.now();
    const after = await ctl.advanceClock(3_600_000);
    expect(after - before).toBeGreaterThanOrEqual(3_600_000);

    const code = await ctl.issueAuthorizationCode({ locationId: loc.id });
    expect(code).toMatch(/^[0-9a-f]{40}$/);

    await ctl.setFaults({ errorRate: 1 });
    expect((await api(sim, `/contacts/${c.id}`)).status).toBeGreaterThanOrEqual(500);
    await ctl.setFaults({ errorRate: 0 });
    expect((await api(sim, `/contacts/${c.id}`)).status).toBe(200);
    expect((await ctl.requestLog()).length).toBe(2);

    expect(await ctl.listContacts(loc.id)).toHaveLength(6);
    await ctl.reset();
    const contacts = await ctl.listContacts(loc.id);
    expect(contacts).toHaveLength(5);
    expect(contacts.find((x) => x.email === "ui@example.com")).toBeUndefined();
    expect(await ctl.webhookDeliveries()).toEqual([]);
    // Tokens are re-issued identically, so clients keep working after a reset.
    expect(
      (await api(sim, "/contacts/search", { body: { locationId: loc.id, pageLimit: 10 } })).body.total,
    ).toBe(5);
  });

  it("answers unknown routes and bad bodies with a clear error", async () => {
    const res = await fetch(`${sim.url}/__sandbox/nope`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: string; routes: string[] };
    expect(body.error).toMatch(/unknown control route/);
    expect(body.routes.length).toBeGreaterThan(10);
    const bad = await fetch(`${sim.url}/__sandbox/faults`, {
      method: "PUT",
      body: JSON.stringify({ errorRate: 3 }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/errorRate/);
  });
});
