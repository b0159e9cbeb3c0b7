// A STOP reply blocks the number at BulkSMS at once; the blocked-number pull may see that block before the
// STOP message itself is delivered. Either order, the STOP gets its history entry and its note, and the
// number ends opted out by the STOP (issue 10, point 5).
import { afterEach, describe, expect, it } from "vitest";
import { pullBlockedNumbers } from "../src/index.js";
import { deliver, outcome, reply } from "./consent-delivery.js";
import { type Harness, startHarness } from "./harness.js";

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

async function notes(harness: Harness, contactId: string): Promise<string[]> {
  const r = await harness.ghl.notes.list({ locationId: harness.locationId, contactId });
  if (!r.ok) throw r.error;
  return r.data.notes.map((n) => n.body ?? "");
}

describe.each(["pull first", "STOP first"] as const)("STOP and the blocked-number pull, %s", (order) => {
  it("the STOP gets its history entry and note; the number is opted out by the STOP", async () => {
    h = await startHarness();
    const phone = "+447400555001";
    const c = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "Pia", phone: "07400 555001" });
    await h.settle();
    const stop = await reply(h, phone, "STOP"); // BulkSMS blocks the number now
    await h.sandbox.clock.advance(30_000);
    const pull = async () => {
      const r = await pullBlockedNumbers(h?.engine.deps as never, h?.locationId as string);
      expect(r.ok).toBe(true);
      await h?.settle();
    };
    if (order === "pull first") {
      await pull();
      await deliver(h, stop);
    } else {
      await deliver(h, stop);
      await pull();
    }

    const history = await h.store.optOuts.history(h.locationId, phone);
    expect(history.map((e) => e.source).sort()).toEqual(["bulksms_blocked", "sms_stop"]);
    expect(await h.store.optOuts.get(h.locationId, phone)).toMatchObject({
      state: "opted_out",
      source: "sms_stop",
    });
    // the STOP's own words are on the contact once, and the number was opted out once
    const all = await notes(h, c.id);
    expect(all.filter((b) => b.includes('replied "STOP" by SMS'))).toHaveLength(1);
    expect(all.filter((b) => b.startsWith("Opted out of SMS"))).toHaveLength(1);
    expect(await outcome(h, c.id, phone)).toEqual({
      local: "opted_out/sms_stop",
      ghlDnd: true,
      ghlTag: true,
      bulksmsBlocked: true,
    });
  });
});
