// The reasons a person reads in GHL when a provider text is not sent (yet): built from the send gate's
// verdict and what the store knows (the opt-out's source and date, the recipient's time zone). No phone
// number in them: the message already names the contact.
import type { ContactRecord, Location, OptOut, Repositories } from "@ghl-bulksms/store";
import { asGhlRecord, asProfile } from "../core/mirror.js";
import type { BlockReason, DeferReason } from "../gate/send-gate.js";
import { recipientTimeZone } from "../gate/send-gate.js";
import type { ProviderStatusReason } from "./provider-status.js";

function nameOf(contact: ContactRecord | null): string {
  const profile = asProfile(contact?.profile);
  const record = asGhlRecord(contact?.ghl);
  const first = profile?.firstName ?? record?.firstName ?? null;
  return first?.trim() ? first.trim() : "the contact";
}

/** YYYY-MM-DD in `timeZone`. */
function dayIn(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
    .format(new Date(at))
    .slice(0, 10);
}

/** HH:MM in `timeZone`. */
function timeIn(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(new Date(at));
}

function optOutText(name: string, optOut: OptOut | null, timeZone: string): string {
  const on = optOut ? ` on ${dayIn(optOut.eventAt, timeZone)}` : "";
  const source = optOut?.source;
  switch (source) {
    case "sms_stop":
      return `${name} opted out by replying STOP${on}`;
    case "ghl_dnd":
      return `${name} has SMS DND on in HighLevel${optOut ? ` (since ${dayIn(optOut.eventAt, timeZone)})` : ""}`;
    case "bulksms_blocked":
      return "the number is on the BulkSMS blocked list";
    case "operator":
      return `an operator opted ${name} out${on}`;
    case "import":
      return `${name} was imported as opted out${on}`;
    case undefined:
      return `${name} opted out`;
    default: {
      const never: never = source;
      return `${name} opted out (${String(never)})`;
    }
  }
}

export interface ReasonContext {
  readonly location: Pick<Location, "timezone">;
  readonly contact: ContactRecord | null;
  readonly to: string;
}

/** Loads what the reasons are written from. */
export async function reasonContext(
  repos: Pick<Repositories, "contacts">,
  input: { location: Pick<Location, "timezone">; locationId: string; contactId: string | null; to: string },
): Promise<ReasonContext> {
  const contact = input.contactId ? await repos.contacts.get(input.locationId, input.contactId) : null;
  return { location: input.location, contact, to: input.to };
}

/** "Not sent: ..." for a text the send gate refused. */
export async function blockedReason(
  repos: Pick<Repositories, "optOuts">,
  locationId: string,
  ctx: ReasonContext,
  gate: { block: BlockReason; detail?: string | undefined },
): Promise<ProviderStatusReason> {
  const name = nameOf(ctx.contact);
  const tz = recipientTimeZone(ctx.contact, ctx.location);
  const text = async (): Promise<string> => {
    switch (gate.block) {
      case "opted_out":
        return optOutText(name, await repos.optOuts.get(locationId, ctx.to), tz);
      case "ghl_dnd":
        return `${name} has SMS DND on in HighLevel`;
      case "account_blocked":
        return "the number is on the BulkSMS blocked list";
      case "gateway_blocked":
        return "the number is still on the BulkSMS blocked list although it re-subscribed; ask BulkSMS support to unblock it";
      case "invalid_number":
        return `${name} has no valid mobile number`;
      case "no_consent":
        return `${name} has not given SMS consent${gate.detail ? ` (${gate.detail})` : ""}`;
      case "contact_deleted":
        return `${name} was deleted`;
      case "contact_retired":
        return `${name} was merged into another contact`;
      case "location_unknown":
      case "location_inactive":
        return "BulkSMS is not active for this sub-account";
      default: {
        const never: never = gate.block;
        return String(never);
      }
    }
  };
  return { code: gate.block, message: `Not sent: ${await text()}` };
}

/** "Not sent yet: ..." for a text the send gate deferred (GHL keeps it pending). */
export function deferredReason(
  ctx: ReasonContext,
  gate: { defer: number; reason: DeferReason },
): ProviderStatusReason {
  const tz = recipientTimeZone(ctx.contact, ctx.location);
  const when = `${timeIn(gate.defer, tz)} ${tz}`;
  switch (gate.reason) {
    case "quiet_hours":
      return { code: "quiet_hours", message: `Not sent yet: quiet hours until ${when}, will go then` };
    case "consent_stale":
    case "ghl_unreachable":
      return {
        code: gate.reason,
        message: `Not sent yet: checking SMS DND in HighLevel, will try again at ${when}`,
      };
    default: {
      const never: never = gate.reason;
      return { code: String(never), message: "Not sent yet" };
    }
  }
}
