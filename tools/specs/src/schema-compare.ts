import type { DifferenceKind } from "./difference.ts";
import { asArray, asObject, type DocumentStore, type Json, type Located, notesOf } from "./documents.ts";

/**
 * Which way data flows. `request`: we send it, so ours must be within theirs (our types, enum values and
 * fields must be accepted by the vendor, and every field they require must be sent). `response`: they send it,
 * so ours must accept what theirs can produce (their types within ours, our fields present in theirs).
 */
export type Direction = "request" | "response";

export type Finding = {
  readonly where: string;
  readonly kind: DifferenceKind;
  readonly message: string;
  readonly notes: readonly string[];
};

const KNOWN_TYPES = new Set(["string", "number", "integer", "boolean", "object", "array", "null"]);

/** A schema flattened for comparison: `$ref`s followed, `allOf` merged, 3.0 `nullable` folded into types. */
export type Shape = {
  readonly located: Located;
  readonly notes: string[];
  /** `null` = unconstrained. */
  types: Set<string> | null;
  properties: Map<string, Located> | null;
  required: Set<string>;
  additionalPropertiesFalse: boolean;
  items: Located | undefined;
  alternatives: Located[] | undefined;
  enumValues: Json[] | undefined;
};

export function shapeOf(store: DocumentStore, input: Located, depth = 0): Shape {
  const located = store.deref(input);
  const obj = asObject(located.node) ?? {};
  const shape: Shape = {
    located,
    notes: notesOf(obj),
    types: null,
    properties: null,
    required: new Set(),
    additionalPropertiesFalse: obj.additionalProperties === false,
    items: obj.items === undefined ? undefined : { node: obj.items, file: located.file },
    alternatives: undefined,
    enumValues: undefined,
  };

  const rawType = obj.type;
  const typeNames =
    typeof rawType === "string" ? [rawType] : (asArray(rawType) ?? []).filter((t) => typeof t === "string");
  if (typeNames.length > 0 && typeNames.every((t) => KNOWN_TYPES.has(t as string))) {
    shape.types = new Set(typeNames as string[]);
    if (obj.nullable === true) shape.types.add("null");
  }
  const props = asObject(obj.properties);
  if (props !== undefined) {
    shape.properties = new Map(Object.entries(props).map(([k, v]) => [k, { node: v, file: located.file }]));
  }
  for (const r of asArray(obj.required) ?? []) if (typeof r === "string") shape.required.add(r);
  if (obj.const !== undefined) shape.enumValues = [obj.const];
  else if (Array.isArray(obj.enum)) shape.enumValues = obj.enum;
  const alternatives = asArray(obj.oneOf) ?? asArray(obj.anyOf);
  if (alternatives !== undefined)
    shape.alternatives = alternatives.map((a) => ({ node: a, file: located.file }));
  if (shape.types === null && shape.properties !== null) shape.types = new Set(["object"]);
  if (shape.types === null && shape.items !== undefined) shape.types = new Set(["array"]);

  const allOf = asArray(obj.allOf);
  if (allOf !== undefined && depth < 20) {
    for (const part of allOf) {
      const partShape = shapeOf(store, { node: part, file: located.file }, depth + 1);
      shape.notes.push(...partShape.notes.filter((n) => !shape.notes.includes(n)));
      if (shape.types === null) shape.types = partShape.types;
      else if (partShape.types !== null)
        shape.types = new Set([...shape.types].filter((t) => partShape.types?.has(t)));
      if (partShape.properties !== null) {
        shape.properties ??= new Map();
        for (const [k, v] of partShape.properties) {
          // Later parts narrow earlier ones (e.g. a `const` type over an envelope's plain string).
          shape.properties.set(k, v);
        }
      }
      for (const r of partShape.required) shape.required.add(r);
      shape.additionalPropertiesFalse ||= partShape.additionalPropertiesFalse;
      shape.items ??= partShape.items;
      shape.alternatives ??= partShape.alternatives;
      shape.enumValues ??= partShape.enumValues;
    }
  }
  return shape;
}

function describeTypes(types: Set<string> | null): string {
  return types === null ? "any" : [...types].sort().join("|");
}

/** Is a value of type `sub` always acceptable where `sup` types are allowed? */
function typeAccepted(sub: string, sup: Set<string>): boolean {
  if (sup.has(sub)) return true;
  return sub === "integer" && sup.has("number");
}

const nodeIds = new WeakMap<object, number>();
let nextNodeId = 0;

/** Identity of a node for the recursion guard (recursive schemas such as nested filter groups). */
function locationKey(located: Located): string {
  const node = located.node;
  if (typeof node !== "object" || node === null) return `${located.file}#${String(node)}`;
  let id = nodeIds.get(node);
  if (id === undefined) {
    id = nextNodeId++;
    nodeIds.set(node, id);
  }
  return `${located.file}#${id}`;
}

export type CompareOptions = {
  readonly store: DocumentStore;
  readonly direction: Direction;
};

/**
 * Compares our schema with the vendor's. Findings are returned, each carrying the explanation notes found on
 * our side at the node where the difference was detected (plus `rootNotes` for findings at the root).
 */
export function compareSchemas(
  options: CompareOptions,
  ours: Located,
  theirs: Located,
  where: string,
  rootNotes: readonly string[] = [],
): Finding[] {
  const findings: Finding[] = [];
  compareInto(options, ours, theirs, where, rootNotes, new Set(), findings, 0);
  return findings;
}

function compareInto(
  options: CompareOptions,
  oursIn: Located,
  theirsIn: Located,
  where: string,
  inheritedNotes: readonly string[],
  seen: Set<string>,
  out: Finding[],
  depth: number,
): void {
  if (depth > 25) return;
  const { store, direction } = options;
  const ours = shapeOf(store, oursIn);
  const theirs = shapeOf(store, theirsIn);
  const key = `${locationKey(ours.located)}|${locationKey(theirs.located)}|${direction}`;
  if (seen.has(key)) return;
  const nextSeen = new Set(seen).add(key);
  const notes = [...inheritedNotes, ...ours.notes];
  const add = (
    kind: DifferenceKind,
    message: string,
    at: string = where,
    extraNotes: readonly string[] = [],
  ) => out.push({ where: at, kind, message, notes: [...notes, ...extraNotes] });

  // Our alternatives (oneOf/anyOf).
  if (ours.alternatives !== undefined && ours.types === null && ours.properties === null) {
    if (direction === "request") {
      // We may send any of them: each must fit the vendor's schema.
      ours.alternatives.forEach((alt, i) => {
        const at = `${where} (alternative ${i + 1})`;
        compareInto(options, alt, theirsIn, at, notes, nextSeen, out, depth + 1);
      });
    } else if (theirs.types !== null) {
      const union = new Set<string>();
      let unconstrained = false;
      for (const alt of ours.alternatives) {
        const altShape = shapeOf(store, alt);
        if (altShape.types === null) unconstrained = true;
        else for (const t of altShape.types) union.add(t);
      }
      const missing = [...theirs.types].filter((t) => !typeAccepted(t, union));
      if (!unconstrained && missing.length > 0) {
        add("type-mismatch", `vendor may send ${missing.join("|")}, which none of our alternatives accepts`);
      }
    }
    return;
  }

  // Vendor alternatives: ours must fit at least one of them (findings of the closest one otherwise).
  if (theirs.alternatives !== undefined && theirs.types === null && theirs.properties === null) {
    let best: Finding[] | undefined;
    for (const alt of theirs.alternatives) {
      const trial: Finding[] = [];
      compareInto(options, oursIn, alt, where, inheritedNotes, nextSeen, trial, depth + 1);
      if (trial.length === 0) return;
      if (best === undefined || trial.length < best.length) best = trial;
    }
    out.push(...(best ?? []));
    return;
  }

  // Types.
  if (theirs.types !== null) {
    if (ours.types === null) {
      if (direction === "request" && ours.enumValues === undefined) {
        add("type-mismatch", `ours is unconstrained, vendor expects ${describeTypes(theirs.types)}`);
        return;
      }
    } else if (direction === "request") {
      const bad = [...ours.types].filter((t) => !typeAccepted(t, theirs.types as Set<string>));
      if (bad.length > 0) {
        add(
          "type-mismatch",
          `ours allows ${describeTypes(ours.types)}, vendor expects ${describeTypes(theirs.types)}`,
        );
        return;
      }
    } else {
      const oursTypes = ours.types;
      const bad = [...theirs.types].filter((t) => !typeAccepted(t, oursTypes));
      if (bad.length > 0) {
        add(
          "type-mismatch",
          `vendor may send ${describeTypes(theirs.types)}, ours accepts ${describeTypes(ours.types)}`,
        );
        return;
      }
    }
  }

  // Enums.
  if (direction === "request" && theirs.enumValues !== undefined) {
    const theirsEnum = theirs.enumValues.map((v) => JSON.stringify(v));
    if (ours.enumValues === undefined) {
      add("enum-mismatch", `vendor only accepts ${theirsEnum.join(", ")}; ours allows any value`);
    } else {
      const extra = ours.enumValues.map((v) => JSON.stringify(v)).filter((v) => !theirsEnum.includes(v));
      if (extra.length > 0) add("enum-mismatch", `vendor does not accept ${extra.join(", ")}`);
    }
  }
  if (direction === "response" && theirs.enumValues !== undefined && ours.enumValues !== undefined) {
    const oursEnum = ours.enumValues.map((v) => JSON.stringify(v));
    const extra = theirs.enumValues.map((v) => JSON.stringify(v)).filter((v) => !oursEnum.includes(v));
    if (extra.length > 0) add("enum-mismatch", `vendor may send ${extra.join(", ")}, which ours rejects`);
  }

  // Objects.
  const oursIsObject = ours.properties !== null;
  const theirsIsObjectLike = theirs.properties !== null || (theirs.types?.has("object") ?? false);
  if (oursIsObject && theirsIsObjectLike) {
    if (theirs.properties === null || theirs.properties.size === 0) {
      if ((ours.properties?.size ?? 0) > 0) {
        add(
          "vendor-schema-empty",
          "vendor schema declares no properties; our fields cannot be checked against it",
        );
      }
      return;
    }
    for (const [name, ourProp] of ours.properties ?? []) {
      const theirProp = theirs.properties.get(name);
      const propWhere = `${where}.${name}`;
      if (theirProp === undefined) {
        const propNotes = shapeOf(store, ourProp).notes;
        out.push({
          where: propWhere,
          kind: "unknown-property",
          message:
            direction === "request"
              ? `we may send "${name}", which the vendor schema does not have`
              : `we read "${name}", which the vendor schema does not have`,
          notes: [...propNotes, ...notesOf(asObject(ourProp.node))],
        });
        continue;
      }
      compareInto(options, ourProp, theirProp, propWhere, [], nextSeen, out, depth + 1);
    }
    if (direction === "request") {
      for (const name of theirs.required) {
        const ourProp = ours.properties?.get(name);
        if (ourProp === undefined) {
          add(
            "missing-required-field",
            `vendor requires "${name}", which our schema never sends`,
            `${where}.${name}`,
          );
        } else if (!ours.required.has(name)) {
          add(
            "required-field-optional",
            `vendor requires "${name}", ours has it optional`,
            `${where}.${name}`,
            shapeOf(store, ourProp).notes,
          );
        }
      }
    }
    return;
  }

  // Arrays.
  if (ours.items !== undefined && theirs.items !== undefined) {
    compareInto(options, ours.items, theirs.items, `${where}[]`, [], nextSeen, out, depth + 1);
  }
}
