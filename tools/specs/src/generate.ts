import { mkdir, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import { GENERATE_TARGETS, type GenerateTarget } from "./targets.ts";

export const BANNER_LINES: readonly string[] = [
  "// generated — do not edit; run pnpm generate",
  "// Source: {spec} (openapi-typescript). Exports `paths`, `components`, `operations`.",
];

/** Renders the TypeScript types for one spec file (absolute path) as the committed file's text. */
export async function renderTypes(specPath: string, specLabel: string): Promise<string> {
  const ast = await openapiTS(pathToFileURL(specPath), {
    alphabetize: false,
  });
  const body = astToString(ast);
  const banner = BANNER_LINES.map((l) => l.replace("{spec}", specLabel)).join("\n");
  return `${banner}\n\n${body.trimEnd()}\n`;
}

export function targetsFor(which: string): GenerateTarget[] {
  if (which === "all") return [...GENERATE_TARGETS];
  const selected = GENERATE_TARGETS.filter((t) => t.pkg === which);
  if (selected.length === 0) {
    throw new Error(`Unknown generate target "${which}": expected one of all, ghl, bulksms`);
  }
  return selected;
}

/**
 * Generates the type files for `which` ("ghl", "bulksms" or "all") under `outRoot`
 * (the repository root by default; a temp dir in the drift test). Returns the written paths.
 */
export async function generate(
  which: string,
  repoRoot: string,
  outRoot: string = repoRoot,
): Promise<string[]> {
  const written: string[] = [];
  for (const target of targetsFor(which)) {
    const text = await renderTypes(join(repoRoot, target.spec), target.spec);
    const out = join(outRoot, target.output);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, text, "utf8");
    written.push(out);
  }
  const indexTargets = targetsFor(which).filter((t) => t.pkg === "ghl");
  if (indexTargets.length > 0) {
    const out = join(outRoot, GHL_INDEX);
    await writeFile(out, renderGhlIndex(indexTargets), "utf8");
    written.push(out);
  }
  return written;
}

export const GHL_INDEX = "packages/ghl/src/generated/index.ts";

/** `packages/ghl/src/generated/index.ts`: every family's types under a prefixed name. */
export function renderGhlIndex(targets: readonly GenerateTarget[]): string {
  const lines = [BANNER_LINES[0] ?? "", "// Per-family OpenAPI types, re-exported under prefixed names.", ""];
  for (const t of targets) {
    const file = basename(t.output, ".ts");
    const prefix = file.charAt(0).toUpperCase() + file.slice(1);
    lines.push(
      `export type { components as ${prefix}Components, operations as ${prefix}Operations, paths as ${prefix}Paths } from "./${file}.js";`,
    );
  }
  return `${lines.join("\n")}\n`;
}
