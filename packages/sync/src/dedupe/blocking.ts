// Blocking: which contacts share a value (only those pairs are ever compared).

const INDEX_BITS = 2 ** 21;

export function fnv1a(value: string): number {
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
export function buildBlocks(values: readonly (string | undefined)[]): Map<string, number[]> {
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
      // Same hash: usually one value (checked without a Map); a collision groups by the actual string.
      const first = values[(packed[start] as number) % INDEX_BITS] as string;
      let oneValue = true;
      for (let r = start + 1; r < end && oneValue; r++)
        oneValue = values[(packed[r] as number) % INDEX_BITS] === first;
      if (oneValue) {
        const list: number[] = new Array(end - start);
        for (let r = start; r < end; r++) list[r - start] = (packed[r] as number) % INDEX_BITS;
        multi.set(first, list);
        start = end;
        continue;
      }
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

/**
 * FNV-1a hash of the digits of a raw phone value, ignoring everything else ("(020) 7946-0958" and
 * "02079460958" hash alike), without building a string; -1 when it has fewer than 7 digits.
 */
export function digitsHash(raw: string): number {
  let h = 0x811c9dc5;
  let count = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c < 48 || c > 57) continue;
    h = Math.imul(h ^ c, 0x01000193);
    count++;
  }
  return count >= 7 ? h >>> 0 : -1;
}
