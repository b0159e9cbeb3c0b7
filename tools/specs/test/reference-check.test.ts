import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatReport, runCheck } from "../src/conformance.ts";
import { createDocumentStore } from "../src/documents.ts";
import { validateAgainst } from "../src/json-schema.ts";
import { REPO_ROOT, referenceDir, referenceExists } from "../src/paths.ts";

const REFERENCE = referenceDir();
const present = referenceExists(REFERENCE);

describe(`our specs against the vendor reference (${present ? "present" : "absent"}: ${REFERENCE})`, () => {
  it("has no unexplained difference, or reports that the reference is missing", () => {
    const result = runCheck({ repoRoot: REPO_ROOT, referenceDir: REFERENCE });
    if (!present) {
      expect(result.status).toBe("reference-not-found");
      expect(formatReport(result)).toContain("reference not found");
      return;
    }
    if (result.status === "reference-not-found") throw new Error("reference exists but was not found");
    const unexplained = result.differences.filter((d) => d.explanation === undefined);
    expect(unexplained.map((d) => `${d.spec}: ${d.where}: ${d.message}`)).toEqual([]);
    expect(result.status).toBe("passed");
    expect(result.counts.operations).toBeGreaterThanOrEqual(40);
    expect(result.counts.schemas).toBe(16); // one per webhook event page we model (NoteUpdate/NoteDelete/TaskDelete included)
  });

  it("validates the canonical BulkSMS send body against the vendor document, and rejects the loose forms", () => {
    if (!present) {
      expect(runCheck({ repoRoot: REPO_ROOT, referenceDir: REFERENCE }).status).toBe("reference-not-found");
      return;
    }
    const store = createDocumentStore();
    const vendorFile = join(REFERENCE, "bulksms/upstream/openapi.latest.reconstructed.yaml");
    const schema = {
      node: { type: "array", items: { $ref: "#/components/schemas/SubmissionEntry" } },
      file: vendorFile,
    };
    const canonical = [
      { to: [{ type: "INTERNATIONAL", address: "+27820000001" }], body: "Hi", from: { type: "REPLIABLE" } },
    ];
    expect(validateAgainst(store, schema, canonical)).toEqual({ valid: true });
    // The looser forms the vendor's prose allows do NOT validate against its schema: our client never sends them.
    expect(validateAgainst(store, schema, [{ to: ["+27820000001"], body: "Hi" }]).valid).toBe(false);
    expect(
      validateAgainst(store, schema, { to: [{ type: "INTERNATIONAL", address: "+2782" }], body: "Hi" }).valid,
    ).toBe(false);
  });
});
