import { createHash } from "node:crypto";

/**
 * The store encryption key used in sandbox mode when GHL_BULKSMS_ENCRYPTION_KEY is not set: a fixed,
 * PUBLIC key (sha256 of a known phrase), so the worker and the CLI open the same sandbox store. Live mode
 * always requires a real key (loadConfig refuses to start without one).
 */
export const SANDBOX_ENCRYPTION_KEY: Buffer = createHash("sha256")
  .update("ghl-bulksms sandbox key (not secret)")
  .digest();

/** The key to open the store with: the configured one, else (sandbox mode only) the sandbox key. */
export function storeEncryptionKey(config: {
  readonly mode: "sandbox" | "live";
  readonly encryptionKey: Buffer | null;
}): Buffer {
  if (config.encryptionKey) return config.encryptionKey;
  if (config.mode === "live")
    throw new Error("GHL_BULKSMS_ENCRYPTION_KEY is required in live mode (32 bytes base64)");
  return SANDBOX_ENCRYPTION_KEY;
}
