import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { createSink, type Difference, type DifferenceSink } from "./difference.ts";
import {
  asArray,
  asObject,
  asString,
  createDocumentStore,
  type DocumentStore,
  type Json,
  type JsonObject,
  type Located,
  notesOf,
} from "./documents.ts";
import { validateAgainst } from "./json-schema.ts";
import { compareSchemas, type Direction } from "./schema-compare.ts";
import { SPEC_FILES } from "./targets.ts";

export type CheckOptions = {
  /** Repository root; spec files are relative to it. */
  readonly repoRoot: string;
  /** Folder holding the vendor documents (`ghl/…`, `bulksms/…`); each spec names its file in `info.x-reference`. */
  readonly referenceDir: string;
  /** Our spec files, relative to `repoRoot`. Defaults to every spec under specs/. */
  readonly specFiles?: readonly string[];
};

export type CheckCounts = { operations: number; schemas: number; examples: number };

export type CheckResult =
  | { readonly status: "reference-not-found"; readonly referenceDir: string }
  | {
      readonly status: "passed" | "failed";
      readonly referenceDir: string;
      readonly differences: readonly Difference[];
      readonly counts: CheckCounts;
    };

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"] as const;

function normalisePath(path: string): string {
  return path.replace(/\{[^}]+\}/g, "{}");
}

function pathParamIndex(path: string, name: string): number {
  const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  return names.indexOf(name);
}

type Param = {
  readonly key: string;
  readonly label: string;
  readonly located: Located;
  readonly obj: JsonObject;
};

function collectParams(store: DocumentStore, path: string, lists: readonly Located[]): Map<string, Param> {
  const params = new Map<string, Param>();
  for (const list of lists) {
    for (const raw of asArray(list.node) ?? []) {
      const located = store.deref({ node: raw, file: list.file });
      const obj = asObject(located.node);
      if (obj === undefined) continue;
      const name = asString(obj.name) ?? "";
      const location = asString(obj.in) ?? "";
      const key =
        location === "path"
          ? `path#${pathParamIndex(path, name)}`
          : location === "header"
            ? `header:${name.toLowerCase()}`
            : `${location}:${name}`;
      params.set(key, { key, label: `${location} parameter "${name}"`, located, obj });
    }
  }
  return params;
}

function scopesOf(security: Json | undefined): Set<string> | undefined {
  const list = asArray(security);
  if (list === undefined) return undefined;
  const scopes = new Set<string>();
  for (const requirement of list) {
    for (const value of Object.values(asObject(requirement) ?? {})) {
      for (const scope of asArray(value) ?? []) if (typeof scope === "string") scopes.add(scope);
    }
  }
  return scopes;
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

function fmtSet(s: Set<string>): string {
  return s.size === 0 ? "(none)" : [...s].sort().join(", ");
}

type Context = {
  readonly store: DocumentStore;
  readonly sink: DifferenceSink;
  readonly counts: CheckCounts;
};

function compare(
  ctx: Context,
  direction: Direction,
  ours: Located,
  theirs: Located,
  where: string,
  rootNotes: readonly string[],
): void {
  for (const f of compareSchemas({ store: ctx.store, direction }, ours, theirs, where, rootNotes)) {
    ctx.sink.add(f.where, f.kind, f.message, f.notes);
  }
}

/** Validates the examples of one of our media type objects against our schema and (for requests) theirs. */
function checkExamples(
  ctx: Context,
  media: Located,
  theirSchema: Located | undefined,
  where: string,
  validateVendor: boolean,
): void {
  const mediaObj = asObject(media.node) ?? {};
  const ourSchema = mediaObj.schema === undefined ? undefined : { node: mediaObj.schema, file: media.file };
  const examples: { name: string; value: Json; notes: string[] }[] = [];
  if (mediaObj.example !== undefined) examples.push({ name: "example", value: mediaObj.example, notes: [] });
  for (const [name, raw] of Object.entries(asObject(mediaObj.examples) ?? {})) {
    const example = ctx.store.deref({ node: raw, file: media.file });
    const exampleObj = asObject(example.node);
    if (exampleObj?.value !== undefined)
      examples.push({ name, value: exampleObj.value, notes: notesOf(exampleObj) });
  }
  for (const example of examples) {
    ctx.counts.examples++;
    if (ourSchema !== undefined) {
      const verdict = validateAgainst(ctx.store, ourSchema, example.value);
      if (!verdict.valid) {
        ctx.sink.add(
          `${where} example "${example.name}"`,
          "example-invalid-ours",
          verdict.errors,
          example.notes,
        );
      }
    }
    if (validateVendor && theirSchema !== undefined) {
      const verdict = validateAgainst(ctx.store, theirSchema, example.value);
      if (!verdict.valid) {
        ctx.sink.add(
          `${where} example "${example.name}"`,
          "example-invalid-vendor",
          `does not validate against the vendor document: ${verdict.errors}`,
          example.notes,
        );
      }
    }
  }
}

function schemaOfMedia(media: Located | undefined): Located | undefined {
  if (media === undefined) return undefined;
  const obj = asObject(media.node);
  return obj?.schema === undefined ? undefined : { node: obj.schema, file: media.file };
}

function checkOperation(
  ctx: Context,
  where: string,
  ourPath: string,
  ourPathItem: Located,
  ourOp: Located,
  theirPath: string,
  theirPathItem: Located,
  theirOp: Located,
  theirRootSecurity: Json | undefined,
  ourRootSecurity: Json | undefined,
): void {
  const { store, sink } = ctx;
  const op = asObject(ourOp.node) ?? {};
  const their = asObject(theirOp.node) ?? {};
  const opNotes = notesOf(op);

  // Parameters.
  const ourParams = collectParams(store, ourPath, [
    { node: asObject(ourPathItem.node)?.parameters ?? [], file: ourPathItem.file },
    { node: op.parameters ?? [], file: ourOp.file },
  ]);
  const theirParams = collectParams(store, theirPath, [
    { node: asObject(theirPathItem.node)?.parameters ?? [], file: theirPathItem.file },
    { node: their.parameters ?? [], file: theirOp.file },
  ]);
  for (const [key, theirParam] of theirParams) {
    const ourParam = ourParams.get(key);
    const theirRequired = theirParam.obj.required === true;
    if (ourParam === undefined) {
      if (theirRequired) {
        sink.add(
          where,
          "missing-required-parameter",
          `vendor requires ${theirParam.label}, ours lacks it`,
          opNotes,
        );
      }
      continue;
    }
    const ourRequired = ourParam.obj.required === true;
    const paramNotes = notesOf(ourParam.obj);
    if (ourRequired !== theirRequired) {
      sink.add(
        `${where} ${ourParam.label}`,
        "parameter-required-mismatch",
        `required: ours ${ourRequired}, vendor ${theirRequired}`,
        paramNotes,
      );
    }
    if (ourParam.obj.schema !== undefined && theirParam.obj.schema !== undefined) {
      compare(
        ctx,
        "request",
        { node: ourParam.obj.schema, file: ourParam.located.file },
        { node: theirParam.obj.schema, file: theirParam.located.file },
        `${where} ${ourParam.label}`,
        paramNotes,
      );
    }
  }
  for (const [key, ourParam] of ourParams) {
    if (!theirParams.has(key)) {
      sink.add(
        `${where} ${ourParam.label}`,
        "unknown-parameter",
        "not in the vendor document",
        notesOf(ourParam.obj),
      );
    }
  }

  // Scopes.
  const declaredScopes = scopesOf(op.security);
  const xScopes = asArray(op["x-scopes"]);
  const ourScopes =
    xScopes === undefined ? declaredScopes : new Set(xScopes.filter((s) => typeof s === "string"));
  if (xScopes !== undefined && declaredScopes !== undefined && ourScopes !== undefined) {
    if (!sameSet(ourScopes, declaredScopes)) {
      sink.add(
        where,
        "scope-mismatch",
        `x-scopes (${fmtSet(ourScopes)}) != security (${fmtSet(declaredScopes)})`,
        [],
      );
    }
  }
  const theirScopes = scopesOf(their.security ?? theirRootSecurity) ?? new Set<string>();
  const effectiveScopes = ourScopes ?? scopesOf(ourRootSecurity) ?? new Set<string>();
  if (!sameSet(effectiveScopes, theirScopes)) {
    sink.add(
      where,
      "scope-mismatch",
      `scopes: ours ${fmtSet(effectiveScopes)}, vendor ${fmtSet(theirScopes)}`,
      opNotes,
    );
  }

  // Request body.
  const ourBody =
    op.requestBody === undefined ? undefined : store.deref({ node: op.requestBody, file: ourOp.file });
  const theirBody =
    their.requestBody === undefined
      ? undefined
      : store.deref({ node: their.requestBody, file: theirOp.file });
  if (ourBody !== undefined && theirBody === undefined) {
    sink.add(
      `${where} requestBody`,
      "unknown-request-body",
      "vendor declares no request body",
      notesOf(ourBody.node),
    );
  } else if (
    ourBody === undefined &&
    theirBody !== undefined &&
    asObject(theirBody.node)?.required === true
  ) {
    sink.add(`${where} requestBody`, "missing-request-body", "vendor requires a request body", opNotes);
  } else if (ourBody !== undefined && theirBody !== undefined) {
    const bodyNotes = notesOf(ourBody.node);
    const ourContent = asObject(asObject(ourBody.node)?.content) ?? {};
    const theirContent = asObject(asObject(theirBody.node)?.content) ?? {};
    for (const [mediaType, media] of Object.entries(ourContent)) {
      const mediaWhere = `${where} requestBody ${mediaType}`;
      const ourMedia = { node: media, file: ourBody.file };
      const theirMediaNode = theirContent[mediaType];
      if (theirMediaNode === undefined) {
        sink.add(
          mediaWhere,
          "media-type-mismatch",
          `vendor accepts ${Object.keys(theirContent).join(", ") || "nothing"}`,
          bodyNotes,
        );
        checkExamples(ctx, ourMedia, undefined, mediaWhere, false);
        continue;
      }
      const ourSchema = schemaOfMedia(ourMedia);
      const theirSchema = schemaOfMedia({ node: theirMediaNode, file: theirBody.file });
      const rootNotes = [...bodyNotes, ...notesOf(media)];
      if (ourSchema !== undefined && theirSchema === undefined) {
        sink.add(mediaWhere, "vendor-schema-empty", "vendor declares no schema for this body", rootNotes);
      } else if (ourSchema !== undefined && theirSchema !== undefined) {
        compare(ctx, "request", ourSchema, theirSchema, mediaWhere, rootNotes);
      }
      checkExamples(ctx, ourMedia, theirSchema, mediaWhere, true);
    }
  }

  // Responses.
  const ourResponses = asObject(op.responses) ?? {};
  const theirResponses = asObject(their.responses) ?? {};
  for (const [code, raw] of Object.entries(ourResponses)) {
    const ourResponse = store.deref({ node: raw, file: ourOp.file });
    const responseNotes = notesOf(ourResponse.node);
    const responseWhere = `${where} response ${code}`;
    const theirRaw = theirResponses[code];
    const ourContent = asObject(asObject(ourResponse.node)?.content) ?? {};
    for (const [mediaType, media] of Object.entries(ourContent)) {
      checkExamples(
        ctx,
        { node: media, file: ourResponse.file },
        undefined,
        `${responseWhere} ${mediaType}`,
        false,
      );
    }
    if (theirRaw === undefined) {
      sink.add(
        responseWhere,
        "unknown-response-status",
        `vendor documents no ${code} response`,
        responseNotes,
      );
      continue;
    }
    const theirResponse = store.deref({ node: theirRaw, file: theirOp.file });
    const theirContent = asObject(asObject(theirResponse.node)?.content) ?? {};
    for (const [mediaType, media] of Object.entries(ourContent)) {
      const ourSchema = schemaOfMedia({ node: media, file: ourResponse.file });
      if (ourSchema === undefined) continue;
      const mediaWhere = `${responseWhere} ${mediaType}`;
      const theirMediaNode = theirContent[mediaType];
      const theirSchema =
        theirMediaNode === undefined
          ? undefined
          : schemaOfMedia({ node: theirMediaNode, file: theirResponse.file });
      if (theirSchema === undefined) {
        sink.add(
          mediaWhere,
          "vendor-schema-empty",
          "vendor declares no body schema for this response",
          responseNotes,
        );
        continue;
      }
      compare(ctx, "response", ourSchema, theirSchema, mediaWhere, [...responseNotes, ...notesOf(media)]);
    }
  }
  for (const code of Object.keys(theirResponses)) {
    if (/^2\d\d$/.test(code) && ourResponses[code] === undefined) {
      sink.add(
        where,
        "missing-success-response",
        `vendor answers ${code}, ours does not declare it`,
        opNotes,
      );
    }
  }
}

function checkOperations(ctx: Context, ourFile: string, ours: JsonObject, theirFile: string): void {
  const theirs = asObject(ctx.store.load(theirFile)) ?? {};
  const theirIndex = new Map<string, { path: string; item: Located; op: Located }>();
  for (const [path, rawItem] of Object.entries(asObject(theirs.paths) ?? {})) {
    const item = ctx.store.deref({ node: rawItem, file: theirFile });
    for (const method of METHODS) {
      const op = asObject(item.node)?.[method];
      if (op !== undefined) {
        theirIndex.set(`${method} ${normalisePath(path)}`, { path, item, op: { node: op, file: item.file } });
      }
    }
  }
  for (const [path, rawItem] of Object.entries(asObject(ours.paths) ?? {})) {
    const item = ctx.store.deref({ node: rawItem, file: ourFile });
    for (const method of METHODS) {
      const op = asObject(item.node)?.[method];
      if (op === undefined) continue;
      ctx.counts.operations++;
      const where = `${method.toUpperCase()} ${path}`;
      const match = theirIndex.get(`${method} ${normalisePath(path)}`);
      if (match === undefined) {
        const samePath = METHODS.filter((m) => theirIndex.has(`${m} ${normalisePath(path)}`));
        ctx.sink.add(
          where,
          "missing-operation",
          samePath.length > 0
            ? `vendor has ${normalisePath(path)} only with ${samePath.map((m) => m.toUpperCase()).join(", ")}`
            : "vendor has no such path",
          notesOf(op),
        );
        continue;
      }
      checkOperation(
        ctx,
        where,
        path,
        item,
        { node: op, file: item.file },
        match.path,
        match.item,
        match.op,
        theirs.security,
        ours.security,
      );
    }
  }
}

/** Extracts the first ```json json_schema block of a vendor webhook-event page. */
export function schemaFromMarkdown(text: string): Json | undefined {
  const match = /```json json_schema\s*\n([\s\S]*?)```/.exec(text);
  if (match?.[1] === undefined) return undefined;
  return JSON.parse(match[1]) as Json;
}

function checkSchemas(ctx: Context, ourFile: string, ours: JsonObject, referencePath: string): void {
  const schemas = asObject(asObject(ours.components)?.schemas) ?? {};
  for (const [name, schema] of Object.entries(schemas)) {
    const page = asString(asObject(schema)?.["x-reference"]);
    if (page === undefined) continue;
    ctx.counts.schemas++;
    const where = `schema ${name}`;
    const pagePath = join(referencePath, page);
    if (!existsSync(pagePath)) {
      ctx.sink.add(where, "reference-file-missing", `vendor page ${page} not found`, []);
      continue;
    }
    const theirs = schemaFromMarkdown(readFileSync(pagePath, "utf8"));
    if (theirs === undefined) {
      ctx.sink.add(
        where,
        "vendor-schema-empty",
        `vendor page ${page} has no json_schema block`,
        notesOf(schema),
      );
      continue;
    }
    compare(ctx, "response", { node: schema, file: ourFile }, { node: theirs, file: pagePath }, where, []);
  }
}

/** Runs the conformance check of our specs against the vendor documents. */
export function runCheck(options: CheckOptions): CheckResult {
  const { repoRoot, referenceDir } = options;
  if (!existsSync(referenceDir)) return { status: "reference-not-found", referenceDir };
  const differences: Difference[] = [];
  const counts: CheckCounts = { operations: 0, schemas: 0, examples: 0 };
  const store = createDocumentStore();
  for (const spec of options.specFiles ?? SPEC_FILES) {
    const ourFile = join(repoRoot, spec);
    const ours = asObject(store.load(ourFile)) ?? {};
    const rawReference = asObject(ours.info)?.["x-reference"];
    // `x-reference` names one vendor document, or several (the first is primary; the others are compared too,
    // reported under "<spec> ~ <document>").
    const references = (
      typeof rawReference === "string" ? [rawReference] : (asArray(rawReference) ?? [])
    ).filter((r): r is string => typeof r === "string");
    if (references.length === 0) {
      createSink(spec, differences).add(
        "info",
        "reference-file-missing",
        "info.x-reference names no vendor document",
        [],
      );
      continue;
    }
    references.forEach((reference, index) => {
      const label = index === 0 ? spec : `${spec} ~ ${basename(reference)}`;
      const sink = createSink(label, differences);
      // Only the primary pass counts operations/examples, so the summary counts each of ours once.
      const ctx: Context = {
        store,
        sink,
        counts: index === 0 ? counts : { operations: 0, schemas: 0, examples: 0 },
      };
      const referencePath = join(referenceDir, reference);
      if (!existsSync(referencePath)) {
        sink.add(
          "info",
          "reference-file-missing",
          `vendor document ${reference} not found in ${referenceDir}`,
          [],
        );
        return;
      }
      if (statSync(referencePath).isDirectory()) checkSchemas(ctx, ourFile, ours, referencePath);
      else checkOperations(ctx, ourFile, ours, referencePath);
    });
  }
  const failed = differences.some((d) => d.explanation === undefined);
  return { status: failed ? "failed" : "passed", referenceDir, differences, counts };
}

/** Human-readable report, one line per difference, then a summary line. */
export function formatReport(result: CheckResult): string {
  if (result.status === "reference-not-found") {
    return `specs:check: reference not found (${result.referenceDir}); nothing compared\n`;
  }
  const lines: string[] = [];
  for (const d of result.differences) {
    const head = d.explanation === undefined ? "UNEXPLAINED" : "explained  ";
    lines.push(`${head} ${d.spec}: ${d.where}: [${d.kind}] ${d.message}`);
    if (d.explanation !== undefined) lines.push(`              ↳ ${d.explanation}`);
  }
  const unexplained = result.differences.filter((d) => d.explanation === undefined).length;
  const explained = result.differences.length - unexplained;
  const { operations, schemas, examples } = result.counts;
  lines.push(
    `specs:check: ${operations} operations, ${schemas} webhook schemas, ${examples} examples checked against ` +
      `${result.referenceDir}: ${explained} explained, ${unexplained} unexplained difference(s) — ${result.status}`,
  );
  return `${lines.join("\n")}\n`;
}
