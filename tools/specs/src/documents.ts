import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse as parseYaml } from "yaml";

/** A JSON value as found in an OpenAPI document. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A node of a loaded document together with the file it came from (needed to resolve relative `$ref`s). */
export type Located = { readonly node: Json; readonly file: string };

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function asObject(value: Json | undefined): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}

export function asString(value: Json | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function asArray(value: Json | undefined): Json[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** The explanation notes (`x-facts`, `x-deviation`) carried by a node, if any. */
export function notesOf(node: Json | undefined): string[] {
  const obj = asObject(node);
  if (obj === undefined) return [];
  const notes: string[] = [];
  for (const key of ["x-facts", "x-deviation"]) {
    const value = obj[key];
    if (typeof value === "string" && value.trim() !== "") notes.push(`${key}: ${value.trim()}`);
  }
  return notes;
}

/** Loads YAML/JSON documents once each and resolves `$ref`s (local and relative-file) between them. */
export type DocumentStore = {
  load(file: string): Json;
  /** Follows `$ref`s (merging sibling keys over the target, as OpenAPI 3.1 allows) until a plain node. */
  deref(located: Located): Located;
};

export function createDocumentStore(): DocumentStore {
  const cache = new Map<string, Json>();

  function load(file: string): Json {
    const absolute = resolve(file);
    const cached = cache.get(absolute);
    if (cached !== undefined) return cached;
    const text = readFileSync(absolute, "utf8");
    let parsed: Json;
    try {
      parsed = (absolute.endsWith(".json") ? JSON.parse(text) : parseYaml(text)) as Json;
    } catch (error) {
      throw new Error(`Cannot parse ${absolute}: ${error instanceof Error ? error.message : String(error)}`);
    }
    cache.set(absolute, parsed);
    return parsed;
  }

  function pointer(root: Json, fragment: string, where: string): Json {
    if (fragment === "" || fragment === "/") return root;
    let current: Json | undefined = root;
    for (const rawPart of fragment.replace(/^\//, "").split("/")) {
      const part = decodeURIComponent(rawPart).replace(/~1/g, "/").replace(/~0/g, "~");
      if (Array.isArray(current)) current = current[Number(part)];
      else if (isObject(current)) current = current[part];
      else current = undefined;
      if (current === undefined) throw new Error(`Unresolvable $ref ${where}`);
    }
    return current;
  }

  function deref(located: Located): Located {
    let { node, file } = located;
    let siblings: JsonObject = {};
    for (let hops = 0; hops < 50; hops++) {
      const obj = asObject(node);
      const ref = obj === undefined ? undefined : asString(obj.$ref);
      if (obj === undefined || ref === undefined) {
        if (Object.keys(siblings).length === 0 || obj === undefined) return { node, file };
        return { node: { ...obj, ...siblings }, file };
      }
      const { $ref: _ignored, ...rest } = obj;
      siblings = { ...rest, ...siblings };
      const [filePart = "", fragment = ""] = ref.split("#");
      const targetFile = filePart === "" ? file : resolve(dirname(file), filePart);
      node = pointer(load(targetFile), fragment, `${ref} (from ${file})`);
      file = targetFile;
    }
    throw new Error(`$ref chain too long at ${located.file}`);
  }

  return { load, deref };
}
