/**
 * The pg pool of one PostgreSQL store. Type parsing is set on this pool only (never pg's global parsers):
 * int8 (BIGINT: epoch ms, identity ids, COUNT(*)) comes back as a number, as on SQLite.
 */
import pg from "pg";

const INT8_OID = 20;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function parseInt8(text: string): number {
  const value = BigInt(text);
  if (value > MAX_SAFE || value < -MAX_SAFE) {
    throw new RangeError(`BIGINT ${text} does not fit a JavaScript number`);
  }
  return Number(value);
}

export interface PoolOptions {
  url: string;
  /** The schema the store lives in (search_path); default "public". */
  schema: string;
  /** Most connections the pool opens. Default 10. */
  max?: number;
  applicationName?: string;
  /**
   * Told when an idle pooled connection fails (server restart, network cut): the pool drops that connection
   * and the next query opens a new one. Without a listener pg would crash the process on such an error.
   */
  onError?: (error: Error) => void;
}

export function createPool(options: PoolOptions): pg.Pool {
  const quoted = `"${options.schema.replaceAll('"', '""')}"`;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? "ghl-bulksms",
    options: `-c search_path=${quoted}`,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID && format !== "binary"
          ? parseInt8
          : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
    },
  });
  pool.on("error", (error) => (options.onError ?? defaultOnError)(error));
  return pool;
}

function defaultOnError(error: Error): void {
  process.emitWarning(`PostgreSQL connection lost: ${error.message}`, { code: "GHL_BULKSMS_STORE_POSTGRES" });
}
