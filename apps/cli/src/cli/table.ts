// Plain-text tables for humans (the `--json` flag gives machines the same data).

export type Cell = string | number | boolean | null | undefined;

function text(cell: Cell): string {
  if (cell === null || cell === undefined || cell === "") return "-";
  return String(cell);
}

/** Column-aligned table; `rows` empty prints the header and "(none)". */
export function renderTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const cells = rows.map((r) => headers.map((_, i) => text(r[i]).replace(/\s+/g, " ")));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  const out = [line(headers.map((h) => h.toUpperCase())), line(widths.map((w) => "-".repeat(w)))];
  for (const r of cells) out.push(line(r));
  if (cells.length === 0) out.push("(none)");
  return `${out.join("\n")}\n`;
}

/** Key/value block: one "key: value" per line, keys aligned. */
export function renderPairs(pairs: ReadonlyArray<readonly [string, Cell]>): string {
  const w = Math.max(0, ...pairs.map(([k]) => k.length));
  return `${pairs.map(([k, v]) => `${`${k}:`.padEnd(w + 1)} ${text(v)}`).join("\n")}\n`;
}

export function isoTime(ms: number | null | undefined): string | null {
  return typeof ms === "number" && Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}
