// Secrets never reach the terminal: keep a hint of the shape, never the value.

const SECRET_NAME = /(SECRET|TOKEN|KEY|PASSWORD)/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** "pit-1234...abcd" -> "pit-****(36 chars)"; empty stays empty. */
export function maskSecret(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === "") return null;
  return `****(${value.length} chars)`;
}

/** Replaces secret values inside a JSON-like value (keys matching token/secret/key/password). */
export function maskDeep(value: unknown, keyName = ""): unknown {
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, keyName));
  if (value && typeof value === "object" && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v, k)]));
  }
  if (value instanceof Uint8Array) return `****(${value.length} bytes)`;
  if (typeof value === "string" && isSecretName(keyName)) return maskSecret(value);
  return value;
}
