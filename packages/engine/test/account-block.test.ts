// Issue 10 point 4: no billed texts to numbers the BulkSMS account blocks. BulkSMS blocks a number itself
// on STOP, and a text to a blocked number ends FAILED.BLOCKED and is still billed: the send gate refuses
// every number the account is known to block, and confirmations are sent only where they can arrive.
import { afterEach, describe, expect, it } from "vitest";
import { getAccountBlock, operatorSend, pullBlockedNumbers } from "../src/index.js";
import { type Harness, startHarness } from "./harness.js";

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const digits = (n: string) => n.replace(/\D/g, "");

/** What BulkSMS made of each text to the number, with the body: "DELIVERED ...", "FAILED.BLOCKED ...". */
function outcomesTo(harness: Harness, e164: string): string[] {
  return harness.sandbox.bulksms.control
    .messages({ type: "SENT" })
    .filter((m) => digits(m.to) === digits(e164))
    .map((m) => `${m.status.id.replace(/\.null$/, "")} ${m.body}`);
}

describe("numbers the BulkSMS account blocks", () => {
  it('STOP_CONFIRMATION "unless-blocked": confirmed where BulkSMS did not block (delivered), refused free where it did', async () => {
    h = await startHarness({
      config: {
        defaults: {
          // ARRET is ours only: the BulkSMS account blocks on STOP (its own words), not on ARRET
          keywords: { stop: ["STOP", "ARRET"], gatewayStop: ["STOP"] },
          replies: { stopConfirmationMode: "unless-blocked", stopConfirmation: "Unsubscribed." },
        },
      },
    });
    const control = h.sandbox.ghl.control;
    const ann = {
      e164: "+447400700001",
      id: control.createContact(h.locationId, { phone: "07400 700001" }).id,
    };
    const bob = {
      e164: "+447400700002",
      id: control.createContact(h.locationId, { phone: "07400 700002" }).id,
    };
    await h.settle();
    const credits = h.sandbox.bulksms.control.credits();

    h.sandbox.bulksms.control.simulateReply({ from: ann.e164, body: "Arret" });
    h.sandbox.bulksms.control.simulateReply({ from: bob.e164, body: "STOP" });
    await h.settle();
    await h.advance(10_000);
    expect(outcomesTo(h, ann.e164)).toEqual(["DELIVERED Unsubscribed."]);
    expect(outcomesTo(h, bob.e164)).toEqual([]); // not submitted: it would have ended FAILED.BLOCKED
    expect(h.sandbox.bulksms.control.credits()).toBe(credits - 1); // Ann's confirmation only
    const bobs = await h.store.messages.listForContact(h.locationId, bob.id);
    expect(bobs.map((m) => [m.status, m.error])).toEqual([
      ["CANCELLED", "blocked by the send gate: account_blocked (stop)"],
    ]);
    // both end blocked at BulkSMS (Ann's number pushed by us once her confirmation had left) and known so
    const blocked = h.sandbox.bulksms.control.blockedNumbers().map((n) => `+${digits(n)}`);
    expect(blocked.sort()).toEqual([ann.e164, bob.e164]);
    expect(await getAccountBlock(h.store, ann.e164)).toMatchObject({ evidence: "push" });
    expect(await getAccountBlock(h.store, bob.e164)).toMatchObject({ evidence: "stop" });
  });

  it("the default sends no confirmation at all, for any STOP word", async () => {
    h = await startHarness({ config: { defaults: { keywords: { stop: ["STOP", "ARRET"] } } } });
    const phone = "+447400700003";
    h.sandbox.ghl.control.createContact(h.locationId, { phone: "07400 700003" });
    await h.settle();
    h.sandbox.bulksms.control.simulateReply({ from: phone, body: "ARRET" });
    await h.settle();
    await h.advance(10_000);
    expect(outcomesTo(h, phone)).toEqual([]);
    expect(await h.store.optOuts.isOptedOut(h.locationId, phone)).toBe(true);
  });

  it("a FAILED.BLOCKED report and the blocked-number pull record the block: no second billed text", async () => {
    h = await startHarness();
    const control = h.sandbox.ghl.control;
    // blocked at BulkSMS by its staff, unknown to us: the first text is refused (and billed) once
    const cat = {
      e164: "+447400700004",
      id: control.createContact(h.locationId, { phone: "07400 700004" }).id,
    };
    h.sandbox.bulksms.control.addBlocked([cat.e164]);
    await h.settle();
    const first = await operatorSend(h.engine.deps, {
      locationId: h.locationId,
      contactId: cat.id,
      to: cat.e164,
      body: "Hi",
      key: "cat-1",
    });
    expect(first.status).toBe("sent");
    await h.advance(10_000);
    expect(outcomesTo(h, cat.e164)).toEqual(["FAILED.BLOCKED Hi"]);
    expect(await getAccountBlock(h.store, cat.e164)).toMatchObject({ evidence: "failed_blocked" });
    const again = await operatorSend(h.engine.deps, {
      locationId: h.locationId,
      contactId: cat.id,
      to: cat.e164,
      body: "Hi again",
      key: "cat-2",
    });
    expect(again.status).toBe("blocked");
    await h.advance(10_000);
    expect(outcomesTo(h, cat.e164)).toEqual(["FAILED.BLOCKED Hi"]);

    const dee = "+447400700005";
    h.sandbox.bulksms.control.addBlocked([dee]);
    expect(await pullBlockedNumbers(h.engine.deps, h.locationId)).toMatchObject({ ok: true });
    expect(await getAccountBlock(h.store, dee)).toMatchObject({ evidence: "pull" });
    const toDee = await operatorSend(h.engine.deps, {
      locationId: h.locationId,
      to: dee,
      body: "Hi",
      key: "dee",
    });
    expect(toDee).toMatchObject({ status: "blocked" });
    await h.advance(10_000);
    expect(outcomesTo(h, dee)).toEqual([]);
  });
});
