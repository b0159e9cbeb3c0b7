// The proposed survivor of a duplicate cluster.
import type { DedupeContact, SurvivorRule } from "./find-duplicates.js";

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function time(value: string | null | undefined): number {
  if (value == null) return Number.NaN;
  return Date.parse(value);
}

/** Earliest first (latest first with `latestFirst`); unknown times (NaN) sort last. */
function compareTimes(x: number, y: number, latestFirst = false): number {
  if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1; // unknown times sort last
  if (Number.isNaN(y)) return -1;
  return latestFirst ? y - x : x - y;
}

/**
 * The proposed survivor. "most-complete": most filled fields (`filledFields`, else the number of known
 * keys), then oldest, then smallest id. "oldest": earliest `createdAt`, then smallest id. "most-recent":
 * latest `updatedAt`, then oldest, then smallest id. Deterministic whatever the input order.
 */
export function chooseSurvivor(
  members: readonly number[],
  contacts: readonly DedupeContact[],
  rule: SurvivorRule,
  knownKeys: (m: number) => number,
): number {
  const ranked = members.map((m) => {
    const c = contacts[m] as DedupeContact;
    return {
      m,
      id: c.id,
      filled: c.filledFields ?? knownKeys(m),
      created: time(c.createdAt),
      updated: rule === "most-recent" ? time(c.updatedAt) : Number.NaN,
    };
  });
  ranked.sort((x, y) => {
    let o = 0;
    if (rule === "most-complete") o = y.filled - x.filled || compareTimes(x.created, y.created);
    else if (rule === "oldest") o = compareTimes(x.created, y.created);
    else o = compareTimes(x.updated, y.updated, true) || compareTimes(x.created, y.created);
    return o || cmp(x.id, y.id);
  });
  return (ranked[0] as { m: number }).m;
}
