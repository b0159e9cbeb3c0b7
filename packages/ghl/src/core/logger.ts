/** A pino-compatible logger subset. The client never logs tokens, phone numbers or bodies. */
export interface GhlLogger {
  debug(obj: Record<string, unknown>, msg?: string): void;
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}

const noop = (): void => {};
export const silentLogger: GhlLogger = { debug: noop, info: noop, warn: noop, error: noop };
