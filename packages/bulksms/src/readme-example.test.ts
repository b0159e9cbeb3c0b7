/**
 * The README's usage example must compile against the real public API: its ```ts block is type-checked
 * as a virtual file inside this package (importing "@ghl-bulksms/bulksms" by name, resolved to src/),
 * with the package's own tsconfig.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { measureSms } from "./text/measure-sms.js";

const packageDir = resolve(import.meta.dirname, "..");
const readme = readFileSync(join(packageDir, "README.md"), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");

function typeErrors(code: string): string[] {
  const configPath = join(packageDir, "tsconfig.json");
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, packageDir);
  const virtualPath = join(packageDir, "src", "__readme_example__.ts");
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true };
  const host = ts.createCompilerHost(options);
  const original = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) =>
    resolve(fileName) === virtualPath ? ts.createSourceFile(fileName, code, languageVersion, true) : original(fileName, languageVersion, ...rest);
  const originalExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => resolve(fileName) === virtualPath || originalExists(fileName);
  const program = ts.createProgram({ rootNames: [virtualPath], options, host });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file === undefined || resolve(d.file.fileName) === virtualPath)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

describe("README", () => {
  it("has a TypeScript usage example", () => {
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks[0]).toContain('from "@ghl-bulksms/bulksms"');
  });

  it("example type-checks against the public API", () => {
    for (const block of blocks) expect(typeErrors(block)).toEqual([]);
  }, 60_000);

  it("the type check really catches mistakes", () => {
    const broken = `import { createBulkSmsClient } from "@ghl-bulksms/bulksms";\ncreateBulkSmsClient({ tokenId: "a" });\n`;
    expect(typeErrors(broken).join("\n")).toMatch(/tokenSecret/);
  }, 60_000);

  it("the measureSms output shown in the README is what measureSms returns", () => {
    const text = "Hi Sam, your appointment is tomorrow at 10:00. Reply STOP to opt out.";
    expect(readme).toContain(text);
    expect(readme).toContain(`// ${JSON.stringify(measureSms(text)).replace(/"(\w+)":/g, "$1: ").replace(/,/g, ", ").replace(/^\{/, "{ ").replace(/\}$/, " }")}`);
  });
});
