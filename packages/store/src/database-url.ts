/** Telling a PostgreSQL URL from a SQLite path, and printing either without its password. */

/** `postgres://` or `postgresql://` (any case): the PostgreSQL store; anything else is a SQLite path. */
export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value.trim());
}

/**
 * The URL with its password replaced by `***` (and a `password=` query parameter too), safe for logs,
 * `doctor` and error messages. A SQLite path is returned unchanged.
 */
export function redactDatabaseUrl(value: string): string {
  if (!isPostgresUrl(value)) return value;
  try {
    const url = new URL(value.trim());
    if (url.password) url.password = "***";
    for (const key of [...url.searchParams.keys()]) {
      if (/pass(word)?|secret|token|sslkey/i.test(key)) url.searchParams.set(key, "***");
    }
    return url.toString();
  } catch {
    // not parseable: hide everything between the scheme and the host
    return value.replace(/\/\/[^@/]*@/, "//***@");
  }
}
