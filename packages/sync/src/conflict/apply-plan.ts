import { type FieldValue, normaliseTags, type SyncContact } from "../contact.js";
import type { Side } from "../policies.js";
import type { SyncPlan } from "./operations.js";

export interface SyncSides {
  ghl: SyncContact | null;
  local: SyncContact | null;
}

/**
 * Apply a plan to both sides in memory (pure: returns new records). Notes and tasks change no contact
 * state. The engine uses the same function to compute the expected state after executing a plan.
 */
export function applyPlan(plan: SyncPlan, sides: SyncSides): { ghl: SyncContact; local: SyncContact } {
  const out: Record<Side, SyncContact | null> = {
    ghl:
      sides.ghl === null
        ? null
        : { ...sides.ghl, fields: { ...sides.ghl.fields }, tags: [...sides.ghl.tags] },
    local:
      sides.local === null
        ? null
        : { ...sides.local, fields: { ...sides.local.fields }, tags: [...sides.local.tags] },
  };
  const need = (side: Side): SyncContact => {
    const c = out[side];
    if (c === null)
      throw new Error(`applyPlan: ${side} record does not exist and the plan does not create it`);
    return c;
  };
  for (const op of plan.operations) {
    switch (op.op) {
      case "create":
        out[op.side] = { fields: { ...op.fields }, tags: [...op.tags], consent: op.consent };
        break;
      case "updateFields": {
        const c = need(op.side);
        c.fields = { ...c.fields, ...(op.set as Record<string, FieldValue>) };
        break;
      }
      case "addTags": {
        const c = need(op.side);
        c.tags = normaliseTags([...c.tags, ...op.tags]);
        break;
      }
      case "removeTags": {
        const c = need(op.side);
        const remove = new Set(op.tags);
        c.tags = normaliseTags(c.tags).filter((t) => !remove.has(t));
        break;
      }
      case "setDnd":
        need(op.side).consent = op.consent;
        break;
      case "note":
      case "task":
        break;
      default: {
        const never: never = op;
        throw new Error(`unknown operation ${JSON.stringify(never)}`);
      }
    }
  }
  return { ghl: need("ghl"), local: need("local") };
}
