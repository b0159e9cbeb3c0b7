import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GhlSimulator } from "../src/ghl/simulator.ts";
import { api, startGhl } from "./helpers.ts";

let sim: GhlSimulator;
beforeEach(async () => {
  sim = await startGhl();
});
afterEach(async () => {
  await sim.close();
});

const client = () => ({ client_id: sim.tokens.clientId, client_secret: sim.tokens.clientSecret });
const search = (token: string) =>
  api(sim, "/contacts/search", { token, body: { locationId: sim.locations[0]!.id, pageLimit: 1 } });

describe("OAuth", () => {
  it("exchanges a code once; the access token expires after 24 h of sandbox time", async () => {
    const code = sim.control.issueAuthorizationCode({ locationId: sim.locations[0]!.id });
    const res = await api(sim, "/oauth/token", {
      token: null,
      version: null,
      form: { ...client(), grant_type: "authorization_code", code },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      token_type: "Bearer",
      expires_in: 86399,
      userType: "Location",
      locationId: sim.locations[0]!.id,
    });
    const again = await api(sim, "/oauth/token", {
      token: null,
      version: null,
      form: { ...client(), grant_type: "authorization_code", code },
    });
    expect(again.status).toBe(400);
    expect((await search(res.body.access_token)).status).toBe(200);
    await sim.control.advanceClock(86_398_000);
    expect((await search(res.body.access_token)).status).toBe(200);
    await sim.control.advanceClock(2_000);
    const expired = await search(res.body.access_token);
    expect(expired.status).toBe(401);
    expect(expired.body.message).toBe("Invalid token: access token is invalid");
  });

  it("rotates single-use refresh tokens; reusing one is GHL's Invalid grant 400", async () => {
    const code = sim.control.issueAuthorizationCode({ locationId: sim.locations[0]!.id });
    const first = (
      await api(sim, "/oauth/token", {
        token: null,
        version: null,
        form: { ...client(), grant_type: "authorization_code", code },
      })
    ).body;
    const refresh = (rt: string) =>
      api(sim, "/oauth/token", {
        token: null,
        version: null,
        form: { ...client(), grant_type: "refresh_token", refresh_token: rt, user_type: "Location" },
      });
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    const reused = await refresh(first.refresh_token);
    expect(reused.status).toBe(400);
    expect(reused.body).toEqual({ statusCode: 400, message: "Invalid grant: refresh token is invalid" });
    expect((await refresh(second.body.refresh_token)).status).toBe(200);
    const missing = await api(sim, "/oauth/token", {
      token: null,
      version: null,
      form: { client_id: "x", grant_type: "refresh_token" },
    });
    expect(missing.status).toBe(400);
  });

  it("private integration tokens work; read-only tokens get 401 on writes", async () => {
    const loc = sim.locations[0]!;
    expect(loc.token.startsWith("pit-")).toBe(true);
    expect((await search(loc.readOnlyToken)).status).toBe(200);
    const write = await api(sim, "/contacts/", {
      token: loc.readOnlyToken,
      body: { locationId: loc.id, firstName: "X" },
    });
    expect(write.status).toBe(401);
    expect(write.body.message).toBe("The token is not authorized for this scope.");
    const limited = sim.control.issueAuthorizationCode({ locationId: loc.id, scopes: ["contacts.readonly"] });
    const t = (
      await api(sim, "/oauth/token", {
        token: null,
        version: null,
        form: { ...client(), grant_type: "authorization_code", code: limited },
      })
    ).body;
    const msg = await api(sim, "/conversations/messages", {
      token: t.access_token,
      body: { type: "SMS", subType: "SMS", contactId: "x", status: "pending" },
    });
    expect(msg.status).toBe(401);
  });

  it("a location token used for another location is answered 403 Forbidden (not 401)", async () => {
    const [mine, other] = [sim.locations[0]!, sim.locations[1]!];
    const res = await api(sim, "/contacts/search", {
      token: mine.token,
      body: { locationId: other.id, pageLimit: 1 },
    });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      statusCode: 403,
      message: "The token does not have access to this location.",
      error: "Forbidden",
    });
    expect(sim.control.contractViolations()).toEqual([]);
  });

  it("an agency token mints location tokens; a location token cannot", async () => {
    const loc = sim.locations[1]!;
    const res = await api(sim, "/oauth/locationToken", {
      token: sim.tokens.agency,
      form: { companyId: sim.tokens.companyId, locationId: loc.id },
    });
    expect(res.status).toBe(200);
    expect(res.body.locationId).toBe(loc.id);
    const ok = await api(sim, "/contacts/search", {
      token: res.body.access_token,
      body: { locationId: loc.id, pageLimit: 1 },
    });
    expect(ok.status).toBe(200);
    const denied = await api(sim, "/oauth/locationToken", {
      token: loc.token,
      form: { companyId: sim.tokens.companyId, locationId: loc.id },
    });
    expect(denied.status).toBe(401);
  });
});
