import { afterEach, describe, expect, it } from "vitest";
import { type OAuthCallback, type OAuthCallbackRefusal, startOAuthCallback } from "./oauth-callback.js";

let open: OAuthCallback | null = null;
afterEach(() => {
  open?.close();
  open = null;
});

async function start(timeoutMs = 20_000) {
  const refused: OAuthCallbackRefusal[] = [];
  const r = await startOAuthCallback({ port: 0, timeoutMs, onRefused: (x) => refused.push(x) });
  if (!r.ok) throw new Error(r.error.message);
  open = r.callback;
  return { cb: r.callback, refused };
}

async function hit(cb: OAuthCallback, query: string) {
  const res = await fetch(`${cb.redirectUri}${query}`);
  return { status: res.status, text: await res.text() };
}

describe("OAuth callback", () => {
  it("refuses callbacks without state or with another state, keeps waiting, then takes the right one", async () => {
    const { cb, refused } = await start();
    expect(cb.state).toMatch(/^[0-9a-f]{32}$/);
    let done = false;
    void cb.result.then(() => {
      done = true;
    });
    const none = await hit(cb, "?code=attacker-code");
    expect(none.status).toBe(400);
    expect(none.text).toContain("no state");
    const empty = await hit(cb, "?code=attacker-code&state=");
    expect(empty.status).toBe(400);
    const wrong = await hit(cb, `?code=attacker-code&state=${"0".repeat(32)}`);
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain("does not match");
    const prefix = await hit(cb, `?code=attacker-code&state=${cb.state.slice(0, 31)}`);
    expect(prefix.status).toBe(400);
    const errorWrong = await hit(cb, "?error=access_denied&state=nope");
    expect(errorWrong.status).toBe(400);
    expect(refused).toEqual(["no_state", "no_state", "wrong_state", "wrong_state", "wrong_state"]);
    expect(done).toBe(false); // still waiting
    const ok = await hit(cb, `?code=the-real-code&state=${cb.state}`);
    expect(ok.status).toBe(200);
    expect(await cb.result).toEqual({ ok: true, code: "the-real-code" });
  });

  it("the state is single-use: a second callback with it is refused, even before the server closes", async () => {
    const { cb, refused } = await start();
    const url = `${cb.redirectUri}?code=first&state=${cb.state}`;
    // two requests on one keep-alive-less burst: the first wins, the second is refused or finds it closed
    const [a, b] = await Promise.allSettled([fetch(url), fetch(url.replace("first", "second"))]);
    const statuses = [a, b].map((x) => (x.status === "fulfilled" ? x.value.status : "closed"));
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 200).every((s) => s === 410 || s === "closed")).toBe(true);
    const r = await cb.result;
    expect(r.ok).toBe(true);
    if (statuses.includes(410)) expect(refused).toEqual(["already_used"]);
    await expect(fetch(url)).rejects.toThrow(); // closed afterwards
  });

  it("an error from GHL with the right state ends the wait with a clear reason", async () => {
    const { cb } = await start();
    const res = await hit(cb, `?error=access_denied&error_description=user%20said%20no&state=${cb.state}`);
    expect(res.status).toBe(400);
    expect(await cb.result).toEqual({
      ok: false,
      reason: "denied",
      message: "GHL answered the login with an error: access_denied (user said no)",
    });
  });

  it("ends with a timeout result when no right callback arrives, and stops listening", async () => {
    const { cb } = await start(300);
    await hit(cb, "?code=x");
    const r = await cb.result;
    expect(r).toMatchObject({ ok: false, reason: "timeout" });
    await expect(fetch(`${cb.redirectUri}?state=${cb.state}&code=late`)).rejects.toThrow();
  });

  it("unknown paths are 404 and do not count as a callback", async () => {
    const { cb, refused } = await start();
    const res = await fetch(cb.redirectUri.replace("/oauth/callback", "/favicon.ico"));
    expect(res.status).toBe(404);
    expect(refused).toEqual([]);
  });

  it("reports a port it cannot listen on as data", async () => {
    const { cb } = await start();
    const port = Number(new URL(cb.redirectUri).port);
    const r = await startOAuthCallback({ port, timeoutMs: 1000 });
    expect(r).toMatchObject({ ok: false, error: { code: "listen_failed" } });
  });
});
