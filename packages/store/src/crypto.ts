/**
 * AES-256-GCM encryption of values at rest (tokens, secrets).
 *
 * Format of a stored value: `v1.<iv base64url>.<tag base64url>.<ciphertext base64url>`, with a random
 * 12-byte IV per value. The context string (e.g. "token:<ownerId>") is bound as additional authenticated
 * data, so a ciphertext copied to another row does not decrypt. A wrong key or tampered data fails the
 * auth-tag check and throws an EncryptionError; it never returns garbage.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { EncryptionError } from "./errors.js";

export interface Cipher {
  encrypt(plaintext: string, context: string): string;
  decrypt(stored: string, context: string): string;
}

const PREFIX = "v1";

/** Parses a 32-byte key given as base64 (44 chars), base64url, or hex (64 chars), or as raw bytes. */
export function parseEncryptionKey(key: string | Uint8Array): Buffer {
  if (typeof key !== "string") {
    if (key.length !== 32) {
      throw new EncryptionError("invalid_key", `encryption key must be 32 bytes, got ${key.length}`);
    }
    return Buffer.from(key);
  }
  const trimmed = key.trim();
  let bytes: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) bytes = Buffer.from(trimmed, "hex");
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) bytes = Buffer.from(trimmed, "base64");
  if (bytes?.length !== 32) {
    throw new EncryptionError(
      "invalid_key",
      "encryption key must be 32 bytes given as 64 hex characters or 44 base64 characters " +
        "(generate one with: openssl rand -base64 32, or ghl-bulksms init)",
    );
  }
  return bytes;
}

export function createCipher(key: string | Uint8Array): Cipher {
  const keyBytes = parseEncryptionKey(key);
  return {
    encrypt(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", keyBytes, iv);
      cipher.setAAD(Buffer.from(context, "utf8"));
      const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [
        PREFIX,
        iv.toString("base64url"),
        tag.toString("base64url"),
        ciphertext.toString("base64url"),
      ].join(".");
    },
    decrypt(stored, context) {
      const parts = stored.split(".");
      if (parts.length !== 4 || parts[0] !== PREFIX) {
        throw new EncryptionError(
          "decrypt_failed",
          `cannot decrypt ${context}: not a value written by this store`,
        );
      }
      const [, ivText, tagText, dataText] = parts as [string, string, string, string];
      const iv = Buffer.from(ivText, "base64url");
      const tag = Buffer.from(tagText, "base64url");
      if (iv.length !== 12 || tag.length !== 16) {
        throw new EncryptionError("decrypt_failed", `cannot decrypt ${context}: malformed value`);
      }
      try {
        const decipher = createDecipheriv("aes-256-gcm", keyBytes, iv);
        decipher.setAAD(Buffer.from(context, "utf8"));
        decipher.setAuthTag(tag);
        return Buffer.concat([
          decipher.update(Buffer.from(dataText, "base64url")),
          decipher.final(),
        ]).toString("utf8");
      } catch {
        throw new EncryptionError(
          "decrypt_failed",
          `cannot decrypt ${context}: wrong encryption key or tampered data (authentication tag mismatch)`,
        );
      }
    },
  };
}

/** A cipher that refuses to work: used when the store was opened without a key. */
export function missingKeyCipher(): Cipher {
  const fail = (): never => {
    throw new EncryptionError(
      "missing_key",
      "this store was opened without an encryptionKey, so tokens and secrets cannot be read or written",
    );
  };
  return { encrypt: fail, decrypt: fail };
}
