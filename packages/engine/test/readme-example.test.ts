import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";

it("the README example is the type-checked one in readme-example.ts", () => {
  const source = readFileSync(join(import.meta.dirname, "readme-example.ts"), "utf8");
  const block = source.split("// --- README start\n")[1]?.split("  // --- README end")[0] ?? "";
  const example = block
    .split("\n")
    .map((l) => l.replace(/^ {2}/, ""))
    .join("\n")
    .trim();
  const readme = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");
  expect(example.length).toBeGreaterThan(200);
  expect(readme).toContain(example);
});
