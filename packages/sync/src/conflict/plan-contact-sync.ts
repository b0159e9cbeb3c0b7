import { type FieldValue, isEmpty, normaliseTags, type SyncContact, valuesEqual } from "../contact.js";
import {
  DEFAULT_POLICIES,
  type FieldPolicy,
  fieldPolicy,
  type Side,
  type SyncPolicies,
  unionValues,
} from "../policies.js";
import { type ConsentLog, consentEquals, consentStatus, isRestrictive, mergeConsent } from "./consent.js";
import type { DecisionReason, FieldDecision, SyncOperation, SyncPlan } from "./operations.js";

export interface PlanContactSyncInput {
  /** The GHL record mapped to shared field names, or null when the contact does not exist in GHL yet. */
  ghl: SyncContact | null;
  /** The local SMS-side record, or null when it does not exist locally yet. */
  local: SyncContact | null;
  /** The state both sides agreed on at the last sync (the previous plan's `merged`), or null. */
  base: SyncContact | null | undefined;
  policies?: SyncPolicies | undefined;
  /** Current time (ISO), used for task due dates. */
  now: string;
}

const EMPTY_CONTACT: SyncContact = { fields: {}, tags: [], consent: {} };

function changeTime(c: SyncContact, field: string): number {
  const t = c.fieldUpdatedAt?.[field] ?? c.updatedAt;
  return t === undefined ? Number.NaN : Date.parse(t);
}

interface Resolution {
  value: FieldValue;
  from: Side | "both";
  reason: DecisionReason;
  conflict: boolean;
}

function resolveByPolicy(
  policy: FieldPolicy,
  field: string,
  g: SyncContact,
  l: SyncContact,
  tie: Side,
): Resolution {
  const gv = g.fields[field] ?? null;
  const lv = l.fields[field] ?? null;
  switch (policy) {
    case "ghl-wins":
      return { value: gv, from: "ghl", reason: "ghl-wins", conflict: true };
    case "sms-wins":
      return { value: lv, from: "local", reason: "sms-wins", conflict: true };
    case "last-writer-wins": {
      const tg = changeTime(g, field);
      const tl = changeTime(l, field);
      let side: Side = tie;
      if (!Number.isNaN(tg) && !Number.isNaN(tl) && tg !== tl) side = tg > tl ? "ghl" : "local";
      else if (Number.isNaN(tg) !== Number.isNaN(tl)) side = Number.isNaN(tg) ? "local" : "ghl";
      return { value: side === "ghl" ? gv : lv, from: side, reason: "last-writer-wins", conflict: true };
    }
    case "union":
      return { value: unionValues(gv, lv), from: "both", reason: "union", conflict: true };
    default: {
      const never: never = policy;
      throw new Error(`unknown field policy ${String(never)}`);
    }
  }
}

function resolveField(
  field: string,
  g: SyncContact,
  l: SyncContact,
  base: SyncContact | null,
  policies: SyncPolicies | undefined,
): Resolution {
  const gv = g.fields[field] ?? null;
  const lv = l.fields[field] ?? null;
  let r: Resolution;
  if (base !== null && valuesEqual(lv, base.fields[field]))
    r = { value: gv, from: "ghl", reason: "only-ghl-changed", conflict: false };
  else if (base !== null && valuesEqual(gv, base.fields[field]))
    r = { value: lv, from: "local", reason: "only-local-changed", conflict: false };
  else
    r = resolveByPolicy(
      fieldPolicy(policies, field),
      field,
      g,
      l,
      policies?.tieBreaker ?? DEFAULT_POLICIES.tieBreaker,
    );
  if (r.from !== "both" && isEmpty(r.value)) {
    const other: Side = r.from === "ghl" ? "local" : "ghl";
    const otherValue = other === "ghl" ? gv : lv;
    const chosen = r.from === "ghl" ? g : l;
    if (!isEmpty(otherValue)) {
      if (chosen.cleared?.includes(field)) return { ...r, value: null, reason: "explicit-clear" };
      return { value: otherValue, from: other, reason: "empty-never-overwrites", conflict: r.conflict };
    }
  }
  return r;
}

function resolveTags(
  gt: string[],
  lt: string[],
  base: SyncContact | null,
  policies: SyncPolicies | undefined,
): string[] {
  const policy = policies?.tags ?? DEFAULT_POLICIES.tags;
  switch (policy) {
    case "ghl-wins":
      return gt;
    case "sms-wins":
      return lt;
    case "union": {
      const gs = new Set(gt);
      const ls = new Set(lt);
      const bs = new Set(base === null ? [] : normaliseTags(base.tags));
      const out = new Set<string>();
      for (const t of [...gt, ...lt]) {
        const inG = gs.has(t);
        const inL = ls.has(t);
        // Kept when both have it, or when the side that lacks it never had it (an addition, not a removal).
        if ((inG && inL) || !bs.has(t)) out.add(t);
      }
      return [...out].sort();
    }
    default: {
      const never: never = policy;
      throw new Error(`unknown tag policy ${String(never)}`);
    }
  }
}

const DAY_MS = 86_400_000;

function describeConsent(log: ConsentLog): string {
  const status = consentStatus(log);
  const event =
    status === "blocked"
      ? log.blocked
      : status === "opted-out"
        ? log.optOut
        : status === "opted-in"
          ? log.optIn
          : undefined;
  return event === undefined ? status : `${status} (${event.source} at ${event.at})`;
}

/**
 * Three-way plan for one contact. Deterministic: same input, same operations in the same order
 * (create, then for GHL and then local: updateFields, addTags, removeTags, setDnd; then notes and tasks).
 * Applying the plan (`applyPlan`) and planning again yields no operations.
 */
export function planContactSync(input: PlanContactSyncInput): SyncPlan {
  const { policies, now } = input;
  if (input.ghl === null && input.local === null)
    throw new Error("planContactSync: both ghl and local are null");
  const base = input.base ?? null;
  const g = input.ghl ?? EMPTY_CONTACT;
  const l = input.local ?? EMPTY_CONTACT;

  // Fields.
  const names = new Set<string>();
  for (const k in g.fields) names.add(k);
  for (const k in l.fields) names.add(k);
  if (base !== null) for (const k in base.fields) names.add(k);
  const fields: Record<string, FieldValue> = {};
  const decisions: FieldDecision[] = [];
  for (const field of [...names].sort()) {
    const gv = g.fields[field] ?? null;
    const lv = l.fields[field] ?? null;
    if (input.ghl === null || input.local === null) {
      const from: Side = input.ghl === null ? "local" : "ghl";
      fields[field] = from === "ghl" ? gv : lv;
      continue;
    }
    if (valuesEqual(gv, lv)) {
      fields[field] = gv;
      continue;
    }
    const r = resolveField(field, g, l, base, policies);
    fields[field] = r.value;
    decisions.push({ field, value: r.value, from: r.from, reason: r.reason, conflict: r.conflict });
  }
  const gt = normaliseTags(g.tags);
  const lt = normaliseTags(l.tags);
  const tags = input.ghl === null ? lt : input.local === null ? gt : resolveTags(gt, lt, base, policies);
  const consent = mergeConsent(mergeConsent(g.consent, l.consent), base?.consent ?? {});
  const status = consentStatus(consent);

  const operations: SyncOperation[] = [];
  const sides: [Side, SyncContact | null][] = [
    ["ghl", input.ghl],
    ["local", input.local],
  ];
  for (const [side, record] of sides) {
    if (record === null) {
      const created: Record<string, FieldValue> = {};
      for (const [k, v] of Object.entries(fields)) if (!isEmpty(v)) created[k] = v;
      operations.push({ op: "create", side, fields: created, tags, consent });
    }
  }
  for (const [side, record] of sides) {
    if (record === null) continue;
    const set: Record<string, FieldValue> = {};
    let any = false;
    for (const k in fields) {
      const v = fields[k] as FieldValue;
      if (!valuesEqual(record.fields[k] ?? null, v)) {
        set[k] = v;
        any = true;
      }
    }
    if (any) operations.push({ op: "updateFields", side, set });
    const have = new Set(side === "ghl" ? gt : lt);
    const want = new Set(tags);
    const add = tags.filter((t) => !have.has(t));
    const remove = [...have].filter((t) => !want.has(t)).sort();
    if (add.length > 0) operations.push({ op: "addTags", side, tags: add });
    if (remove.length > 0) operations.push({ op: "removeTags", side, tags: remove });
    const sideStatus = consentStatus(record.consent);
    if (side === "ghl") {
      // GHL can only show DND on or off (its log is rebuilt from that on every read), so it is updated
      // only when that changes; otherwise every sync would "update" it again.
      if (isRestrictive(sideStatus) !== isRestrictive(status)) {
        operations.push({ op: "setDnd", side, consent, status, statusChanged: true });
      }
    } else if (!consentEquals(record.consent, consent)) {
      operations.push({ op: "setDnd", side, consent, status, statusChanged: sideStatus !== status });
    }
  }

  // Notes and tasks for GHL users; emitted only together with a status change on GHL, so a re-plan after
  // applying produces none.
  if (input.ghl !== null) {
    const ghlStatus = consentStatus(input.ghl.consent);
    if (isRestrictive(ghlStatus) !== isRestrictive(status) && (policies?.notes ?? DEFAULT_POLICIES.notes)) {
      operations.push({
        op: "note",
        side: "ghl",
        body: `SMS consent changed from ${ghlStatus} to ${describeConsent(consent)}.`,
      });
    }
    const baseStatus = base === null ? "unknown" : consentStatus(base.consent);
    if (
      isRestrictive(baseStatus) &&
      !isRestrictive(ghlStatus) &&
      isRestrictive(status) &&
      (policies?.tasks ?? DEFAULT_POLICIES.tasks)
    ) {
      operations.push({
        op: "task",
        side: "ghl",
        title: "DND was switched off but the SMS opt-out stands",
        body:
          `Someone switched off DND for this contact in GHL, but the contact is ${describeConsent(consent)}. ` +
          "DND has been set again. The contact can opt back in by texting START; an operator may record an opt-in " +
          "only with the contact's documented consent.",
        dueDate: new Date(Date.parse(now) + DAY_MS).toISOString(),
      });
    }
  }

  const merged: SyncContact = { fields, tags, consent };
  const id = input.ghl?.id ?? input.local?.id;
  if (id !== undefined) merged.id = id;
  return { operations, merged, decisions };
}
