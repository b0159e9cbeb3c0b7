// GHL_PROVIDER_MODE, GHL_SMS_THREAD, GHL_SMS_NOTES and UNKNOWN_SENDER: parsed once, explained when wrong,
// and carried into the engine policy.
import { describe, expect, it } from "vitest";
import { ConfigError, enginePolicy, loadConfig, needsConversationScopes } from "../src/index.js";

function issues(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map((i) => i.message);
    throw e;
  }
  return [];
}

describe("conversations settings", () => {
  it("default: everything off, no conversation scopes needed", () => {
    const c = loadConfig({}).conversations;
    expect(c).toMatchObject({ providerMode: "off", thread: false, smsNotes: null, unknownSender: null });
    expect(needsConversationScopes(c)).toBe(false);
    expect((enginePolicy(loadConfig({}), null).defaults as Record<string, unknown>).notes).toBeUndefined();
  });

  it("a provider mode turns thread mode on unless GHL_SMS_THREAD=off; either needs the scopes", () => {
    expect(loadConfig({ GHL_PROVIDER_MODE: "default" }).conversations?.thread).toBe(true);
    const off = loadConfig({ GHL_PROVIDER_MODE: "default", GHL_SMS_THREAD: "off" }).conversations;
    expect(off?.thread).toBe(false);
    expect(needsConversationScopes(off)).toBe(true);
    expect(needsConversationScopes(loadConfig({ GHL_SMS_THREAD: "on" }).conversations)).toBe(true);
  });

  it("extra provider needs its id; UNKNOWN_SENDER=task needs the contact holding the tasks; bad values named", () => {
    expect(issues({ GHL_PROVIDER_MODE: "extra" })).toEqual([
      expect.stringMatching(/^GHL_CONVERSATION_PROVIDER_ID is required with GHL_PROVIDER_MODE=extra/),
    ]);
    expect(issues({ UNKNOWN_SENDER: "task" })).toEqual([
      expect.stringMatching(/^UNKNOWN_SENDER_TASK_CONTACT is required with UNKNOWN_SENDER=task/),
    ]);
    expect(issues({ GHL_SMS_NOTES: "yes", UNKNOWN_SENDER: "drop" })).toEqual([
      expect.stringMatching(/^GHL_SMS_NOTES is invalid: must be on or off/),
      expect.stringMatching(/^UNKNOWN_SENDER is invalid: must be one of create-contact, task, ignore/),
    ]);
  });

  it("reaches the engine policy", () => {
    const config = loadConfig({
      GHL_PROVIDER_MODE: "extra",
      GHL_CONVERSATION_PROVIDER_ID: "prov1",
      GHL_SMS_NOTES: "on",
      UNKNOWN_SENDER: "task",
      UNKNOWN_SENDER_TASK_CONTACT: "inbox1",
      UNKNOWN_SENDER_TASK_USER: "user1",
      UNKNOWN_SENDER_TAG: "new-by-sms",
    });
    const defaults = enginePolicy(config, null).defaults as Record<string, unknown>;
    expect(defaults.conversations).toEqual({
      thread: true,
      provider: "extra",
      providerId: "prov1",
      unknownSender: "task",
      unknownSenderTag: "new-by-sms",
      taskContactId: "inbox1",
      taskAssignee: "user1",
    });
    expect(defaults.notes).toEqual({ sms: "on" });
  });
});
