// One "worker" process of the shared-budget tests and benchmark: it opens the shared store (SQLite file or PostgreSQL), builds
// a GHL client with the shared (store-backed) or the in-process rate limiter, and keeps `concurrency`
// background calls in flight until it has made `requests` of them. Every HTTP answer is counted by status
// at the fetch (a 429 is never retried: maxAttempts 1). Input: one JSON argument; output: one JSON line.
import { createGhlClient, createRateLimiter, type GhlRateLimiter } from "@ghl-bulksms/ghl";
import { createSharedRateLimiter } from "../src/index.js";
import { openSharedStore } from "./open-shared-store.js";

export interface BudgetChildInput {
  ghlUrl: string;
  token: string;
  locationId: string;
  /** The shared database: a SQLite file path or a postgres:// URL (see open-shared-store.ts). */
  database: string;
  keyHex: string;
  limiter: "shared" | "local";
  requests: number;
  concurrency: number;
  /** Real epoch ms at which every child starts sending (so they overlap). */
  startAt: number;
}

export interface BudgetChildOutput {
  statuses: Record<string, number>;
  /** Real epoch ms of the first and the last answer. */
  firstAt: number;
  lastAt: number;
  answers: number[];
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? "{}") as BudgetChildInput;
  const store = await openSharedStore(input.database, input.keyHex);
  const limiter: GhlRateLimiter =
    input.limiter === "shared" ? createSharedRateLimiter({ budget: store.rateBudget }) : createRateLimiter();
  const statuses: Record<string, number> = {};
  const answers: number[] = [];
  const ghl = createGhlClient({
    auth: { kind: "private-integration", token: input.token },
    baseUrl: input.ghlUrl,
    limiter,
    retry: { maxAttempts: 1 },
    fetch: async (request) => {
      const response = await fetch(request);
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      answers.push(Date.now());
      return response;
    },
  });
  await new Promise((r) => setTimeout(r, Math.max(0, input.startAt - Date.now())));
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < input.requests) {
      next++;
      await ghl.contacts.search({ locationId: input.locationId, pageLimit: 1 }, { priority: "background" });
    }
  };
  await Promise.all(Array.from({ length: input.concurrency }, lane));
  if ("settled" in limiter) await (limiter as { settled(): Promise<void> }).settled();
  await store.close();
  const out: BudgetChildOutput = {
    statuses,
    firstAt: answers[0] ?? 0,
    lastAt: answers[answers.length - 1] ?? 0,
    answers,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
