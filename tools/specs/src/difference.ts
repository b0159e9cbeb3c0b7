/** Kinds of difference the conformance check reports. */
export type DifferenceKind =
  | "reference-file-missing"
  | "missing-operation"
  | "missing-required-parameter"
  | "unknown-parameter"
  | "parameter-required-mismatch"
  | "scope-mismatch"
  | "unknown-request-body"
  | "missing-request-body"
  | "media-type-mismatch"
  | "unknown-response-status"
  | "missing-success-response"
  | "vendor-schema-empty"
  | "unknown-property"
  | "missing-required-field"
  | "required-field-optional"
  | "type-mismatch"
  | "enum-mismatch"
  | "example-invalid-ours"
  | "example-invalid-vendor";

export type Difference = {
  /** Our spec file, relative to the repository root. */
  readonly spec: string;
  /** Where in our spec, e.g. `POST /contacts/search requestBody application/json .filters`. */
  readonly where: string;
  readonly kind: DifferenceKind;
  readonly message: string;
  /** The `x-facts` / `x-deviation` note on our side that explains it; absent = unexplained. */
  readonly explanation?: string;
};

/** Collects differences for one spec file. */
export type DifferenceSink = {
  add(where: string, kind: DifferenceKind, message: string, notes: readonly string[]): void;
};

export function createSink(spec: string, into: Difference[]): DifferenceSink {
  return {
    add(where, kind, message, notes) {
      const unique = [...new Set(notes)];
      const explanation = unique.length > 0 ? unique.join("; ") : undefined;
      into.push(
        explanation === undefined
          ? { spec, where, kind, message }
          : { spec, where, kind, message, explanation },
      );
    },
  };
}
