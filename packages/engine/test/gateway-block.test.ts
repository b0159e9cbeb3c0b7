// STOP -> START at a gateway that cannot unblock: the START wins for consent, the number BulkSMS still
// blocks is recorded as a gateway block at once (one task; the gate refuses every text, none is billed),
// and neither reconciliation nor the blocked-numbers pull opts the person out again.
import { afterEach, describe, expect, it } from "vitest";
import {
  checkSendGate,
  clearGatewayBlock,
  getGatewayBlock,
  listGatewayBlocks,
  operatorSend,
  pullBlockedNumbers,
  reconcile,
} from "../src/index.js";
import { type Harness, startHarness } from "./harness.js";

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const digits = (n: string) => n.replace(/\D/g, "");
const sentTo = (harness: Harness, e164: string) =>
  harness.sandbox.bulksms.control.sentMessages().filter((m) => digits(m.to) === digits(e164));

async function tasks(harness: Harness, contactId: string) {
  const r = await harness.ghl.tasks.list({ locationId: harness.locationId, contactId });
  if (!r.ok) throw r.error;
  return r.data.tasks;
}

async function expectStillOptedIn(harness: Harness, contactId: string, phone: string) {
  expect(await harness.store.optOuts.get(harness.locationId, phone)).toMatchObject({
    state: "opted_in",
    source: "sms_stop",
  });
  const contact = harness.sandbox.ghl.control.getContact(contactId);
  expect(contact?.dndSettings.SMS?.status).toBe("inactive");
  expect(contact?.tags).not.toContain("sms-opted-out");
}

/** A contact that replied STOP, then START; the number stays on the BulkSMS blocked list. */
async function stopThenStart(harness: Harness, phone: string, national: string) {
  const c = harness.sandbox.ghl.control.createContact(harness.locationId, {
    firstName: "Ben",
    phone: national,
  });
  await harness.settle();
  harness.sandbox.bulksms.control.simulateReply({ from: phone, body: "STOP" });
  await harness.advance(60_000);
  expect(harness.sandbox.bulksms.control.blockedNumbers().map(digits)).toContain(digits(phone));
  harness.sandbox.bulksms.control.simulateReply({ from: phone, body: "START" });
  await harness.settle();
  return c;
}

describe("gateway block after a re-subscribe", () => {
  it("START is recorded as still blocked at once: nothing is billed, one task, and reconciles and the pull keep it", async () => {
    h = await startHarness({
      config: { defaults: { replies: { startConfirmationMode: "unless-blocked" } } },
    });
    const phone = "+447400300001";
    const credits = h.sandbox.bulksms.control.credits();
    const c = await stopThenStart(h, phone, "07400 300001");
    // BulkSMS blocked the number on STOP and cannot unblock it: the START confirmation is refused by our
    // gate (not submitted, not billed) and the block is recorded with its operator task right away
    const confirmation = await h.store.messages.listForContact(h.locationId, c.id);
    expect(confirmation.map((m) => [m.meta, m.status, m.error])).toEqual([
      [
        { purpose: "reply", kind: "start-confirmation" },
        "CANCELLED",
        "blocked by the send gate: gateway_blocked (BulkSMS still blocks this number after the person re-subscribed; ask BulkSMS support to unblock it)",
      ],
    ]);
    const op = await operatorSend(h.engine.deps, {
      locationId: h.locationId,
      contactId: c.id,
      to: phone,
      body: "Welcome back",
      key: "op-1",
    });
    expect(op).toMatchObject({ status: "blocked", gate: { block: "gateway_blocked" } });
    await h.advance(15 * 60_000);
    expect(sentTo(h, phone)).toEqual([]); // nothing submitted: no FAILED.BLOCKED, no credit spent
    expect(h.sandbox.bulksms.control.credits()).toBe(credits);

    await expectStillOptedIn(h, c.id, phone);
    const open = await tasks(h, c.id);
    expect(open).toHaveLength(1);
    expect(open[0]?.body).toContain(`ask BulkSMS support to unblock ${phone}`);
    expect(await getGatewayBlock(h.store, h.locationId, phone)).toMatchObject({
      phone,
      contacts: [c.id],
      messageId: null,
    });

    // the gate refuses every further text (each would be billed as FAILED.BLOCKED)
    for (const purpose of ["automated", "reply", "stop-confirmation"] as const) {
      expect(
        await checkSendGate(h.engine.deps, { locationId: h.locationId, contactId: c.id, to: phone, purpose }),
      ).toMatchObject({ block: "gateway_blocked" });
    }
    h.sandbox.bulksms.control.simulateReply({ from: phone, body: "START" }); // already subscribed
    await h.advance(15 * 60_000);
    expect(sentTo(h, phone)).toEqual([]);

    // two days of reconciles and blocked-number pulls keep the opt-in
    for (let day = 0; day < 2; day++) {
      const full = await reconcile({ deps: h.engine.deps, locationId: h.locationId, kind: "full" });
      expect(full.ok).toBe(true);
      const inc = await reconcile({ deps: h.engine.deps, locationId: h.locationId, kind: "incremental" });
      expect(inc.ok).toBe(true);
      expect(await pullBlockedNumbers(h.engine.deps, h.locationId)).toMatchObject({ ok: true });
      await h.advance(24 * 60 * 60_000);
      await expectStillOptedIn(h, c.id, phone);
    }
    expect(await tasks(h, c.id)).toHaveLength(1);
    const history = await h.store.optOuts.list({ locationId: h.locationId, limit: 100 });
    expect(history.filter((o) => o.phoneE164 === phone)).toMatchObject([{ state: "opted_in" }]);
  });

  it("an operator clears the block once BulkSMS unblocked the number: texts flow again, the task is completed", async () => {
    h = await startHarness();
    const phone = "+447400300002";
    const c = await stopThenStart(h, phone, "07400 300002");
    await h.advance(15 * 60_000);
    expect(await listGatewayBlocks(h.engine.deps, h.locationId)).toHaveLength(1);
    expect(await clearGatewayBlock(h.engine.deps, { locationId: h.locationId, phone })).toBe(true);
    expect(await clearGatewayBlock(h.engine.deps, { locationId: h.locationId, phone })).toBe(false);
    await h.settle();
    expect(await listGatewayBlocks(h.engine.deps, h.locationId)).toHaveLength(0);
    expect(
      await checkSendGate(h.engine.deps, {
        locationId: h.locationId,
        contactId: c.id,
        to: phone,
        purpose: "reply",
      }),
    ).toEqual({ allow: true });
    const [task] = await tasks(h, c.id);
    expect(task?.completed).toBe(true);
  });

  it("a FAILED.BLOCKED without a newer START still opts the number out and sets GHL DND", async () => {
    h = await startHarness();
    const phone = "+447400300003";
    const c = await stopThenStart(h, phone, "07400 300003");
    await h.advance(15 * 60_000);
    // the person opts out again (GHL DND set by a colleague): the START is no longer the newest decision
    h.sandbox.ghl.control.updateContact(c.id, { dndSettings: { SMS: { status: "active" } } });
    await h.settle();
    expect(await h.store.optOuts.get(h.locationId, phone)).toMatchObject({ state: "opted_out" });

    const other = "+447400300004";
    h.sandbox.bulksms.control.addBlocked([other]); // blocked at the gateway, never re-subscribed
    const d = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "Dan", phone: "07400 300004" });
    await h.settle();
    const sent = await operatorSend(h.engine.deps, {
      locationId: h.locationId,
      contactId: d.id,
      to: other,
      body: "Hi Dan",
      key: "dan-1",
    });
    expect(sent.status).toBe("sent");
    await h.advance(15 * 60_000);
    expect(await h.store.optOuts.get(h.locationId, other)).toMatchObject({
      state: "opted_out",
      source: "bulksms_blocked",
    });
    expect(h.sandbox.ghl.control.getContact(d.id)?.dndSettings.SMS?.status).toBe("active");
    expect(await getGatewayBlock(h.store, h.locationId, other)).toBeNull();
  });
});
