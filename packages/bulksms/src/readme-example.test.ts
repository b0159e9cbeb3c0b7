/**
 * The README's usage example must compile against the real public API: its ```ts block is type-checked
 * as a virtual file inside this package (importing "@ghl-bulksms/bulksms" by name, resolved to src/),
 * with the package's own tsconfig.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { measureSms } from "./text/measure-sms.js";

const packageDir = resolve(import.meta.dirname, "..");
const readme = readFileSync(join(packageDir, "README.md"), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");

const BROKEN = `import { createBulkSmsClient } from "@ghl-bulksms/bulksms";\ncreateBulkSmsClient({ tokenId: "a" });\n`;

/** Type-checks several virtual files in ONE program (a TypeScript program is the slow part). */
function typeErrorsOf(codes: string[]): string[][] {
  const configPath = join(packageDir, "tsconfig.json");
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, packageDir);
  const virtual = new Map(
    codes.map((code, i) => [join(packageDir, "src", `__readme_example_${i}__.ts`), code]),
  );
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true };
  const host = ts.createCompilerHost(options);
  const original = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const code = virtual.get(resolve(fileName));
    return code === undefined
      ? original(fileName, languageVersion, ...rest)
      : ts.createSourceFile(fileName, code, languageVersion, true);
  };
  const originalExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => virtual.has(resolve(fileName)) || originalExists(fileName);
  const program = ts.createProgram({ rootNames: [...virtual.keys()], options, host });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  return [...virtual.keys()].map((path) =>
    diagnostics
      .filter((d) => d.file !== undefined && resolve(d.file.fileName) === path)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")),
  );
}

let results: string[][] = [];
beforeAll(() => {
  results = typeErrorsOf([...blocks, BROKEN]);
}, 120_000);

describe("README", () => {
  it("has a TypeScript usage example", () => {
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks[0]).toContain('from "@ghl-bulksms/bulksms"');
  });

  it("example type-checks against the public API", () => {
    for (let i = 0; i < blocks.length; i++) expect(results[i]).toEqual([]);
  });

  it("the type check really catches mistakes", () => {
    expect(results[blocks.length]?.join("\n")).toMatch(/tokenSecret/);
  });

  it("the measureSms output shown in the README is what measureSms returns", () => {
    const text = "Hi Sam, your appointment is tomorrow at 10:00. Reply STOP to opt out.";
    expect(readme).toContain(text);
    expect(readme).toContain(
      `// ${JSON.stringify(measureSms(text))
        .replace(/"(\w+)":/g, "$1: ")
        .replace(/,/g, ", ")
        .replace(/^\{/, "{ ")
        .replace(/\}$/, " }")}`,
    );
  });
});
