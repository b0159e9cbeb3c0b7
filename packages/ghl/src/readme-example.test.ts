import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// src/readme-example.ts is compiled by `pnpm typecheck`; this test keeps the README's block identical to it,
// so the README example is a type-checked example.
describe("README example", () => {
  it("matches src/readme-example.ts (which the typecheck compiles)", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const block = /## Usage\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block, "README has a ## Usage ts block").toBeDefined();
    const source = readFileSync(new URL("./readme-example.ts", import.meta.url), "utf8");
    const withoutHeader = source.split("\n").slice(2).join("\n");
    expect(block?.trim()).toBe(withoutHeader.trim());
  });

  it("escape-hatch block matches src/readme-raw-example.ts", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const block = /## Escape hatch[^\n]*\n[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block, "README has an ## Escape hatch ts block").toBeDefined();
    const source = readFileSync(new URL("./readme-raw-example.ts", import.meta.url), "utf8");
    expect(block?.trim()).toBe(source.split("\n").slice(2).join("\n").trim());
  });
});
