// A plain-text table for the demo's summary (no colours, wraps nothing: long cells are cut with "...").

const MAX_CELL = 70;

function cut(text: string): string {
  const oneLine = text.replace(/\s+/g, " ");
  return oneLine.length > MAX_CELL ? `${oneLine.slice(0, MAX_CELL - 3)}...` : oneLine;
}

export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const cells = [header, ...rows].map((r) => r.map(cut));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? "")].length)));
  const line = (r: readonly string[]) =>
    `| ${widths.map((w, i) => (r[i] ?? "").padEnd(w + (r[i] ?? "").length - [...(r[i] ?? "")].length)).join(" | ")} |`;
  const rule = `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`;
  const [head, ...body] = cells;
  return [line(head ?? []), rule, ...body.map(line)].join("\n");
}
