import { createPublicKey, verify } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { GhlSimulator } from "../src/ghl/simulator.ts";
import { api, startGhl, startReceiver } from "./helpers.ts";

let sim: GhlSimulator | undefined;
let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
afterEach(async () => {
  await sim?.close();
  await receiver?.close();
  sim = undefined;
  receiver = undefined;
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("webhooks", () => {
  it("POSTs every change with webhookId and timestamp, signed Ed25519 over the exact bytes (and legacy RSA)", async () => {
    receiver = await startReceiver();
    sim = await startGhl({ webhookUrl: receiver.url, signing: { legacyRsa: true } });
    const loc = sim.locations[0]!;
    const created = await api(sim, "/contacts/", {
      body: { locationId: loc.id, firstName: "W", email: "w@example.com" },
    });
    const id = created.body.contact.id;
    await api(sim, `/contacts/${id}`, {
      method: "PUT",
      body: { city: "Hull", dndSettings: { SMS: { status: "active" } } },
    });
    await api(sim, `/contacts/${id}/tags`, { body: { tags: ["x"] } });
    const note = await api(sim, `/contacts/${id}/notes`, { body: { body: "hi" } });
    await api(sim, `/contacts/${id}/notes/${note.body.note.id}`, { method: "DELETE" });
    const task = await api(sim, `/contacts/${id}/tasks`, {
      body: { title: "t", dueDate: "2026-03-02T00:00:00.000Z", completed: false },
    });
    await api(sim, `/contacts/${id}/tasks/${task.body.task.id}/completed`, {
      method: "PUT",
      body: { completed: true },
    });
    await api(sim, `/contacts/${id}`, { method: "DELETE" });
    await sim.control.flushWebhooks();

    expect(receiver.received.map((r) => r.json.type)).toEqual([
      "ContactCreate",
      "ContactUpdate",
      "ContactDndUpdate",
      "ContactTagUpdate",
      "NoteCreate",
      "NoteDelete",
      "TaskCreate",
      "TaskComplete",
      "ContactDelete",
    ]);
    const edKey = createPublicKey(sim.keys.ed25519PublicKeyPem);
    const rsaKey = createPublicKey(sim.keys.rsaPublicKeyPem ?? "");
    for (const r of receiver.received) {
      expect(r.json.webhookId).toMatch(UUID);
      expect(r.json.locationId).toBe(loc.id);
      expect(Number.isNaN(Date.parse(r.json.timestamp))).toBe(false);
      const sig = Buffer.from(String(r.headers["x-ghl-signature"]), "base64");
      expect(verify(null, r.raw, edKey, sig)).toBe(true);
      expect(
        verify("sha256", r.raw, rsaKey, Buffer.from(String(r.headers["x-wh-signature"]), "base64")),
      ).toBe(true);
      // One changed byte and the signature no longer verifies.
      const tampered = Buffer.from(r.raw);
      tampered[tampered.length - 2] = 0x20;
      expect(verify(null, tampered, edKey, sig)).toBe(false);
    }
    expect(new Set(receiver.received.map((r) => r.json.webhookId)).size).toBe(receiver.received.length);
    const dnd = receiver.received.find((r) => r.json.type === "ContactDndUpdate");
    expect(dnd?.json.dndSettings).toEqual({ SMS: { status: "active" } });
  });

  it("the Ed25519 key is deterministic per seed and exposed over the control API", async () => {
    sim = await startGhl({ seed: "k1" });
    const again = await startGhl({ seed: "k1" });
    const other = await startGhl({ seed: "k2" });
    try {
      expect(again.keys.ed25519PublicKeyPem).toBe(sim.keys.ed25519PublicKeyPem);
      expect(other.keys.ed25519PublicKeyPem).not.toBe(sim.keys.ed25519PublicKeyPem);
      const res = await fetch(`${sim.url}/__sandbox/webhooks/keys`);
      expect(((await res.json()) as { ed25519PublicKeyPem: string }).ed25519PublicKeyPem).toBe(
        sim.keys.ed25519PublicKeyPem,
      );
    } finally {
      await again.close();
      await other.close();
    }
  });

  it("retries only on 429 (on the sandbox clock) and loses the event on any other failure", async () => {
    receiver = await startReceiver([429, 429, 200]);
    sim = await startGhl({ webhookUrl: receiver.url });
    const loc = sim.locations[0]!;
    sim.control.createContact(loc.id, { firstName: "R" });
    await sim.control.flushWebhooks();
    expect(receiver.received).toHaveLength(1);
    await sim.control.advanceClock(10_000);
    await sim.control.flushWebhooks();
    expect(receiver.received).toHaveLength(2);
    await sim.control.advanceClock(20_000);
    await sim.control.flushWebhooks();
    expect(receiver.received).toHaveLength(3);
    const [d] = sim.control.webhookDeliveries();
    expect(d?.outcome).toBe("delivered");
    expect(d?.attempts.map((a) => a.status)).toEqual([429, 429, 200]);
    // Same webhookId on every retry.
    expect(new Set(receiver.received.map((r) => r.json.webhookId)).size).toBe(1);
  });

  it("a 500 (or unreachable target) loses the event: one attempt, no retry, logged as lost", async () => {
    receiver = await startReceiver([500]);
    sim = await startGhl({ webhookUrl: receiver.url });
    sim.control.createContact(sim.locations[0]!.id, { firstName: "L" });
    await sim.control.flushWebhooks();
    await sim.control.advanceClock(3_600_000);
    await sim.control.flushWebhooks();
    expect(receiver.received).toHaveLength(1);
    const [d] = sim.control.webhookDeliveries();
    expect(d?.outcome).toBe("lost");
    expect(d?.attempts).toHaveLength(1);
    sim.control.setWebhookUrl("http://127.0.0.1:9/nothing-listens-here");
    sim.control.createContact(sim.locations[0]!.id, { firstName: "M" });
    await sim.control.flushWebhooks();
    const last = sim.control.webhookDeliveries().at(-1);
    expect(last?.outcome).toBe("lost");
    expect(last?.attempts[0]?.error).toBeTruthy();
  });
});

describe("webhook payloads vs specs/ghl/webhooks.yaml", () => {
  it("every event the simulator sends (NoteUpdate, NoteDelete, TaskDelete included) matches GhlWebhookEvent", async () => {
    const { readFileSync } = await import("node:fs");
    const { Ajv2020 } = await import("ajv/dist/2020.js");
    const { parse } = await import("yaml");
    const { findSpecDir } = await import("../src/spec-validator.ts");
    const doc = parse(readFileSync(`${findSpecDir("ghl")}/webhooks.yaml`, "utf8")) as Record<string, unknown>;
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    ajv.addSchema({ ...doc, $id: "https://x/webhooks.yaml" });
    const validate = ajv.compile({ $ref: "https://x/webhooks.yaml#/components/schemas/GhlWebhookEvent" });

    receiver = await startReceiver();
    sim = await startGhl({ webhookUrl: receiver.url });
    const loc = sim.locations[0]!;
    const id = (
      await api(sim, "/contacts/", { body: { locationId: loc.id, firstName: "V", phone: "+447700900123" } })
    ).body.contact.id;
    const note = (await api(sim, `/contacts/${id}/notes`, { body: { body: "a" } })).body.note.id;
    await api(sim, `/contacts/${id}/notes/${note}`, { method: "PUT", body: { body: "b" } });
    await api(sim, `/contacts/${id}/notes/${note}`, { method: "DELETE" });
    const task = (
      await api(sim, `/contacts/${id}/tasks`, {
        body: { title: "t", dueDate: "2026-03-02T00:00:00.000Z", completed: false },
      })
    ).body.task.id;
    await api(sim, `/contacts/${id}/tasks/${task}`, { method: "DELETE" });
    await sim.control.flushWebhooks();
    const types = receiver.received.map((r) => r.json.type);
    for (const t of ["NoteUpdate", "NoteDelete", "TaskDelete"]) expect(types).toContain(t);
    for (const r of receiver.received) {
      const ok = validate(r.json);
      expect(
        ok ? [] : (validate.errors ?? []).map((e) => `${r.json.type}${e.instancePath} ${e.message}`),
      ).toEqual([]);
    }
  });
});

describe("webhook timestamps", () => {
  it("follow the sandbox clock by default, the real clock with signing.timestamps = real", async () => {
    receiver = await startReceiver();
    // helpers start the sandbox clock at T0 (March 2026), far from the real date.
    sim = await startGhl({ webhookUrl: receiver.url });
    sim.control.createContact(sim.locations[0]!.id, { firstName: "sandbox-time" });
    await sim.control.flushWebhooks();
    const sandboxStamp = Date.parse(receiver.received[0]!.json.timestamp);
    expect(Math.abs(sandboxStamp - sim.control.now())).toBeLessThan(60_000);
    await sim.close();

    sim = await startGhl({ webhookUrl: receiver.url, signing: { timestamps: "real" } });
    await sim.control.advanceClock(24 * 3600_000); // a demo that fast-forwards the sandbox
    sim.control.createContact(sim.locations[0]!.id, { firstName: "real-time" });
    await sim.control.flushWebhooks();
    const realStamp = Date.parse(receiver.received[1]!.json.timestamp);
    expect(Math.abs(realStamp - Date.now())).toBeLessThan(60_000);
    expect(Math.abs(realStamp - sim.control.now())).toBeGreaterThan(3600_000);
  });
});
