import { afterEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../src/sandbox.ts";
import { api } from "./helpers.ts";

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

describe("startSandbox", () => {
  it("starts both simulators on one shared clock", async () => {
    sandbox = await startSandbox({ seedContacts: 3, clockStart: Date.parse("2026-05-01T00:00:00Z") });
    const { ghl, bulksms, clock } = sandbox;
    expect(ghl.clock).toBe(clock);
    expect(bulksms.clock).toBe(clock);
    expect(ghl.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(bulksms.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(ghl.control.listContacts(ghl.locations[0]!.id)).toHaveLength(3);
    const before = clock.now();
    await ghl.control.advanceClock(5_000);
    expect(clock.now() - before).toBeGreaterThanOrEqual(5_000);
    const search = await api(ghl, "/contacts/search", {
      body: { locationId: ghl.locations[0]!.id, pageLimit: 10 },
    });
    expect(search.body.total).toBe(3);
    const cred = bulksms.credentials[0]!;
    const profile = await fetch(`${bulksms.url}/profile`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${cred.tokenId}:${cred.tokenSecret}`).toString("base64")}`,
      },
    });
    expect(profile.status).toBe(200);
    sandbox.reset();
    expect(ghl.control.listContacts(ghl.locations[0]!.id)).toHaveLength(3);
  });

  it("passes per-server faults and reports an unreachable BulkSMS webhook target as a warning", async () => {
    sandbox = await startSandbox({
      faults: { ghl: { errorRate: 1 } },
      webhookTargets: { bulksms: "http://127.0.0.1:9/none" },
    });
    expect((await api(sandbox.ghl, `/contacts/x`)).status).toBeGreaterThanOrEqual(500);
    expect(sandbox.warnings.length).toBe(2);
    expect(sandbox.warnings[0]).toMatch(/SENT webhook/);
  });
});
