/** The `Version` header each HighLevel API family documents (FACTS §1). */
export const GHL_VERSION_CONTACTS = "2021-07-28";
export const GHL_VERSION_CONVERSATIONS = "2021-04-15";

/** Version header for a path template: none for the form-encoded /oauth/token. */
export function apiVersionFor(pathTemplate: string): string | null {
  if (pathTemplate === "/oauth/token") return null;
  if (pathTemplate.startsWith("/conversations")) return GHL_VERSION_CONVERSATIONS;
  return GHL_VERSION_CONTACTS;
}
