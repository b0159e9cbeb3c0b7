import type { FieldValue, SyncContact } from "../contact.js";
import type { Side } from "../policies.js";
import type { ConsentLog, ConsentStatus } from "./consent.js";

/** One step of a sync plan, for one side. The engine executes them in order. */
export type SyncOperation =
  | { op: "create"; side: Side; fields: Record<string, FieldValue>; tags: string[]; consent: ConsentLog }
  | { op: "updateFields"; side: Side; set: Record<string, FieldValue> }
  | { op: "addTags"; side: Side; tags: string[] }
  | { op: "removeTags"; side: Side; tags: string[] }
  /**
   * Bring the side's opt-out state to `consent` / `status`. For GHL this is emitted only when DND must be
   * switched on or off. For the local side it is also emitted when only the history changed; then
   * `statusChanged` is false.
   */
  | { op: "setDnd"; side: Side; consent: ConsentLog; status: ConsentStatus; statusChanged: boolean }
  | { op: "note"; side: "ghl"; body: string }
  | { op: "task"; side: "ghl"; title: string; body: string; dueDate: string };

export type DecisionReason =
  | "only-ghl-changed"
  | "only-local-changed"
  | "ghl-wins"
  | "sms-wins"
  | "last-writer-wins"
  | "union"
  | "empty-never-overwrites"
  | "explicit-clear"
  | "missing-side";

/** Why a field ended up with its value (only for fields that differed between the sides). */
export interface FieldDecision {
  field: string;
  value: FieldValue;
  /** The side whose value was taken, or "both" for a union. */
  from: Side | "both";
  reason: DecisionReason;
  /** True when both sides changed the field since the last sync. */
  conflict: boolean;
}

export interface SyncPlan {
  operations: SyncOperation[];
  /** The agreed state after the plan runs: store it as the next `base`. */
  merged: SyncContact;
  decisions: FieldDecision[];
}
