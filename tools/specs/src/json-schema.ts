import { Ajv, type ValidateFunction } from "ajv";
import { asObject, type DocumentStore, type Json, type JsonObject, type Located } from "./documents.ts";

const DROPPED_KEYS = new Set(["discriminator", "xml", "externalDocs", "example", "nullable", "deprecated"]);
const MAX_DEPTH = 14;

/**
 * Turns an OpenAPI (3.0 or 3.1) schema into a self-contained JSON Schema for Ajv: `$ref`s inlined (recursion
 * cut off at a fixed depth), 3.0 `nullable` folded into `type`, OpenAPI-only keywords and `x-*` dropped.
 */
export function toJsonSchema(store: DocumentStore, input: Located, depth = 0): Json {
  if (depth > MAX_DEPTH) return {};
  const located = store.deref(input);
  const obj = asObject(located.node);
  if (obj === undefined) return located.node;
  const child = (node: Json): Json => toJsonSchema(store, { node, file: located.file }, depth + 1);
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(obj)) {
    if (key.startsWith("x-") || DROPPED_KEYS.has(key)) continue;
    if (key === "properties" || key === "patternProperties") {
      const props = asObject(value) ?? {};
      out[key] = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, child(v)]));
    } else if (
      key === "items" ||
      key === "not" ||
      (key === "additionalProperties" && typeof value === "object")
    ) {
      out[key] = child(value);
    } else if ((key === "allOf" || key === "oneOf" || key === "anyOf") && Array.isArray(value)) {
      out[key] = value.map(child);
    } else {
      out[key] = value;
    }
  }
  if (obj.nullable === true && typeof obj.type === "string") out.type = [obj.type, "null"];
  return out;
}

export type ExampleVerdict = { readonly valid: true } | { readonly valid: false; readonly errors: string };

type Compiled = { readonly ajv: Ajv; readonly validators: Map<string, ValidateFunction> };
const compiledByStore = new WeakMap<DocumentStore, Compiled>();

/** Validates a value against an OpenAPI schema (formats are not enforced: vendors use non-standard ones). */
export function validateAgainst(store: DocumentStore, schema: Located, value: Json): ExampleVerdict {
  let compiled = compiledByStore.get(store);
  if (compiled === undefined) {
    compiled = {
      ajv: new Ajv({ strict: false, allErrors: true, validateFormats: false }),
      validators: new Map(),
    };
    compiledByStore.set(store, compiled);
  }
  const key = `${schema.file}\u0000${JSON.stringify(schema.node)}`;
  let validate = compiled.validators.get(key);
  if (validate === undefined) {
    validate = compiled.ajv.compile(toJsonSchema(store, schema) as object);
    compiled.validators.set(key, validate);
  }
  if (validate(value)) return { valid: true };
  const errors = (validate.errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || "(root)"} ${e.message ?? "is invalid"}`)
    .join("; ");
  return { valid: false, errors };
}
