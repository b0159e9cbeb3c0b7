// The OAuth scopes the app asks for, least privilege: GHL's conversation scopes only when provider mode
// (GHL_PROVIDER_MODE) or thread mode (GHL_SMS_THREAD) needs them (scope names: GHL's Scopes.md and
// ConversationProviders.md).
import { type ConversationsConfig, needsConversationScopes } from "@ghl-bulksms/config";

/** What every set-up needs: the contacts it syncs, and the location (its name and timezone). */
export const BASE_SCOPES = ["contacts.readonly", "contacts.write", "locations.readonly"] as const;

/** Why each conversation scope is asked for (shown by `doctor` when one is missing). */
export const CONVERSATION_SCOPES = {
  "conversations.readonly": "find the contact's conversation (GET /conversations/search)",
  "conversations.write": "create the contact's conversation on its first text (POST /conversations/)",
  "conversations/message.readonly":
    "look up a text already recorded after a crash, so none is recorded twice (GET /conversations/{id}/messages)",
  "conversations/message.write":
    "record texts in the conversation (POST /conversations/messages/inbound) and, in provider mode, receive ProviderOutboundMessage and report delivery",
} as const;
export type ConversationScope = keyof typeof CONVERSATION_SCOPES;

/** The scopes `auth login` requests. */
export function oauthScopes(conversations: ConversationsConfig | undefined): string[] {
  return needsConversationScopes(conversations)
    ? [...BASE_SCOPES, ...Object.keys(CONVERSATION_SCOPES)]
    : [...BASE_SCOPES];
}

/** The scopes a stored token must hold for `doctor` to call the set-up healthy. */
export function requiredScopes(conversations: ConversationsConfig | undefined): string[] {
  const base = ["contacts.readonly", "contacts.write"];
  return needsConversationScopes(conversations) ? [...base, ...Object.keys(CONVERSATION_SCOPES)] : base;
}

/** One line per missing scope, saying what it is for. */
export function explainMissingScopes(missing: readonly string[]): string {
  return missing
    .map((s) =>
      s in CONVERSATION_SCOPES
        ? `${s} (provider/thread mode: ${CONVERSATION_SCOPES[s as ConversationScope]})`
        : `${s} (the contacts sync)`,
    )
    .join("; ");
}
