// AppInstall mints and stores the location token from the agency token; AppUninstall stops the location.
import { createGhlClient } from "@ghl-bulksms/ghl";
import { afterEach, describe, expect, it } from "vitest";
import { createEngine } from "../src/index.js";
import { drainJobs, ingestEvent } from "../src/testing/index.js";
import { type Harness, startHarness } from "./harness.js";

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe("app lifecycle", () => {
  it("INSTALL registers the location and stores a token minted from the agency token (encrypted store)", async () => {
    h = await startHarness();
    const { sandbox, store } = h;
    const t = sandbox.ghl.tokens;
    await store.tokens.save(t.companyId, {
      accessToken: t.agency,
      refreshToken: null,
      expiresAt: sandbox.clock.now() + 365 * 86400_000,
      userType: "Company",
      companyId: t.companyId,
    });
    const oauthClient = createGhlClient({
      auth: { kind: "oauth", clientId: t.clientId, clientSecret: t.clientSecret, companyId: t.companyId },
      tokenStore: store.tokens,
      baseUrl: sandbox.ghl.url,
      now: () => sandbox.clock.now(),
    });
    const engine = createEngine({
      store,
      ghl: () => oauthClient,
      sms: h.engine.deps.sms,
      now: () => sandbox.clock.now(),
    });
    const locationId = h.locationId;
    await store.locations.setActive(locationId, false);
    await ingestEvent(store, {
      source: "ghl",
      eventId: "install-1",
      eventType: "INSTALL",
      locationId,
      payload: { type: "INSTALL", appId: "app", companyId: t.companyId, locationId, companyName: "Acme" },
    });
    const run = await drainJobs(engine);
    expect(run.failures).toEqual([]);
    expect(run.ran["ghl.install"]).toBe(1);
    expect((await store.locations.get(locationId))?.active).toBe(true);
    const saved = await store.tokens.load<{ accessToken: string; userType: string }>(locationId);
    expect(saved?.userType).toBe("Location");
    // the minted token works
    const r = await oauthClient.contacts.search({ locationId, pageLimit: 1 });
    expect(r.ok).toBe(true);
    expect(
      (await store.audit.list({ vendor: "ghl" })).some(
        (a) => a.operation === "oauth.locationToken" && a.resultStatus === "ok",
      ),
    ).toBe(true);
  });

  it("UNINSTALL deactivates the location, cancels queued sends and deletes its tokens", async () => {
    h = await startHarness({ config: { defaults: { welcome: { enabled: true, delayMs: 3600_000 } } } });
    const { store, locationId } = h;
    const c = h.sandbox.ghl.control.createContact(locationId, { firstName: "U", phone: "07400 123001" });
    await h.settle();
    await store.tokens.save(locationId, {
      accessToken: "x",
      refreshToken: null,
      expiresAt: 0,
      userType: "Location",
    });
    await ingestEvent(store, {
      source: "ghl",
      eventId: "uninstall-1",
      eventType: "UNINSTALL",
      locationId,
      payload: { type: "UNINSTALL", appId: "app", locationId },
    });
    await h.settle();
    expect((await store.locations.get(locationId))?.active).toBe(false);
    expect(await store.tokens.load(locationId)).toBeNull();
    expect((await store.messages.getByKey(`welcome:${locationId}:${c.id}`))?.status).toBe("CANCELLED");
    // events for the stopped location are ignored
    h.sandbox.ghl.control.createContact(locationId, { firstName: "V", phone: "07400 123002" });
    await h.advance(2 * 3600_000);
    expect(h.sandbox.bulksms.control.sentMessages()).toHaveLength(0);
  });
});
