import { afterEach, describe, expect, it } from "vitest";
import { startHarness } from "../src/bulksms/test-harness.ts";
import { mergeFaults } from "../src/faults.ts";
import type { GhlSimulator } from "../src/ghl/simulator.ts";
import { api, startGhl } from "./helpers.ts";

let sim: GhlSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe("scripted faults (FaultConfig.script)", () => {
  it("GHL: answers the next requests exactly as scripted, then normally", async () => {
    sim = await startGhl({ seedContacts: 0 });
    const loc = sim.locations[0]!;
    sim.control.setFaults({
      script: [
        { kind: "status", status: 503 },
        { kind: "status", status: 429, headers: { "Retry-After": "2" } },
      ],
    });
    const path = `/contacts/search/duplicate?locationId=${loc.id}&email=a%40example.com`;
    const first = await api(sim, path);
    expect(first.status).toBe(503);
    expect(first.body).toEqual({ statusCode: 503, message: "Service Unavailable" });
    const second = await api(sim, path);
    expect(second.status).toBe(429);
    expect(second.headers.get("retry-after")).toBe("2");
    expect((await api(sim, path)).status).toBe(200);
    expect(sim.control.faults().script).toEqual([]);
    expect(sim.control.requestLog().map((r) => r.status)).toEqual([503, 429, 200]);
  });

  it("GHL: drop-after-processing creates the contact but the client gets no answer", async () => {
    sim = await startGhl({ seedContacts: 0 });
    const loc = sim.locations[0]!;
    sim.control.setFaults({ script: [{ kind: "drop-after-processing" }] });
    await expect(
      api(sim, "/contacts/", { body: { locationId: loc.id, firstName: "Lost" } }),
    ).rejects.toThrow();
    expect(sim.control.listContacts(loc.id).map((c) => c.firstName)).toEqual(["Lost"]);
    expect(sim.control.requestLog().filter((r) => r.method === "POST")).toHaveLength(1);
  });

  it("GHL: a stalled request is never processed", async () => {
    sim = await startGhl({ seedContacts: 0 });
    const loc = sim.locations[0]!;
    sim.control.setFaults({ script: [{ kind: "stall" }] });
    const pending = fetch(`${sim.url}/contacts/`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${loc.token}`,
        version: "2021-07-28",
        "content-type": "application/json",
      },
      body: JSON.stringify({ locationId: loc.id, firstName: "Never" }),
      signal: AbortSignal.timeout(500),
    });
    // Never answered. (Node's fetch may not settle on abort while it is still connecting, so race a timer.)
    const outcome = await Promise.race([
      pending.then(
        () => "answered",
        () => "aborted",
      ),
      new Promise((resolve) => setTimeout(() => resolve("no answer"), 3_000)),
    ]);
    expect(outcome).not.toBe("answered");
    expect(sim.control.listContacts(loc.id)).toEqual([]);
    expect(sim.control.requestLog().map((r) => r.status)).toEqual([0]);
  });

  it("BulkSMS: an empty-body 400, a lost answer after a real send, and ids as bare JSON numbers", async () => {
    const h = await startHarness({ idsAsNumbers: true });
    try {
      h.sim.control.setFaults({
        script: [{ kind: "status", status: 400, body: "" }, { kind: "drop-after-processing" }],
      });
      const empty = await h.call("POST", "/messages", [{ to: ["+447700900001"], body: "x" }]);
      expect(empty.status).toBe(400);
      expect(empty.text).toBe("");
      await expect(h.call("POST", "/messages", [{ to: ["+447700900002"], body: "y" }])).rejects.toThrow();
      expect(h.sim.control.sentMessages()).toHaveLength(1); // processed although the answer was lost
      const ok = await h.call("POST", "/messages", [{ to: ["+447700900003"], body: "z" }]);
      expect(ok.status).toBe(201);
      expect(ok.text).toMatch(/^\[\{"id":\d{6,},/); // the message id, unquoted
    } finally {
      await h.close();
    }
  });

  it("validates scripts", () => {
    expect(() => mergeFaults({}, { script: [{ kind: "status", status: 200 }] })).toThrow(/script\[0\]/);
    expect(() => mergeFaults({}, { script: [{ kind: "explode" }] })).toThrow(/script\[0\]/);
    expect(() => mergeFaults({}, { script: "stall" })).toThrow(/expected an array/);
    expect(() => mergeFaults({}, { script: [{ kind: "delay", ms: -1 }] })).toThrow(/script\[0\]/);
    expect(mergeFaults({}, { script: [{ kind: "delay", ms: 5 }] }).script).toEqual([
      { kind: "delay", ms: 5 },
    ]);
    expect(mergeFaults({ script: [{ kind: "stall" }] }, { script: null })).toEqual({});
  });
});
