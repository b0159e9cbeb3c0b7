/**
 * submitBatch against the sandbox's BulkSMS simulator: many personalised texts in ONE request, and the
 * simulator honours the deduplication id for the whole request (a repeat sends nothing and answers with
 * the first reply), as BulkSMS documents.
 */
import { DEFAULT_BULKSMS_CREDENTIAL, startBulkSmsSimulator } from "@ghl-bulksms/sandbox";
import { describe, expect, it } from "vitest";
import { createBulkSmsClient } from "../client.js";

describe("submitBatch", () => {
  it("sends every entry with its own body in one request; a repeat with the same id sends nothing", async () => {
    const sim = await startBulkSmsSimulator();
    try {
      const client = createBulkSmsClient({
        tokenId: DEFAULT_BULKSMS_CREDENTIAL.tokenId,
        tokenSecret: DEFAULT_BULKSMS_CREDENTIAL.tokenSecret,
        baseUrl: sim.url,
      });
      const messages = [
        { to: "+447400900001", body: "Hi Ann", userSuppliedId: "m1" },
        { to: "+447400900002", body: "Hi Bob – it’s on", userSuppliedId: "m2" },
        { to: "+447400900003", body: "Hi Zoë 😀", userSuppliedId: "m3" },
      ];
      const first = await client.submitBatch({ deduplicationId: 77, messages });
      expect(first.ok).toBe(true);
      const again = await client.submitBatch({ deduplicationId: 77, messages });
      expect(again).toEqual(first);
      const sent = sim.control.sentMessages();
      expect(sent.map((m) => [m.to, m.body, m.encoding, m.userSuppliedId, m.deduplicationId])).toEqual([
        ["447400900001", "Hi Ann", "TEXT", "m1", 77],
        ["447400900002", "Hi Bob - it's on", "TEXT", "m2", 77],
        ["447400900003", "Hi Zoë 😀", "UNICODE", "m3", 77],
      ]);
      // another id is another request: it sends
      await client.submitBatch({ deduplicationId: 78, messages: messages.slice(0, 1) });
      expect(sim.control.sentMessages()).toHaveLength(4);
      // refused locally: too many, or not E.164
      const tooMany = await client.submitBatch({
        deduplicationId: 79,
        messages: Array.from({ length: 4001 }, (_, i) => ({
          to: "+447400900001",
          body: "x",
          userSuppliedId: `u${i}`,
        })),
      });
      expect(tooMany).toMatchObject({ ok: false, error: { code: "invalid_input" } });
      const national = await client.submitBatch({
        deduplicationId: 79,
        messages: [{ to: "07400 900001", body: "x", userSuppliedId: "u" }],
      });
      expect(national).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    } finally {
      await sim.close();
    }
  });
});
