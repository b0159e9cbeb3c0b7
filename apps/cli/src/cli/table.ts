// Plain-text tables for humans (the `--json` flag gives machines the same data). Fitted to the terminal:
// columns are measured by their visible width (colour codes do not count) and, when the table is wider than
// the terminal, the widest columns are narrowed and their cells cut with an ellipsis.
import { terminalWidth, truncate, visibleWidth } from "./text-width.js";

export type Cell = string | number | boolean | null | undefined;

function text(cell: Cell): string {
  if (cell === null || cell === undefined || cell === "") return "-";
  return String(cell);
}

const GAP = 2;
/** no column is narrowed below this (or its header) */
const MIN_COLUMN = 6;

/** Column widths that fit `max` columns: the widest are narrowed first, each down to a minimum. */
export function fitWidths(natural: readonly number[], minimum: readonly number[], max: number): number[] {
  const widths = [...natural];
  const total = () => widths.reduce((a, b) => a + b, 0) + GAP * Math.max(0, widths.length - 1);
  while (total() > max) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++)
      if ((widths[i] ?? 0) > (minimum[i] ?? 0) && (widest < 0 || (widths[i] ?? 0) > (widths[widest] ?? 0)))
        widest = i;
    if (widest < 0) break; // every column at its minimum: the terminal wraps what is left
    const over = total() - max;
    const second = Math.max(
      minimum[widest] ?? 0,
      ...widths.filter((_, i) => i !== widest).map((w) => Math.min(w, widths[widest] ?? 0)),
    );
    const room = (widths[widest] ?? 0) - second;
    widths[widest] = (widths[widest] ?? 0) - Math.max(1, Math.min(over, room));
  }
  return widths;
}

export interface TableOptions {
  /** columns available (default: the terminal's, see terminalWidth) */
  readonly width?: number;
}

/** Column-aligned table; `rows` empty prints the header and "(none)". */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
  options: TableOptions = {},
): string {
  const cells = rows.map((r) => headers.map((_, i) => text(r[i]).replace(/\s+/g, " ")));
  const natural = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => visibleWidth(r[i] ?? ""))));
  const minimum = headers.map((h, i) => Math.min(natural[i] ?? 0, Math.max(h.length, MIN_COLUMN)));
  const widths = fitWidths(natural, minimum, options.width ?? terminalWidth());
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => {
        const w = widths[i] ?? 0;
        const shown = truncate(c, w);
        return shown + " ".repeat(Math.max(0, w - visibleWidth(shown)));
      })
      .join(" ".repeat(GAP))
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
