/**
 * Loads our OpenAPI documents (YAML) and validates requests and responses against them with ajv.
 * Validation messages are rendered the way GHL's NestJS validation pipe words them
 * ("property X should not exist", "locationId should not be empty", "pageLimit must not be greater than 500").
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { parse } from "yaml";

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => void;

const METHODS = ["get", "post", "put", "patch", "delete"] as const;
const BASE = "https://ghl-bulksms.sandbox/specs/";

export interface SpecParameter {
  name: string;
  in: "query" | "path" | "header" | "cookie";
  required: boolean;
  schema: unknown;
}

export interface SpecOperation {
  file: string;
  method: string;
  path: string;
  operationId?: string;
  scopes: string[];
  parameters: SpecParameter[];
  requestContentType?: string;
  requestRequired: boolean;
  /** Declared statuses ("200", "4XX", "default"). */
  responses: string[];
  regex: RegExp;
  literalSegments: number;
}

export interface RequestParts {
  query: Record<string, string>;
  path: Record<string, string>;
  body: unknown;
  hasBody: boolean;
}

type Doc = Record<string, unknown> & { paths?: Record<string, Record<string, unknown>> };

const escapePointer = (s: string): string => s.replace(/~/g, "~0").replace(/\//g, "~1");

/**
 * Find `specs/<family>`: the repo's own copy when running inside the workspace (next to
 * pnpm-workspace.yaml), else the copy shipped in the package (made at build).
 */
export function findSpecDir(family: "ghl" | "bulksms"): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  let fallback: string | undefined;
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, "specs", family);
    if (existsSync(candidate)) {
      if (existsSync(join(dir, "pnpm-workspace.yaml"))) return candidate;
      fallback ??= candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return fallback;
}

export function normalisePath(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}

const loaded = new Map<string, SpecSet>();

/** loadSpecs, cached per directory (parsing and compiling is the slow part of a simulator start). */
export function loadSpecsCached(dir: string): SpecSet {
  let set = loaded.get(dir);
  if (!set) {
    set = loadSpecs(dir);
    loaded.set(dir, set);
  }
  return set;
}

export function loadSpecs(dir: string) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false, validateFormats: true });
  const paramAjv = new Ajv2020({
    strict: false,
    allErrors: true,
    validateSchema: false,
    coerceTypes: "array",
  });
  addFormats(ajv);
  addFormats(paramAjv);
  const operations: SpecOperation[] = [];
  const docs = new Map<string, Doc>();
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".yaml") || f.endsWith(".yml"))
    .sort();
  for (const file of files) {
    const doc = parse(readFileSync(resolve(dir, file), "utf8"), { maxAliasCount: -1 }) as Doc;
    docs.set(file, doc);
    ajv.addSchema({ ...doc, $id: BASE + file });
    paramAjv.addSchema({ ...doc, $id: BASE + file });
  }
  const deref = (file: string, value: unknown): unknown => {
    let v = value as Record<string, unknown> | undefined;
    for (let i = 0; i < 10 && v && typeof v.$ref === "string"; i++) {
      const [target = "", pointer = ""] = v.$ref.split("#");
      const targetFile = target ? target.replace(/^\.\//, "") : file;
      let node: unknown = docs.get(targetFile);
      for (const part of pointer.split("/").slice(1)) {
        node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
      }
      v = node as Record<string, unknown> | undefined;
    }
    return v;
  };
  for (const [file, doc] of docs) {
    const globalSecurity = doc.security as Array<Record<string, string[]>> | undefined;
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      const shared = (item.parameters as unknown[] | undefined) ?? [];
      for (const method of METHODS) {
        const op = item[method] as Record<string, unknown> | undefined;
        if (!op) continue;
        const params = [...shared, ...((op.parameters as unknown[] | undefined) ?? [])]
          .map((p) => deref(file, p) as SpecParameter | undefined)
          .filter((p): p is SpecParameter => !!p);
        const security = (op.security as Array<Record<string, string[]>> | undefined) ?? globalSecurity ?? [];
        const scopes =
          (op["x-scopes"] as string[] | undefined) ?? security.flatMap((s) => Object.values(s).flat());
        const body = deref(file, op.requestBody) as
          | { required?: boolean; content?: Record<string, unknown> }
          | undefined;
        const segments = normalisePath(path).split("/").filter(Boolean);
        operations.push({
          file,
          method: method.toUpperCase(),
          path,
          operationId: op.operationId as string | undefined,
          scopes,
          parameters: params,
          requestContentType: body?.content ? Object.keys(body.content)[0] : undefined,
          requestRequired: body?.required === true,
          responses: Object.keys((op.responses as Record<string, unknown>) ?? {}),
          regex: new RegExp(
            `^/${segments.map((s) => (s.startsWith("{") ? "([^/]+)" : s.replace(/[.*+?^$()|[\]\\]/g, "\\$&"))).join("/")}$`,
          ),
          literalSegments: segments.filter((s) => !s.startsWith("{")).length,
        });
      }
    }
  }
  operations.sort((a, b) => b.literalSegments - a.literalSegments);
  const cache = new Map<string, ValidateFunction>();
  const compile = (which: Ajv2020, key: string, schema: object): ValidateFunction => {
    let fn = cache.get(key);
    if (!fn) {
      fn = which.compile(schema);
      cache.set(key, fn);
    }
    return fn;
  };
  const opPointer = (op: SpecOperation): string =>
    `${BASE}${op.file}#/paths/${escapePointer(op.path)}/${op.method.toLowerCase()}`;

  return {
    dir,
    operations,
    match(method: string, path: string): { op: SpecOperation; params: Record<string, string> } | undefined {
      const p = normalisePath(path);
      for (const op of operations) {
        if (op.method !== method) continue;
        const m = op.regex.exec(p);
        if (!m) continue;
        const names = [...op.path.matchAll(/\{([^}]+)\}/g)].map((x) => x[1] ?? "");
        const params: Record<string, string> = {};
        names.forEach((n, i) => {
          params[n] = decodeURIComponent(m[i + 1] ?? "");
        });
        return { op, params };
      }
      return undefined;
    },
    /** GHL-worded validation messages; empty when the request is valid. Header parameters are not checked here. */
    validateRequest(op: SpecOperation, parts: RequestParts): string[] {
      const messages: string[] = [];
      for (const location of ["path", "query"] as const) {
        const declared = op.parameters.filter((p) => p.in === location);
        if (declared.length === 0) continue;
        const schema = {
          type: "object",
          properties: Object.fromEntries(declared.map((p) => [p.name, p.schema ?? {}])),
          required: declared.filter((p) => p.required || location === "path").map((p) => p.name),
        };
        const key = `${opPointer(op)}#${location}`;
        const fn = compile(paramAjv, key, {
          $id: `${key.replace(/#/g, "/")}`,
          ...resolveRefs(schema, op.file),
        });
        const data = { ...parts[location] };
        if (!fn(data)) messages.push(...(fn.errors ?? []).map(renderError));
      }
      if (op.requestContentType) {
        if (!parts.hasBody) {
          if (op.requestRequired) messages.push("request body should not be empty");
        } else {
          const pointer = `${opPointer(op)}/requestBody/content/${escapePointer(op.requestContentType)}/schema`;
          const fn = compile(ajv, pointer, { $ref: pointer });
          if (!fn(parts.body)) messages.push(...(fn.errors ?? []).map(renderError));
        }
      }
      return [...new Set(messages)];
    },
    /** Validate `data` against `components.schemas.<name>` of `file`; null when that schema does not exist. */
    validateComponent(file: string, name: string, data: unknown): string[] | null {
      const schemas = (docs.get(file)?.components as { schemas?: Record<string, unknown> } | undefined)
        ?.schemas;
      if (!schemas?.[name]) return null;
      const pointer = `${BASE}${file}#/components/schemas/${escapePointer(name)}`;
      const fn = compile(ajv, pointer, { $ref: pointer });
      return fn(data)
        ? []
        : (fn.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message ?? ""}`.trim());
    },
    /** Is `status` declared for `op`, and does `body` match its schema? */
    validateResponse(
      op: SpecOperation,
      status: number,
      body: unknown,
    ): { declared: boolean; errors: string[] } {
      const key = op.responses.includes(String(status))
        ? String(status)
        : op.responses.includes(`${String(status)[0]}XX`)
          ? `${String(status)[0]}XX`
          : op.responses.includes("default")
            ? "default"
            : undefined;
      if (!key) return { declared: false, errors: [] };
      const doc = docs.get(op.file);
      const response = deref(
        op.file,
        (doc?.paths?.[op.path]?.[op.method.toLowerCase()] as Record<string, Record<string, unknown>>)
          ?.responses?.[key],
      ) as { content?: Record<string, { schema?: unknown }> } | undefined;
      const contentType = response?.content
        ? Object.keys(response.content).find((c) => c.includes("json"))
        : undefined;
      if (!contentType || !response?.content?.[contentType]?.schema) return { declared: true, errors: [] };
      const rawResponse = (
        doc?.paths?.[op.path]?.[op.method.toLowerCase()] as { responses?: Record<string, { $ref?: unknown }> }
      )?.responses?.[key];
      const responseRef =
        typeof rawResponse?.$ref === "string"
          ? `${BASE}${op.file}${rawResponse.$ref.replace(/^[^#]*/, "")}`
          : `${opPointer(op)}/responses/${escapePointer(key)}`;
      const pointer = `${responseRef}/content/${escapePointer(contentType)}/schema`;
      const fn = compile(ajv, pointer, { $ref: pointer });
      const ok = fn(body);
      return {
        declared: true,
        errors: ok
          ? []
          : (fn.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message ?? ""}`.trim()),
      };
    },
  };
}

export type SpecSet = ReturnType<typeof loadSpecs>;

/** Point local `#/...` refs of an inline parameter schema at its document. */
function resolveRefs(schema: unknown, file: string): Record<string, unknown> {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        out[k] = k === "$ref" && typeof x === "string" && x.startsWith("#") ? `${BASE}${file}${x}` : walk(x);
      }
      return out;
    }
    return v;
  };
  return walk(schema) as Record<string, unknown>;
}

const TYPE_WORDS: Record<string, string> = {
  string: "must be a string",
  number: "must be a number conforming to the specified constraints",
  integer: "must be an integer number",
  boolean: "must be a boolean value",
  array: "must be an array",
  object: "must be an object",
};

/** Render one ajv error the way class-validator words it. */
export function renderError(e: ErrorObject): string {
  const path = e.instancePath.split("/").filter(Boolean).join(".");
  const name = (prop: string): string => (path ? `${path}.${prop}` : prop);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "additionalProperties":
      return `property ${name(String(p.additionalProperty))} should not exist`;
    case "unevaluatedProperties":
      return `property ${name(String(p.unevaluatedProperty))} should not exist`;
    case "required":
      return `${name(String(p.missingProperty))} should not be empty`;
    case "type": {
      const t = String(p.type).split(",")[0] ?? "";
      return `${path || "body"} ${TYPE_WORDS[t] ?? `must be ${String(p.type)}`}`;
    }
    case "enum":
      return `${path} must be one of the following values: ${(p.allowedValues as unknown[]).join(", ")}`;
    case "const":
      return `${path} must be equal to ${String(p.allowedValue)}`;
    case "format":
      return p.format === "email"
        ? `${path} must be an email`
        : p.format === "date-time" || p.format === "date"
          ? `${path} must be a valid ISO 8601 date string`
          : `${path} must match format ${String(p.format)}`;
    case "maxLength":
      return `${path} must be shorter than or equal to ${String(p.limit)} characters`;
    case "minLength":
      return Number(p.limit) === 1
        ? `${path} should not be empty`
        : `${path} must be longer than or equal to ${String(p.limit)} characters`;
    case "maximum":
      return `${path} must not be greater than ${String(p.limit)}`;
    case "minimum":
      return `${path} must not be less than ${String(p.limit)}`;
    case "maxItems":
      return `${path} must contain no more than ${String(p.limit)} elements`;
    case "minItems":
      return `${path} must contain at least ${String(p.limit)} elements`;
    default:
      return `${path || "body"} ${e.message ?? "is invalid"}`;
  }
}
