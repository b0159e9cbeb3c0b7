import { openMemoryStore, type Store } from "@ghl-bulksms/store";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type InboxHandlers, inboxProcessJob } from "../src/inbox-dispatch.ts";
import type { JobContext, JobOutcome } from "../src/ports.ts";

let store: Store;
beforeEach(() => {
  store = openMemoryStore();
});
afterEach(() => store.close());

const ctx = (over: Partial<JobContext> = {}): JobContext => ({
  jobId: 1,
  attempt: 1,
  locationId: null,
  finalAttempt: false,
  signal: new AbortController().signal,
  ...over,
});

function handlers(outcome: JobOutcome, calls: string[]): InboxHandlers {
  return {
    ghl: async (i) => {
      calls.push(`ghl:${i.eventType}`);
      return outcome;
    },
    ghlWorkflow: async (i) => {
      calls.push(`wf:${i.eventType}`);
      return outcome;
    },
    bulksms: async (i) => {
      calls.push(`bulksms:${i.eventId}`);
      return outcome;
    },
  };
}

async function insert(source: string, eventId: string, payload = "{}") {
  const r = await store.inbox.insert({ source, eventId, eventType: "ContactCreate", payload });
  if (!r.inserted) throw new Error("dup");
  return r.id;
}

describe("inbox.process", () => {
  it("routes by source, marks processed, and is a no-op once processed", async () => {
    const calls: string[] = [];
    const job = inboxProcessJob(store, handlers({ ok: true }, calls));
    const a = await insert("ghl", "e1");
    const b = await insert("bulksms", "m1:SENT.null");
    const c = await insert("ghl-workflow", "wf:x");
    for (const id of [a, b, c]) expect(await job.handler({ inboxId: id }, ctx())).toEqual({ ok: true });
    expect(calls).toEqual(["ghl:ContactCreate", "bulksms:m1:SENT.null", "wf:ContactCreate"]);
    expect((await store.inbox.get(a))?.status).toBe("processed");
    await job.handler({ inboxId: a }, ctx());
    expect(calls).toHaveLength(3);
  });

  it("keeps the event pending on a retryable error, marks it failed on a permanent one or the final attempt", async () => {
    const calls: string[] = [];
    const retry = inboxProcessJob(
      store,
      handlers({ ok: false, error: { code: "x", message: "later", retryable: true } }, calls),
    );
    const id = await insert("ghl", "e2");
    expect((await retry.handler({ inboxId: id }, ctx())).ok).toBe(false);
    expect((await store.inbox.get(id))?.status).toBe("pending");
    await retry.handler({ inboxId: id }, ctx({ finalAttempt: true }));
    expect((await store.inbox.get(id))?.status).toBe("failed");
    const perm = inboxProcessJob(
      store,
      handlers({ ok: false, error: { code: "bad", message: "no", retryable: false } }, calls),
    );
    const id2 = await insert("ghl", "e3");
    await perm.handler({ inboxId: id2 }, ctx());
    expect(await store.inbox.get(id2)).toMatchObject({ status: "failed", error: "bad: no" });
  });

  it("rejects unknown sources and unparsable payloads permanently", async () => {
    const job = inboxProcessJob(store, handlers({ ok: true }, []));
    const id = await insert("martian", "e4");
    expect(await job.handler({ inboxId: id }, ctx())).toMatchObject({
      ok: false,
      error: { retryable: false },
    });
    const id2 = await insert("ghl", "e5", "{nope");
    expect(await job.handler({ inboxId: id2 }, ctx())).toMatchObject({
      ok: false,
      error: { code: "bad_inbox_event" },
    });
  });
});
