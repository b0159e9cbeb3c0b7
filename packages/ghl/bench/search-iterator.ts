// pnpm bench: walk 200,000 generated contacts through searchContactsIterator and report time and heap.
// Pages come from an injected fetch that answers like GHL's search (page window 10,000, then
// searchAfter), so the figures are the client's own cost; a stepping clock makes the 100 req / 10 s
// limiter cost no real time. (The sandbox simulator is the end-to-end check: see src/integration.)
import { createGhlClient } from "../src/client/create-ghl-client.js";
import { createSteppingClock } from "../src/test-support/fake-clock.js";
import { createFakeFetch, json } from "../src/test-support/fake-fetch.js";

const TOTAL = Number(process.env.BENCH_CONTACTS ?? 200_000);
const bodies: Array<{ page?: number; searchAfter?: [number, string]; pageLimit: number }> = [];
const { fetch } = createFakeFetch((req) => {
  const b = JSON.parse(req.body) as { page?: number; searchAfter?: [number, string]; pageLimit: number };
  bodies.push(b);
  if (!b.searchAfter && (b.page ?? 1) * b.pageLimit > 10_000) {
    return json(422, { statusCode: 422, message: ["page window exceeded"] });
  }
  const start = b.searchAfter ? b.searchAfter[0] + 1 : ((b.page ?? 1) - 1) * b.pageLimit;
  const contacts = [];
  for (let i = start; i < Math.min(TOTAL, start + b.pageLimit); i++) {
    contacts.push({ id: `contact-${i}`, locationId: "loc", searchAfter: [i, `contact-${i}`] });
  }
  return json(200, { contacts, total: TOTAL });
});
const clock = createSteppingClock();
const client = createGhlClient({
  auth: { kind: "private-integration", token: "pit" },
  fetch,
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
  if (!page.ok) throw new Error(page.error.message);
  count += page.contacts.length;
  peak = Math.max(peak, process.memoryUsage().heapUsed);
}
const ms = performance.now() - started;
console.log(
  JSON.stringify({
    contacts: count,
    requests: bodies.length,
    switchedToSearchAfterAt: bodies.findIndex((b) => b.searchAfter) + 1,
    realMs: Math.round(ms),
    heapStartMb: +(heapStart / 1e6).toFixed(1),
    heapPeakMb: +(peak / 1e6).toFixed(1),
    limiterWaits: client.limiter.stats().waits,
  }),
);
if (count !== TOTAL) process.exit(1);
