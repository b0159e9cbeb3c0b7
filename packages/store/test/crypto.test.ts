import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import {
  createCipher,
  EncryptionError,
  openMemoryStore,
  openSqliteStore,
  parseEncryptionKey,
} from "../src/index.js";
import { KEY_B64, KEY_HEX, tempDir } from "./helpers.js";

const ACCESS = "eyJhbGciOiJIUzI1NiJ9.ACCESS-TOKEN-PLAINTEXT-4f9a";
const REFRESH = "REFRESH-TOKEN-PLAINTEXT-77c1e0";

describe("crypto", () => {
  it("parses hex and base64 keys and rejects bad ones clearly", () => {
    expect(parseEncryptionKey(KEY_HEX)).toHaveLength(32);
    expect(parseEncryptionKey(KEY_B64)).toEqual(Buffer.from("k".repeat(32)));
    expect(() => parseEncryptionKey("short")).toThrow(/32 bytes given as 64 hex characters or 44 base64/);
    expect(() => parseEncryptionKey(KEY_HEX.slice(2))).toThrow(EncryptionError);
    expect(() => parseEncryptionKey(new Uint8Array(16))).toThrow(/must be 32 bytes, got 16/);
  });

  it("round-trips with a random IV per value and binds the context", () => {
    const cipher = createCipher(KEY_HEX);
    const a = cipher.encrypt("hello", "ctx");
    const b = cipher.encrypt("hello", "ctx");
    expect(a).not.toBe(b);
    expect(cipher.decrypt(a, "ctx")).toBe("hello");
    expect(() => cipher.decrypt(a, "other-ctx")).toThrow(/wrong encryption key or tampered data/);
  });

  it("detects tampering", () => {
    const cipher = createCipher(KEY_HEX);
    const stored = cipher.encrypt("secret value", "ctx");
    const parts = stored.split(".");
    const data = Buffer.from(parts[3]!, "base64url");
    data[0] = data[0]! ^ 1;
    parts[3] = data.toString("base64url");
    expect(() => cipher.decrypt(parts.join("."), "ctx")).toThrow(EncryptionError);
    expect(() => cipher.decrypt("garbage", "ctx")).toThrow(/not a value written by this store/);
  });

  it("a wrong key gives a clear error, never garbage", () => {
    const stored = createCipher(KEY_HEX).encrypt("secret", "ctx");
    expect(() => createCipher(KEY_B64).decrypt(stored, "ctx")).toThrow(
      /wrong encryption key or tampered data/,
    );
  });
});

describe("tokens and secrets at rest", () => {
  it("stores tokens encrypted: round trip, and no plaintext in the database files", async () => {
    const dir = tempDir();
    const path = join(dir, "store.db");
    const store = openSqliteStore({ path, encryptionKey: KEY_HEX });
    const tokens = {
      accessToken: ACCESS,
      refreshToken: REFRESH,
      expiresAt: 1_800_000_000_000,
      scopes: ["contacts.readonly", "contacts.write"],
      tokenType: "Location",
    };
    await store.tokens.save("loc-1", tokens);
    await store.secrets.set("webhook:bulksms", "WEBHOOK-SECRET-PLAINTEXT-19ab");
    expect(await store.tokens.load("loc-1")).toEqual(tokens);
    expect(await store.secrets.get("webhook:bulksms")).toBe("WEBHOOK-SECRET-PLAINTEXT-19ab");
    expect(await store.tokens.load("unknown")).toBeNull();
    const noPlaintext = () => {
      // Every file of the database (main, WAL, SHM) is free of the plaintext.
      for (const file of readdirSync(dir)) {
        const bytes = readFileSync(join(dir, file));
        for (const needle of [ACCESS, REFRESH, "WEBHOOK-SECRET-PLAINTEXT", "contacts.write"]) {
          expect(bytes.includes(Buffer.from(needle)), `${needle} in ${file}`).toBe(false);
        }
      }
    };
    // Positive control: a value stored in clear (a setting) IS found by the same scan.
    await store.settings.set("control", "CLEAR-CONTROL-MARKER-5e1");
    const found = readdirSync(dir).some((f) =>
      readFileSync(join(dir, f)).includes(Buffer.from("CLEAR-CONTROL-MARKER-5e1")),
    );
    expect(found).toBe(true);
    expect(readdirSync(dir).some((f) => f.endsWith("-wal"))).toBe(true);
    noPlaintext(); // while open, with the WAL file present
    expect(await store.tokens.listExpiring(1_900_000_000_000)).toEqual([
      { ownerId: "loc-1", expiresAt: 1_800_000_000_000 },
    ]);
    await store.close();
    noPlaintext(); // after the checkpoint into the main file
    const reopened = openSqliteStore({ path, encryptionKey: KEY_HEX });
    expect((await reopened.tokens.load("loc-1"))?.refreshToken).toBe(REFRESH);
    expect(await reopened.tokens.delete("loc-1")).toBe(true);
    expect(await reopened.tokens.load("loc-1")).toBeNull();
    await reopened.close();
  });

  it("refuses to open with a different key than the database was created with", async () => {
    const path = join(tempDir(), "store.db");
    const store = openSqliteStore({ path, encryptionKey: KEY_HEX });
    await store.tokens.save("loc-1", { accessToken: ACCESS });
    await store.close();
    expect(() => openSqliteStore({ path, encryptionKey: KEY_B64 })).toThrow(
      /encryption key does not match the one database .* was created with/,
    );
  });

  it("a value moved to another row does not decrypt", async () => {
    const path = join(tempDir(), "store.db");
    const store = openSqliteStore({ path, encryptionKey: KEY_HEX });
    await store.tokens.save("loc-1", { accessToken: ACCESS });
    await store.tokens.save("loc-2", { accessToken: "other" });
    await store.close();
    const db = new Database(path);
    db.exec(
      "UPDATE tokens SET ciphertext = (SELECT ciphertext FROM tokens WHERE owner_id = 'loc-1') WHERE owner_id = 'loc-2'",
    );
    db.close();
    const again = openSqliteStore({ path, encryptionKey: KEY_HEX });
    await expect(again.tokens.load("loc-2")).rejects.toThrow(/cannot decrypt token:loc-2/);
    await again.close();
  });

  it("without a key, tokens and secrets fail with a clear error", async () => {
    const store = openSqliteStore({ path: ":memory:" });
    await expect(store.tokens.save("loc-1", { accessToken: ACCESS })).rejects.toThrow(
      /opened without an encryptionKey/,
    );
    await expect(store.secrets.get("x")).resolves.toBeNull();
    await store.settings.set("ok", 1);
    await store.close();
  });

  it("validates the token shape", async () => {
    const store = openMemoryStore();
    await expect(store.tokens.save("loc-1", { accessToken: "" })).rejects.toThrow(
      /accessToken must be a non-empty/,
    );
    await store.close();
  });
});
