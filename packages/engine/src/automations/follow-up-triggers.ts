// Starting and stopping follow-up sequences when a contact changes (from a webhook or a reconcile run).
import type { Repositories } from "@ghl-bulksms/store";
import { type FieldValue, type GhlContactLike, ghlToSyncContact, valuesEqual } from "@ghl-bulksms/sync";
import { type FollowUpRule, type LifecycleConfig, lifecycleFor } from "./config.js";

const HOUR = 3_600_000;

function tagsOf(c: GhlContactLike | null): Set<string> {
  return new Set((c?.tags ?? []).map((t) => t.trim().toLowerCase()));
}

/** A shared field value of a GHL record ("firstName", "cf.<id>", ...). */
export function fieldOf(c: GhlContactLike | null, field: string): FieldValue {
  if (!c) return null;
  return ghlToSyncContact(c, { now: new Date(0).toISOString() }).fields[field] ?? null;
}

function matchesEquals(rule: FollowUpRule, value: FieldValue): boolean {
  if (rule.trigger.type !== "field-changed") return false;
  if (value === null || value === "" || (Array.isArray(value) && value.length === 0)) return false;
  if (rule.trigger.equals === undefined) return true;
  return String(value).toLowerCase() === String(rule.trigger.equals).toLowerCase();
}

/** What a rule says about a change: start a sequence, stop one, or nothing. */
export function ruleReaction(
  rule: FollowUpRule,
  before: GhlContactLike | null,
  after: GhlContactLike,
): "start" | "stop" | null {
  const t = rule.trigger;
  switch (t.type) {
    case "tag-added": {
      const tag = t.tag.trim().toLowerCase();
      const had = tagsOf(before).has(tag);
      const has = tagsOf(after).has(tag);
      if (has && !had) return "start";
      if (had && !has && rule.stopOn.tagRemoved) return "stop";
      return null;
    }
    case "field-changed": {
      const was = fieldOf(before, t.field);
      const is = fieldOf(after, t.field);
      if (valuesEqual(was, is)) return null;
      if (matchesEquals(rule, is)) return "start";
      if (rule.stopOn.fieldChanged) return "stop";
      return null;
    }
    default: {
      const never: never = t;
      throw new Error(`unknown trigger ${JSON.stringify(never)}`);
    }
  }
}

/** Does the contact still satisfy the rule's condition (re-checked before every step)? */
export function ruleStillHolds(rule: FollowUpRule, current: GhlContactLike | null): boolean {
  if (!current) return false;
  const t = rule.trigger;
  switch (t.type) {
    case "tag-added":
      return !rule.stopOn.tagRemoved || tagsOf(current).has(t.tag.trim().toLowerCase());
    case "field-changed":
      return (
        !rule.stopOn.fieldChanged || t.equals === undefined || matchesEquals(rule, fieldOf(current, t.field))
      );
    default: {
      const never: never = t;
      throw new Error(`unknown trigger ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Starts/stops the location's follow-up sequences for one contact change. Pass a transaction so the
 * sequence starts together with the mirror update that revealed the change.
 */
export async function detectFollowUpTriggers(
  repos: Pick<Repositories, "followUps">,
  input: {
    config: LifecycleConfig;
    locationId: string;
    contactId: string;
    before: GhlContactLike | null;
    after: GhlContactLike;
    now: number;
  },
): Promise<{ started: string[]; stopped: string[] }> {
  const started: string[] = [];
  const stopped: string[] = [];
  for (const rule of lifecycleFor(input.config, input.locationId).followUps) {
    const reaction = ruleReaction(rule, input.before, input.after);
    if (reaction === "start") {
      const first = rule.steps[0];
      if (!first) continue;
      const r = await repos.followUps.start({
        locationId: input.locationId,
        ruleId: rule.id,
        contactId: input.contactId,
        nextRunAt: input.now + first.afterHours * HOUR,
      });
      if (r.started) started.push(rule.id);
    } else if (reaction === "stop") {
      const n = await repos.followUps.stopForContact(
        input.locationId,
        input.contactId,
        rule.trigger.type === "tag-added" ? "tag-removed" : "field-changed",
        rule.id,
      );
      if (n > 0) stopped.push(rule.id);
    }
  }
  return { started, stopped };
}

/**
 * For the engine's inbound-reply and STOP use-cases: stops the contact's active sequences whose rule says
 * to stop on that event (`stopOn.reply` / `stopOn.optOut`). Returns how many were stopped.
 */
export async function stopFollowUpsForContact(
  repos: Pick<Repositories, "followUps">,
  config: LifecycleConfig,
  locationId: string,
  contactId: string,
  reason: "replied" | "opted-out",
): Promise<number> {
  let n = 0;
  for (const rule of lifecycleFor(config, locationId).followUps) {
    if (reason === "replied" ? rule.stopOn.reply : rule.stopOn.optOut) {
      n += await repos.followUps.stopForContact(locationId, contactId, reason, rule.id);
    }
  }
  return n;
}
