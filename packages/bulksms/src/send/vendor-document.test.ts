/**
 * Our request bodies must validate against the VENDOR's published OpenAPI document (not only ours), whose
 * schema only declares the structured forms: a JSON array of SubmissionEntry, `to` an array of
 * `{type, address}` objects, `from` an object. The document is read from the shared reference folder
 * (`$GHL_REFERENCE_DIR` or `<repo>/../shared/reference`); it is not part of the repo, so when it is absent
 * these tests are skipped with that reason.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { prepareSend } from "./send-messages.js";

const repoRoot = resolve(import.meta.dirname, "..", "..", "..", "..");
const referenceDir = process.env.GHL_REFERENCE_DIR?.trim() || join(repoRoot, "..", "shared", "reference");
const vendorDoc = join(referenceDir, "bulksms", "upstream", "openapi.latest.reconstructed.yaml");
const present = existsSync(vendorDoc);

function validator(pointer: string) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
  addFormats(ajv);
  ajv.addSchema(parse(readFileSync(vendorDoc, "utf8")) as object, "vendor");
  const validate = ajv.getSchema(`vendor#${pointer}`);
  if (validate === undefined) throw new Error(`no schema at ${pointer}`);
  return validate;
}

describe.skipIf(!present)(
  "request bodies validate against the vendor's published document (reference folder present)",
  () => {
    it("POST /messages body (array of SubmissionEntry) in every option combination", () => {
      const validate = validator("/paths/~1messages/post/requestBody/content/application~1json/schema");
      const variants = [
        { jobKey: "a", to: ["+447911123456"], body: "hi" },
        {
          jobKey: "b",
          to: ["+447911123456", "+27821234567"],
          body: "hi 😀",
          unicode: true,
          from: "MyShop",
          userSuppliedId: "ve9EPM428h8vShlRW1KT",
        },
        {
          jobKey: "c",
          to: ["+447911123456"],
          body: "x",
          from: "+447911123400",
          longMessageMaxParts: 6,
          deliveryReports: "ERRORS",
          routingGroup: "PREMIUM",
        },
        { jobKey: "d", to: ["+447911123456"], body: "x", from: { type: "REPLIABLE" } },
      ] as const;
      for (const input of variants) {
        const prepared = prepareSend(input, "GB");
        expect(prepared.ok).toBe(true);
        if (!prepared.ok) continue;
        for (const entry of prepared.data.entries) {
          const body: unknown = JSON.parse(JSON.stringify([entry]));
          const valid = validate(body);
          expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
          expect(valid).toBe(true);
        }
      }
    });

    it("the vendor schema really rejects wrong shapes (the check can fail)", () => {
      const validate = validator("/paths/~1messages/post/requestBody/content/application~1json/schema");
      expect(validate({ to: "+447911123456", body: "x" })).toBe(false); // not an array
      expect(validate([{ to: ["+447911123456"], body: "x" }])).toBe(false); // `to` items must be objects
    });

    it("deduplication-id query values fit the vendor's int32", () => {
      const doc = parse(readFileSync(vendorDoc, "utf8")) as {
        paths: Record<
          string,
          Record<string, { parameters?: Array<{ name: string; schema: { format?: string } }> }>
        >;
      };
      const param = doc.paths["/messages"]?.post?.parameters?.find((p) => p.name === "deduplication-id");
      expect(param?.schema.format).toBe("int32");
    });
  },
);
