// How a contact is named to an operator: the name GHL shows, else the email or phone, never just an id.

interface Named {
  readonly contactName?: unknown;
  readonly name?: unknown;
  readonly firstName?: unknown;
  readonly lastName?: unknown;
  readonly email?: unknown;
  readonly phone?: unknown;
}

function str(v: unknown): string {
  return typeof v === "string" ? v.trim() : "";
}

/** "Ann Smith", else "ann@example.com", else "+447700900123", else "(no name)". */
export function contactName(c: Named | null | undefined): string {
  if (!c) return "(unknown)";
  const full = [str(c.firstName), str(c.lastName)].filter(Boolean).join(" ");
  return str(c.contactName) || str(c.name) || full || str(c.email) || str(c.phone) || "(no name)";
}

/** "Ann Smith (id)" for tables and plans. */
export function labelled(id: string, names: ReadonlyMap<string, string>): string {
  const name = names.get(id);
  return name ? `${name} (${id})` : id;
}
