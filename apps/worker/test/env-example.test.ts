// .env.example documents every variable the config reads, and loads as is.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "@ghl-bulksms/config";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");

function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m?.[1] !== undefined) out[m[1]] = m[2] ?? "";
  }
  return out;
}

describe(".env.example", () => {
  const text = readFileSync(join(root, ".env.example"), "utf8");
  it("mentions every variable the configuration reads", () => {
    // the schema lives in @ghl-bulksms/config
    const source = readFileSync(join(root, "../../packages/config/src/env-config.ts"), "utf8");
    const read = new Set(
      [...source.matchAll(/(?:str|parse|secret|pem|words)\("([A-Z0-9_]+)"/g)].map((m) => m[1]),
    );
    expect(read.size).toBeGreaterThan(20);
    for (const name of read) expect(text, name).toContain(`${name}=`);
  });
  it("is a valid sandbox configuration as shipped", () => {
    expect(loadConfig(parseEnvFile(text)).mode).toBe("sandbox");
  });
});
