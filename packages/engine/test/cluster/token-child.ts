// One "worker" process of the token-refresh race: the OAuth app's GHL client on the shared store's tokens
// (store.tokens: load / save / withLock). At `startAt` it makes `calls` concurrent contact searches; the
// token it finds is expired, so it must refresh first. Prints how many calls succeeded and how many token
// refreshes this process sent. Input: one JSON argument; output: one JSON line.
import { createGhlClient } from "@ghl-bulksms/ghl";
import { openSharedStore } from "../../bench/open-shared-store.js";

export interface TokenChildInput {
  ghlUrl: string;
  clientId: string;
  clientSecret: string;
  locationId: string;
  /** The shared database: a SQLite file path or a postgres:// URL (see open-shared-store.ts). */
  database: string;
  keyHex: string;
  calls: number;
  startAt: number;
}

export interface TokenChildOutput {
  ok: number;
  failed: string[];
  refreshesSent: number;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? "{}") as TokenChildInput;
  const store = await openSharedStore(input.database, input.keyHex);
  let refreshesSent = 0;
  const ghl = createGhlClient({
    auth: { kind: "oauth", clientId: input.clientId, clientSecret: input.clientSecret },
    tokenStore: store.tokens,
    baseUrl: input.ghlUrl,
    fetch: async (request) => {
      if (new URL(request.url).pathname === "/oauth/token") {
        refreshesSent++;
        // a slow token endpoint widens the race window
        await new Promise((r) => setTimeout(r, 200));
      }
      return fetch(request);
    },
  });
  await new Promise((r) => setTimeout(r, Math.max(0, input.startAt - Date.now())));
  const results = await Promise.all(
    Array.from({ length: input.calls }, () =>
      ghl.contacts.search({ locationId: input.locationId, pageLimit: 1 }),
    ),
  );
  await store.close();
  const out: TokenChildOutput = {
    ok: results.filter((r) => r.ok).length,
    failed: results.flatMap((r) => (r.ok ? [] : [r.error.code])),
    refreshesSent,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
