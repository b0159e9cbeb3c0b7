// explain <contact id | phone>: "why was nothing sent?" The decisions the engine took about texts for one
// person (queued, sent, deferred for quiet hours until X, blocked: opted out since X by STOP, DND in GHL,
// invalid number, template error...), newest first, with where the person stands now.
import type { ContactRecord, OptOut, SendDecision } from "@ghl-bulksms/store";
import type { Command } from "commander";
import { parseIntOption, withExamples, withStore } from "../cli/command.js";
import { CliError, usageError } from "../cli/errors.js";
import { EXAMPLE_CONTACT_ID, EXAMPLE_PHONE_E164 } from "../cli/example-values.js";
import type { Io } from "../cli/io.js";
import { parsePhone } from "../cli/region.js";
import { resolveLocation } from "../cli/runtime.js";
import { isoTime, renderPairs, renderTable } from "../cli/table.js";

const OPT_OUT_SOURCES: Record<string, string> = {
  sms_stop: "a STOP reply",
  ghl_dnd: "SMS do-not-disturb in GHL",
  bulksms_blocked: "the BulkSMS blocked numbers",
  operator: "an operator (ghl-bulksms optouts add)",
  import: "an import (ghl-bulksms optouts import)",
};

/** What each reason code means, for people. */
const REASONS: Record<string, string> = {
  queued: "queued to send",
  sent: "submitted to BulkSMS",
  quiet_hours: "deferred for quiet hours",
  opted_out: "the number opted out",
  ghl_dnd: "SMS do-not-disturb is on in GHL",
  no_consent: "no consent to SMS",
  invalid_number: "the phone number is not valid for the location's region",
  not_mobile: "not a mobile number (a landline?); welcomes go to mobiles only",
  no_phone: "the contact has no phone number",
  template_error: "the template does not render",
  gateway_blocked: "BulkSMS still blocks the number (see `ghl-bulksms optouts gateway-blocks`)",
  gateway_refused: "BulkSMS refused the text",
  contact_deleted: "the contact was deleted in GHL",
  contact_retired: "the contact was retired by a reconciliation",
  location_inactive: "the location is inactive (uninstalled?)",
  location_unknown: "the location is unknown",
  merged: "the contact was merged into another",
  cancelled: "cancelled",
  rule_removed: "the follow-up rule was removed",
  tag_removed: "the follow-up's tag was removed",
  field_changed: "the follow-up's field no longer matches",
};

function isPhoneLike(value: string): boolean {
  return /^[+0-9(][0-9 ()+.-]*$/.test(value.trim());
}

function displayName(c: ContactRecord): string | null {
  const g = (c.ghl ?? {}) as { firstName?: string | null; lastName?: string | null; name?: string | null };
  const n = [g.firstName, g.lastName].filter(Boolean).join(" ") || g.name || "";
  return n.trim() || null;
}

function detailText(detail: unknown): string {
  if (!detail || typeof detail !== "object") return "";
  return Object.values(detail as Record<string, unknown>)
    .filter((v) => v !== null && v !== undefined && v !== "")
    .map(String)
    .join("; ");
}

/** One decision as a sentence: "blocked: the number opted out (since ... by a STOP reply)". */
export function explainDecision(d: SendDecision, optOut: OptOut | null): string {
  const what = REASONS[d.reason] ?? d.reason.replace(/_/g, " ");
  let text: string;
  switch (d.decision) {
    case "queued":
    case "sent":
      text = what;
      break;
    case "deferred":
      text = `${what} until ${isoTime(d.until) ?? "later"}`;
      break;
    default:
      text = `${d.decision}: ${what}`;
  }
  if (d.reason === "opted_out" && optOut?.state === "opted_out")
    text += ` (since ${isoTime(optOut.at)} by ${OPT_OUT_SOURCES[optOut.source] ?? optOut.source})`;
  const extra = detailText(d.detail);
  return extra ? `${text}: ${extra}` : text;
}

export function registerExplain(program: Command, io: Io): void {
  const cmd = program
    .command("explain <contactIdOrPhone>")
    .description(
      "Why was (nothing) sent? The decisions taken about texts for a contact or a number, newest first, with their reasons",
    )
    .option("--location <id>", "location (default: the only one)")
    .option("--limit <n>", "how many decisions", parseIntOption("--limit", 1, 10_000), 50)
    .option("--json", "print as JSON")
    .action(
      async (who: string, opts: { location?: string; limit: number; json?: boolean }, command: Command) => {
        if (who.trim() === "") throw usageError("give a contact id or a phone number");
        await withStore(command, async (settings, store) => {
          const location = await resolveLocation(settings.config, store, opts.location);
          let phone: string | null = null;
          let contacts: ContactRecord[];
          if (isPhoneLike(who)) {
            const p = await parsePhone(who, location.region);
            if (!p.ok)
              throw usageError(
                p.message,
                `use E.164 (${EXAMPLE_PHONE_E164}) or a national number of the location's region`,
              );
            phone = p.e164;
            contacts = await store.contacts.findByPhone(location.id, phone);
          } else {
            const c = await store.contacts.get(location.id, who);
            contacts = c ? [c] : [];
            phone = c?.phoneE164 ?? null;
          }
          const contactIds =
            contacts.length > 0 ? contacts.map((c) => c.contactId) : isPhoneLike(who) ? [] : [who];
          const decisions = await store.decisions.list({
            locationId: location.id,
            contactIds,
            ...(phone ? { phoneE164: phone } : {}),
            limit: opts.limit,
          });
          if (contacts.length === 0 && decisions.length === 0)
            throw new CliError(
              `nothing known about ${JSON.stringify(who)} in location ${location.id}: no contact in the mirror, no decision recorded`,
              {
                hint: "run `ghl-bulksms reconcile` to refresh the mirror; decisions are recorded from this version on",
              },
            );
          const optOut = phone ? await store.optOuts.get(location.id, phone) : null;
          // where each message stands now (a queued welcome may have been cancelled by an opt-out since)
          const messages = new Map<string, { status: string; error: string | null }>();
          for (const key of new Set(decisions.map((d) => d.messageKey).filter((k): k is string => !!k))) {
            const m = await store.messages.getByKey(key);
            if (m) messages.set(key, { status: m.status, error: m.error });
          }
          const rows = decisions.map((d) => ({
            at: isoTime(d.at),
            contactId: d.contactId,
            purpose: d.purpose,
            kind: d.kind,
            decision: d.decision,
            reason: d.reason,
            explanation: explainDecision(d, optOut),
            until: isoTime(d.until),
            messageKey: d.messageKey,
            messageStatus: d.messageKey ? (messages.get(d.messageKey)?.status ?? null) : null,
            detail: d.detail,
          }));
          const people = contacts.map((c) => ({
            contactId: c.contactId,
            name: displayName(c),
            phone: c.phoneE164,
            deleted: c.deleted,
            welcomeSentAt: isoTime(c.welcomeSentAt),
          }));
          const now = optOut
            ? {
                state: optOut.state,
                source: optOut.source,
                since: isoTime(optOut.at),
              }
            : null;
          if (opts.json)
            return io.json({
              location: location.id,
              query: who,
              phone,
              contacts: people,
              optOut: now,
              decisions: rows,
            });
          for (const p of people)
            io.out(
              renderPairs([
                ["contact", `${p.contactId}${p.name ? ` (${p.name})` : ""}${p.deleted ? " [deleted]" : ""}`],
                ["phone", p.phone ?? "none valid"],
                ["welcome", p.welcomeSentAt ? `queued ${p.welcomeSentAt}` : "not sent"],
              ]),
            );
          if (people.length === 0 && phone)
            io.out(
              renderPairs([
                ["phone", phone],
                ["contact", "none in the mirror"],
              ]),
            );
          io.out(
            renderPairs([
              [
                "opt-out",
                optOut
                  ? `${optOut.state.replace("_", " ")} since ${isoTime(optOut.at)} by ${OPT_OUT_SOURCES[optOut.source] ?? optOut.source}`
                  : "none recorded",
              ],
            ]),
          );
          io.out(
            renderTable(
              ["time", "text", "decision", "reason", "message now", "why"],
              rows.map((r) => [r.at, r.kind, r.decision, r.reason, r.messageStatus, r.explanation]),
            ),
          );
        });
      },
    );
  withExamples(
    cmd,
    `ghl-bulksms explain ${EXAMPLE_CONTACT_ID}`,
    `ghl-bulksms explain ${EXAMPLE_PHONE_E164} --json`,
  );
}
