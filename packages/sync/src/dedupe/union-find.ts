/** Disjoint-set forest over 0..size-1 with path halving and union by size. */
export interface UnionFind {
  find(i: number): number;
  union(a: number, b: number): boolean;
}

export function createUnionFind(size: number): UnionFind {
  const parent = new Int32Array(size);
  const rank = new Int32Array(size).fill(1);
  for (let i = 0; i < size; i++) parent[i] = i;
  function find(i: number): number {
    let x = i;
    while (parent[x] !== x) {
      const grand = parent[parent[x] as number] as number;
      parent[x] = grand;
      x = grand;
    }
    return x;
  }
  return {
    find,
    union(a, b) {
      let ra = find(a);
      let rb = find(b);
      if (ra === rb) return false;
      if ((rank[ra] as number) < (rank[rb] as number)) [ra, rb] = [rb, ra];
      parent[rb] = ra;
      rank[ra] = (rank[ra] as number) + (rank[rb] as number);
      return true;
    },
  };
}
