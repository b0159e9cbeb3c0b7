// The opt-out fields both stores check before writing (one rule, one message, whatever the dialect).
import type { OptOutSource, OptOutState } from "./types.js";

const STATES: OptOutState[] = ["opted_out", "opted_in"];
const SOURCES: OptOutSource[] = ["sms_stop", "ghl_dnd", "bulksms_blocked", "operator", "import"];

/** Throws a TypeError naming the bad field (a caller's bug, not data). */
export function checkOptOutInput(input: {
  state: OptOutState;
  source: OptOutSource;
  eventAt?: number;
  eventSeq?: string | null;
}): void {
  if (!STATES.includes(input.state)) throw new TypeError(`opt-out state must be one of ${STATES.join(", ")}`);
  if (!SOURCES.includes(input.source))
    throw new TypeError(`opt-out source must be one of ${SOURCES.join(", ")}`);
  if (input.eventAt !== undefined && !Number.isFinite(input.eventAt))
    throw new TypeError(`opt-out eventAt must be a time in ms, got ${String(input.eventAt)}`);
  if (input.eventSeq != null && !/^\d{1,30}$/.test(input.eventSeq))
    throw new TypeError(`opt-out eventSeq must be decimal digits, got ${JSON.stringify(input.eventSeq)}`);
}
