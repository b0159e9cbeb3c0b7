/** Wire views of stored objects: GHL omits empty fields, so nulls never go out. */
import type { GhlContact, GhlNote, GhlTask } from "./types.js";

function dropNulls<T extends Record<string, unknown>>(o: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

export function contactView(c: GhlContact): Record<string, unknown> {
  return dropNulls({
    ...structuredClone(c),
    emailLowerCase: c.email?.toLowerCase() ?? null,
    firstNameLowerCase: c.firstName?.toLowerCase() ?? null,
    lastNameLowerCase: c.lastName?.toLowerCase() ?? null,
    fullNameLowerCase: c.name?.toLowerCase() ?? null,
  });
}

export function searchContactView(
  c: GhlContact & { searchAfter: Array<number | string> },
): Record<string, unknown> {
  return { ...contactView(c), searchAfter: c.searchAfter };
}

export function noteView(n: GhlNote): Record<string, unknown> {
  return dropNulls({ ...n });
}

export function taskView(t: GhlTask): Record<string, unknown> {
  return dropNulls({ ...t });
}
