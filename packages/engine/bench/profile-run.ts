// Ad-hoc: profile one full reconcile of already-mirrored contacts (node --cpu-prof).
import { randomBytes } from "node:crypto";
import { createBulkSmsClient } from "@ghl-bulksms/bulksms";
import { createGhlClient } from "@ghl-bulksms/ghl";
import { startSandbox } from "@ghl-bulksms/sandbox";
import { openMemoryStore } from "@ghl-bulksms/store";
import { createEngine, parseLifecycleConfig, reconcile, registerLocation } from "../src/index.js";

const N = Number(process.env.N ?? 5000);
const sandbox = await startSandbox({
  clockSpeed: 50,
  ghl: { locations: [{ country: "GB", timezone: "Europe/London" }], rateLimit: { burstMax: 100000 } },
});
const loc = sandbox.ghl.locations[0]!;
const cred = sandbox.bulksms.credentials[0]!;
sandbox.ghl.control.seedContacts(N, { locationId: loc.id });
const now = sandbox.clock.now;
const store = openMemoryStore({ now, encryptionKey: randomBytes(32) });
const ghl = createGhlClient({
  auth: { kind: "private-integration", token: loc.token },
  baseUrl: sandbox.ghl.url,
  now,
});
const sms = createBulkSmsClient({
  tokenId: cred.tokenId,
  tokenSecret: cred.tokenSecret,
  baseUrl: sandbox.bulksms.url,
  now,
});
const deps = createEngine({ store, ghl: () => ghl, sms, now }).deps;
await registerLocation(deps, { id: loc.id, region: loc.country, timezone: loc.timezone });
const config = parseLifecycleConfig({});
for (const i of [1, 2, 3]) {
  const t = performance.now();
  const c0 = process.cpuUsage();
  let last = performance.now();
  const r = await reconcile({
    deps,
    locationId: loc.id,
    kind: "full",
    config,
    onProgress: (p) => {
      if (i === 3) console.log("page", p.pages, p.phase, Math.round(performance.now() - last));
      last = performance.now();
    },
  });
  console.log(JSON.stringify(ghl.limiter.stats()));
  const c = process.cpuUsage(c0);
  console.log(
    i,
    Math.round(performance.now() - t),
    "ms",
    Math.round((c.user + c.system) / 1000),
    "cpu ms",
    r.ok && JSON.stringify(r.counts),
  );
}
await sandbox.close();
