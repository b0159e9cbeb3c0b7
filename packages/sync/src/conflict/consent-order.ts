/**
 * A person's consent decided by the events' own times, whatever order they were processed in.
 *
 * The history of one number's consent events (STOP/START by SMS, GHL DND on/off, operator opt-in/out,
 * BulkSMS blocks) is replayed in the order the events happened (their own times: BulkSMS's message time,
 * GHL's event time, the operator's action time), applying the same rules a strictly ordered stream would:
 * - any opt-out opts out; while opted out, the first cause is kept (our own DND write echoing back does not
 *   turn a STOP into a "ghl_dnd" opt-out);
 * - an explicit opt-in (START/UNSTOP, an operator) lifts any opt-out;
 * - GHL DND switched off lifts only an opt-out GHL DND itself caused (a STOP stays);
 * - a BulkSMS block does not override an explicit opt-in (BulkSMS cannot unblock, so an old block stays
 *   on its list after START);
 * - at the same instant an opt-out wins.
 * The result depends only on the set of events: any permutation or duplication gives the same decision.
 */

export type ConsentRecordState = "opted_out" | "opted_in";
export type ConsentRecordSource = "sms_stop" | "ghl_dnd" | "bulksms_blocked" | "operator" | "import";

export interface TimedConsentEvent {
  state: ConsentRecordState;
  source: ConsentRecordSource;
  /** The event's own time (ms). */
  eventAt: number;
  /** Unique per event; null for legacy rows (then ordered after keyed events of the same instant). */
  eventKey: string | null;
  /**
   * The sender's own order for events it dates to the same instant (BulkSMS's message id: it dates replies
   * to the second). Two events that both have one are ordered by it before any tie rule.
   */
  eventSeq?: string | null | undefined;
}

export interface ConsentDecision<E extends TimedConsentEvent> {
  /** null while no event has set a state (e.g. only a START for a number never opted out). */
  state: ConsentRecordState | null;
  /** The cause: the first opt-out of the current opted-out stretch, or the opt-in that lifted it. */
  decidedBy: E | null;
  /** Events that moved the state when replayed in time order (the ones that take effect). */
  effective: E[];
}

function isOptIn(e: TimedConsentEvent): boolean {
  return e.state === "opted_in";
}

/** Explicit opt-ins: a START keyword (recorded with source sms_stop) or an operator. */
export function isExplicitOptInEvent(e: Pick<TimedConsentEvent, "state" | "source">): boolean {
  return e.state === "opted_in" && (e.source === "sms_stop" || e.source === "operator");
}

/**
 * Opt-outs of the same instant, the cause hardest to lift first (it becomes the recorded cause): a STOP or
 * an operator is never lifted by DND switched off in GHL, a DND opt-out is.
 */
const OPT_OUT_RANK: Readonly<Record<ConsentRecordSource, number>> = {
  sms_stop: 0,
  operator: 1,
  import: 2,
  bulksms_blocked: 3,
  ghl_dnd: 4,
};

/**
 * Total order: time, then the sender's sequence when both have one (two replies of the same second),
 * then opt-ins before opt-outs (so an opt-out wins a tie), then the opt-out hardest to lift first, then
 * source and key.
 */
export function compareConsentEvents(a: TimedConsentEvent, b: TimedConsentEvent): number {
  if (a.eventAt !== b.eventAt) return a.eventAt < b.eventAt ? -1 : 1;
  if (a.eventSeq && b.eventSeq && a.eventSeq !== b.eventSeq) {
    const sa = BigInt(a.eventSeq);
    const sb = BigInt(b.eventSeq);
    if (sa !== sb) return sa < sb ? -1 : 1;
  }
  const ia = isOptIn(a) ? 0 : 1;
  const ib = isOptIn(b) ? 0 : 1;
  if (ia !== ib) return ia - ib;
  if (!isOptIn(a) && a.source !== b.source) return OPT_OUT_RANK[a.source] - OPT_OUT_RANK[b.source];
  if (a.source !== b.source) return a.source < b.source ? -1 : 1;
  const ka = a.eventKey ?? "\uffff";
  const kb = b.eventKey ?? "\uffff";
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Replays the events in time order (duplicates by event key count once) and returns the decision. */
export function decideConsent<E extends TimedConsentEvent>(events: readonly E[]): ConsentDecision<E> {
  const seen = new Set<string>();
  const unique = events.filter((e) => {
    if (e.eventKey === null) return true;
    if (seen.has(e.eventKey)) return false;
    seen.add(e.eventKey);
    return true;
  });
  const ordered = [...unique].sort(compareConsentEvents);
  let state: ConsentRecordState | null = null;
  let decidedBy: E | null = null;
  const effective: E[] = [];
  for (const e of ordered) {
    if (e.state === "opted_out") {
      if (state === "opted_out") continue;
      if (e.source === "bulksms_blocked" && decidedBy && isExplicitOptInEvent(decidedBy)) continue;
    } else {
      if (state !== "opted_out") continue;
      if (e.source === "ghl_dnd" && decidedBy?.source !== "ghl_dnd") continue;
    }
    state = e.state;
    decidedBy = e;
    effective.push(e);
  }
  return { state, decidedBy, effective };
}
