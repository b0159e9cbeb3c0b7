import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCheck } from "../src/conformance.ts";
import type { Difference } from "../src/difference.ts";

const FIXTURES = join(import.meta.dirname, "fixtures");
const REFERENCE = join(FIXTURES, "reference");

function check(spec: string) {
  const result = runCheck({ repoRoot: FIXTURES, referenceDir: REFERENCE, specFiles: [`ours/${spec}`] });
  if (result.status === "reference-not-found") throw new Error("fixture reference folder must exist");
  return result;
}

function unexplained(differences: readonly Difference[]) {
  return differences.filter((d) => d.explanation === undefined).map((d) => `${d.kind} @ ${d.where}`);
}

describe("conformance check on planted mismatches", () => {
  it("passes a faithful spec, normalising path-parameter names and header case", () => {
    const result = check("faithful.yaml");
    expect(unexplained(result.differences)).toEqual([]);
    expect(result.status).toBe("passed");
    expect(result.counts.operations).toBe(2);
    expect(result.counts.examples).toBe(1);
  });

  it("reports an explained difference as explained, with its reason", () => {
    const result = check("faithful.yaml");
    const extra = result.differences.find((d) => d.where.endsWith(".extra"));
    expect(extra?.kind).toBe("unknown-property");
    expect(extra?.explanation).toContain("fixture: the live API returns it");
  });

  it("catches a wrong method", () => {
    const result = check("wrong-method.yaml");
    expect(result.status).toBe("failed");
    const missing = result.differences.find((d) => d.kind === "missing-operation");
    expect(missing?.where).toBe("POST /things/{thingId}");
    expect(missing?.message).toContain("GET, PUT");
    expect(missing?.explanation).toBeUndefined();
  });

  it("catches a missing required parameter", () => {
    const result = check("missing-param.yaml");
    expect(result.status).toBe("failed");
    expect(unexplained(result.differences)).toContain("missing-required-parameter @ GET /things/{thingId}");
    expect(result.differences.find((d) => d.kind === "missing-required-parameter")?.message).toContain(
      'query parameter "locationId"',
    );
  });

  it("catches an unknown request field", () => {
    const result = check("unknown-field.yaml");
    expect(result.status).toBe("failed");
    expect(unexplained(result.differences)).toEqual([
      "unknown-property @ PUT /things/{thingId} requestBody application/json.colour",
    ]);
  });

  it("catches type, enum, required, scope and vendor-example mismatches", () => {
    const result = check("wrong-types.yaml");
    expect(result.status).toBe("failed");
    const found = unexplained(result.differences);
    expect(found).toEqual(
      expect.arrayContaining([
        "scope-mismatch @ GET /things/{thingId}",
        'enum-mismatch @ GET /things/{thingId} header parameter "Version"',
        "type-mismatch @ GET /things/{thingId} response 200 application/json.count",
        "type-mismatch @ GET /things/{thingId} response 200 application/json.name",
        "enum-mismatch @ PUT /things/{thingId} requestBody application/json.kind",
        "type-mismatch @ PUT /things/{thingId} requestBody application/json.to[]",
        "required-field-optional @ PUT /things/{thingId} requestBody application/json.name",
        'example-invalid-vendor @ PUT /things/{thingId} requestBody application/json example "stringRecipients"',
      ]),
    );
  });

  it("catches an operation that forgets the vendor's scopes", () => {
    const result = check("no-scopes.yaml");
    expect(unexplained(result.differences)).toEqual(["scope-mismatch @ GET /things/{thingId}"]);
    expect(result.differences[0]?.message).toBe("scopes: ours (none), vendor things.readonly");
  });

  it("fails when a spec names a vendor document that is not there", () => {
    const result = runCheck({
      repoRoot: FIXTURES,
      referenceDir: join(FIXTURES, "ours"),
      specFiles: ["ours/faithful.yaml"],
    });
    expect(result.status).toBe("failed");
    if (result.status !== "reference-not-found") {
      expect(result.differences.map((d) => d.kind)).toEqual(["reference-file-missing"]);
    }
  });
});
