// A Fellegi-Sunter match model (the model Splink implements): per field and agreement level, m = P(level |
// same person) and u = P(level | different people); a pair's match weight is log2(λ/(1-λ)) + Σ log2(m/u).
// m, u and λ are estimated by expectation-maximisation over the blocked pairs, starting from (and
// regularised towards) prior values, so a handful of pairs gives sensible weights (below `minPairs` the
// priors are used as they are) and a large location's own data decides its weights.
import {
  COMPARISON_FIELDS,
  type ComparisonField,
  type ComparisonLevel,
  decodePattern,
  FIELD_ORDER,
  PATTERN_COUNT,
} from "./comparison-levels.js";

type LevelTable = Record<ComparisonField, readonly number[]>;

/**
 * Prior m and u per level (index 0, "missing", is neutral and not estimated): rounded and tempered from
 * what EM estimates on 100,000 generated contacts of a mixed US/UK location (bench/generate.ts), as seen
 * among pairs that share a phone or a mailbox. There, households and offices share numbers, surnames and
 * info@ mailboxes, so agreement on a number used by several people says nothing, and a different first
 * name says a lot. A small export is judged with these; a large one re-estimates them.
 */
const PRIOR_M: LevelTable = {
  phone: [1, 0.01, 0.02, 0.01, 0.12, 0.84],
  email: [1, 0.02, 0.04, 0.01, 0.18, 0.75],
  firstName: [1, 0.01, 0.08, 0.1, 0.04, 0.77],
  lastName: [1, 0.01, 0.09, 0.9],
};
const PRIOR_U: LevelTable = {
  phone: [1, 0.01, 0.001, 0.03, 0.949, 0.01],
  email: [1, 0.5, 0.47, 0.01, 0.005, 0.015],
  firstName: [1, 0.98, 0.003, 0.003, 0.002, 0.012],
  lastName: [1, 0.94, 0.005, 0.055],
};
const PRIOR_LAMBDA = 0.25;

/**
 * Sign constraints on the estimated weights: +1 = agreement that can never count against a match, -1 =
 * disagreement (or a generic mailbox) that can never count for one, 0 = free. A number or mailbox used by
 * several people is +1: it proves nothing either way, and the names that showed it is shared already
 * count against the pairs they separate. They keep EM from reading a
 * location's quirks as "a different name means the same person".
 */
const SIGN: LevelTable = {
  phone: [0, -1, 1, 0, 1, 1],
  email: [0, -1, -1, 1, 1, 1],
  firstName: [0, -1, 0, 0, 1, 1],
  lastName: [0, -1, 0, 1],
};

export interface FieldLevelWeight {
  level: ComparisonLevel;
  m: number;
  u: number;
  /** log2(m/u) after the sign constraint; 0 for "missing". */
  weight: number;
}

export interface MatchModel {
  /** Estimated share of same-person pairs among the compared (blocked) pairs. */
  lambda: number;
  /** log2(λ/(1-λ)). */
  priorWeight: number;
  fields: Record<ComparisonField, FieldLevelWeight[]>;
  /** EM iterations run, and the pairs they were estimated from. */
  iterations: number;
  pairs: number;
}

export interface EstimateOptions {
  /** Weight of the priors, in pairs. Default 100. */
  priorPairs?: number;
  /**
   * Below this many compared pairs the priors are used as they are: a handful of pairs (one family, one
   * duplicate) says nothing about a level's rate, and one ambiguous pair would move a rare level's weight
   * by several bits. Default 200.
   */
  minPairs?: number;
  maxIterations?: number;
}

/**
 * Estimates m, u and λ from the counts of each comparison pattern (`counts[pattern]` = pairs with that
 * vector). Works on pattern counts, so its cost does not grow with the number of pairs, and the result
 * does not depend on their order.
 */
export function estimateModel(counts: Float64Array, options: EstimateOptions = {}): MatchModel {
  const alpha = options.priorPairs ?? 100;
  const minPairs = options.minPairs ?? 200;
  const m = cloneTable(PRIOR_M);
  const u = cloneTable(PRIOR_U);
  let lambda = PRIOR_LAMBDA;
  const patterns: { p: number; levels: [number, number, number, number]; n: number }[] = [];
  let total = 0;
  for (let p = 0; p < PATTERN_COUNT; p++) {
    const n = counts[p] as number;
    if (n > 0) {
      patterns.push({ p, levels: decodePattern(p), n });
      total += n;
    }
  }
  const maxIterations = total < minPairs ? 0 : (options.maxIterations ?? 200);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const am = zeroTable();
    const au = zeroTable();
    let matches = 0;
    for (const { levels, n } of patterns) {
      let lm = lambda;
      let lu = 1 - lambda;
      for (let f = 0; f < 4; f++) {
        const field = FIELD_ORDER[f] as ComparisonField;
        const level = levels[f] as number;
        if (level === 0) continue;
        lm *= m[field][level] as number;
        lu *= u[field][level] as number;
      }
      const w = lm / (lm + lu);
      matches += n * w;
      for (let f = 0; f < 4; f++) {
        const field = FIELD_ORDER[f] as ComparisonField;
        const level = levels[f] as number;
        if (level === 0) continue;
        am[field][level] = (am[field][level] as number) + n * w;
        au[field][level] = (au[field][level] as number) + n * (1 - w);
      }
    }
    let change = 0;
    for (const field of FIELD_ORDER) {
      change = Math.max(change, update(m[field], am[field], PRIOR_M[field], alpha));
      change = Math.max(change, update(u[field], au[field], PRIOR_U[field], alpha));
    }
    const next = (matches + alpha * PRIOR_LAMBDA) / (total + alpha);
    change = Math.max(change, Math.abs(next - lambda));
    lambda = next;
    if (change < 1e-7) {
      iterations++;
      break;
    }
  }
  const fields = {} as Record<ComparisonField, FieldLevelWeight[]>;
  for (const field of FIELD_ORDER) {
    fields[field] = COMPARISON_FIELDS[field].map((level, i) => {
      const mi = m[field][i] as number;
      const ui = u[field][i] as number;
      let weight = i === 0 ? 0 : Math.log2(mi / ui);
      const sign = SIGN[field][i] as number;
      if (sign > 0) weight = Math.max(0, weight);
      else if (sign < 0) weight = Math.min(0, weight);
      return { level, m: i === 0 ? 1 : mi, u: i === 0 ? 1 : ui, weight };
    });
  }
  return { lambda, priorWeight: Math.log2(lambda / (1 - lambda)), fields, iterations, pairs: total };
}

/** Match weight of a pattern: prior weight plus the weight of each field's level. */
export function patternWeight(model: MatchModel, levels: readonly number[]): number {
  let w = model.priorWeight;
  for (let f = 0; f < 4; f++)
    w += (model.fields[FIELD_ORDER[f] as ComparisonField][levels[f] as number] as FieldLevelWeight).weight;
  return w;
}

export function probabilityOf(weight: number): number {
  return 1 / (1 + 2 ** -weight);
}

function update(target: number[], sums: readonly number[], prior: readonly number[], alpha: number): number {
  let total = 0;
  for (let i = 1; i < sums.length; i++) total += sums[i] as number;
  let change = 0;
  for (let i = 1; i < sums.length; i++) {
    const next = ((sums[i] as number) + alpha * (prior[i] as number)) / (total + alpha);
    change = Math.max(change, Math.abs(next - (target[i] as number)));
    target[i] = next;
  }
  return change;
}

function cloneTable(t: LevelTable): Record<ComparisonField, number[]> {
  return {
    phone: [...t.phone],
    email: [...t.email],
    firstName: [...t.firstName],
    lastName: [...t.lastName],
  };
}

function zeroTable(): Record<ComparisonField, number[]> {
  return {
    phone: new Array(COMPARISON_FIELDS.phone.length).fill(0),
    email: new Array(COMPARISON_FIELDS.email.length).fill(0),
    firstName: new Array(COMPARISON_FIELDS.firstName.length).fill(0),
    lastName: new Array(COMPARISON_FIELDS.lastName.length).fill(0),
  };
}
