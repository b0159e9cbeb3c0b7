import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { example } from "../src/readme-example.ts";

// src/readme-example.ts is compiled by `pnpm typecheck`; this test keeps the README's block identical to it
// and runs it, so the README example is a type-checked, working example.
describe("README example", () => {
  it("matches src/readme-example.ts (which the typecheck compiles)", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const block = /## Use it from code\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block, "README has a ## Use it from code ts block").toBeDefined();
    const source = readFileSync(new URL("../src/readme-example.ts", import.meta.url), "utf8");
    const withoutHeader = source.split("\n").slice(2).join("\n");
    expect(block?.trim()).toBe(withoutHeader.trim());
  });

  it("runs", async () => {
    expect(await example()).toEqual({ total: 20, deliveries: 3 });
  });
});
