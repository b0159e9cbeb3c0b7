/** Which spec generates which committed type file. Paths are relative to the repository root. */
export type GenerateTarget = {
  readonly pkg: "ghl" | "bulksms";
  readonly spec: string;
  readonly output: string;
};

export const GENERATE_TARGETS: readonly GenerateTarget[] = [
  { pkg: "ghl", spec: "specs/ghl/contacts.yaml", output: "packages/ghl/src/generated/contacts.ts" },
  { pkg: "ghl", spec: "specs/ghl/conversations.yaml", output: "packages/ghl/src/generated/conversations.ts" },
  { pkg: "ghl", spec: "specs/ghl/oauth.yaml", output: "packages/ghl/src/generated/oauth.ts" },
  { pkg: "ghl", spec: "specs/ghl/webhooks.yaml", output: "packages/ghl/src/generated/webhooks.ts" },
  { pkg: "bulksms", spec: "specs/bulksms/openapi.yaml", output: "packages/bulksms/src/generated/bulksms.ts" },
];

/** All spec files the conformance check and the validity test look at. */
export const SPEC_FILES: readonly string[] = GENERATE_TARGETS.map((t) => t.spec);
