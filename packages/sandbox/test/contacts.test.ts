import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GhlSimulator } from "../src/ghl/simulator.ts";
import { api, startGhl } from "./helpers.ts";

let sim: GhlSimulator;
beforeEach(async () => {
  sim = await startGhl();
});
afterEach(async () => {
  await sim.close();
});

const loc = () => sim.locations[0]!;

describe("contacts", () => {
  it("creates (201, E.164 phone), reads, updates and deletes with GHL's shapes", async () => {
    const created = await api(sim, "/contacts/", {
      body: {
        locationId: loc().id,
        firstName: "Ada",
        lastName: "Lovelace",
        email: "Ada@Example.com",
        phone: "07700 900123",
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.contact.id;
    expect(created.body.contact.phone).toBe("+447700900123");
    expect(created.body.contact.emailLowerCase).toBe("ada@example.com");

    const got = await api(sim, `/contacts/${id}`);
    expect(got.status).toBe(200);
    expect(got.body.contact.name).toBe("Ada Lovelace");

    const updated = await api(sim, `/contacts/${id}`, { method: "PUT", body: { city: "London" } });
    expect(updated.status).toBe(200);
    expect(updated.body.succeded).toBe(true);
    expect(updated.body.contact.city).toBe("London");

    const deleted = await api(sim, `/contacts/${id}`, { method: "DELETE" });
    expect(deleted.body).toEqual({ succeded: true });
    const gone = await api(sim, `/contacts/${id}`);
    expect(gone.status).toBe(404);
  });

  it("moves dateUpdated on every change (sandbox clock) and not on a no-op", async () => {
    const c = sim.control.createContact(loc().id, { firstName: "Tom" });
    const before = c.dateUpdated;
    await sim.control.advanceClock(60_000);
    await api(sim, `/contacts/${c.id}`, { method: "PUT", body: { firstName: "Tom" } });
    expect(sim.control.getContact(c.id)?.dateUpdated).toBe(before);
    await api(sim, `/contacts/${c.id}`, { method: "PUT", body: { lastName: "Jones" } });
    const after = sim.control.getContact(c.id)?.dateUpdated ?? "";
    expect(Date.parse(after) - Date.parse(before)).toBeGreaterThanOrEqual(60_000);
  });

  it("replaces the tag set on update; add/remove endpoints change it by delta", async () => {
    const c = sim.control.createContact(loc().id, { firstName: "T", tags: ["a", "b"] });
    await api(sim, `/contacts/${c.id}`, { method: "PUT", body: { tags: ["c"] } });
    expect(sim.control.getContact(c.id)?.tags).toEqual(["c"]);
    const added = await api(sim, `/contacts/${c.id}/tags`, { body: { tags: ["D", "c"] } });
    expect(added.status).toBe(201);
    expect(added.body.tags).toEqual(["c", "d"]);
    const removed = await api(sim, `/contacts/${c.id}/tags`, { method: "DELETE", body: { tags: ["c"] } });
    expect(removed.status).toBe(200);
    expect(removed.body.tags).toEqual(["d"]);
  });

  it("keeps DND per channel and custom fields by id", async () => {
    const c = sim.control.createContact(loc().id, { firstName: "D" });
    await api(sim, `/contacts/${c.id}`, {
      method: "PUT",
      body: {
        dndSettings: { SMS: { status: "active", message: "STOP" } },
        customFields: [{ id: "cf1", field_value: "gold" }],
      },
    });
    await api(sim, `/contacts/${c.id}`, {
      method: "PUT",
      body: { dndSettings: { Email: { status: "inactive" } }, customFields: [{ id: "cf2", field_value: 3 }] },
    });
    const got = (await api(sim, `/contacts/${c.id}`)).body.contact;
    expect(got.dndSettings).toEqual({
      SMS: { status: "active", message: "STOP" },
      Email: { status: "inactive" },
    });
    expect(got.customFields).toEqual([
      { id: "cf1", value: "gold" },
      { id: "cf2", value: 3 },
    ]);
  });

  it("notes and tasks per contact", async () => {
    const c = sim.control.createContact(loc().id, { firstName: "N" });
    const note = await api(sim, `/contacts/${c.id}/notes`, { body: { body: "called" } });
    expect(note.status).toBe(201);
    const noteId = note.body.note.id;
    await api(sim, `/contacts/${c.id}/notes/${noteId}`, { method: "PUT", body: { body: "called twice" } });
    expect(
      (await api(sim, `/contacts/${c.id}/notes`)).body.notes.map((n: { body: string }) => n.body),
    ).toEqual(["called twice"]);
    const task = await api(sim, `/contacts/${c.id}/tasks`, {
      body: { title: "ring back", dueDate: "2026-03-02T09:00:00.000Z", completed: false },
    });
    expect(task.status).toBe(201);
    const done = await api(sim, `/contacts/${c.id}/tasks/${task.body.task.id}/completed`, {
      method: "PUT",
      body: { completed: true },
    });
    expect(done.body.task.completed).toBe(true);
    expect(
      (await api(sim, `/contacts/${c.id}/tasks/${task.body.task.id}`, { method: "DELETE" })).body,
    ).toEqual({ succeded: true });
    expect((await api(sim, `/contacts/${c.id}/tasks`)).body.tasks).toEqual([]);
    const other = sim.control.createContact(sim.locations[1]!.id, { firstName: "X" });
    expect((await api(sim, `/contacts/${other.id}/notes`)).status).toBe(400);
  });

  it("refuses a duplicate create when the location forbids duplicates", async () => {
    const first = sim.control.createContact(loc().id, { email: "dup@example.com" });
    const again = await api(sim, "/contacts/", { body: { locationId: loc().id, email: "DUP@example.com" } });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({
      statusCode: 400,
      message: "This location does not allow duplicated contacts.",
      meta: { contactId: first.id, matchingField: "email" },
    });
  });

  it("validates like GHL: Version header, unknown fields, missing locationId", async () => {
    const noVersion = await api(sim, "/contacts/search", {
      version: null,
      body: { locationId: loc().id, pageLimit: 1 },
    });
    expect(noVersion.status).toBe(401);
    expect(noVersion.body.message).toBe("version header was not found.");
    const badVersion = await api(sim, "/contacts/search", {
      version: "2020-01-01",
      body: { locationId: loc().id, pageLimit: 1 },
    });
    expect(badVersion.body.message).toBe("version header is invalid");
    const extra = await api(sim, "/contacts/", {
      body: { locationId: loc().id, additionalEmails: ["x@example.com"] },
    });
    expect(extra.status).toBe(422);
    expect(extra.body).toEqual({
      statusCode: 422,
      message: ["property additionalEmails should not exist"],
      error: "Unprocessable Entity",
    });
    const noLocation = await api(sim, "/contacts/search", { body: { pageLimit: 10 } });
    expect(noLocation.status).toBe(422);
    expect(noLocation.body.message).toContain("locationId should not be empty");
    const other = await api(sim, "/contacts/search", {
      body: { locationId: sim.locations[1]!.id, pageLimit: 10 },
    });
    expect(other.status).toBe(403); // GHL: valid token, not its location
    const noToken = await api(sim, "/contacts/search", {
      token: null,
      body: { locationId: loc().id, pageLimit: 1 },
    });
    expect(noToken.body).toEqual({
      statusCode: 401,
      message: "Invalid token: access token is invalid",
      error: "Unauthorized",
    });
  });
});
