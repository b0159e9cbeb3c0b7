// A reconciliation plan for people: per contact, by name, what would change where and why (the JSON of the
// same plan is what `--json` prints).
import type { PlannedContact } from "@ghl-bulksms/engine";
import type { FieldValue, SyncOperation } from "@ghl-bulksms/sync";
import { truncate } from "./text-width.js";

const SIDE = { ghl: "GHL", local: "local profile" } as const;

function value(v: FieldValue): string {
  if (v === null) return "(empty)";
  if (Array.isArray(v)) return v.length ? v.join(", ") : "(none)";
  return typeof v === "string" ? JSON.stringify(truncate(v, 60)) : String(v);
}

function fields(set: Record<string, FieldValue>): string {
  const entries = Object.entries(set);
  return entries.length ? entries.map(([k, v]) => `${k} = ${value(v)}`).join(", ") : "no fields";
}

/** One operation in words, e.g. `GHL: set phone = "+447700900123"`. */
export function describeOperation(op: SyncOperation): string {
  const side = SIDE[op.side];
  switch (op.op) {
    case "create":
      return `${side}: create with ${fields(op.fields)}${op.tags.length ? `; tags ${op.tags.join(", ")}` : ""}`;
    case "updateFields":
      return `${side}: set ${fields(op.set)}`;
    case "addTags":
      return `${side}: add tag${op.tags.length === 1 ? "" : "s"} ${op.tags.join(", ")}`;
    case "removeTags":
      return `${side}: remove tag${op.tags.length === 1 ? "" : "s"} ${op.tags.join(", ")}`;
    case "setDnd":
      return op.statusChanged
        ? `${side}: SMS consent becomes ${op.status}${op.side === "ghl" ? (op.status === "opted-in" ? " (SMS do-not-disturb off)" : " (SMS do-not-disturb on)") : ""}`
        : `${side}: record the consent history (status stays ${op.status})`;
    case "note":
      return `${side}: add a note ${JSON.stringify(truncate(op.body.replace(/\s+/g, " "), 60))}`;
    case "task":
      return `${side}: open a task ${JSON.stringify(op.title)} due ${op.dueDate}`;
    default: {
      const never: never = op;
      return JSON.stringify(never);
    }
  }
}

const KIND = { create: "new contact", update: "update", delete: "deleted in GHL" } as const;

/** The plan as indented text: a heading per contact, a line per operation and per conflict decided. */
export function renderPlan(plan: readonly PlannedContact[], names: ReadonlyMap<string, string>): string {
  if (plan.length === 0) return "plan: nothing would change\n";
  const out: string[] = [`plan: ${plan.length} contact(s) would change`];
  for (const p of plan) {
    const name = names.get(p.contactId);
    out.push(`${KIND[p.kind]}: ${name ? `${name} (${p.contactId})` : p.contactId}`);
    for (const op of p.operations) out.push(`  - ${describeOperation(op)}`);
    for (const d of p.decisions.filter((x) => x.conflict))
      out.push(
        `  ! conflict on ${d.field}: ${d.from === "both" ? "both values kept" : `${SIDE[d.from]}'s value ${value(d.value)} kept`} (${d.reason})`,
      );
  }
  return `${out.join("\n")}\n`;
}
