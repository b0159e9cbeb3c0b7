import { emailMailboxKey } from "../normalise/email.js";
import { createNormaliser, type Normaliser } from "../normalise/normaliser.js";
import { phoneDigits } from "../normalise/phone.js";
import { buildBlocks, digitsHash, fnv1a } from "./blocking.js";
import {
  type ComparisonField,
  type ComparisonLevel,
  decodePattern,
  EMAIL,
  encodePattern,
  FIELD_ORDER,
  FIRST,
  LAST,
  type NameParts,
  nameLevels,
  nameParts,
  namesAgree,
  PATTERN_COUNT,
  PHONE,
} from "./comparison-levels.js";
import { estimateModel, type MatchModel, patternWeight, probabilityOf } from "./fellegi-sunter.js";
import { GENERIC_MAILBOXES, isGenericMailbox } from "./generic-mailboxes.js";
import { chooseSurvivor } from "./survivor.js";
import { createUnionFind } from "./union-find.js";

/**
 * A contact as seen by dedupe. Either pre-normalised keys (as stored in the mirror: `phoneE164`,
 * `emailNorm`, `nameKey`) or raw values (`phone`, `email`, `firstName`/`lastName`/`name`), which are then
 * normalised once per distinct value. A pre-normalised key wins when its property is present (even null);
 * a raw `phone` given beside it still counts as digits evidence.
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
  /** The contact's own country (GHL `country`): a national phone number is read in it first. */
  country?: string | null | undefined;
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
  /** Jaro-Winkler similarity (0..1) at or above which two different spellings are a "typo". Default 0.88. */
  nameThreshold?: number;
  /** A phone or email shared by more contacts than this is a switchboard/shared inbox: weak evidence. Default 50. */
  maxBlockSize?: number;
  /** Extra generic mailbox local parts (added to the built-in list: info, office, admin, sales, ...). */
  genericMailboxes?: readonly string[];
  /** The location's phone region for raw national numbers (after each contact's own `country`). */
  defaultRegion?: string;
  /** Region tried last for raw national numbers (an operator's `--region`). */
  fallbackRegion?: string;
  /** Reuse a normaliser (and its cache) across calls. */
  normaliser?: Normaliser;
  /** How the proposed survivor is chosen. Default "most-complete" (then oldest, then smallest id). */
  survivor?: SurvivorRule;
  /** Also return one-contact clusters, so every contact appears in exactly one cluster. Default false. */
  includeSingletons?: boolean;
  /** Match probability (0..1) at or above which a compared pair is the same person. Default 0.9. */
  matchThreshold?: number;
  /** A fixed model instead of one estimated from this data (e.g. estimated on a larger export). */
  model?: MatchModel;
}

/** One field's part in a pair's verdict. */
export interface FieldEvidence {
  field: ComparisonField;
  level: ComparisonLevel;
  /** log2(m/u) of this level in the model (positive: for a match). */
  weight: number;
}

export interface MatchEvidence {
  a: string;
  b: string;
  /** Identifiers that agree, and "name" when the names support each other. */
  keys: readonly MatchKey[];
  /** The match probability rounded to 4 places (kept for callers of the former score). */
  score: number;
  /** Probability that both records are the same person, under the model. */
  probability: number;
  /** Total match weight (log2 odds) = prior + Σ field weights. */
  weight: number;
  /** Each field's level and weight (shared, frozen objects: pairs with the same levels share them). */
  fields: readonly Readonly<FieldEvidence>[];
}

export interface DuplicateCluster {
  /** Contact ids, sorted. */
  ids: string[];
  survivor: string;
  evidence: MatchEvidence[];
  /** Weakest link of the cluster (minimum evidence probability); 1 for a singleton. */
  score: number;
}

export interface DedupeStats {
  contacts: number;
  clusters: number;
  /** Contacts that would be merged into a survivor. */
  duplicates: number;
  pairsCompared: number;
  /** Pairs judged the same person. */
  pairsMatched: number;
  /** Matched pairs left apart because their clusters hold records judged different people. */
  pairsRefused: number;
  /** Phone/email values shared by more than `maxBlockSize` contacts (treated as weak evidence). */
  weakBlocks: number;
  invalidPhones: number;
  invalidEmails: number;
}

export interface DedupeResult {
  clusters: DuplicateCluster[];
  stats: DedupeStats;
  /** The weights used (estimated from the compared pairs unless `options.model` was given). */
  model: MatchModel;
}

/** A compared pair below this probability is a contradiction: its records never end up in one cluster. */
const CANNOT_LINK_BELOW = 0.05;

/**
 * Find clusters of contacts that are the same person.
 *
 * 1. **Blocking.** Only contacts that share an E.164 number, the digits of a raw phone value (even one no
 *    numbering plan accepts) or a mailbox are compared: cost stays close to linear. Inside a value shared
 *    by more than `maxBlockSize` contacts (a switchboard, info@), only contacts with the same surname (or,
 *    in a very large surname group, the same full name) are compared.
 * 2. **Comparison.** Each pair gets a level per field (phone, email, first and last name: exact, nickname,
 *    typo, initial, different, missing...; see `COMPARISON_FIELDS`).
 * 3. **Scoring.** A Fellegi-Sunter model whose m/u weights and match rate are estimated by EM on the
 *    compared pairs gives each pair a match probability; pairs at or above `matchThreshold` match.
 * 4. **Clustering.** Matches are joined strongest first; a match is refused when it would put two records
 *    that were compared and judged different (John and Mary on one landline) into one cluster.
 *
 * Every pair of a cluster's evidence lists each field's level and weight and the probability.
 */
export function findDuplicates(
  contacts: readonly DedupeContact[],
  options: FindDuplicatesOptions = {},
): DedupeResult {
  const n = contacts.length;
  const keys = new Set(options.keys ?? ["phone", "email"]);
  const threshold = options.nameThreshold ?? 0.88;
  const maxBlock = options.maxBlockSize ?? 50;
  const matchThreshold = options.matchThreshold ?? 0.9;
  const generic = new Set(
    [...GENERIC_MAILBOXES, ...(options.genericMailboxes ?? [])].map((s) => s.toLowerCase()),
  );
  let normaliser = options.normaliser;
  const norm = (): Normaliser => {
    normaliser ??= createNormaliser({
      defaultRegion: options.defaultRegion,
      fallbackRegion: options.fallbackRegion,
    });
    return normaliser;
  };

  const phones: (string | undefined)[] = new Array(n);
  const digits: (string | undefined)[] = new Array(n);
  const emails: (string | undefined)[] = new Array(n);
  const mailboxes: (string | undefined)[] = new Array(n);
  const names: string[] = new Array(n);
  let invalidPhones = 0;
  let invalidEmails = 0;
  // Digits of raw phones no parser accepted; a parsed record's raw phone joins them only when its digits
  // are the same (found through a hash first, so most records never build a digits string).
  const unparsedDigits = new Set<number>();

  const repeatedIds = buildBlocks(contacts.map((c) => c.id));
  for (const id of repeatedIds.keys())
    throw new Error(`findDuplicates: contact id "${id}" appears more than once`);
  for (let i = 0; i < n; i++) {
    const c = contacts[i] as DedupeContact;
    let phone: string | undefined;
    if (c.phoneE164 !== undefined) phone = c.phoneE164 ?? undefined;
    else if (c.phone != null && c.phone !== "") {
      const r = norm().phone(c.phone, c.country);
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
    if (keys.has("phone")) {
      phones[i] = phone !== "" ? phone : undefined;
      if (phones[i] === undefined) {
        const d = phoneDigits(c.phone);
        if (d !== "") {
          digits[i] = d;
          unparsedDigits.add(digitsHash(d));
        }
      }
    }
    if (keys.has("email") && email !== undefined && email !== "") {
      emails[i] = email;
      mailboxes[i] = emailMailboxKey(email);
    }
    names[i] = name;
  }

  if (unparsedDigits.size > 0) {
    for (let i = 0; i < n; i++) {
      const raw = (contacts[i] as DedupeContact).phone;
      if (phones[i] === undefined || typeof raw !== "string") continue;
      if (!unparsedDigits.has(digitsHash(raw))) continue;
      const d = phoneDigits(raw);
      if (d !== "") digits[i] = d;
    }
  }
  const phoneBlocks = buildBlocks(phones);
  const digitBlocks = unparsedDigits.size > 0 ? buildBlocks(digits) : new Map<string, number[]>();
  const mailboxBlocks = buildBlocks(mailboxes);
  const phoneCount = (p: string): number => phoneBlocks.get(p)?.length ?? 1;
  const mailboxCount = (e: string): number => mailboxBlocks.get(e)?.length ?? 1;

  const genericByMailbox = new Map<string, boolean>();
  const isGeneric = (mailbox: string): boolean => {
    let g = genericByMailbox.get(mailbox);
    if (g === undefined) {
      g = isGenericMailbox(mailbox, generic);
      genericByMailbox.set(mailbox, g);
    }
    return g;
  };
  const parts: (NameParts | undefined)[] = new Array(n);
  const partsOf = (i: number): NameParts => {
    let p = parts[i];
    if (p === undefined) {
      p = nameParts(names[i] as string);
      parts[i] = p;
    }
    return p;
  };

  // --- compare the blocked pairs ------------------------------------------------------------------------
  // Candidate pairs are packed as i * n + j (i < j) and de-duplicated by sorting: no per-pair garbage.
  let candidates = new Float64Array(1024);
  let candidateCount = 0;
  const propose = (x: number, y: number): void => {
    if (candidateCount === candidates.length) {
      const grown = new Float64Array(candidates.length * 2);
      grown.set(candidates);
      candidates = grown;
    }
    candidates[candidateCount++] = x < y ? x * n + y : y * n + x;
  };
  const severalPhones = new Set<string>();
  const severalMailboxes = new Set<string>();
  let weakBlocks = 0;

  /** The four levels of pair (i, j), i < j, packed one per byte. */
  const compare = (i: number, j: number): number => {
    let phone: number = PHONE.missing;
    const pi = phones[i];
    const pj = phones[j];
    const di = digits[i];
    if (pi !== undefined && pi === pj) phone = phoneCount(pi) > maxBlock ? PHONE.shared : PHONE.same;
    else if (di !== undefined && di === digits[j]) phone = PHONE.digits;
    else if (pi !== undefined && pj !== undefined) phone = PHONE.different;
    else if (pi === undefined && pj === undefined && di !== undefined && digits[j] !== undefined)
      phone = PHONE.different;
    let email: number = EMAIL.missing;
    const ei = emails[i];
    const ej = emails[j];
    const mi = mailboxes[i];
    if (ei !== undefined && ej !== undefined) {
      if (mi !== mailboxes[j]) email = EMAIL.different;
      else if (mailboxCount(mi as string) > maxBlock || isGeneric(mi as string)) email = EMAIL.shared;
      else email = ei === ej ? EMAIL.address : EMAIL.mailbox;
    }
    const ni = names[i] as string;
    // Identical keys (most duplicates) need no splitting: exact, and exact or missing surname.
    const names2 =
      ni !== "" && ni === names[j]
        ? FIRST.exact * 8 + (ni.includes(" ") ? LAST.exact : LAST.missing)
        : nameLevels(partsOf(i), partsOf(j), threshold);
    const first = names2 >> 3;
    const last = names2 & 7;
    if (first === FIRST.different || last === LAST.different) {
      // Two people on one number or mailbox: it is not personal evidence for anyone holding it.
      if (phone === PHONE.same) severalPhones.add(pi as string);
      if (email === EMAIL.address || email === EMAIL.mailbox) severalMailboxes.add(mi as string);
    }
    return (((phone << 8) | email) << 16) | (first << 8) | last;
  };

  const processBlocks = (blocks: Map<string, number[]>): void => {
    for (const members of blocks.values()) {
      if (members.length <= maxBlock) {
        for (let a = 0; a < members.length; a++) {
          for (let b = a + 1; b < members.length; b++) propose(members[a] as number, members[b] as number);
        }
        continue;
      }
      // Switchboard / shared inbox: only contacts with the same surname are compared, and inside a very
      // common surname only contacts with the same full name (star per name: no all-pairs).
      weakBlocks++;
      const bySurname = new Map<string, number[]>();
      for (const m of members) {
        const p = partsOf(m);
        const surname = p.last !== "" ? p.last : p.first;
        if (surname === "") continue;
        const list = bySurname.get(surname);
        if (list === undefined) bySurname.set(surname, [m]);
        else list.push(m);
      }
      for (const group of bySurname.values()) {
        if (group.length <= maxBlock) {
          for (let a = 0; a < group.length; a++) {
            for (let b = a + 1; b < group.length; b++) propose(group[a] as number, group[b] as number);
          }
          continue;
        }
        const byName = new Map<string, number>();
        for (const m of group) {
          const key = names[m] as string;
          const first = byName.get(key);
          if (first === undefined) byName.set(key, m);
          else propose(first, m);
        }
      }
    }
  };
  processBlocks(phoneBlocks);
  processBlocks(digitBlocks);
  processBlocks(mailboxBlocks);

  const sorted = candidates.subarray(0, candidateCount).sort();
  let pairCount = 0;
  for (let k = 0; k < sorted.length; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) pairCount++;
  const pairI = new Int32Array(pairCount);
  const pairJ = new Int32Array(pairCount);
  const pairLevels = new Int32Array(pairCount);
  pairCount = 0;
  for (let k = 0; k < sorted.length; k++) {
    const key = sorted[k] as number;
    if (k > 0 && key === sorted[k - 1]) continue;
    const i = Math.floor(key / n);
    const j = key - i * n;
    pairI[pairCount] = i;
    pairJ[pairCount] = j;
    pairLevels[pairCount++] = compare(i, j);
  }
  candidates = new Float64Array(0);

  const pairPattern = new Uint16Array(pairCount);
  const counts = new Float64Array(PATTERN_COUNT);
  for (let k = 0; k < pairCount; k++) {
    const levels = pairLevels[k] as number;
    let phone = levels >>> 24;
    let email = (levels >>> 16) & 255;
    const i = pairI[k] as number;
    if (phone === PHONE.same && severalPhones.has(phones[i] as string)) phone = PHONE.several;
    if ((email === EMAIL.address || email === EMAIL.mailbox) && severalMailboxes.has(mailboxes[i] as string))
      email = EMAIL.several;
    const pattern = encodePattern(phone, email, (levels >>> 8) & 255, levels & 255);
    pairPattern[k] = pattern;
    counts[pattern] = (counts[pattern] as number) + 1;
  }

  // --- score ----------------------------------------------------------------------------------------------
  const model = options.model ?? estimateModel(counts);
  const patternProbability = new Float64Array(PATTERN_COUNT).fill(Number.NaN);
  const probabilityOfPattern = (p: number): number => {
    let v = patternProbability[p] as number;
    if (Number.isNaN(v)) {
      v = probabilityOf(patternWeight(model, decodePattern(p)));
      patternProbability[p] = v;
    }
    return v;
  };

  const matched: number[] = [];
  const cannotLink = new Map<number, number[]>();
  const link = (a: number, b: number): void => {
    const list = cannotLink.get(a);
    if (list === undefined) cannotLink.set(a, [b]);
    else list.push(b);
  };
  // A contradiction only matters between records that both take part in some match.
  const inMatch = new Uint8Array(n);
  for (let k = 0; k < pairPattern.length; k++) {
    if (probabilityOfPattern(pairPattern[k] as number) < matchThreshold) continue;
    matched.push(k);
    inMatch[pairI[k] as number] = 1;
    inMatch[pairJ[k] as number] = 1;
  }
  for (let k = 0; k < pairPattern.length; k++) {
    const i = pairI[k] as number;
    const j = pairJ[k] as number;
    if (inMatch[i] === 0 || inMatch[j] === 0) continue;
    if (probabilityOfPattern(pairPattern[k] as number) >= CANNOT_LINK_BELOW) continue;
    link(i, j);
    link(j, i);
  }
  const idOf = (i: number): string => (contacts[i] as DedupeContact).id;
  // Strongest first; ties by a hash of the ids (then the ids), so the result does not depend on the input
  // order.
  const idHash = new Float64Array(n);
  for (const k of matched) {
    idHash[pairI[k] as number] = fnv1a(idOf(pairI[k] as number));
    idHash[pairJ[k] as number] = fnv1a(idOf(pairJ[k] as number));
  }
  const tie = (x: number, y: number): number => {
    const xi = pairI[x] as number;
    const xj = pairJ[x] as number;
    const yi = pairI[y] as number;
    const yj = pairJ[y] as number;
    const d =
      Math.min(idHash[xi] as number, idHash[xj] as number) -
        Math.min(idHash[yi] as number, idHash[yj] as number) ||
      Math.max(idHash[xi] as number, idHash[xj] as number) -
        Math.max(idHash[yi] as number, idHash[yj] as number);
    if (d !== 0) return d;
    const [xa, xb] = idOf(xi) < idOf(xj) ? [idOf(xi), idOf(xj)] : [idOf(xj), idOf(xi)];
    const [ya, yb] = idOf(yi) < idOf(yj) ? [idOf(yi), idOf(yj)] : [idOf(yj), idOf(yi)];
    return cmp(xa, ya) || cmp(xb, yb);
  };
  matched.sort(
    (x, y) =>
      probabilityOfPattern(pairPattern[y] as number) - probabilityOfPattern(pairPattern[x] as number) ||
      tie(x, y),
  );

  const uf = createUnionFind(n);
  const componentMembers = new Map<number, number[]>();
  const membersOf = (root: number): number[] => componentMembers.get(root) ?? [root];
  const accepted: number[] = [];
  let pairsRefused = 0;
  for (const k of matched) {
    const i = pairI[k] as number;
    const j = pairJ[k] as number;
    const ri = uf.find(i);
    const rj = uf.find(j);
    if (ri === rj) {
      accepted.push(k);
      continue;
    }
    const mi = membersOf(ri);
    const mj = membersOf(rj);
    const [small, otherRoot] = mi.length <= mj.length ? [mi, rj] : [mj, ri];
    let conflict = false;
    for (const m of small) {
      for (const other of cannotLink.get(m) ?? []) {
        if (uf.find(other) === otherRoot) {
          conflict = true;
          break;
        }
      }
      if (conflict) break;
    }
    if (conflict) {
      pairsRefused++;
      continue;
    }
    uf.union(i, j);
    const root = uf.find(i);
    componentMembers.delete(ri);
    componentMembers.delete(rj);
    const [large, smaller] = mi.length >= mj.length ? [mi, mj] : [mj, mi];
    const merged = large.length === 1 ? [...large] : large; // a singleton's list is a fresh [root]
    for (const m of smaller) merged.push(m);
    componentMembers.set(root, merged);
    accepted.push(k);
  }

  // --- clusters -------------------------------------------------------------------------------------------
  const groups = new Map<number, number[]>();
  for (const k of accepted) {
    const root = uf.find(pairI[k] as number);
    if (!groups.has(root)) groups.set(root, []);
  }
  if (options.includeSingletons)
    for (let i = 0; i < n; i++) if (!groups.has(uf.find(i))) groups.set(uf.find(i), []);
  for (let i = 0; i < n; i++) {
    const g = groups.get(uf.find(i));
    if (g !== undefined) g.push(i);
  }
  const evidenceByRoot = new Map<number, MatchEvidence[]>();
  const verdicts = new Map<number, PairVerdict>();
  for (const k of accepted) {
    const root = uf.find(pairI[k] as number);
    const list = evidenceByRoot.get(root) ?? [];
    const pattern = pairPattern[k] as number;
    let verdict = verdicts.get(pattern);
    if (verdict === undefined) {
      verdict = verdictOf(model, pattern);
      verdicts.set(pattern, verdict);
    }
    const x = idOf(pairI[k] as number);
    const y = idOf(pairJ[k] as number);
    const [a, b] = x < y ? [x, y] : [y, x];
    list.push({
      a,
      b,
      keys: verdict.keys,
      score: verdict.score,
      probability: verdict.probability,
      weight: verdict.weight,
      fields: verdict.fields,
    });
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
      pairsCompared: pairPattern.length,
      pairsMatched: matched.length,
      pairsRefused,
      weakBlocks,
      invalidPhones,
      invalidEmails,
    },
    model,
  };
}

type PairVerdict = Omit<MatchEvidence, "a" | "b">;

/** What a pattern means (keys, field levels and weights, probability); shared by every pair with it. */
function verdictOf(model: MatchModel, pattern: number): PairVerdict {
  const levels = decodePattern(pattern);
  const [phone, email, first, last] = levels as [number, number, number, number];
  const keys: MatchKey[] = [];
  if (phone >= PHONE.digits) keys.push("phone");
  if (email >= EMAIL.shared) keys.push("email");
  if (namesAgree(first, last)) keys.push("name");
  const fields: FieldEvidence[] = FIELD_ORDER.map((field, f) => {
    const w = model.fields[field][levels[f] as number] as { level: ComparisonLevel; weight: number };
    return Object.freeze({ field, level: w.level, weight: round(w.weight) });
  });
  const weight = patternWeight(model, levels);
  const probability = probabilityOf(weight);
  return {
    keys: Object.freeze(keys),
    score: round(probability),
    probability,
    weight: round(weight),
    fields: Object.freeze(fields),
  };
}

function round(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
