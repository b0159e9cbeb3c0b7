/** Base class of the errors the store throws (bugs and broken set-ups, never expected outcomes). */
export class StoreError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreError";
    this.code = code;
  }
}

/** The encryption key is malformed, missing, or not the one the data was encrypted with. */
export class EncryptionError extends StoreError {
  constructor(code: "invalid_key" | "missing_key" | "wrong_key" | "decrypt_failed", message: string) {
    super(code, message);
    this.name = "EncryptionError";
  }
}

/** The database was migrated by a newer release than this one. */
export class SchemaTooNewError extends StoreError {
  readonly databaseVersion: number;
  readonly knownVersion: number;
  constructor(databaseVersion: number, knownVersion: number, path: string) {
    super(
      "schema_too_new",
      `database ${path} has schema version ${databaseVersion}, but this release of @ghl-bulksms/store only knows ` +
        `up to version ${knownVersion}: a newer ghl-bulksms has migrated it. Refusing to open it to avoid ` +
        "corrupting data. Run the newer release (the worker and the CLI of the same release), or, to go back " +
        "to this one, restore the backup taken before the upgrade (`ghl-bulksms restore <file>`)",
    );
    this.name = "SchemaTooNewError";
    this.databaseVersion = databaseVersion;
    this.knownVersion = knownVersion;
  }
}
