// Test helpers for code that consumes @ghl-bulksms/ghl (import from "@ghl-bulksms/ghl/testing").
export type { GhlWebhookTestKeys, SignedWebhook, WebhookSigningScheme } from "./sign-webhook.js";
export { createSignedGhlWebhook, generateGhlWebhookTestKeys, signGhlWebhook } from "./sign-webhook.js";
