import type { ConsentLog } from "../conflict/consent.js";
import { mergeConsent } from "../conflict/consent.js";
import { type FieldValue, isEmpty, normaliseTags, type SyncContact } from "../contact.js";
import { fieldPolicy, mergeVersioned, type SyncPolicies, type VersionedValue } from "../policies.js";
import { describeForm, isBetterForm } from "./value-form.js";

/** A full record taking part in a merge; `id` is required. */
export type MergeContact = SyncContact & { id: string };

export interface MergeFieldChoice {
  field: string;
  value: FieldValue;
  /** Record the value was taken from (for a union: the records that contributed, sorted). */
  from: string[];
  /**
   * "better-form": the policy's pick was a worse spelling of another record's value ("EVANS" / "Evans",
   * "J" / "John", an invalid phone / a valid one), so the better-formed value was kept.
   */
  rule: "survivor" | "last-writer-wins" | "union" | "only-value" | "better-form";
  /** Why, in words (for the operator reviewing the plan). */
  why: string;
}

export interface MergePlan {
  survivor: string;
  /** Records folded into the survivor (to be deleted or marked merged by the engine). */
  absorbed: string[];
  merged: { fields: Record<string, FieldValue>; tags: string[]; consent: ConsentLog };
  /** Every field of the merged record and which record(s) it came from. */
  fields: MergeFieldChoice[];
  /** Each tag of the merged record and the records that carried it. */
  tags: { tag: string; from: string[] }[];
  /** Every record as it was before the merge, so the merge can be undone. */
  before: MergeContact[];
}

function time(c: SyncContact, field: string): number {
  const t = c.fieldUpdatedAt?.[field] ?? c.updatedAt;
  return t === undefined ? Number.NaN : Date.parse(t);
}

/**
 * Plan the merge of one duplicate cluster. Field policies apply as in sync: for "ghl-wins"/"sms-wins"
 * fields (both records live on the same side) the survivor's value is kept when it has one; otherwise,
 * and for "last-writer-wins", the most recently changed non-empty value wins; "union" combines lists.
 * Tags are united; opt-out logs are merged so the most restrictive state survives. Deterministic.
 */
export function planMerge(
  cluster: { ids: readonly string[]; survivor: string },
  contacts: readonly MergeContact[],
  policies?: SyncPolicies,
): MergePlan {
  const byId = new Map(contacts.map((c) => [c.id, c]));
  const members = [...new Set(cluster.ids)].sort().map((id) => {
    const c = byId.get(id);
    if (c === undefined) throw new Error(`planMerge: contact ${id} of the cluster was not given`);
    return c;
  });
  const survivor = byId.get(cluster.survivor);
  if (survivor === undefined || !cluster.ids.includes(cluster.survivor)) {
    throw new Error(`planMerge: survivor ${cluster.survivor} is not a member of the cluster`);
  }

  const fieldNames = [...new Set(members.flatMap((c) => Object.keys(c.fields)))].sort();
  const fields: Record<string, FieldValue> = {};
  const choices: MergeFieldChoice[] = [];
  for (const field of fieldNames) {
    const policy = fieldPolicy(policies, field);
    const values: VersionedValue[] = members.map((c) => ({
      value: c.fields[field] ?? null,
      at: time(c, field),
      from: c.id,
    }));
    const filled = values.filter((v) => !isEmpty(v.value));
    let choice: MergeFieldChoice;
    if (filled.length === 0) {
      choice = { field, value: null, from: [], rule: "only-value", why: "no record has a value" };
    } else if (policy === "union") {
      const merged = values.reduce((a, b) => mergeVersioned("union", a, b));
      const from = filled.map((v) => v.from);
      choice = { field, value: merged.value, from, rule: "union", why: `all values of ${from.join(", ")}` };
    } else {
      const own = survivor.fields[field] ?? null;
      if ((policy === "ghl-wins" || policy === "sms-wins") && !isEmpty(own)) {
        choice = {
          field,
          value: own,
          from: [survivor.id],
          rule: "survivor",
          why: `${policy}: the survivor's own value`,
        };
      } else if (filled.length === 1) {
        const only = filled[0] as VersionedValue;
        choice = {
          field,
          value: only.value,
          from: [only.from],
          rule: "only-value",
          why: `only ${only.from} has a value`,
        };
      } else {
        const merged = filled.reduce((a, b) => mergeVersioned("last-writer-wins", a, b));
        choice = {
          field,
          value: merged.value,
          from: [merged.from],
          rule: "last-writer-wins",
          why: `most recently changed (${merged.from})`,
        };
      }
      choice = preferBetterForm(choice, filled, survivor.id);
    }
    fields[field] = choice.value;
    choices.push(choice);
  }

  const tagSources = new Map<string, string[]>();
  for (const c of members)
    for (const t of normaliseTags(c.tags)) tagSources.set(t, [...(tagSources.get(t) ?? []), c.id]);
  const tags = [...tagSources.keys()].sort();
  const consent = members.reduce<ConsentLog>((acc, c) => mergeConsent(acc, c.consent), {});

  return {
    survivor: survivor.id,
    absorbed: members.map((c) => c.id).filter((id) => id !== survivor.id),
    merged: { fields, tags, consent },
    fields: choices,
    tags: tags.map((tag) => ({ tag, from: tagSources.get(tag) ?? [] })),
    before: members.map((c) => structuredClone(c)),
  };
}

/**
 * A merge never makes a value worse: when another record holds a better form of the chosen value (proper
 * case over all capitals or all lower case, the full name over its initial, a valid phone or e-mail over
 * an invalid one), that form is kept; among equal forms the survivor's, then the smallest id.
 */
function preferBetterForm(
  choice: MergeFieldChoice,
  filled: readonly VersionedValue[],
  survivorId: string,
): MergeFieldChoice {
  let best: VersionedValue | undefined;
  for (const v of [...filled].sort(
    (a, b) => Number(b.from === survivorId) - Number(a.from === survivorId) || (a.from < b.from ? -1 : 1),
  )) {
    const current = best?.value ?? choice.value;
    if (isBetterForm(choice.field, current, v.value)) best = v;
  }
  if (best === undefined) return choice;
  const worse = describeForm(choice.field, choice.value);
  const better = describeForm(choice.field, best.value);
  return {
    field: choice.field,
    value: best.value,
    from: [best.from],
    rule: "better-form",
    why: `${JSON.stringify(best.value)} (${better}, ${best.from}) over ${JSON.stringify(choice.value)} (${worse}, ${choice.from.join(", ")}): ${choice.why}, but a merge never makes a value worse`,
  };
}
