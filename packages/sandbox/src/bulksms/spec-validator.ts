/**
 * Validates requests (and, in the contract test, responses) against our BulkSMS OpenAPI document
 * (`specs/bulksms/openapi.yaml`) with ajv. OpenAPI 3.0 `nullable` is turned into JSON-Schema type unions.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { parse } from "yaml";

// ajv-formats is CommonJS; its default export differs between ESM loaders.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

export const DEFAULT_SPEC_PATH = fileURLToPath(
  new URL("../../../../specs/bulksms/openapi.yaml", import.meta.url),
);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function convert(node: Json): Json {
  if (Array.isArray(node)) return node.map(convert);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "$ref" && typeof v === "string" && v.startsWith("#/")) out[k] = `openapi${v}`;
    else if (k === "nullable" || k === "example" || k === "examples" || k === "discriminator" || k === "xml")
      continue;
    else if (k.startsWith("x-")) continue;
    else out[k] = convert(v);
  }
  if (node.nullable === true) {
    if (typeof out.type === "string") out.type = [out.type, "null"];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    if (out.type === undefined && out.enum === undefined) return out;
    if (
      out.$ref !== undefined ||
      out.allOf !== undefined ||
      out.oneOf !== undefined ||
      out.anyOf !== undefined
    ) {
      return { anyOf: [out, { type: "null" }] };
    }
  }
  return out;
}

interface Operation {
  method: string;
  template: string;
  regex: RegExp;
  requestBody: ValidateFunction | null;
  responses: Map<string, ValidateFunction | null>;
}

export interface SpecValidator {
  /** The operation template (e.g. `/messages/{id}`) a request path maps to, or null. */
  match(method: string, path: string): string | null;
  /** Error messages, empty when the body is valid (or the operation declares no JSON body). */
  validateRequest(method: string, path: string, body: unknown): string[];
  /** Error messages, empty when valid; an undeclared status code is an error. */
  validateResponse(method: string, path: string, status: number, body: unknown): string[];
  /** Validate against `components.schemas[name]` (e.g. WebhookBody). */
  validateSchema(name: string, value: unknown): string[];
}

const cache = new Map<string, { mtimeMs: number; validator: SpecValidator }>();

/** Load (and cache per file version) the validator for `specPath`; null when the file does not exist. */
export function loadSpecValidator(specPath: string = DEFAULT_SPEC_PATH): SpecValidator | null {
  if (!existsSync(specPath)) return null;
  const mtimeMs = statSync(specPath).mtimeMs;
  const hit = cache.get(specPath);
  if (hit && hit.mtimeMs === mtimeMs) return hit.validator;
  const validator = buildSpecValidator(specPath);
  cache.set(specPath, { mtimeMs, validator });
  return validator;
}

function buildSpecValidator(specPath: string): SpecValidator {
  const doc = parse(readFileSync(specPath, "utf8")) as Record<string, Json>;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  const components = convert((doc.components ?? {}) as Json);
  ajv.addSchema({ $id: "openapi", components } as object);
  const paths = (doc.paths ?? {}) as Record<string, Record<string, Json>>;
  const resolve = (node: Json | undefined): Json | undefined => {
    // Follows component $refs for requestBody/response objects (not schemas).
    let cur = node;
    for (
      let i = 0;
      i < 5 && cur && typeof cur === "object" && !Array.isArray(cur) && typeof cur.$ref === "string";
      i++
    ) {
      const pointer = cur.$ref.replace(/^#\//, "").split("/");
      let target: Json | undefined = doc as Json;
      for (const p of pointer)
        target = target && typeof target === "object" && !Array.isArray(target) ? target[p] : undefined;
      cur = target;
    }
    return cur;
  };
  const jsonSchemaOf = (content: Json | undefined): ValidateFunction | null => {
    if (!content || typeof content !== "object" || Array.isArray(content)) return null;
    const media = (content["application/json"] ?? content["application/problem+json"]) as
      | Record<string, Json>
      | undefined;
    if (!media || media.schema === undefined) return null;
    return ajv.compile(convert(media.schema) as object);
  };
  const ops: Operation[] = [];
  for (const [template, item] of Object.entries(paths)) {
    for (const method of ["get", "post", "put", "delete", "patch"]) {
      const op = item[method] as Record<string, Json> | undefined;
      if (!op) continue;
      const body = resolve(op.requestBody) as Record<string, Json> | undefined;
      const responses = new Map<string, ValidateFunction | null>();
      for (const [code, resp] of Object.entries((op.responses ?? {}) as Record<string, Json>)) {
        const r = resolve(resp) as Record<string, Json> | undefined;
        responses.set(code, jsonSchemaOf(r?.content));
      }
      const regex = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
      ops.push({
        method: method.toUpperCase(),
        template,
        regex,
        requestBody: jsonSchemaOf(body?.content),
        responses,
      });
    }
  }
  const find = (method: string, path: string): Operation | undefined =>
    ops.find((o) => o.method === method.toUpperCase() && o.regex.test(path));
  const errors = (v: ValidateFunction): string[] =>
    (v.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message ?? "is invalid"}`);
  return {
    match: (method, path) => find(method, path)?.template ?? null,
    validateRequest(method, path, body) {
      const op = find(method, path);
      if (!op?.requestBody) return [];
      return op.requestBody(body) ? [] : errors(op.requestBody);
    },
    validateSchema(name, value) {
      const v = ajv.getSchema(`openapi#/components/schemas/${name}`);
      if (!v) return [`no schema ${name} in the spec`];
      return v(value) ? [] : errors(v);
    },
    validateResponse(method, path, status, body) {
      const op = find(method, path);
      if (!op) return [`no operation ${method} ${path} in the spec`];
      const v = op.responses.has(String(status))
        ? op.responses.get(String(status))
        : op.responses.has(`${String(status)[0]}XX`)
          ? op.responses.get(`${String(status)[0]}XX`)
          : op.responses.get("default");
      if (v === undefined) return [`status ${status} is not declared for ${method} ${op.template}`];
      if (v === null) return [];
      return v(body) ? [] : errors(v);
    },
  };
}
