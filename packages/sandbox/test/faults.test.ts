import { afterEach, describe, expect, it, vi } from "vitest";
import { mergeFaults, parseFaultSpec, pickRequestFault } from "../src/faults.ts";
import type { GhlSimulator } from "../src/ghl/simulator.ts";
import { createRng } from "../src/rng.ts";
import { api, startGhl, startReceiver } from "./helpers.ts";

let sim: GhlSimulator | undefined;
let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
afterEach(async () => {
  await sim?.close();
  await receiver?.close();
  sim = undefined;
  receiver = undefined;
});

const dup = (s: GhlSimulator) =>
  api(s, `/contacts/search/duplicate?locationId=${s.locations[0]!.id}&email=a%40example.com`);

describe("request faults", () => {
  it("answers a share of requests with 5xx, deterministically per seed", async () => {
    sim = await startGhl({ faults: { errorRate: 0.5 } });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await dup(sim)).status);
    const errors = statuses.filter((s) => s >= 500).length;
    expect(errors).toBeGreaterThan(8);
    expect(errors).toBeLessThan(32);
    expect(statuses.filter((s) => s === 200).length).toBe(40 - errors);
    const decide = (seed: string) => {
      const rng = createRng(seed);
      return Array.from(
        { length: 50 },
        () => pickRequestFault({ errorRate: 0.3, rateLimitRate: 0.3 }, rng, 0)?.kind ?? "none",
      );
    };
    expect(decide("a")).toEqual(decide("a"));
    expect(decide("a")).not.toEqual(decide("b"));
  });

  it("429 share, and a 429 storm that ends on the sandbox clock", async () => {
    sim = await startGhl({ faults: { rateLimitRate: 1 } });
    expect((await dup(sim)).status).toBe(429);
    sim.control.setFaults({ rateLimitRate: 0 });
    expect((await dup(sim)).status).toBe(200);
    sim.control.startRateLimitStorm(30_000);
    expect((await dup(sim)).status).toBe(429);
    expect((await dup(sim)).status).toBe(429);
    await sim.control.advanceClock(30_000);
    expect((await dup(sim)).status).toBe(200);
  });

  it("adds latency", async () => {
    sim = await startGhl({ faults: { latencyMs: 120 } });
    const t = Date.now();
    await dup(sim);
    expect(Date.now() - t).toBeGreaterThanOrEqual(110);
  });

  it("stalls a connection (accepted, never answered) and close() still returns", async () => {
    sim = await startGhl({ faults: { stallRate: 1 } });
    // Node's fetch may not settle on abort while it is still connecting, so race a timer as well.
    const outcome = await Promise.race([
      fetch(`${sim.url}/contacts/search/duplicate?locationId=x`, { signal: AbortSignal.timeout(300) }).then(
        () => "answered",
        () => "aborted",
      ),
      new Promise((resolve) => setTimeout(() => resolve("no answer"), 3_000)),
    ]);
    expect(outcome).not.toBe("answered");
    await vi.waitFor(() => expect(sim?.control.requestLog().filter((r) => r.status === 0)).toHaveLength(1));
    const stalled = sim.control.requestLog().filter((r) => r.status === 0);
    expect(stalled).toHaveLength(1);
    await sim.close();
    sim = undefined;
  });

  it("control routes are never faulted", async () => {
    sim = await startGhl({ faults: { errorRate: 1 } });
    const res = await fetch(`${sim.url}/__sandbox/state`);
    expect(res.status).toBe(200);
  });

  it("parses and validates fault specs", () => {
    expect(parseFaultSpec("latency=50,error=0.1,429=0.2,stall=0.01,drop=0.1,dup=0.2,reorder=0.3")).toEqual({
      latencyMs: 50,
      errorRate: 0.1,
      rateLimitRate: 0.2,
      stallRate: 0.01,
      webhookDropRate: 0.1,
      webhookDuplicateRate: 0.2,
      webhookReorderRate: 0.3,
    });
    expect(() => parseFaultSpec("error=2")).toThrow(/share between 0 and 1/);
    expect(() => parseFaultSpec("bogus=1")).toThrow(/bogus/);
    expect(() => mergeFaults({}, { errorRate: -1 })).toThrow(/errorRate/);
    expect(() => mergeFaults({}, { nope: 1 })).toThrow(/unknown key "nope"/);
  });
});

describe("webhook faults", () => {
  it("drops, duplicates and reorders deliveries, and the log says so", async () => {
    receiver = await startReceiver();
    sim = await startGhl({ webhookUrl: receiver.url, faults: { webhookDropRate: 1 } });
    const loc = sim.locations[0]!;
    sim.control.createContact(loc.id, { firstName: "dropped" });
    await sim.control.flushWebhooks();
    expect(receiver.received).toHaveLength(0);
    expect(sim.control.webhookDeliveries()[0]?.outcome).toBe("dropped");

    sim.control.setFaults({ webhookDropRate: 0, webhookDuplicateRate: 1 });
    sim.control.createContact(loc.id, { firstName: "twice" });
    await sim.control.flushWebhooks();
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[0]?.json.webhookId).toBe(receiver.received[1]?.json.webhookId);

    sim.control.setFaults({ webhookDuplicateRate: 0, webhookReorderRate: 1 });
    const a = sim.control.createContact(loc.id, { firstName: "first" });
    sim.control.setFaults({ webhookReorderRate: 0 });
    const b = sim.control.createContact(loc.id, { firstName: "second" });
    await sim.control.flushWebhooks();
    const order = receiver.received.slice(2).map((r) => r.json.id);
    expect(order).toEqual([b.id, a.id]);
    expect(sim.control.webhookDeliveries().find((d) => d.body.includes(a.id))?.faults).toEqual([
      "held",
      "released",
    ]);
  });
});
