import { afterEach, describe, expect, it } from "vitest";
import type { GhlSimulator } from "../src/ghl/simulator.ts";
import { api, startGhl } from "./helpers.ts";

let sim: GhlSimulator | undefined;
afterEach(async () => {
  await sim?.close();
});

describe("rate limits (per location, sandbox clock)", () => {
  it("allows 100 requests per 10 s with X-RateLimit headers, then 429 until the window passes", async () => {
    sim = await startGhl();
    const loc = sim.locations[0]!;
    const get = () => api(sim!, `/contacts/search/duplicate?locationId=${loc.id}&email=a%40example.com`);
    const first = await get();
    expect(first.headers.get("x-ratelimit-max")).toBe("100");
    expect(first.headers.get("x-ratelimit-remaining")).toBe("99");
    expect(first.headers.get("x-ratelimit-interval-milliseconds")).toBe("10000");
    expect(first.headers.get("x-ratelimit-limit-daily")).toBe("200000");
    expect(first.headers.get("x-ratelimit-daily-remaining")).toBe("199999");
    for (let i = 0; i < 99; i++) expect((await get()).status).toBe(200);
    const limited = await get();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    // Another location has its own bucket.
    const other = sim.locations[1]!;
    expect(
      (
        await api(sim, `/contacts/search/duplicate?locationId=${other.id}&email=a%40example.com`, {
          token: other.token,
        })
      ).status,
    ).toBe(200);
    await sim.control.advanceClock(10_000);
    expect((await get()).status).toBe(200);
  });

  it("enforces the daily budget and resets it after 24 h", async () => {
    sim = await startGhl({ rateLimit: { dailyMax: 3 } });
    const loc = sim.locations[0]!;
    const get = () => api(sim!, `/contacts/search/duplicate?locationId=${loc.id}&email=a%40example.com`);
    for (let i = 0; i < 3; i++) expect((await get()).status).toBe(200);
    await sim.control.advanceClock(60_000);
    const over = await get();
    expect(over.status).toBe(429);
    expect(over.headers.get("x-ratelimit-daily-remaining")).toBe("0");
    await sim.control.advanceClock(24 * 3600 * 1000);
    expect((await get()).status).toBe(200);
  });
});
