// The wrappers added for the whole contacts API (list, one note, one task, followers, bulk tags, bulk
// business, removeAll), conversation search, and the raw escape hatch, against the sandbox GHL simulator
// (which validates every request and response against specs/ghl). Outcomes are read back from the sandbox.
import { createSandboxClock, type GhlSimulator, startGhlSimulator } from "@ghl-bulksms/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGhlClient, type GhlClient } from "../client/create-ghl-client.js";
import { GHL_VERSION_CONTACTS, GHL_VERSION_CONVERSATIONS } from "../core/api-version.js";
import type { GhlResult } from "../core/result.js";

let sim: GhlSimulator;
let client: GhlClient;
let locationId: string;

function must<T>(r: GhlResult<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data;
}

beforeAll(async () => {
  const clock = createSandboxClock({ speed: 1 });
  sim = await startGhlSimulator({ clock, locations: 1 });
  locationId = sim.locations[0]!.id;
  client = createGhlClient({
    auth: { kind: "private-integration", token: sim.tokens.locations[locationId]!.token },
    baseUrl: sim.url,
    now: clock.now,
    sleep: clock.sleep,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
  });
});
afterAll(async () => {
  await sim?.close();
});

const newContact = async (phone: string): Promise<string> =>
  must(await client.contacts.create({ locationId, firstName: "Ada", phone })).contact.id;

describe("the whole contacts API through the typed client", () => {
  it("notes.get and tasks.get read one note and one task", async () => {
    const contactId = await newContact("+447700900401");
    const note = must(await client.notes.create({ locationId, contactId, body: { body: "called" } })).note;
    const task = must(
      await client.tasks.create({
        locationId,
        contactId,
        body: { title: "Call back", dueDate: "2026-03-05T10:00:00.000Z", completed: false },
      }),
    ).task;
    expect(must(await client.notes.get({ locationId, contactId, noteId: note.id })).note.body).toBe("called");
    expect(must(await client.tasks.get({ locationId, contactId, taskId: task.id })).task.title).toBe(
      "Call back",
    );
    const missing = await client.tasks.get({ locationId, contactId, taskId: "nope" });
    expect(missing.ok).toBe(false);
  });

  it("followers.add / followers.remove", async () => {
    const contactId = await newContact("+447700900402");
    const added = must(await client.followers.add({ locationId, contactId, followers: ["u1", "u2"] }));
    expect(added).toEqual({ followers: ["u1", "u2"], followersAdded: ["u1", "u2"] });
    const removed = must(await client.followers.remove({ locationId, contactId, followers: ["u1"] }));
    expect(removed.followersRemoved).toEqual(["u1"]);
    expect(sim.control.getContact(contactId)?.followers).toEqual(["u2"]);
  });

  it("bulk.updateTags adds and removes on many contacts, with a per-contact outcome", async () => {
    const a = await newContact("+447700900403");
    const b = await newContact("+447700900404");
    const added = must(
      await client.bulk.updateTags({ locationId, action: "add", contacts: [a, b, "missing"], tags: ["vip"] }),
    );
    expect(added.errorCount).toBe(1);
    expect(sim.control.getContact(a)?.tags).toEqual(["vip"]);
    expect(sim.control.getContact(b)?.tags).toEqual(["vip"]);
    must(
      await client.bulk.updateTags({
        locationId,
        action: "remove",
        contacts: [a],
        tags: [],
        removeAllTags: true,
      }),
    );
    expect(sim.control.getContact(a)?.tags).toEqual([]);
    expect(() =>
      client.bulk.updateTags({ locationId, action: "add", contacts: [a], tags: [], removeAllTags: true }),
    ).toThrow(/removeAllTags/);
  });

  it("bulk.updateBusiness makes contacts.listByBusiness find them (and null detaches)", async () => {
    const a = await newContact("+447700900405");
    const b = await newContact("+447700900406");
    must(await client.bulk.updateBusiness({ locationId, contactIds: [a, b], businessId: "bizX" }));
    const listed = must(await client.contacts.listByBusiness({ locationId, businessId: "bizX" }));
    expect(listed.contacts?.map((c) => c.id).sort()).toEqual([a, b].sort());
    must(await client.bulk.updateBusiness({ locationId, contactIds: [a], businessId: null }));
    const after = must(await client.contacts.listByBusiness({ locationId, businessId: "bizX" }));
    expect(after.contacts?.map((c) => c.id)).toEqual([b]);
  });

  it("campaigns.removeAll leaves every campaign the contact is in", async () => {
    const contactId = await newContact("+447700900407");
    must(await client.campaigns.add({ locationId, contactId, campaignId: "c1" }));
    must(await client.campaigns.add({ locationId, contactId, campaignId: "c2" }));
    must(await client.campaigns.removeAll({ locationId, contactId }));
    const mine = sim.control.memberships().filter((m) => m.contactId === contactId);
    expect(mine.filter((m) => m.action === "remove").map((m) => m.id)).toEqual(["c1", "c2"]);
    expect(mine.some((m) => m.id === "removeAll")).toBe(false);
  });

  it("contacts.list pages through the deprecated list with its cursor", async () => {
    const seen = new Set<string>();
    let cursor: { startAfterId?: string; startAfter?: number } = {};
    for (let guard = 0; guard < 50; guard++) {
      const page = must(await client.contacts.list({ locationId, limit: 3, ...cursor }));
      const contacts = page.contacts ?? [];
      if (contacts.length === 0) break;
      for (const c of contacts) seen.add(c.id);
      const last = contacts.at(-1)!;
      cursor = { startAfterId: last.id, startAfter: Date.parse(last.dateAdded ?? "") };
    }
    expect([...seen].sort()).toEqual(
      sim.control
        .listContacts(locationId)
        .map((c) => c.id)
        .sort(),
    );
  });

  it("conversations.search finds the contact's conversation; inbound `direction` is typed and honoured", async () => {
    const contactId = await newContact("+447700900408");
    must(
      await client.conversations.inboundMessage({
        locationId,
        body: { type: "SMS", conversationId: "convZ", contactId, message: "hello", direction: "inbound" },
      }),
    );
    const found = must(await client.conversations.search({ locationId, contactId }));
    expect(found.total).toBe(1);
    expect(found.conversations[0]).toMatchObject({ id: "convZ", contactId, lastMessageBody: "hello" });
  });
});

describe("conversations: create and read a contact's thread", () => {
  it("create makes the contact's one conversation; listMessages pages it newest first", async () => {
    const contactId = await newContact("+447700900411");
    const created = must(await client.conversations.create({ locationId, contactId }));
    const conversationId = created.conversation.id;
    const again = await client.conversations.create({ locationId, contactId });
    expect(again.ok).toBe(false); // GHL keeps one conversation per contact
    for (const message of ["first", "second"])
      must(
        await client.conversations.inboundMessage({
          locationId,
          body: { type: "SMS", conversationId, contactId, message, direction: "inbound" },
        }),
      );
    const page = must(await client.conversations.listMessages({ locationId, conversationId, limit: 1 }));
    expect(page.messages.map((m) => [m.body, m.direction])).toEqual([["second", "inbound"]]);
    expect(page.nextPage).toBe(true);
    const next = must(
      await client.conversations.listMessages({
        locationId,
        conversationId,
        lastMessageId: page.lastMessageId,
      }),
    );
    expect(next.messages.map((m) => m.body)).toEqual(["first"]);
  });
});

describe("raw escape hatch", () => {
  it("calls any spec operation, typed by the generated paths, with the location's token", async () => {
    const contactId = await newContact("+447700900409");
    const r = await client.raw.call({ locationId }, (api) =>
      api.contacts.POST("/contacts/{contactId}/followers", {
        params: { header: { Version: GHL_VERSION_CONTACTS }, path: { contactId } },
        body: { followers: ["u9"] },
      }),
    );
    expect(must(r).followersAdded).toEqual(["u9"]);
    expect(sim.control.getContact(contactId)?.followers).toEqual(["u9"]);
    const search = await client.raw.call({ locationId }, (api) =>
      api.conversations.GET("/conversations/search", {
        params: { header: { Version: GHL_VERSION_CONVERSATIONS }, query: { locationId } },
      }),
    );
    expect(must(search).total).toBeGreaterThan(0);
  });

  it("goes through the rate limiter and retries an idempotent call, not a POST", async () => {
    const contactId = await newContact("+447700900410");
    const granted = client.limiter.stats().granted;
    sim.control.setFaults({ script: [{ kind: "status", status: 503 }] });
    const get = await client.raw.call({ locationId }, (api) =>
      api.contacts.GET("/contacts/{contactId}", {
        params: { header: { Version: GHL_VERSION_CONTACTS }, path: { contactId } },
      }),
    );
    expect(get.ok && get.meta.attempts).toBe(2);
    expect(client.limiter.stats().granted - granted).toBe(2);

    sim.control.setFaults({ script: [{ kind: "status", status: 503 }] });
    const post = await client.raw.call({ locationId }, (api) =>
      api.contacts.POST("/contacts/{contactId}/notes", {
        params: { header: { Version: GHL_VERSION_CONTACTS }, path: { contactId } },
        body: { body: "once" },
      }),
    );
    expect(post.ok).toBe(false);
    if (!post.ok) {
      expect(post.error.status).toBe(503);
      expect(post.error.operation).toBe("POST /contacts/{contactId}/notes");
    }
    // A 503 before processing created nothing, and the POST was not repeated.
    const notes = must(await client.notes.list({ locationId, contactId })).notes ?? [];
    expect(notes).toEqual([]);
  });

  it("answers HTTP errors as results naming the operation, and refuses a run that makes two requests", async () => {
    const r = await client.raw.call({ locationId }, (api) =>
      api.contacts.GET("/contacts/{contactId}", {
        params: { header: { Version: GHL_VERSION_CONTACTS }, path: { contactId: "doesnotexist" } },
      }),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.operation).toBe("GET /contacts/{contactId}");
    await expect(
      client.raw.call({ locationId }, async (api) => {
        const header = { Version: GHL_VERSION_CONTACTS } as const;
        await api.contacts.GET("/contacts/{contactId}", { params: { header, path: { contactId: "a" } } });
        return api.contacts.GET("/contacts/{contactId}", { params: { header, path: { contactId: "b" } } });
      }),
    ).rejects.toThrow(/exactly one request/);
    expect(() =>
      client.raw.call({ locationId: "" }, (api) =>
        api.contacts.GET("/contacts/", {
          params: { header: { Version: GHL_VERSION_CONTACTS }, query: { locationId } },
        }),
      ),
    ).toThrow(/locationId/);
  });
});
