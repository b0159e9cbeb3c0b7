import { join } from "node:path";
import { createConfig, lint } from "@redocly/openapi-core";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../src/paths.ts";
import { SPEC_FILES } from "../src/targets.ts";

// Redocly's "recommended" ruleset, minus three rules that would make us unfaithful to the vendor:
// - no-path-trailing-slash: GHL's own document names the create endpoint `POST /contacts/`;
// - no-ambiguous-paths: GHL's path design (`/contacts/business/{id}` beside `/contacts/{id}/tags`);
// - no-empty-servers: webhooks.yaml only describes payloads POSTed to *our* URLs, it has no server.
const config = await createConfig({
  extends: ["recommended"],
  rules: { "no-path-trailing-slash": "off", "no-ambiguous-paths": "off", "no-empty-servers": "off" },
});

describe("each spec is valid OpenAPI 3", () => {
  it.each(SPEC_FILES)("%s lints clean", async (spec) => {
    const problems = await lint({ ref: join(REPO_ROOT, spec), config });
    const messages = problems.map(
      (p) => `${p.severity} ${p.ruleId}: ${p.message} @ ${p.location[0]?.pointer ?? ""}`,
    );
    expect(messages).toEqual([]);
  });

  it("rejects a structurally broken document", async () => {
    const problems = await lint({ ref: join(import.meta.dirname, "fixtures/invalid-openapi.yaml"), config });
    expect(problems.filter((p) => p.severity === "error").length).toBeGreaterThan(0);
  });
});
