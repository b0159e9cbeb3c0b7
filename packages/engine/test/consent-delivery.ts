// Test helpers for consent events delivered out of order: the actions happen in the sandboxes at their own
// times (a reply to BulkSMS, a DND change in GHL, an operator's CLI command), and what they cause (the
// webhooks, the operator's call) is delivered to the engine later, in an order the test chooses, with
// duplicates and concurrent processing. The harness's own settle() later sees these webhooks as duplicates
// (same event ids), so it cannot re-deliver them in their natural order.
import { parseBulkSmsWebhook } from "@ghl-bulksms/bulksms";
import type { InboxItem } from "../src/inbox-handlers.js";
import { applyOptIn, applyOptOut, loadLocation } from "../src/index.js";
import { drainJobs, ingestEvent } from "../src/testing/index.js";
import type { Harness } from "./harness.js";

/** Something the engine is told about one consent event: a webhook, or the operator's command. */
export type Delivery =
  | {
      kind: "inbox";
      source: "bulksms" | "ghl";
      eventId: string;
      eventType: string;
      locationId: string | null;
      payload: unknown;
    }
  | { kind: "operator"; phone: string; optIn: boolean; at: number; key: string };

const digits = (n: string) => n.replace(/\D/g, "");

/** A reply sent to BulkSMS now; returns the RECEIVED webhook(s) it caused (not yet delivered to the engine). */
export async function reply(h: Harness, phone: string, body: string): Promise<Delivery[]> {
  const before = h.receiver.requests.length;
  const sent = h.sandbox.bulksms.control.simulateReply({ from: phone, body });
  await h.sandbox.bulksms.control.settle();
  const out: Delivery[] = [];
  for (const req of h.receiver.requests.slice(before)) {
    if (!req.path.endsWith("/bulksms")) continue;
    const parsed = parseBulkSmsWebhook(JSON.stringify(req.body), req.headers as never);
    if (!parsed.ok) throw new Error(`bad BulkSMS webhook: ${parsed.error}`);
    for (const m of parsed.data.messages) {
      if (m.type !== "RECEIVED" || m.id !== sent.id) continue;
      out.push({
        kind: "inbox",
        source: "bulksms",
        eventId: `${m.id}:RECEIVED`,
        eventType: "bulksms.incoming-message",
        locationId: null,
        payload: m,
      });
    }
  }
  if (out.length === 0) throw new Error(`reply from ${digits(phone)}: no RECEIVED webhook`);
  return out;
}

/** A person switches SMS DND in GHL now; returns the contact webhooks GHL sent for it (none if no change). */
export async function setGhlDnd(h: Harness, contactId: string, active: boolean): Promise<Delivery[]> {
  const before = h.receiver.requests.length;
  h.sandbox.ghl.control.updateContact(contactId, {
    dndSettings: { SMS: { status: active ? "active" : "inactive", message: "set in GHL" } },
  });
  await h.sandbox.ghl.control.flushWebhooks();
  const out: Delivery[] = [];
  for (const req of h.receiver.requests.slice(before)) {
    if (!req.path.endsWith("/ghl")) continue;
    const body = req.body as { type: string; webhookId: string; locationId?: string; id?: string };
    if (body.id !== contactId) continue;
    out.push({
      kind: "inbox",
      source: "ghl",
      eventId: body.webhookId,
      eventType: body.type,
      locationId: body.locationId ?? null,
      payload: body,
    });
  }
  return out;
}

/** An operator's opt-in/opt-out command given now (its action time); delivered when the test says. */
export function operator(h: Harness, phone: string, optIn: boolean): Delivery[] {
  const at = h.sandbox.clock.now();
  return [{ kind: "operator", phone, optIn, at, key: `operator-${optIn ? "in" : "out"}:${at}:${phone}` }];
}

async function runOperator(h: Harness, d: Extract<Delivery, { kind: "operator" }>): Promise<void> {
  const ctx = await loadLocation(h.engine.deps, h.locationId);
  if (!ctx) throw new Error("no location");
  const now = h.engine.deps.now();
  await h.store.transaction((tx) =>
    d.optIn
      ? applyOptIn(tx, ctx, {
          phone: d.phone,
          source: "operator",
          eventKey: d.key,
          why: "re-subscribed by an operator",
          now,
          eventAt: d.at,
          confirm: false,
        })
      : applyOptOut(tx, ctx, {
          phone: d.phone,
          source: "operator",
          eventKey: d.key,
          why: "opted out by an operator",
          now,
          eventAt: d.at,
          setGhlDnd: true,
          pushBlock: true,
          confirm: false,
        }),
  );
}

/** Runs one delivery straight through the engine's handler (a redelivery that passed the inbox). */
async function runDirect(h: Harness, d: Delivery): Promise<void> {
  if (d.kind === "operator") return runOperator(h, d);
  const item: InboxItem = {
    inboxId: 0,
    source: d.source,
    eventId: d.eventId,
    eventType: d.eventType,
    locationId: d.locationId,
    payload: d.payload,
    receivedAt: h.sandbox.clock.now(),
  };
  const context = {
    jobId: 0,
    attempt: 2,
    locationId: null,
    finalAttempt: false,
    signal: new AbortController().signal,
  };
  const r =
    d.source === "bulksms"
      ? await h.engine.inbox.bulksms(item, context)
      : await h.engine.inbox.ghl(item, context);
  if (!r.ok) throw new Error(`redelivery failed: ${r.error.message}`);
}

/**
 * Delivers in this order: webhooks are stored in the inbox in the given order and processed by `workers`
 * job runners at once (as the worker's runner does, concurrently), operator commands run alongside;
 * `again` lists deliveries processed a second time, concurrently, past the inbox's duplicate check (as
 * after a crash before the inbox row was marked). Then everything settles.
 */
export async function deliver(
  h: Harness,
  order: readonly Delivery[],
  options: { workers?: number; again?: readonly Delivery[] } = {},
): Promise<void> {
  const operatorRuns: Promise<void>[] = [];
  for (const d of order) {
    if (d.kind === "operator") operatorRuns.push(runOperator(h, d));
    else
      await ingestEvent(h.store, {
        source: d.source,
        eventId: d.eventId,
        eventType: d.eventType,
        locationId: d.locationId,
        payload: d.payload,
      });
  }
  const workers = Array.from({ length: options.workers ?? 1 }, () => drainJobs(h.engine));
  const again = (options.again ?? []).map((d) => runDirect(h, d));
  await Promise.all([...operatorRuns, ...workers, ...again]);
  await h.settle();
}

/** Delivers one at a time, settling after each (the order a perfectly ordered world would give). */
export async function deliverInOrder(h: Harness, order: readonly Delivery[]): Promise<void> {
  for (const d of order) await deliver(h, [d]);
}

export interface ConsentOutcome {
  local: string | null;
  ghlDnd: boolean;
  ghlTag: boolean;
  bulksmsBlocked: boolean;
}

/** The person's consent as each side shows it: local record, GHL (read back) and BulkSMS (read back). */
export async function outcome(h: Harness, contactId: string, phone: string): Promise<ConsentOutcome> {
  const local = await h.store.optOuts.get(h.locationId, phone);
  const r = await h.ghl.contacts.get({ locationId: h.locationId, contactId });
  if (!r.ok) throw new Error(`GHL read failed: ${r.error.message}`);
  const c = r.data.contact as { dnd?: boolean; dndSettings?: { SMS?: { status?: string } }; tags?: string[] };
  return {
    local: local ? `${local.state}/${local.source}` : null,
    ghlDnd: c.dndSettings?.SMS?.status === "active" || c.dnd === true,
    ghlTag: (c.tags ?? []).includes("sms-opted-out"),
    bulksmsBlocked: h.sandbox.bulksms.control.blockedNumbers().some((n) => digits(n) === digits(phone)),
  };
}
