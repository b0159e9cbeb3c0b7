// generated — do not edit; run pnpm generate
// Per-family OpenAPI types, re-exported under prefixed names.

export type { components as ContactsComponents, operations as ContactsOperations, paths as ContactsPaths } from "./contacts.js";
export type { components as ConversationsComponents, operations as ConversationsOperations, paths as ConversationsPaths } from "./conversations.js";
export type { components as OauthComponents, operations as OauthOperations, paths as OauthPaths } from "./oauth.js";
export type { components as WebhooksComponents, operations as WebhooksOperations, paths as WebhooksPaths } from "./webhooks.js";
