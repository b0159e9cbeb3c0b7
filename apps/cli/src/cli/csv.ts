// Minimal RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF.

export function csvField(value: string | number | null | undefined): string {
  const s = value === null || value === undefined ? "" : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: ReadonlyArray<string | number | null | undefined>): string {
  return values.map(csvField).join(",");
}

/** Parses CSV text into rows with their 1-based line numbers; throws on an unterminated quote. */
export function parseCsv(text: string): Array<{ line: number; fields: string[] }> {
  const rows: Array<{ line: number; fields: string[] }> = [];
  let field = "";
  let fields: string[] = [];
  let inQuotes = false;
  let line = 1;
  let rowLine = 1;
  let touched = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (ch === "\n") line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      inQuotes = true;
      touched = true;
    } else if (ch === ",") {
      fields.push(field);
      field = "";
      touched = true;
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      if (touched || field !== "") {
        fields.push(field);
        rows.push({ line: rowLine, fields });
      }
      fields = [];
      field = "";
      touched = false;
      line++;
      rowLine = line;
    } else {
      field += ch;
      touched = true;
    }
  }
  if (inQuotes) throw new Error(`unterminated quoted field starting on line ${rowLine}`);
  if (touched || field !== "") {
    fields.push(field);
    rows.push({ line: rowLine, fields });
  }
  return rows;
}
