import { createNormaliser, type Normaliser } from "../normalise/normaliser.js";
import { GENERIC_MAILBOXES, isGenericMailbox } from "./generic-mailboxes.js";
import { compareNames } from "./name-similarity.js";
import { createUnionFind } from "./union-find.js";

/**
 * A contact as seen by dedupe. Either pre-normalised keys (as stored in the mirror: `phoneE164`,
 * `emailNorm`, `nameKey`) or raw values (`phone`, `email`, `firstName`/`lastName`/`name`), which are then
 * normalised once per distinct value. A pre-normalised key wins when its property is present (even null).
 */
export interface DedupeContact {
  id: string;
  phoneE164?: string | null | undefined;
  emailNorm?: string | null | undefined;
  nameKey?: string | null | undefined;
  phone?: string | null | undefined;
  email?: string | null | undefined;
  firstName?: string | null | undefined;
  lastName?: string | null | undefined;
  name?: string | null | undefined;
  /** ISO time the record was created (GHL `dateAdded`). */
  createdAt?: string | null | undefined;
  /** ISO time of the last change (GHL `dateUpdated`). */
  updatedAt?: string | null | undefined;
  /** Number of non-empty fields on the full record, used by the "most-complete" survivor rule. */
  filledFields?: number | undefined;
}

export type MatchKey = "phone" | "email" | "name";
export type SurvivorRule = "most-complete" | "oldest" | "most-recent";

export interface FindDuplicatesOptions {
  /** Exact keys that can propose a pair. Default both. Names alone never propose a pair. */
  keys?: readonly ("phone" | "email")[];
  /** Jaro-Winkler similarity (0..1) at or above which two names are "the same person". Default 0.88. */
  nameThreshold?: number;
  /** A phone or email shared by more contacts than this is a switchboard/shared inbox: weak evidence. Default 50. */
  maxBlockSize?: number;
  /** Extra generic mailbox local parts (added to the built-in list: info, office, admin, sales, ...). */
  genericMailboxes?: readonly string[];
  /** Phone region for raw national numbers. */
  defaultRegion?: string;
  /** Reuse a normaliser (and its cache) across calls. */
  normaliser?: Normaliser;
  /** How the proposed survivor is chosen. Default "most-complete" (then oldest, then smallest id). */
  survivor?: SurvivorRule;
  /** Also return one-contact clusters, so every contact appears in exactly one cluster. Default false. */
  includeSingletons?: boolean;
}

export interface MatchEvidence {
  a: string;
  b: string;
  keys: MatchKey[];
  score: number;
}

export interface DuplicateCluster {
  /** Contact ids, sorted. */
  ids: string[];
  survivor: string;
  evidence: MatchEvidence[];
  /** Weakest link of the cluster (minimum evidence score); 1 for a singleton. */
  score: number;
}

export interface DedupeStats {
  contacts: number;
  clusters: number;
  /** Contacts that would be merged into a survivor. */
  duplicates: number;
  pairsCompared: number;
  /** Phone/email values shared by more than `maxBlockSize` contacts (treated as weak evidence). */
  weakBlocks: number;
  invalidPhones: number;
  invalidEmails: number;
}

export interface DedupeResult {
  clusters: DuplicateCluster[];
  stats: DedupeStats;
}

const W_PHONE = 0.7;
const W_PHONE_WEAK = 0.3;
const W_EMAIL = 0.8;
const W_EMAIL_WEAK = 0.3;
const W_NAME = 0.5;

/**
 * Find clusters of contacts that are the same person. Blocking on exact keys + union-find: cost is close
 * to linear in the number of contacts (pairs are only compared inside a shared phone or email, and a
 * value shared by more than `maxBlockSize` contacts is only compared among equal names).
 *
 * A pair is joined when:
 * - it shares a personal email or a personal phone and the names do not contradict each other
 *   (a missing name does not contradict);
 * - it shares only a weak key (generic mailbox such as info@, or a switchboard phone) and the names match.
 * Names that clearly differ (family on a landline, colleagues on an office phone) keep a pair apart.
 */
export function findDuplicates(
  contacts: readonly DedupeContact[],
  options: FindDuplicatesOptions = {},
): DedupeResult {
  const n = contacts.length;
  const keys = new Set(options.keys ?? ["phone", "email"]);
  const threshold = options.nameThreshold ?? 0.88;
  const maxBlock = options.maxBlockSize ?? 50;
  const generic = new Set(
    [...GENERIC_MAILBOXES, ...(options.genericMailboxes ?? [])].map((s) => s.toLowerCase()),
  );
  let normaliser = options.normaliser;
  const norm = (): Normaliser => {
    normaliser ??= createNormaliser({ defaultRegion: options.defaultRegion });
    return normaliser;
  };

  const phones: (string | undefined)[] = new Array(n);
  const emails: (string | undefined)[] = new Array(n);
  const names: string[] = new Array(n);
  let invalidPhones = 0;
  let invalidEmails = 0;

  const repeatedIds = buildBlocks(contacts.map((c) => c.id));
  for (const id of repeatedIds.keys())
    throw new Error(`findDuplicates: contact id "${id}" appears more than once`);
  for (let i = 0; i < n; i++) {
    const c = contacts[i] as DedupeContact;
    let phone: string | undefined;
    if (c.phoneE164 !== undefined) phone = c.phoneE164 ?? undefined;
    else if (c.phone != null && c.phone !== "") {
      const r = norm().phone(c.phone);
      if (r.ok) phone = r.e164;
      else invalidPhones++;
    }
    let email: string | undefined;
    if (c.emailNorm !== undefined) email = c.emailNorm ?? undefined;
    else if (c.email != null && c.email !== "") {
      const r = norm().email(c.email);
      if (r.ok) email = r.email;
      else invalidEmails++;
    }
    let name: string;
    if (c.nameKey !== undefined) name = c.nameKey ?? "";
    else {
      const nm = norm();
      const first = nm.name(c.firstName);
      const last = nm.name(c.lastName);
      name = first !== "" || last !== "" ? `${first} ${last}`.trim() : nm.name(c.name);
    }
    phones[i] = keys.has("phone") && phone !== "" ? phone : undefined;
    emails[i] = keys.has("email") && email !== "" ? email : undefined;
    names[i] = name;
  }

  const phoneBlocks = buildBlocks(phones);
  const emailBlocks = buildBlocks(emails);
  const phoneCount = (p: string): number => phoneBlocks.get(p)?.length ?? 1;
  const emailCount = (e: string): number => emailBlocks.get(e)?.length ?? 1;

  const uf = createUnionFind(n);
  const seen = new Set<number>();
  const accepted: { i: number; j: number; keys: MatchKey[]; score: number }[] = [];
  let pairsCompared = 0;
  let weakBlocks = 0;

  const evaluate = (x: number, y: number): void => {
    const i = Math.min(x, y);
    const j = Math.max(x, y);
    const pairKey = i * n + j;
    if (seen.has(pairKey)) return;
    seen.add(pairKey);
    pairsCompared++;
    const matched: MatchKey[] = [];
    let strong = false;
    let weak = false;
    let miss = 1;
    const pi = phones[i];
    if (pi !== undefined && pi === phones[j]) {
      matched.push("phone");
      if (phoneCount(pi) > maxBlock) {
        weak = true;
        miss *= 1 - W_PHONE_WEAK;
      } else {
        strong = true;
        miss *= 1 - W_PHONE;
      }
    }
    const ei = emails[i];
    if (ei !== undefined && ei === emails[j]) {
      matched.push("email");
      if (emailCount(ei) > maxBlock || isGenericMailbox(ei, generic)) {
        weak = true;
        miss *= 1 - W_EMAIL_WEAK;
      } else {
        strong = true;
        miss *= 1 - W_EMAIL;
      }
    }
    const names_ = compareNames(names[i] as string, names[j] as string, threshold);
    if (names_.verdict === "different") return;
    if (names_.verdict === "same") {
      matched.push("name");
      miss *= 1 - W_NAME * names_.score;
    } else if (!strong) return; // weak key and no name to confirm it
    if (!strong && !weak) return;
    const score = Math.round((1 - miss) * 1e4) / 1e4;
    accepted.push({ i, j, keys: matched, score });
    uf.union(i, j);
  };

  const processBlocks = (blocks: Map<string, number[]>): void => {
    for (const members of blocks.values()) {
      if (members.length <= maxBlock) {
        for (let a = 0; a < members.length; a++) {
          for (let b = a + 1; b < members.length; b++) evaluate(members[a] as number, members[b] as number);
        }
        continue;
      }
      // Switchboard / shared inbox: only contacts with the same name key are compared (star per name).
      weakBlocks++;
      const byName = new Map<string, number>();
      for (const m of members) {
        const key = names[m] as string;
        if (key === "") continue;
        const first = byName.get(key);
        if (first === undefined) byName.set(key, m);
        else evaluate(first, m);
      }
    }
  };
  processBlocks(phoneBlocks);
  processBlocks(emailBlocks);

  // Group members by root.
  const groups = new Map<number, number[]>();
  for (const e of accepted) {
    const root = uf.find(e.i);
    if (!groups.has(root)) groups.set(root, []);
  }
  if (options.includeSingletons)
    for (let i = 0; i < n; i++) if (!groups.has(uf.find(i))) groups.set(uf.find(i), []);
  for (let i = 0; i < n; i++) {
    const g = groups.get(uf.find(i));
    if (g !== undefined) g.push(i);
  }
  const evidenceByRoot = new Map<number, MatchEvidence[]>();
  for (const e of accepted) {
    const root = uf.find(e.i);
    const a = contacts[e.i]?.id as string;
    const b = contacts[e.j]?.id as string;
    const list = evidenceByRoot.get(root) ?? [];
    list.push(a < b ? { a, b, keys: e.keys, score: e.score } : { a: b, b: a, keys: e.keys, score: e.score });
    evidenceByRoot.set(root, list);
  }

  const rule = options.survivor ?? "most-complete";
  const clusters: DuplicateCluster[] = [];
  let duplicates = 0;
  for (const [root, members] of groups) {
    const evidence = (evidenceByRoot.get(root) ?? []).sort((x, y) => cmp(x.a, y.a) || cmp(x.b, y.b));
    const survivorIndex = chooseSurvivor(
      members,
      contacts,
      rule,
      (m) => (phones[m] !== undefined ? 1 : 0) + (emails[m] !== undefined ? 1 : 0) + (names[m] ? 1 : 0),
    );
    const ids = members.map((m) => (contacts[m] as DedupeContact).id).sort(cmp);
    duplicates += ids.length - 1;
    clusters.push({
      ids,
      survivor: (contacts[survivorIndex] as DedupeContact).id,
      evidence,
      score: evidence.length === 0 ? 1 : Math.min(...evidence.map((e) => e.score)),
    });
  }
  clusters.sort((x, y) => cmp(x.ids[0] as string, y.ids[0] as string));

  return {
    clusters,
    stats: {
      contacts: n,
      clusters: clusters.filter((c) => c.ids.length > 1).length,
      duplicates,
      pairsCompared,
      weakBlocks,
      invalidPhones,
      invalidEmails,
    },
  };
}

const INDEX_BITS = 2 ** 21;

function fnv1a(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Values shared by two or more contacts -> their indices, in increasing index order.
 * Up to 2M contacts: sort (32-bit hash, index) pairs packed in a Float64Array, then confirm equal hashes
 * by comparing the strings. No per-value allocation, so a million keys cost little garbage collection.
 * Beyond that: one Map pass.
 */
function buildBlocks(values: readonly (string | undefined)[]): Map<string, number[]> {
  const multi = new Map<string, number[]>();
  if (values.length > INDEX_BITS) return buildBlocksWithMap(values);
  let m = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== undefined) m++;
  const packed = new Float64Array(m);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== undefined) packed[k++] = fnv1a(v) * INDEX_BITS + i;
  }
  packed.sort();
  let start = 0;
  while (start < m) {
    const hash = Math.floor((packed[start] as number) / INDEX_BITS);
    let end = start + 1;
    while (end < m && Math.floor((packed[end] as number) / INDEX_BITS) === hash) end++;
    if (end - start > 1) {
      // Same hash: group by the actual string (collisions are rare; a run is usually one value).
      const byValue = new Map<string, number[]>();
      for (let r = start; r < end; r++) {
        const index = (packed[r] as number) % INDEX_BITS;
        const v = values[index] as string;
        const list = byValue.get(v);
        if (list === undefined) byValue.set(v, [index]);
        else list.push(index);
      }
      for (const [v, list] of byValue) if (list.length > 1) multi.set(v, list);
    }
    start = end;
  }
  return multi;
}

function buildBlocksWithMap(values: readonly (string | undefined)[]): Map<string, number[]> {
  // seen: value -> index of its only holder, or -(k + 1) when it is held by lists[k].
  const seen = new Map<string, number>();
  const lists: number[][] = [];
  const keys: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === undefined) continue;
    const f = seen.get(v);
    if (f === undefined) seen.set(v, i);
    else if (f >= 0) {
      seen.set(v, -(lists.length + 1));
      lists.push([f, i]);
      keys.push(v);
    } else (lists[-f - 1] as number[]).push(i);
  }
  const multi = new Map<string, number[]>();
  for (let j = 0; j < keys.length; j++) multi.set(keys[j] as string, lists[j] as number[]);
  return multi;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function time(value: string | null | undefined): number {
  if (value == null) return Number.NaN;
  return Date.parse(value);
}

function compareTimes(
  a: string | null | undefined,
  b: string | null | undefined,
  latestFirst = false,
): number {
  const x = time(a);
  const y = time(b);
  if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1; // unknown times sort last
  if (Number.isNaN(y)) return -1;
  return latestFirst ? y - x : x - y;
}

/**
 * The proposed survivor. "most-complete": most filled fields (`filledFields`, else the number of known
 * keys), then oldest, then smallest id. "oldest": earliest `createdAt`, then smallest id. "most-recent":
 * latest `updatedAt`, then oldest, then smallest id. Deterministic whatever the input order.
 */
function chooseSurvivor(
  members: readonly number[],
  contacts: readonly DedupeContact[],
  rule: SurvivorRule,
  knownKeys: (m: number) => number,
): number {
  const ranked = members.map((m) => {
    const c = contacts[m] as DedupeContact;
    return { m, c, filled: c.filledFields ?? knownKeys(m) };
  });
  ranked.sort((x, y) => {
    let o = 0;
    if (rule === "most-complete") o = y.filled - x.filled || compareTimes(x.c.createdAt, y.c.createdAt);
    else if (rule === "oldest") o = compareTimes(x.c.createdAt, y.c.createdAt);
    else o = compareTimes(x.c.updatedAt, y.c.updatedAt, true) || compareTimes(x.c.createdAt, y.c.createdAt);
    return o || cmp(x.c.id, y.c.id);
  });
  return (ranked[0] as { m: number }).m;
}
