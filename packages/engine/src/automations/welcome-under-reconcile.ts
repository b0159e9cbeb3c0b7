// Welcome SMS for a contact that reconciliation discovered (its ContactCreate webhook was lost): sent only
// if the contact was added recently enough (`reconcile.welcomeMaxAgeHours`), never twice (the store's
// welcome marker is set once). Stand-in until the engine exports its welcome use-case
// (/work/notes/engine-requests.md #2); it uses the same guard and message key.
import type { StoreTx } from "@ghl-bulksms/store";
import { renderTemplate } from "@ghl-bulksms/sync";
import { resolvePolicy } from "../core/config.js";
import type { EngineDeps } from "../core/deps.js";
import { asGhlRecord, asProfile } from "../core/mirror.js";
import { isMobile } from "../core/phone.js";
import { DECISION_REASONS, type DecisionInput, recordDecision } from "../gate/record-decision.js";
import { checkSendGate } from "../gate/send-gate.js";
import { queueMessage } from "../sms/queue-message.js";
import type { LifecycleConfig } from "./config.js";
import { lifecycleFor } from "./config.js";

export type WelcomeDecision =
  | { sent: true; messageId: string }
  | {
      sent: false;
      reason: "disabled" | "too_old" | "no_phone" | "not_mobile" | "already_welcomed" | "gate" | "template";
    };

export async function welcomeDiscoveredContact(
  deps: EngineDeps,
  input: { config: LifecycleConfig; locationId: string; contactId: string; dateAdded: number | null },
  /** Pass the transaction that mirrors the contact, so the welcome is decided with it (crash-safe). */
  tx?: StoreTx,
): Promise<WelcomeDecision> {
  const repos = tx ?? deps.store;
  const location = await repos.locations.get(input.locationId);
  if (!location) return { sent: false, reason: "disabled" };
  const ctx = { location, policy: resolvePolicy(deps.config, location.id, location.settings) };
  if (!ctx.policy.welcome.enabled) return { sent: false, reason: "disabled" };
  const maxAgeMs = lifecycleFor(input.config, input.locationId).reconcile.welcomeMaxAgeHours * 3_600_000;
  const now = deps.now();
  if (input.dateAdded === null || now - input.dateAdded > maxAgeMs) return { sent: false, reason: "too_old" };
  const record = await repos.contacts.get(input.locationId, input.contactId);
  if (record?.welcomeSentAt != null) return { sent: false, reason: "already_welcomed" };
  const profile = asProfile(record?.profile);
  const key = `welcome:${input.locationId}:${input.contactId}`;
  const decide = (
    t: Pick<StoreTx, "decisions">,
    decision: "skipped" | "blocked" | "queued",
    reason: string,
    extra: Pick<DecisionInput, "detail" | "messageId"> = {},
  ) =>
    recordDecision(deps, t, {
      key,
      locationId: input.locationId,
      contactId: input.contactId,
      phone: profile?.phone ?? null,
      purpose: "automated",
      kind: "welcome",
      decision,
      reason,
      messageKey: key,
      at: now,
      ...extra,
    });
  if (!record || !profile?.phone) {
    if (record) {
      const raw = asGhlRecord(record.ghl)?.phone;
      const code =
        typeof raw === "string" && raw.trim() !== ""
          ? DECISION_REASONS.invalidNumber
          : DECISION_REASONS.noPhone;
      await decide(repos, "skipped", code);
    }
    return { sent: false, reason: "no_phone" };
  }
  if (ctx.policy.welcome.requireMobile && !isMobile(profile.phone)) {
    await decide(repos, "skipped", DECISION_REASONS.notMobile);
    return { sent: false, reason: "not_mobile" };
  }
  const gate = await checkSendGate(
    deps,
    {
      locationId: input.locationId,
      contactId: input.contactId,
      to: profile.phone,
      purpose: "automated",
    },
    tx,
  );
  if ("block" in gate) {
    await decide(repos, "blocked", gate.block, gate.detail ? { detail: { gate: gate.detail } } : {});
    return { sent: false, reason: "gate" };
  }
  const rendered = renderTemplate(ctx.policy.welcome.template, { ...profile }, { missing: "empty" });
  if (!rendered.ok) {
    await decide(repos, "skipped", DECISION_REASONS.templateError, {
      detail: { template: `${rendered.error.kind}: ${rendered.error.message}` },
    });
    return { sent: false, reason: "template" };
  }
  const phone = profile.phone;
  const queue = async (t: StoreTx): Promise<WelcomeDecision> => {
    const first = await t.contacts.markWelcomeSent(input.locationId, input.contactId, now);
    if (!first) return { sent: false, reason: "already_welcomed" } as const;
    const q = await queueMessage(t, {
      key,
      locationId: input.locationId,
      contactId: input.contactId,
      to: phone,
      body: rendered.text,
      sendAfter: now + ctx.policy.welcome.delayMs,
      meta: { purpose: "automated", kind: "welcome" },
      template: ctx.policy.welcome.template,
    });
    await decide(t, "queued", DECISION_REASONS.queued, { messageId: q.message.id });
    return { sent: true, messageId: q.message.id } as const;
  };
  return tx ? queue(tx) : deps.store.transaction(queue);
}
