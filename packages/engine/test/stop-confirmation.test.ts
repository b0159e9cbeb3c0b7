// The STOP confirmation is the one text an opted-out number may get: a later echo of the same opt-out
// (our own DND write coming back from GHL, a second STOP) processed before it was sent must not cancel it.
import { afterEach, describe, expect, it } from "vitest";
import { applyOptOut, blockJobKey, loadLocation } from "../src/index.js";
import { type Harness, startHarness } from "./harness.js";

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe("STOP confirmation", () => {
  it("survives the DND echo and a second STOP processed before it is sent; other pending texts are cancelled", async () => {
    h = await startHarness({
      config: { defaults: { welcome: { enabled: true, template: "Hi", delayMs: 3_600_000 } } },
    });
    const phone = "+447400123457";
    const c = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "Ned", phone: "07400 123457" });
    await h.settle(); // the welcome is queued for an hour later
    const ctx = await loadLocation(h.engine.deps, h.locationId);
    if (!ctx) throw new Error("no location");
    const now = h.engine.deps.now();
    const stop = { phone, now, why: "replied STOP", setGhlDnd: true, pushBlock: true };
    await h.store.transaction((tx) =>
      applyOptOut(tx, ctx, { ...stop, source: "sms_stop", eventKey: "sms-in:1", confirm: true }),
    );
    // before the confirmation's send job ran: our DND write echoes back, and the person sends STOP again
    await h.store.transaction((tx) =>
      applyOptOut(tx, ctx, {
        ...stop,
        source: "ghl_dnd",
        eventKey: "ghl:echo",
        setGhlDnd: false,
        confirm: false,
      }),
    );
    await h.store.transaction((tx) =>
      applyOptOut(tx, ctx, { ...stop, source: "sms_stop", eventKey: "sms-in:2", confirm: true }),
    );
    const messages = await h.store.messages.listForContact(h.locationId, c.id);
    expect(messages.find((m) => m.key === `welcome:${h?.locationId}:${c.id}`)?.status).toBe("CANCELLED");
    expect(messages.filter((m) => m.key.startsWith("stop-confirmation:")).map((m) => m.status)).toEqual([
      "QUEUED",
    ]);
    // the block waits for the confirmation (BulkSMS refuses blocked numbers): its own job is a fallback
    const fallback = await h.store.jobs.getByKey(
      `bulksms.block:${blockJobKey(h.locationId, phone, "sms-in:1")}`,
    );
    expect(fallback?.runAt).toBe(now + 10 * 60_000);
    await h.settle();
    const confirmationKey = `stop-confirmation:${h.locationId}:sms-in:1`;
    expect((await h.store.jobs.getByKey(`bulksms.block:after:${confirmationKey}`))?.state).toBe("done");
    expect(h.sandbox.bulksms.control.blockedNumbers().map((n) => n.replace(/\D/g, ""))).toContain(
      phone.slice(1),
    );
    await h.advance(11 * 60_000);
    expect(
      (await h.store.jobs.getByKey(`bulksms.block:${blockJobKey(h.locationId, phone, "sms-in:1")}`))?.state,
    ).toBe("done");
    const blocks = (await h.store.audit.list({ vendor: "bulksms" })).filter(
      (a) => a.operation === "blocked-numbers.add",
    );
    expect(blocks).toHaveLength(1); // the fallback saw the early block done and did nothing
    const texts = h.sandbox.bulksms.control
      .sentMessages()
      .filter((m) => m.to.replace(/\D/g, "") === phone.slice(1));
    expect(texts.map((m) => m.body)).toEqual([expect.stringMatching(/unsubscribed/)]);
  });
});
