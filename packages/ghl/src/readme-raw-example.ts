// The README's escape-hatch example, kept here so `pnpm typecheck` compiles it (readme-example.test.ts checks
// that the README block and this file stay identical).
import { GHL_VERSION_CONTACTS, type GhlClient } from "@ghl-bulksms/ghl";

export async function rawExample(ghl: GhlClient, contactId: string): Promise<string[]> {
  // Any operation of specs/ghl, typed by the generated paths (path, params, body and answer), sent through
  // the client's transport: the location's token, the Version header, the rate limiter and the retries.
  const followers = await ghl.raw.call({ locationId: "loc_123", priority: "background" }, (api) =>
    api.contacts.POST("/contacts/{contactId}/followers", {
      params: { header: { Version: GHL_VERSION_CONTACTS }, path: { contactId } },
      body: { followers: ["user_1"] },
    }),
  );
  if (!followers.ok) return []; // the same GhlResult as every wrapper: error.code, .retryable, .operation
  return followers.data.followers ?? [];
}
