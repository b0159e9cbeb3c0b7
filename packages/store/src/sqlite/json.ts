/** JSON column helpers. */
export function toJson(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value);
}

export function fromJson(text: unknown): unknown {
  if (typeof text !== "string") return null;
  return JSON.parse(text);
}

export function bool(value: unknown): boolean {
  return value === 1 || value === 1n || value === true;
}

/** SQLite stores booleans as 0/1. */
export function int(value: boolean): number {
  return value ? 1 : 0;
}

export type Row = Record<string, unknown>;

export function str(value: unknown): string {
  return value as string;
}

export function strOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : (value as string);
}

export function num(value: unknown): number {
  return Number(value);
}

export function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}
