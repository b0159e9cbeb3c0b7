/**
 * The logging surface this package uses: a subset of pino's API (`logger.warn(obj, msg)`).
 * The client never logs bodies, phone numbers or credentials: only method, path, status, attempt, timings.
 */
export type BulkSmsLogger = {
  debug?: (obj: Record<string, unknown>, msg: string) => void;
  info?: (obj: Record<string, unknown>, msg: string) => void;
  warn?: (obj: Record<string, unknown>, msg: string) => void;
  error?: (obj: Record<string, unknown>, msg: string) => void;
};
