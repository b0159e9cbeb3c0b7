/**
 * Consent (opt-out) state as a small event log that can only grow: for each kind of event, the latest
 * one known. Two logs merge by keeping the later event of each kind, so merging is commutative,
 * associative and idempotent, and no side can "forget" an opt-out by syncing an older state.
 */
export type ConsentSource =
  /** GHL DND active (global `dnd` or `dndSettings.SMS`). */
  | "ghl-dnd"
  /** Inbound STOP / UNSUBSCRIBE / … on the SMS side. */
  | "sms-stop"
  /** Inbound START / UNSTOP on the SMS side. */
  | "sms-start"
  /** Number on the BulkSMS blocked list / carrier block. */
  | "sms-blocked"
  /** A human operator (CLI or admin) recorded the change, with a reason. */
  | "operator"
  /** A bulk import carried an opt-out flag. */
  | "import";

/** Sources allowed to opt a contact back in. Anything else (e.g. DND switched off in GHL) is not an opt-in. */
export type OptInSource = "sms-start" | "operator";

export interface ConsentEvent<S extends string = ConsentSource> {
  /** ISO time. */
  at: string;
  source: S;
}

export interface ConsentLog {
  /** Latest opt-out (STOP, DND activated, import flag). */
  optOut?: ConsentEvent | undefined;
  /** Latest explicit opt-in (START/UNSTOP or operator). */
  optIn?: ConsentEvent<OptInSource> | undefined;
  /** Latest block (blocked list). Only an operator can lift it. */
  blocked?: ConsentEvent | undefined;
  /** Latest operator unblock. */
  unblocked?: ConsentEvent<"operator"> | undefined;
}

export type ConsentStatus = "blocked" | "opted-out" | "opted-in" | "unknown";

const RESTRICTIVE: ReadonlySet<ConsentStatus> = new Set(["blocked", "opted-out"]);

export function isRestrictive(status: ConsentStatus): boolean {
  return RESTRICTIVE.has(status);
}

function ms(event: ConsentEvent<string> | undefined): number {
  return event === undefined ? Number.NEGATIVE_INFINITY : Date.parse(event.at);
}

/**
 * The effective status. A restriction stands unless an explicit opt-in (or, for a block, an operator
 * unblock) happened strictly later; at the same instant the restriction wins.
 */
export function consentStatus(log: ConsentLog): ConsentStatus {
  if (log.blocked !== undefined && !(ms(log.unblocked) > ms(log.blocked))) return "blocked";
  if (log.optOut !== undefined && !(ms(log.optIn) > ms(log.optOut))) return "opted-out";
  if (log.optIn !== undefined) return "opted-in";
  return "unknown";
}

function later<E extends ConsentEvent<string>>(a: E | undefined, b: E | undefined): E | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const d = ms(a) - ms(b);
  if (d !== 0) return d > 0 ? a : b;
  return a.source <= b.source ? a : b; // deterministic tie-break
}

/** Merge two logs (join): the later event of each kind. Commutative, associative, idempotent. */
export function mergeConsent(a: ConsentLog, b: ConsentLog): ConsentLog {
  const out: ConsentLog = {};
  const optOut = later(a.optOut, b.optOut);
  const optIn = later(a.optIn, b.optIn);
  const blocked = later(a.blocked, b.blocked);
  const unblocked = later(a.unblocked, b.unblocked);
  if (optOut !== undefined) out.optOut = optOut;
  if (optIn !== undefined) out.optIn = optIn;
  if (blocked !== undefined) out.blocked = blocked;
  if (unblocked !== undefined) out.unblocked = unblocked;
  return out;
}

export function consentEquals(a: ConsentLog, b: ConsentLog): boolean {
  const same = (x: ConsentEvent<string> | undefined, y: ConsentEvent<string> | undefined): boolean =>
    x === undefined ? y === undefined : y !== undefined && x.at === y.at && x.source === y.source;
  return (
    same(a.optOut, b.optOut) &&
    same(a.optIn, b.optIn) &&
    same(a.blocked, b.blocked) &&
    same(a.unblocked, b.unblocked)
  );
}

/** Record an event, refusing opt-ins that are not explicit. Returns a new log. */
export function recordConsent(
  log: ConsentLog,
  event:
    | { kind: "opt-out"; at: string; source: ConsentSource }
    | { kind: "opt-in"; at: string; source: OptInSource }
    | { kind: "block"; at: string; source: ConsentSource }
    | { kind: "unblock"; at: string; source: "operator" },
): ConsentLog {
  const { kind, ...e } = event;
  switch (kind) {
    case "opt-out":
      return mergeConsent(log, { optOut: e });
    case "opt-in":
      if (e.source !== "sms-start" && e.source !== "operator")
        throw new Error(`opt-in source must be sms-start or operator, got ${String(e.source)}`);
      return mergeConsent(log, { optIn: e as ConsentEvent<OptInSource> });
    case "block":
      return mergeConsent(log, { blocked: e });
    case "unblock":
      return mergeConsent(log, { unblocked: e as ConsentEvent<"operator"> });
    default: {
      const never: never = kind;
      throw new Error(`unknown consent event ${String(never)}`);
    }
  }
}
