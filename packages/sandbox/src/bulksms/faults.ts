/**
 * Fault injection for the BulkSMS simulator. Every random decision goes through one seeded generator,
 * so a run with the same seed and the same traffic makes the same decisions.
 */
export interface BulkSmsFaults {
  /** Real milliseconds added before every API response. */
  latencyMs?: number;
  /** Share (0..1) of API requests answered with a 500 problem. */
  errorRate?: number;
  /** Share (0..1) of API requests whose connection is held open and never answered (until close/reset). */
  stallRate?: number;
  /** Share (0..1) of webhook attempts silently not made (logged as dropped-by-fault; no retry). */
  webhookDropRate?: number;
  /** Share (0..1) of webhook deliveries POSTed twice (same delivery id). */
  webhookDuplicateRate?: number;
  /** Hold each webhook delivery back a random 0..reorderWindowMs of sandbox time, so order is not kept. */
  webhookReorder?: boolean;
  /** Window for webhookReorder, sandbox ms. Default 5000. */
  reorderWindowMs?: number;
}

export function validateFaults(faults: BulkSmsFaults): BulkSmsFaults {
  for (const key of ["errorRate", "stallRate", "webhookDropRate", "webhookDuplicateRate"] as const) {
    const v = faults[key];
    if (v !== undefined && !(v >= 0 && v <= 1))
      throw new Error(`bulksms faults: ${key} must be in 0..1, got ${v}`);
  }
  for (const key of ["latencyMs", "reorderWindowMs"] as const) {
    const v = faults[key];
    if (v !== undefined && !(v >= 0)) throw new Error(`bulksms faults: ${key} must be >= 0, got ${v}`);
  }
  return { ...faults };
}

/** mulberry32: a small deterministic PRNG returning [0, 1). */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
