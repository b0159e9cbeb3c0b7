// Every status body the engine sends to GHL (pending, pending with a deferral, delivered, failed with each
// kind of reason) is valid against GHL's OFFICIAL update-message-status schema (UpdateMessageStatusDto and
// ErrorDto from GoHighLevel/highlevel-api-docs apps/conversations.json, copied in fixtures/ with its
// commit), with no field the official schema lacks. When the vendor reference folder is on this machine,
// the copy is also checked against it, so a changed upstream schema is noticed.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { GhlClient } from "@ghl-bulksms/ghl";
import { Ajv } from "ajv";
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./harness.js";

const fixture = JSON.parse(
  readFileSync(join(import.meta.dirname, "fixtures/ghl-official-update-message-status.json"), "utf8"),
) as { UpdateMessageStatusDto: Record<string, unknown>; ErrorDto: Record<string, unknown> };

/** The official schema, closed: a field GHL does not document is an error here. */
function officialValidator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const closed = (s: Record<string, unknown>) => ({ ...s, additionalProperties: false });
  // the DTO's `$ref: "#/components/schemas/ErrorDto"` resolves inside this root, as in conversations.json
  return ajv.compile({
    ...closed(fixture.UpdateMessageStatusDto),
    components: { schemas: { ErrorDto: closed(fixture.ErrorDto) } },
  });
}

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe("status bodies against GHL's official conversations spec", () => {
  it("the fixture is GHL's schema as published (when the reference folder is here)", () => {
    const candidates = [
      process.env.GHL_REFERENCE_DIR,
      resolve(import.meta.dirname, "../../../../shared/reference"),
      "/work/shared/reference",
    ].filter((d): d is string => !!d);
    const dir = candidates.find((d) => existsSync(join(d, "ghl/upstream/apps/conversations.json")));
    // without the reference folder (a plain clone) the committed copy is what the next test checks against
    if (!dir) return;
    const official = JSON.parse(readFileSync(join(dir, "ghl/upstream/apps/conversations.json"), "utf8")) as {
      components: { schemas: Record<string, unknown> };
    };
    expect(official.components.schemas.UpdateMessageStatusDto).toEqual(fixture.UpdateMessageStatusDto);
    expect(official.components.schemas.ErrorDto).toEqual(fixture.ErrorDto);
  });

  it("every body sent in the provider flows validates", async () => {
    const bodies: unknown[] = [];
    h = await startHarness({
      config: { defaults: { provider: { enabled: true } } },
      clockStart: Date.UTC(2026, 2, 10, 22, 30),
      wrapGhl: (ghl: GhlClient) => ({
        ...ghl,
        conversations: {
          ...ghl.conversations,
          updateMessageStatus(p, o) {
            bodies.push(structuredClone(p.body));
            return ghl.conversations.updateMessageStatus(p, o);
          },
        },
      }),
    });
    const ghl = h.sandbox.ghl.control;
    const ada = ghl.createContact(h.locationId, { firstName: "Ada", phone: "+447400123101" });
    const dnd = ghl.createContact(h.locationId, {
      firstName: "Dan",
      phone: "+447400123102",
      dndSettings: { SMS: { status: "active" } },
    });
    await h.settle();
    ghl.sendProviderMessage(ada.id, "typed: pending, delivered");
    ghl.sendProviderMessage(ada.id, "workflow: deferred", { userId: null });
    ghl.sendProviderMessage(ada.id, "attachment", { attachments: ["https://x.example/a.png"] });
    ghl.sendProviderMessage(dnd.id, "DND: failed");
    await h.advance(10 * 3600_000);
    await h.advance(10_000);
    const validate = officialValidator();
    // the validator bites: GHL's ErrorDto requires code, type and message; "sent" is no status of GHL's
    expect(validate({ status: "failed", error: { code: "x", message: "y" } })).toBe(false);
    expect(validate({ status: "sent" })).toBe(false);
    const kinds = new Set<string>();
    for (const b of bodies) {
      const ok = validate(b);
      expect(ok, `${JSON.stringify(b)}: ${JSON.stringify(validate.errors)}`).toBe(true);
      const body = b as { status: string; error?: { code: string } };
      kinds.add(`${body.status}${body.error ? `:${body.error.code}` : ""}`);
    }
    expect([...kinds].sort()).toEqual(
      ["attachments", "opted_out", "quiet_hours"]
        .map((c) => (c === "quiet_hours" ? `pending:${c}` : `failed:${c}`))
        .concat(["delivered", "pending"])
        .sort(),
    );
    // and the sandbox (our spec) took every one of them
    expect(h.sandbox.ghl.control.statusUpdates()).toHaveLength(bodies.length);
  });
});
