// The README's usage example, type-checked by `pnpm typecheck` (readme-example.test.ts keeps them equal).
export async function readmeExample(): Promise<void> {
  // --- README start
  const { createBulkSmsClient } = await import("@ghl-bulksms/bulksms");
  const { createEngine, registerLocation } = await import("@ghl-bulksms/engine");
  const { createGhlClient } = await import("@ghl-bulksms/ghl");
  const { openSqliteStore } = await import("@ghl-bulksms/store");

  const store = openSqliteStore({ encryptionKey: process.env.GHL_BULKSMS_ENCRYPTION_KEY });
  const ghl = createGhlClient({ auth: { kind: "private-integration", token: process.env.GHL_TOKEN ?? "" } });
  const sms = createBulkSmsClient({ tokenId: "my-token-id", tokenSecret: "my-token-secret" });
  const engine = createEngine({
    store,
    ghl: () => ghl,
    sms,
    config: { defaults: { welcome: { enabled: true, template: 'Hi {{firstName | "there"}}!' } } },
  });
  await registerLocation(engine.deps, { id: "loc123", region: "GB", timezone: "Europe/London" });
  // engine.inbox: the handlers the worker's "inbox.process" job calls, per event source
  // engine.jobs:  { "sms.send": { schema, handler }, ... } spread into the worker's job registry
  // --- README end
}
