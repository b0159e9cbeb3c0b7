import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBulkSmsControlClient } from "./control-client.js";
import { type Harness, startHarness } from "./test-harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe("createBulkSmsControlClient", () => {
  it("drives the simulator over HTTP", async () => {
    const c = createBulkSmsControlClient(h.sim.url);
    await h.call("POST", "/messages", { to: "+27821234567", body: "hi" });
    expect((await c.sentMessages()).map((m) => m.to)).toEqual(["27821234567"]);
    await c.setNumberOutcome("+27821234567", "HANDSET_ERROR");
    await c.advance(5000);
    expect((await c.messages({ status: "FAILED" })).map((m) => m.status.id)).toEqual([
      "FAILED.HANDSET_ERROR",
    ]);
    const reply = await c.simulateReply({ from: "+27821234567", body: "STOP" });
    expect(reply.relatedSentMessageId).toBe((await c.sentMessages())[0]?.id);
    expect(await c.addBlocked(["+27820000001"])).toEqual(["27821234567", "27820000001"]);
    expect(await c.setCredits(3)).toBe(3);
    expect(await c.setFaults({ latencyMs: 5 })).toEqual({ latencyMs: 5 });
    expect(await c.deliveryLog()).toEqual([]);
    await c.settle();
    await c.reset();
    expect(await c.sentMessages()).toEqual([]);
    expect(h.sim.control.credits()).toBe(1000);
    await expect(c.setCredits(-1)).rejects.toThrow(/400/);
  });
});
