/**
 * Contract test: drives every operation of specs/bulksms/openapi.yaml through success and error paths
 * and checks that every response (status code and body) and every webhook body validates against it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSpecValidator, type SpecValidator } from "./spec-validator.js";
import { basicAuth, type CallResult, type Harness, startHarness } from "./test-harness.js";
import type { BulkSmsMessage, BulkSmsWebhook } from "./types.js";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver.js";

const validator = loadSpecValidator();

// specs/ is part of the repo, so the validator must load: a missing spec is a failure, never a skip.
it("loads specs/bulksms/openapi.yaml", () => {
  expect(validator).not.toBeNull();
});

describe("BulkSMS simulator responses validate against specs/bulksms/openapi.yaml", () => {
  const spec = validator as SpecValidator;
  let h: Harness;
  let rx: WebhookReceiver;
  const seen: { method: string; path: string; status: number; body: unknown }[] = [];
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    init?: { auth?: string | null; raw?: string },
  ): Promise<CallResult> => {
    const r = await h.call(method, path, body, init);
    seen.push({ method, path: path.split("?")[0] ?? path, status: r.status, body: r.body });
    return r;
  };

  beforeAll(async () => {
    h = await startHarness({ credentials: [{ tokenId: "T-01-B", tokenSecret: "s", credits: 50 }] });
    rx = await startWebhookReceiver();
  });
  afterAll(async () => {
    await h.close();
    await rx.close();
  });

  it("every response of a full scenario is declared and valid", async () => {
    const sentHook = (
      await call("POST", "/webhooks", {
        name: "s",
        url: rx.url,
        triggerScope: "SENT",
        invokeOption: "MANY",
      })
    ).body as BulkSmsWebhook;
    await call("POST", "/webhooks", {
      name: "r",
      url: rx.url,
      triggerScope: "RECEIVED",
      contactEmailAddress: "ops@example.com",
    });
    await call("GET", "/webhooks");
    await call("GET", `/webhooks/${sentHook.id}`);
    await call("POST", `/webhooks/${sentHook.id}`, { name: "s2", url: rx.url, triggerScope: "SENT" });
    await call("GET", "/webhooks/999");
    await call("POST", "/webhooks/999", { name: "x", url: rx.url, triggerScope: "SENT" });
    rx.answerTestPosts = false;
    rx.respond(() => 500);
    await call("POST", "/webhooks", { name: "bad", url: rx.url, triggerScope: "SENT" });
    rx.answerTestPosts = true;
    rx.respond(() => 200);
    await call("POST", "/webhooks", { name: 5, url: rx.url });

    const sent = await call("POST", "/messages?deduplication-id=1", [
      {
        to: [{ type: "INTERNATIONAL", address: "+27820000001" }, "+27820000002"],
        body: "Hello €",
        from: { type: "REPLIABLE" },
        userSuppliedId: "u-1",
      },
    ]);
    await call("POST", "/messages", { to: "+441111111", body: "ж", encoding: "UNICODE" });
    await call("POST", "/messages?deduplication-id=1", [{ to: ["+27820000001"], body: "Hello €" }]);
    await call("POST", "/messages", { to: "012", body: "x" });
    await call("POST", "/messages", [{ to: ["+27820000003"], body: "x", userSuppliedId: "x".repeat(21) }]);
    await call("POST", "/messages", [{ to: ["+27820000003"], body: "x" }], {
      auth: basicAuth("T-01-B", "nope"),
    });
    await h.clock.advance(1000);
    h.sim.control.simulateReply({ from: "+27820000001", body: "STOP" });
    await h.clock.advance(4000);
    await h.sim.control.settle();
    h.sim.control.setCredits(0);
    await call("POST", "/messages", [{ to: ["+27820000003"], body: "x" }]);

    const id = (sent.body as BulkSmsMessage[])[0]?.id ?? "";
    await call("GET", "/messages");
    await call("GET", `/messages?filter=${encodeURIComponent("type=SENT&status.type=DELIVERED")}&limit=2`);
    await call("GET", `/messages?filter=${encodeURIComponent("bogus=1")}`);
    await call("GET", `/messages/${id}`);
    await call("GET", "/messages/42");
    await call("GET", "/messages/abc");
    await call("GET", `/messages/${id}/relatedReceivedMessages`);
    await call("GET", "/profile");
    await call("GET", "/profile", undefined, { auth: null });
    await call("POST", "/blocked-numbers", ["+27820000009"]);
    await call("POST", "/blocked-numbers", ["nope"]);
    await call("GET", "/blocked-numbers?min-id=0&limit=10");
    await call("DELETE", `/webhooks/${sentHook.id}`);
    await call("DELETE", `/webhooks/${sentHook.id}`);

    const statuses = new Set(seen.map((s) => `${s.method} ${s.status}`));
    for (const expected of [
      "POST 201",
      "POST 400",
      "POST 401",
      "POST 403",
      "GET 200",
      "GET 404",
      "GET 400",
      "GET 401",
      "DELETE 200",
      "DELETE 404",
    ]) {
      expect(statuses, expected).toContain(expected);
    }
    const failures = seen
      .map((s) => ({ ...s, errors: spec.validateResponse(s.method, s.path, s.status, s.body) }))
      .filter((s) => s.errors.length > 0)
      .map((s) => `${s.method} ${s.path} ${s.status}: ${s.errors.join("; ")}`);
    expect(failures).toEqual([]);

    const webhookBodies = rx.requests.map((r) => r.body);
    expect(webhookBodies.some((b) => Array.isArray(b) && b.length > 0)).toBe(true);
    expect(webhookBodies.flatMap((b) => spec.validateSchema("WebhookBody", b))).toEqual([]);
  });

  it("rejects requests that do not validate against the spec with a 400 problem", async () => {
    const r = await h.call("POST", "/messages", [{ to: ["+27820000003"], body: "x", encoding: "EBCDIC" }]);
    expect(r.status).toBe(400);
    expect((r.body as { detail: string }).detail).toMatch(/encoding|Invalid request body/);
    const w = await h.call("POST", "/webhooks", {
      name: "n",
      url: rx.url,
      triggerScope: "SENT",
      invokeOption: "ALL",
    });
    expect(w.status).toBe(400);
  });
});
