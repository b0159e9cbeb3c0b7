// The engine never registers a location from a workflow webhook, whatever autoRegisterLocations says; a
// signed marketplace event still may, and AppInstall always does.
import type { BulkSmsClient } from "@ghl-bulksms/bulksms";
import type { GhlClient } from "@ghl-bulksms/ghl";
import { openMemoryStore } from "@ghl-bulksms/store";
import { describe, expect, it } from "vitest";
import { parseEngineConfig } from "../core/config.js";
import type { EngineDeps } from "../core/deps.js";
import { silentLogger } from "../core/logger.js";
import { dispatchGhlEvent } from "../ghl-events/dispatch-ghl-event.js";
import { createInboxHandlers } from "../inbox-handlers.js";

function depsWith(autoRegisterLocations: boolean): EngineDeps {
  const unreachable = () => {
    throw new Error("no vendor call expected in this test");
  };
  return {
    store: openMemoryStore(),
    ghl: unreachable as unknown as (id: string) => GhlClient,
    sms: new Proxy({}, { get: unreachable }) as BulkSmsClient,
    config: parseEngineConfig({ autoRegisterLocations }),
    now: () => Date.UTC(2026, 10, 25, 12),
    logger: silentLogger,
  };
}

const contactEvent = (locationId: string) => ({
  type: "ContactCreate",
  locationId,
  id: "c-1",
  firstName: "Ada",
  phone: "+447911123456",
  tags: [],
});

const context = {
  jobId: 1,
  attempt: 1,
  locationId: null,
  finalAttempt: false,
  signal: new AbortController().signal,
};

describe("workflow events and unknown locations", () => {
  it("a workflow event for an unknown location fails permanently and registers nothing", async () => {
    const deps = depsWith(true);
    const handlers = createInboxHandlers(deps);
    const outcome = await handlers.ghlWorkflow(
      {
        inboxId: 1,
        source: "ghl-workflow",
        eventId: "wf:1",
        eventType: "ContactCreate",
        locationId: "phantom",
        payload: contactEvent("phantom"),
        receivedAt: deps.now(),
      },
      context,
    );
    expect(outcome).toMatchObject({ ok: false, error: { code: "unknown_location", retryable: false } });
    expect(await deps.store.locations.list()).toEqual([]);
  });

  it("a signed INSTALL registers its location (workflow or not, the install path is unchanged)", async () => {
    const deps = depsWith(false);
    const outcome = await dispatchGhlEvent(deps, { type: "INSTALL", locationId: "loc-new" }, "ghl:install-1");
    expect(outcome).toEqual({ ok: true });
    expect(await deps.store.locations.get("loc-new")).toMatchObject({ active: true });
  });
});
