import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";

export const KEY_HEX = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
export const KEY_B64 = Buffer.from("k".repeat(32)).toString("base64");

const dirs: string[] = [];

/** A fresh temp dir removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "ghl-bulksms-store-"));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A controllable clock. */
export function fakeClock(start = 1_700_000_000_000) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
    set(ms: number) {
      t = ms;
    },
  };
}
