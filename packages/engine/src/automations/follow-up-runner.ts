// Runs due follow-up steps. Each step re-checks, at that moment: the rule still exists, the contact is
// live, the rule's condition still holds, and the engine's send gate (opt-outs, DND, consent, quiet hours).
// Quiet hours defer the step (same step, later); an opt-out stops the sequence. Before the steps run, the
// contacts whose GHL view (DND, tags) is older than the policy's bound are re-read from GHL in one batch, so
// the rule's condition and the gate see GHL as it is; a contact GHL could not be read for is deferred. The
// message itself goes through the engine's queue (`sms.send` re-checks the gate once more when it sends).
import type { FollowUp, Repositories } from "@ghl-bulksms/store";
import { type GhlContactLike, renderTemplate } from "@ghl-bulksms/sync";
import type { EngineDeps } from "../core/deps.js";
import { asGhlRecord, asProfile } from "../core/mirror.js";
import { CONSENT_RETRY_MS, refreshConsentViews } from "../gate/consent-view.js";
import {
  DECISION_REASONS,
  type DecisionInput,
  gateDecision,
  recordDecision,
} from "../gate/record-decision.js";
import { checkSendGate, type DeferReason } from "../gate/send-gate.js";
import { queueMessage } from "../sms/queue-message.js";
import { type LifecycleConfig, lifecycleFor } from "./config.js";
import { ruleStillHolds } from "./follow-up-triggers.js";

const HOUR = 3_600_000;

export type FollowUpStepOutcome =
  | { id: number; action: "queued"; messageId: string; step: number }
  | { id: number; action: "deferred"; until: number; reason: DeferReason }
  | { id: number; action: "stopped"; reason: string }
  | { id: number; action: "completed" };

export interface RunFollowUpsResult {
  processed: number;
  outcomes: FollowUpStepOutcome[];
}

export async function runDueFollowUps(
  deps: EngineDeps,
  options: { config: LifecycleConfig; now?: number; limit?: number; locationId?: string },
): Promise<RunFollowUpsResult> {
  const now = options.now ?? deps.now();
  const due = await deps.store.followUps.listDue({
    now,
    limit: options.limit ?? 200,
    ...(options.locationId ? { locationId: options.locationId } : {}),
  });
  const retryAt = await refreshDue(deps, options.config, due, now);
  const outcomes: FollowUpStepOutcome[] = [];
  for (const f of due) outcomes.push(await runStep(deps, options.config, f, now, retryAt));
  return { processed: due.length, outcomes };
}

/**
 * One batch of GHL reads for the due steps that would send now on a stale view (a step waiting for quiet
 * hours costs no read). Returns, per contact GHL could not be read for, when to try again.
 */
async function refreshDue(
  deps: EngineDeps,
  config: LifecycleConfig,
  due: FollowUp[],
  now: number,
): Promise<Map<string, number>> {
  const stale = new Map<string, string[]>();
  for (const f of due) {
    const record = await deps.store.contacts.get(f.locationId, f.contactId);
    const to = asProfile(record?.profile)?.phone ?? record?.phoneE164;
    if (!record || !to) continue;
    const gate = await checkSendGate(deps, {
      locationId: f.locationId,
      contactId: f.contactId,
      to,
      purpose: "automated",
      at: now,
    });
    if ("defer" in gate && gate.reason === "consent_stale")
      stale.set(f.locationId, [...(stale.get(f.locationId) ?? []), f.contactId]);
  }
  const retryAt = new Map<string, number>();
  for (const [locationId, ids] of stale) {
    const r = await refreshConsentViews(deps, locationId, ids, { at: now, lifecycle: config });
    for (const x of r.failed) retryAt.set(`${locationId}:${x.contactId}`, x.retryAt);
  }
  return retryAt;
}

/** The decision about this step's text, recorded once per step (and per deferral). */
function decideStep(
  deps: EngineDeps,
  repos: Pick<Repositories, "decisions">,
  f: FollowUp,
  input: Pick<DecisionInput, "decision" | "reason" | "until" | "detail" | "messageId"> & {
    phone: string | null;
    key: string;
    at: number;
  },
): Promise<boolean> {
  const { phone, key, ...rest } = input;
  return recordDecision(deps, repos, {
    ...rest,
    key: `followup:${f.id}:${f.step}:${key}`,
    locationId: f.locationId,
    contactId: f.contactId,
    phone,
    purpose: "automated",
    kind: `follow-up:${f.ruleId}:${f.step}`,
    messageKey: `followup:${f.id}:${f.step}`,
  });
}

async function stop(
  deps: EngineDeps,
  f: FollowUp,
  reason: string,
  decision: {
    at: number;
    phone?: string | null;
    /** The reason code (default: the stop reason). */
    code?: string;
    outcome?: "blocked" | "skipped";
    detail?: DecisionInput["detail"];
  },
): Promise<FollowUpStepOutcome> {
  await deps.store.followUps.stop(f.id, reason);
  await decideStep(deps, deps.store, f, {
    decision: decision.outcome ?? "skipped",
    reason: decision.code ?? reason.replace(/-/g, "_"),
    phone: decision.phone ?? null,
    key: "stopped",
    at: decision.at,
    ...(decision.detail ? { detail: decision.detail } : {}),
  });
  return { id: f.id, action: "stopped", reason };
}

async function runStep(
  deps: EngineDeps,
  config: LifecycleConfig,
  f: FollowUp,
  now: number,
  retryAt: ReadonlyMap<string, number>,
): Promise<FollowUpStepOutcome> {
  const rule = lifecycleFor(config, f.locationId).followUps.find((r) => r.id === f.ruleId);
  if (!rule) return stop(deps, f, "rule-removed", { at: now });
  const step = rule.steps[f.step];
  if (!step) {
    await deps.store.followUps.complete(f.id);
    return { id: f.id, action: "completed" };
  }
  const record = await deps.store.contacts.get(f.locationId, f.contactId);
  if (!record || record.deleted || record.retired) return stop(deps, f, "contact-deleted", { at: now });
  const ghl = asGhlRecord(record.ghl) as GhlContactLike | null;
  const profile = asProfile(record.profile);
  const to = profile?.phone ?? record.phoneE164;
  if (!ruleStillHolds(rule, ghl))
    return stop(deps, f, rule.trigger.type === "tag-added" ? "tag-removed" : "field-changed", {
      at: now,
      phone: to,
    });
  if (!to) return stop(deps, f, "no-phone", { at: now });
  const gate = await checkSendGate(deps, {
    locationId: f.locationId,
    contactId: f.contactId,
    to,
    purpose: "automated",
    at: now,
  });
  const verdict = gateDecision(gate);
  if ("block" in gate) {
    const optOut = gate.block === "opted_out" || gate.block === "ghl_dnd" || gate.block === "no_consent";
    return stop(deps, f, optOut ? "opted-out" : gate.block, {
      at: now,
      phone: to,
      code: gate.block,
      outcome: "blocked",
      ...(verdict?.detail ? { detail: verdict.detail } : {}),
    });
  }
  if ("defer" in gate) {
    // a view still stale here means GHL could not be read: wait, never send on it
    const stale = gate.reason === "consent_stale";
    const until = stale
      ? (retryAt.get(`${f.locationId}:${f.contactId}`) ?? now + CONSENT_RETRY_MS)
      : gate.defer;
    const reason: DeferReason = stale ? "ghl_unreachable" : gate.reason;
    await deps.store.followUps.advance(f.id, f.step, until);
    await decideStep(deps, deps.store, f, {
      decision: "deferred",
      reason,
      until,
      phone: to,
      key: `deferred:${until}`,
      at: now,
    });
    return { id: f.id, action: "deferred", until, reason };
  }
  const rendered = renderTemplate(
    step.template,
    { ...(ghl ?? {}), ...(profile ?? {}) },
    { missing: "empty" },
  );
  if (!rendered.ok)
    return stop(deps, f, `template: ${rendered.error.kind}`, {
      at: now,
      phone: to,
      code: DECISION_REASONS.templateError,
      detail: { template: `${rendered.error.kind}: ${rendered.error.message}` },
    });
  const next = rule.steps[f.step + 1];
  const messageId = await deps.store.transaction(async (tx) => {
    const q = await queueMessage(tx, {
      key: `followup:${f.id}:${f.step}`,
      locationId: f.locationId,
      contactId: f.contactId,
      to,
      body: rendered.text,
      sendAfter: now,
      meta: { purpose: "automated", kind: `follow-up:${rule.id}:${f.step}` },
      template: step.template,
    });
    if (next) await tx.followUps.advance(f.id, f.step + 1, now + next.afterHours * HOUR);
    else await tx.followUps.complete(f.id);
    await decideStep(deps, tx, f, {
      decision: "queued",
      reason: DECISION_REASONS.queued,
      messageId: q.message.id,
      phone: to,
      key: "queued",
      at: now,
    });
    return q.message.id;
  });
  return { id: f.id, action: "queued", messageId, step: f.step };
}
