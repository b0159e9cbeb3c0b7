// Provider messages across crashes: the process "dies" (the job throws) right after BulkSMS accepted a text
// and before we recorded it, right before the BulkSMS call, and right after GHL recorded a status and
// before the job completed; GHL and BulkSMS also deliver webhooks twice and out of order. Chosen per message
// with a seeded generator, at most once per boundary, so every message eventually goes through.
// Outcome, from the simulators' own records: 0 texts sent twice, 0 lost, every status reported and the last
// one final (delivered, or failed for the opted-out), never pending after delivered, no dead letters.
import type { BulkSmsClient } from "@ghl-bulksms/bulksms";
import type { GhlClient } from "@ghl-bulksms/ghl";
import { afterEach, describe, expect, it } from "vitest";
import { applyOptOut, loadLocation } from "../src/index.js";
import { type Harness, startHarness } from "./harness.js";

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PEOPLE = 24;
const OPTED_OUT = new Set([3, 11, 19]);
const digits = (s: string) => s.replace(/\D/g, "");

describe("provider messages across crashes", () => {
  it("0 sent twice, 0 lost, every status reported", async () => {
    const random = rng(15);
    const crashed = {
      afterSubmit: new Set<string>(),
      beforeSubmit: new Set<string>(),
      afterStatus: new Set<string>(),
    };
    const once = (set: Set<string>, key: string, p: number) => {
      if (set.has(key) || random() >= p) return false;
      set.add(key);
      return true;
    };
    h = await startHarness({
      config: { defaults: { provider: { enabled: true } } },
      wrapSms: (sms: BulkSmsClient) => ({
        ...sms,
        async sendMessages(input) {
          if (once(crashed.beforeSubmit, input.body, 0.2)) throw new Error("crash before the BulkSMS call");
          const r = await sms.sendMessages(input);
          if (r.ok && once(crashed.afterSubmit, input.body, 0.4))
            throw new Error("crash after BulkSMS accepted, before the record");
          return r;
        },
      }),
      wrapGhl: (ghl: GhlClient) => ({
        ...ghl,
        conversations: {
          ...ghl.conversations,
          async updateMessageStatus(p, o) {
            const r = await ghl.conversations.updateMessageStatus(p, o);
            if (r.ok && once(crashed.afterStatus, `${p.messageId}:${p.body.status}`, 0.3))
              throw new Error("crash after GHL recorded the status");
            return r;
          },
        },
      }),
    });
    const { ghl } = h.sandbox;
    ghl.control.setFaults({ webhookDuplicateRate: 0.3, webhookReorderRate: 0.3 });
    h.sandbox.bulksms.control.setFaults({ webhookDuplicateRate: 0.3 });
    const contacts = Array.from({ length: PEOPLE }, (_, i) =>
      ghl.control.createContact(h?.locationId ?? "", {
        firstName: `P${i}`,
        phone: `+4474001240${String(i).padStart(2, "0")}`,
      }),
    );
    await h.settle();
    const ctx = await loadLocation(h.engine.deps, h.locationId);
    if (!ctx) throw new Error("no location");
    for (const i of OPTED_OUT) {
      await h.store.transaction((tx) =>
        applyOptOut(tx, ctx, {
          phone: `+4474001240${String(i).padStart(2, "0")}`,
          source: "sms_stop",
          eventKey: `stop:${i}`,
          why: "replied STOP",
          now: h?.engine.deps.now() ?? 0,
          setGhlDnd: false,
          pushBlock: false,
          confirm: false,
        }),
      );
    }
    const sent = contacts.map((c, i) =>
      ghl.control.sendProviderMessage(
        c.id,
        `message ${i} for ${c.firstName}`,
        i % 3 === 0 ? { userId: null } : {},
      ),
    );
    await h.settle();
    await h.advance(10_000);
    await h.advance(10_000);

    expect(crashed.afterSubmit.size + crashed.beforeSubmit.size + crashed.afterStatus.size).toBeGreaterThan(
      10,
    );
    const texts = h.sandbox.bulksms.control.sentMessages();
    for (const [i, m] of sent.entries()) {
      const phone = `+4474001240${String(i).padStart(2, "0")}`;
      const mine = texts.filter((t) => digits(t.to) === digits(phone));
      const statuses = ghl.control
        .statusUpdates()
        .filter((u) => u.messageId === m.id)
        .map((u) => u.status);
      if (OPTED_OUT.has(i)) {
        expect(mine, `text to opted-out #${i}`).toHaveLength(0);
        expect(statuses.length, `#${i} statuses`).toBeGreaterThan(0);
        expect(new Set(statuses), `#${i} statuses`).toEqual(new Set(["failed"]));
      } else {
        expect(
          mine.map((t) => t.body),
          `texts to #${i}`,
        ).toEqual([m.body]);
        expect(statuses.at(-1), `#${i} last status`).toBe("delivered");
        expect(statuses.slice(statuses.indexOf("delivered")), `#${i}`).not.toContain("pending");
      }
      expect(ghl.control.outboundMessages().find((x) => x.id === m.id)?.status).toBe(
        OPTED_OUT.has(i) ? "failed" : "delivered",
      );
    }
    expect(await h.store.deadLetters.list()).toEqual([]);
  });
});
