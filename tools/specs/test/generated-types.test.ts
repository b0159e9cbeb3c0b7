import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, expectTypeOf, it } from "vitest";
import type {
  components as BulkSms,
  operations as BulkSmsOps,
} from "../../../packages/bulksms/src/generated/bulksms.ts";
import type { operations as Contacts } from "../../../packages/ghl/src/generated/contacts.ts";
import type { components as Webhooks } from "../../../packages/ghl/src/generated/webhooks.ts";
import { schemaFromMarkdown } from "../src/conformance.ts";
import { createDocumentStore, type Json } from "../src/documents.ts";
import { validateAgainst } from "../src/json-schema.ts";
import { REPO_ROOT, referenceDir, referenceExists } from "../src/paths.ts";

type GhlWebhookEvent = Webhooks["schemas"]["GhlWebhookEvent"];

function summarise(event: GhlWebhookEvent): string {
  switch (event.type) {
    case "INSTALL":
      return `install ${event.appId} ${event.locationId ?? event.companyId ?? ""}`;
    case "UNINSTALL":
      return `uninstall ${event.appId}`;
    case "InboundMessage":
    case "OutboundMessage":
      return `${event.type} ${event.messageId ?? ""}`;
    default:
      return `${event.type} ${event.id}`;
  }
}

describe("generated types", () => {
  it("narrow the GHL webhook union on `type` and expose webhookId as the idempotency key", () => {
    const event: GhlWebhookEvent = {
      type: "ContactDndUpdate",
      webhookId: "wh-1",
      timestamp: "2026-01-01T00:00:00Z",
      locationId: "loc",
      id: "c1",
      dndSettings: { SMS: { status: "active" } },
    };
    expect(summarise(event)).toBe("ContactDndUpdate c1");
    expectTypeOf<GhlWebhookEvent["webhookId"]>().toEqualTypeOf<string>();
    expectTypeOf<Extract<GhlWebhookEvent, { type: "INSTALL" }>>().toHaveProperty("appId");
  });

  it("carry the Version header, the search body limits and BulkSMS string message ids", () => {
    expectTypeOf<
      Contacts["searchContacts"]["parameters"]["header"]["Version"]
    >().toEqualTypeOf<"2021-07-28">();
    expectTypeOf<
      Contacts["searchContacts"]["requestBody"]["content"]["application/json"]["pageLimit"]
    >().toEqualTypeOf<number>();
    expectTypeOf<BulkSms["schemas"]["Message"]["id"]>().toEqualTypeOf<string>();
    expectTypeOf<BulkSmsOps["sendMessages"]["parameters"]["query"]>().toMatchTypeOf<
      { "deduplication-id"?: number; "auto-unicode"?: boolean } | undefined
    >();
    expect(true).toBe(true);
  });
});

describe("our webhook schemas accept the vendor's own example payloads", () => {
  const reference = referenceDir();
  const pages = join(reference, "ghl/upstream/docs/webhook events");
  const store = createDocumentStore();
  const ours = join(REPO_ROOT, "specs/ghl/webhooks.yaml");
  const envelope = { webhookId: "wh-1", timestamp: "2026-01-01T00:00:00Z" };

  it("validates every example of every referenced event page (reference present) or a local sample", () => {
    const doc = store.load(ours) as { components: { schemas: Record<string, { "x-reference"?: string }> } };
    const checked: string[] = [];
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      const page = schema["x-reference"];
      if (page === undefined) continue;
      const examples: Json[] = [];
      if (referenceExists(pages) && readdirSync(pages).includes(page)) {
        const text = readFileSync(join(pages, page), "utf8");
        expect(schemaFromMarkdown(text)).toBeTypeOf("object");
        for (const m of text.matchAll(/```json\s*\n([\s\S]*?)```/g)) {
          const value = JSON.parse(m[1] ?? "null") as Json;
          if (
            typeof value === "object" &&
            value !== null &&
            !Array.isArray(value) &&
            !("properties" in value)
          ) {
            examples.push({ ...value, ...envelope });
          }
        }
      } else if (name === "NoteCreate") {
        examples.push({
          type: "NoteCreate",
          locationId: "l",
          id: "n",
          body: "b",
          contactId: "c",
          ...envelope,
        });
      }
      for (const example of examples) {
        // Pages sometimes show another event's example (InboundMessage.md shows an OutboundMessage call), so
        // validate against the union; ProviderOutboundMessage (Delivery URL) is not part of it.
        const target = name === "ProviderOutboundMessage" ? name : "GhlWebhookEvent";
        const verdict = validateAgainst(
          store,
          { node: { $ref: `#/components/schemas/${target}` }, file: ours },
          example,
        );
        expect(verdict, `${name}: ${JSON.stringify(example).slice(0, 120)}`).toEqual({ valid: true });
        checked.push(name);
      }
    }
    expect(checked.length).toBeGreaterThan(0);
  });

  it("rejects a payload without webhookId (the idempotency key)", () => {
    const verdict = validateAgainst(
      store,
      { node: { $ref: "#/components/schemas/NoteCreate" }, file: ours },
      { type: "NoteCreate", locationId: "l", id: "n", timestamp: "2026-01-01T00:00:00Z" },
    );
    expect(verdict.valid).toBe(false);
  });
});
