// pnpm bench: walk 200,000 generated contacts through searchContactsIterator and report time and heap.
// The server and the client share a fast virtual clock so the 100 req / 10 s limit costs no real time.
import { createGhlClient } from "../src/client/create-ghl-client.js";
import { createFakeClock } from "../src/test-support/fake-clock.js";
import { startGhlTestServer } from "../src/test-support/ghl-test-server.js";

const TOTAL = Number(process.env.BENCH_CONTACTS ?? 200_000);
const clock = createFakeClock({ speed: 20 });
const server = await startGhlTestServer({ now: clock.now, searchTotal: TOTAL });
server.accessTokens.set("pit", { locationId: "loc", expiresAt: Number.POSITIVE_INFINITY });
const client = createGhlClient({
  auth: { kind: "private-integration", token: "pit" },
  baseUrl: server.url,
  now: clock.now,
  sleep: clock.sleep,
});

const started = performance.now();
const heapStart = process.memoryUsage().heapUsed;
let peak = heapStart;
let count = 0;
for await (const page of client.searchContactsIterator(
  { locationId: "loc", pageLimit: 500 },
  { priority: "background" },
)) {
  if (!page.ok) throw page.error;
  count += page.contacts.length;
  peak = Math.max(peak, process.memoryUsage().heapUsed);
}
const ms = performance.now() - started;
await server.close();
console.log(
  JSON.stringify({
    contacts: count,
    requests: server.stats.searchBodies.length,
    switchedToSearchAfterAt: server.stats.searchBodies.findIndex((b) => b.searchAfter) + 1,
    tooManyRequests: server.stats.tooManyRequests,
    realMs: Math.round(ms),
    heapStartMb: +(heapStart / 1e6).toFixed(1),
    heapPeakMb: +(peak / 1e6).toFixed(1),
    limiterWaits: client.limiter.stats().waits,
  }),
);
if (count !== TOTAL) process.exit(1);
