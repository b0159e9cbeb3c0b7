import { describe, expect, it } from "vitest";
import { renderTable } from "./table.js";
import { stripAnsi, terminalWidth, truncate, visibleWidth } from "./text-width.js";

const red = (s: string) => `\u001b[31m${s}\u001b[39m`;

describe("tables fitted to the terminal", () => {
  it("measures colour codes as no width: a painted column stays aligned with its header", () => {
    const out = renderTable(
      ["check", "status", "detail"],
      [
        ["store", red("problem"), "no database"],
        ["configuration", "\u001b[32mok\u001b[39m", "mode sandbox"],
      ],
      { width: 200 },
    );
    const lines = stripAnsi(out).trimEnd().split("\n");
    const detailAt = (lines[0] as string).indexOf("DETAIL");
    expect(lines[2]?.indexOf("no database")).toBe(detailAt);
    expect(lines[3]?.indexOf("mode sandbox")).toBe(detailAt);
    expect(out).toContain(red("problem")); // the colour itself is kept
  });

  it("narrows the widest column with an ellipsis so no line passes the width", () => {
    const long = "x".repeat(150);
    const out = renderTable(
      ["id", "name", "evidence"],
      [
        ["c1", "Ann Smith", long],
        ["c2", "Bob Jones", "short"],
      ],
      { width: 60 },
    );
    for (const l of out.trimEnd().split("\n")) expect(visibleWidth(l)).toBeLessThanOrEqual(60);
    expect(out).toContain("Ann Smith"); // narrow columns are untouched
    expect(out).toMatch(/x+…/);
    // without a limit nothing is cut (piped output keeps every character)
    expect(renderTable(["e"], [[long]], { width: Number.POSITIVE_INFINITY })).toContain(long);
  });

  it("truncate and terminalWidth", () => {
    expect(truncate("abcdef", 4)).toBe("abc…");
    expect(truncate(red("abcdef"), 4)).toBe("abc…");
    expect(truncate("abc", 4)).toBe("abc");
    expect(terminalWidth({ COLUMNS: "72" }, { isTTY: true, columns: 100 })).toBe(72);
    expect(terminalWidth({}, { isTTY: true, columns: 100 })).toBe(100);
    expect(terminalWidth({}, { isTTY: false })).toBe(Number.POSITIVE_INFINITY);
  });
});
