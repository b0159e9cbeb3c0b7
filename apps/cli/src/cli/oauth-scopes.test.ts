import { loadConfig } from "@ghl-bulksms/config";
import { describe, expect, it } from "vitest";
import { explainMissingScopes, oauthScopes, requiredScopes } from "./oauth-scopes.js";

const CONVERSATION = [
  "conversations.readonly",
  "conversations.write",
  "conversations/message.readonly",
  "conversations/message.write",
];

describe("OAuth scopes: least privilege", () => {
  it("without provider or thread mode: no conversation scope is asked for or required", () => {
    const c = loadConfig({}).conversations;
    expect(oauthScopes(c)).toEqual(["contacts.readonly", "contacts.write", "locations.readonly"]);
    expect(oauthScopes(c).some((s) => s.startsWith("conversations"))).toBe(false);
    expect(requiredScopes(c)).toEqual(["contacts.readonly", "contacts.write"]);
  });

  it.each([
    ["thread mode", { GHL_SMS_THREAD: "on" }],
    ["default provider", { GHL_PROVIDER_MODE: "default" }],
    [
      "extra provider, thread off",
      { GHL_PROVIDER_MODE: "extra", GHL_CONVERSATION_PROVIDER_ID: "p1", GHL_SMS_THREAD: "off" },
    ],
  ])("%s: the four conversation scopes are asked for and required", (_name, env) => {
    const c = loadConfig(env).conversations;
    expect(oauthScopes(c)).toEqual([
      "contacts.readonly",
      "contacts.write",
      "locations.readonly",
      ...CONVERSATION,
    ]);
    expect(requiredScopes(c)).toEqual(["contacts.readonly", "contacts.write", ...CONVERSATION]);
  });

  it("doctor's explanation says what a missing conversation scope is for", () => {
    expect(explainMissingScopes(["conversations/message.write"])).toMatch(
      /^conversations\/message\.write \(provider\/thread mode: record texts in the conversation/,
    );
  });
});
