// Streams a JSONL file of GHL contacts (one Contacts API object per line) into dedupe input, line by line.
import { createReadStream, existsSync } from "node:fs";
import { createInterface } from "node:readline";
import type { DedupeContact } from "@ghl-bulksms/sync";

export interface JsonlProblem {
  line: number;
  message: string;
}

export interface JsonlContacts {
  contacts: DedupeContact[];
  lines: number;
  problems: JsonlProblem[];
}

function str(v: unknown): string | null {
  return typeof v === "string" && v !== "" ? v : null;
}

function filled(o: Record<string, unknown>): number {
  let n = 0;
  for (const v of Object.values(o)) {
    if (v === null || v === undefined || v === "") continue;
    if (Array.isArray(v) && v.length === 0) continue;
    n++;
  }
  return n;
}

/** Converts one parsed line; returns an error message for a line that is JSON but not a contact. */
export function toDedupeContact(value: unknown): DedupeContact | string {
  if (!value || typeof value !== "object" || Array.isArray(value)) return "not a JSON object";
  let o = value as Record<string, unknown>;
  // GET /contacts/:id answers { contact: {...} }: accept that wrapper too.
  if (o.contact && typeof o.contact === "object" && !Array.isArray(o.contact) && o.id === undefined)
    o = o.contact as Record<string, unknown>;
  const id = o.id;
  if (typeof id !== "string" || id === "") return 'has no "id" string (expected a GHL contact object)';
  return {
    id,
    phone: str(o.phone),
    // The contact's own country reads a national phone number first (then --region).
    country: str(o.country),
    email: str(o.email),
    firstName: str(o.firstName) ?? str(o.firstNameRaw),
    lastName: str(o.lastName) ?? str(o.lastNameRaw),
    name: str(o.contactName) ?? str(o.name),
    createdAt: str(o.dateAdded),
    updatedAt: str(o.dateUpdated),
    filledFields: filled(o),
  };
}

/** Reads the file; problems (bad JSON, no id, repeated id) are collected with their line numbers. */
export async function readJsonlContacts(
  path: string,
  options: { maxProblems?: number; onLine?: (line: number) => void } = {},
): Promise<JsonlContacts> {
  if (!existsSync(path)) throw Object.assign(new Error(`file not found: ${path}`), { code: "ENOENT" });
  const contacts: DedupeContact[] = [];
  const problems: JsonlProblem[] = [];
  const seen = new Map<string, number>();
  const rl = createInterface({
    input: createReadStream(path, { encoding: "utf8" }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let line = 0;
  const max = options.maxProblems ?? Number.POSITIVE_INFINITY;
  for await (const text of rl) {
    line++;
    options.onLine?.(line);
    const trimmed = text.trim();
    if (trimmed === "") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (e) {
      problems.push({ line, message: `not valid JSON (${(e as Error).message})` });
      if (problems.length >= max) break;
      continue;
    }
    const c = toDedupeContact(parsed);
    if (typeof c === "string") {
      problems.push({ line, message: c });
      if (problems.length >= max) break;
      continue;
    }
    const first = seen.get(c.id);
    if (first !== undefined) {
      problems.push({ line, message: `repeats contact id "${c.id}" (first seen on line ${first})` });
      if (problems.length >= max) break;
      continue;
    }
    seen.set(c.id, line);
    contacts.push(c);
  }
  return { contacts, lines: line, problems };
}
