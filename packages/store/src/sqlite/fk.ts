import { StoreError } from "../errors.js";

/** Turns SQLite's bare "FOREIGN KEY constraint failed" into an error naming the missing location. */
export function withLocation<T>(locationId: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if ((error as { code?: string }).code === "SQLITE_CONSTRAINT_FOREIGNKEY") {
      throw new StoreError(
        "unknown_location",
        `unknown location ${JSON.stringify(locationId)}: register it with store.locations.upsert() first`,
        { cause: error },
      );
    }
    throw error;
  }
}
