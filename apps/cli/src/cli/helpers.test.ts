import { describe, expect, it } from "vitest";
import { csvLine, parseCsv } from "./csv.js";
import { maskDeep, maskSecret } from "./mask.js";
import { renderTable } from "./table.js";

describe("csv", () => {
  it("round-trips quotes, commas and newlines with line numbers", () => {
    const text = `${csvLine(["phone", "note"])}\n${csvLine(["+447911123456", 'said "stop", twice'])}\r\n${csvLine(["+447911123457", "line1\nline2"])}\n\n+447911123458\n`;
    const rows = parseCsv(text);
    expect(rows).toEqual([
      { line: 1, fields: ["phone", "note"] },
      { line: 2, fields: ["+447911123456", 'said "stop", twice'] },
      { line: 3, fields: ["+447911123457", "line1\nline2"] },
      { line: 6, fields: ["+447911123458"] },
    ]);
  });

  it("rejects an unterminated quote naming its line", () => {
    expect(() => parseCsv('a,b\n"open,c\n')).toThrow("line 2");
  });
});

describe("masking", () => {
  it("never shows a secret value, keeps non-secrets", () => {
    const out = maskDeep({
      tokenSecret: "abcdef",
      nested: { privateToken: "pit-123" },
      locationId: "loc1",
      key: new Uint8Array(32),
    });
    expect(JSON.stringify(out)).not.toContain("abcdef");
    expect(JSON.stringify(out)).not.toContain("pit-123");
    expect(out).toMatchObject({ locationId: "loc1", tokenSecret: "****(6 chars)", key: "****(32 bytes)" });
    expect(maskSecret("")).toBeNull();
  });
});

describe("tables", () => {
  it("aligns columns and shows empty cells as -", () => {
    expect(
      renderTable(
        ["id", "name"],
        [
          [1, "Ann"],
          [22, null],
        ],
      ),
    ).toBe("ID  NAME\n--  ----\n1   Ann\n22  -\n");
    expect(renderTable(["id"], [])).toContain("(none)");
  });
});
