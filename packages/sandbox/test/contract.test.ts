/**
 * Contract test: drive every GHL operation in specs/ghl through success and error paths, and prove that
 * every response the simulator sent is declared by the spec and validates against its schema, and that
 * every webhook payload validates against specs/ghl/webhooks.yaml.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GhlSimulator } from "../src/ghl/simulator.ts";
import { findSpecDir, loadSpecs } from "../src/spec-validator.ts";
import { api, startGhl, startReceiver } from "./helpers.ts";

const specDir = findSpecDir("ghl");
if (!specDir) throw new Error("specs/ghl not found: the contract test needs the repo's specs");
const specs = loadSpecs(specDir);

let sim: GhlSimulator;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  receiver = await startReceiver();
  sim = await startGhl({ webhookUrl: receiver.url, seedContacts: 15 });
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});

async function scenario(): Promise<void> {
  const loc = sim.locations[0]!;
  const ro = loc.readOnlyToken;
  const c = (
    await api(sim, "/contacts/", {
      body: {
        locationId: loc.id,
        firstName: "Con",
        email: "con@example.com",
        phone: "+447700900555",
        tags: ["a"],
      },
    })
  ).body.contact;
  await api(sim, "/contacts/", { body: { locationId: loc.id, email: "con@example.com" } }); // 400 duplicate
  await api(sim, "/contacts/", { body: { locationId: loc.id, nope: 1 } }); // 422
  await api(sim, "/contacts/", { token: ro, body: { locationId: loc.id } }); // 401 scope
  await api(sim, "/contacts/search", {
    body: { locationId: loc.id, pageLimit: 5, filters: [{ field: "tags", operator: "eq", value: "a" }] },
  });
  await api(sim, "/contacts/search", { body: { locationId: loc.id, pageLimit: 500, page: 30 } }); // 422 cap
  await api(sim, "/contacts/search", { version: null, body: { locationId: loc.id, pageLimit: 5 } }); // 401 version
  await api(sim, `/contacts/search/duplicate?locationId=${loc.id}&email=con%40example.com`);
  await api(sim, `/contacts/search/duplicate?locationId=${loc.id}&email=zzz%40example.com`);
  await api(sim, `/contacts/?locationId=${loc.id}&limit=5`);
  await api(sim, "/contacts/upsert", {
    body: { locationId: loc.id, email: "con@example.com", city: "Bath" },
  });
  await api(sim, "/contacts/upsert", { body: { locationId: loc.id, email: "fresh@example.com" } });
  await api(sim, `/contacts/${c.id}`);
  await api(sim, "/contacts/doesnotexist");
  await api(sim, `/contacts/${c.id}`, {
    method: "PUT",
    body: { lastName: "Tract", dndSettings: { SMS: { status: "active" } } },
  });
  await api(sim, `/contacts/business/biz1?locationId=${loc.id}`);
  await api(sim, `/contacts/${c.id}/tags`, { body: { tags: ["b"] } });
  await api(sim, `/contacts/${c.id}/tags`, { method: "DELETE", body: { tags: ["a"] } });
  const note = (await api(sim, `/contacts/${c.id}/notes`, { body: { body: "n" } })).body.note;
  await api(sim, `/contacts/${c.id}/notes`);
  await api(sim, `/contacts/${c.id}/notes/${note.id}`);
  await api(sim, `/contacts/${c.id}/notes/${note.id}`, { method: "PUT", body: { body: "n2" } });
  await api(sim, `/contacts/${c.id}/notes/nonote`);
  await api(sim, `/contacts/${c.id}/notes/${note.id}`, { method: "DELETE" });
  const task = (
    await api(sim, `/contacts/${c.id}/tasks`, {
      body: { title: "t", dueDate: "2026-03-05T10:00:00.000Z", completed: false },
    })
  ).body.task;
  await api(sim, `/contacts/${c.id}/tasks`);
  await api(sim, `/contacts/${c.id}/tasks/${task.id}`);
  await api(sim, `/contacts/${c.id}/tasks/${task.id}`, { method: "PUT", body: { title: "t2" } });
  await api(sim, `/contacts/${c.id}/tasks/${task.id}/completed`, {
    method: "PUT",
    body: { completed: true },
  });
  await api(sim, `/contacts/${c.id}/tasks/${task.id}`, { method: "DELETE" });
  await api(sim, `/contacts/${c.id}/appointments`);
  await api(sim, `/contacts/${c.id}/workflow/wf1`, { body: { eventStartTime: "2026-03-05T10:00:00.000Z" } });
  await api(sim, `/contacts/${c.id}/workflow/wf1`, { method: "DELETE", body: {} });
  await api(sim, `/contacts/${c.id}/campaigns/cp1`, { body: {} });
  await api(sim, `/contacts/${c.id}/campaigns/cp1`, { method: "DELETE" });
  await api(sim, `/contacts/${c.id}/campaigns/removeAll`, { method: "DELETE" });
  await api(sim, `/contacts/${c.id}/followers`, { body: { followers: ["u1"] } });
  await api(sim, `/contacts/${c.id}/followers`, { method: "DELETE", body: { followers: ["u1"] } });
  await api(sim, "/contacts/bulk/tags/update/add", {
    body: { locationId: loc.id, contacts: [c.id, "missing"], tags: ["bulk"] },
  });
  await api(sim, "/contacts/bulk/business", {
    body: { locationId: loc.id, ids: [c.id], businessId: "biz1" },
  });
  // Conversations
  const inbound = await api(sim, "/conversations/messages/inbound", {
    body: { type: "SMS", conversationId: "conv1", contactId: c.id, message: "hi" },
  });
  expect(inbound.status).toBe(200);
  const sent = await api(sim, "/conversations/messages", {
    body: { type: "SMS", subType: "SMS", contactId: c.id, message: "yo", status: "pending" },
  });
  // a status update is the provider's (a message sent without the provider is refused, 403)
  await api(sim, `/conversations/messages/${sent.body.messageId}/status`, {
    method: "PUT",
    body: { status: "delivered" },
  });
  const viaProvider = sim.control.sendProviderMessage(c.id, "typed in the inbox");
  await api(sim, `/conversations/messages/${viaProvider.id}/status`, {
    method: "PUT",
    body: { status: "delivered" },
  });
  await api(sim, "/conversations/messages/nomessage/status", {
    method: "PUT",
    body: { status: "delivered" },
  });
  sim.control.sendProviderMessage(c.id, "from a workflow");
  await api(sim, `/conversations/search?locationId=${loc.id}&contactId=${c.id}`);
  const other = sim.control.createContact(loc.id, { firstName: "Conv", phone: "+447700900999" });
  await api(sim, "/conversations/", { body: { locationId: loc.id, contactId: other.id } });
  await api(sim, "/conversations/conv1/messages?limit=5");
  // OAuth
  const client = { client_id: sim.tokens.clientId, client_secret: sim.tokens.clientSecret };
  const code = sim.control.issueAuthorizationCode({ locationId: loc.id });
  const tok = (
    await api(sim, "/oauth/token", {
      token: null,
      version: null,
      form: { ...client, grant_type: "authorization_code", code },
    })
  ).body;
  await api(sim, "/oauth/token", {
    token: null,
    version: null,
    form: { ...client, grant_type: "refresh_token", refresh_token: tok.refresh_token },
  });
  await api(sim, "/oauth/token", {
    token: null,
    version: null,
    form: { ...client, grant_type: "refresh_token", refresh_token: tok.refresh_token },
  });
  await api(sim, "/oauth/locationToken", {
    token: sim.tokens.agency,
    form: { companyId: sim.tokens.companyId, locationId: loc.id },
  });
  await api(sim, "/oauth/locationToken", {
    token: loc.token,
    form: { companyId: sim.tokens.companyId, locationId: loc.id },
  });
  // Rate limit 429 on a fresh location bucket.
  sim.control.startRateLimitStorm(1_000);
  await api(sim, `/contacts/${c.id}`);
  await sim.control.advanceClock(1_000);
  await api(sim, `/contacts/${c.id}`, { method: "DELETE" });
  await sim.control.flushWebhooks();
}

describe("contract: the GHL simulator against specs/ghl", () => {
  it("every response is declared by the spec and matches its schema", async () => {
    await scenario();
    const violations = sim.control.contractViolations();
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  });

  it("every spec operation is served and was exercised", () => {
    const exercised = new Set(
      sim.control
        .requestLog()
        .map((r) => r.operation)
        .filter(Boolean),
    );
    const missing = specs.operations
      .map((o) => o.operationId ?? `${o.method} ${o.path}`)
      .filter((id) => !exercised.has(id));
    expect(missing).toEqual([]);
    const statuses = new Set(sim.control.requestLog().map((r) => r.status));
    for (const s of [200, 201, 400, 401, 404, 422, 429])
      expect(statuses.has(s), `status ${s} exercised`).toBe(true);
  });

  it("every webhook payload validates against specs/ghl/webhooks.yaml", () => {
    expect(receiver.received.length).toBeGreaterThan(10);
    const unchecked = new Set<string>();
    for (const r of receiver.received) {
      const schema = r.json.type === "SMS" ? "ProviderOutboundMessage" : r.json.type;
      const errors = specs.validateComponent("webhooks.yaml", schema, r.json);
      if (errors === null) {
        unchecked.add(schema);
        continue;
      }
      expect(errors, `${schema}: ${errors.join("; ")}`).toEqual([]);
    }
    // Events GHL sends that our spec does not describe (we do not consume them).
    for (const t of unchecked) expect(["NoteDelete", "NoteUpdate", "TaskDelete"]).toContain(t);
  });

  it("the checks are not vacuous: a drifted body or an undeclared status is caught", () => {
    const getContact =
      specs.operations.find((o) => o.operationId === "getContact") ?? specs.match("GET", "/contacts/x")?.op;
    expect(getContact).toBeDefined();
    if (!getContact) return;
    expect(specs.validateResponse(getContact, 200, { contact: { id: "x", phone: null } }).errors).not.toEqual(
      [],
    );
    expect(specs.validateResponse(getContact, 200, { contact: { id: "x" } }).errors).toEqual([]);
    expect(specs.validateResponse(getContact, 418, {}).declared).toBe(false);
    expect(
      specs.validateComponent("webhooks.yaml", "ContactCreate", {
        type: "ContactCreate",
        id: "x",
        locationId: "l",
      }),
    ).not.toEqual([]);
  });
});
