/**
 * The BulkSMS simulator's domain: accounts, credits, messages and their status progression, dedup,
 * blocked numbers, webhooks and replies. HTTP-free: operations throw ProblemError for API errors.
 */
import type { SandboxClock } from "../clock.js";
import {
  type BulkSmsDeliveryTiming,
  DEFAULT_DELIVERED_AFTER_MS,
  DEFAULT_SENT_AFTER_MS,
  type NumberOutcome,
} from "./delivery-plan.js";
import { type BulkSmsEncoding, encodeBody } from "./encoding.js";
import { matchesFilter, parseFilter } from "./filter.js";
import { isTestNumber, isValidInternational, toWireNumber } from "./phone.js";
import { ProblemError } from "./problem.js";
import { type ParsedRecipient, parseSubmission } from "./send-request.js";
import type {
  BulkSmsCredential,
  BulkSmsFailureSubtype,
  BulkSmsMessage,
  BulkSmsStatusType,
  BulkSmsWebhook,
  SentMessageRecord,
} from "./types.js";
import type { WebhookDispatcher } from "./webhook-dispatcher.js";

export const DEDUP_WINDOW_MS = 12 * 3600_000;
export const DEFAULT_STOP_WORDS: readonly string[] = [
  "STOP",
  "STOPALL",
  "UNSUBSCRIBE",
  "CANCEL",
  "END",
  "QUIT",
];
export const MAX_BLOCKED_PER_POST = 1000;
export const MAX_BLOCKED_LIMIT = 10_000;
export const DEFAULT_MESSAGES_LIMIT = 1000;

interface StoredMessage {
  message: BulkSmsMessage;
  repliable: boolean;
  deliveryReports: ParsedRecipient["deliveryReports"];
  /** The number was blocked when the message was submitted (it will end FAILED.BLOCKED). */
  blocked: boolean;
  /** Virtual ms before which the message is scheduled (hidden from GET /messages). */
  visibleFrom: number;
}

interface Account {
  credential: BulkSmsCredential;
  id: string;
  username: string;
  created: string;
  credits: number;
  quotaSize: number;
  quotaDay: number;
  quotaUsed: number;
  messages: StoredMessage[];
  byId: Map<string, StoredMessage>;
  blocked: { id: number; phoneNumber: string }[];
  blockedSet: Set<string>;
  blockedSeq: number;
  webhooks: Map<number, BulkSmsWebhook>;
  dedup: Map<number, { at: number; response: BulkSmsMessage[] }>;
}

export interface SendOptions {
  deduplicationId: number | null;
  autoUnicode: boolean;
  scheduleDate: string | null;
}

export interface SimulatorStateOptions {
  clock: SandboxClock;
  credentials: BulkSmsCredential[];
  stopWords: readonly string[];
  timing: BulkSmsDeliveryTiming;
  creditsPerPart: number;
  dailyQuota: number;
  replyNumber: string;
  dispatcher: WebhookDispatcher;
}

export type SimulatorState = ReturnType<typeof createSimulatorState>;

const round = (n: number): number => Math.round(n * 1000) / 1000;
const statusOf = (
  type: BulkSmsStatusType,
  subtype: BulkSmsFailureSubtype | null = null,
): BulkSmsMessage["status"] => ({ id: `${type}.${subtype ?? "null"}`, type, subtype });

export function createSimulatorState(opts: SimulatorStateOptions) {
  const { clock, dispatcher } = opts;
  const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  const day = (ms: number): number => Math.floor(ms / 86_400_000);

  let messageSeq = 0n;
  let submissionSeq = 0;
  let webhookSeq = 0;
  let accounts = new Map<string, Account>();
  let sentLog: SentMessageRecord[] = [];
  let outcomes = new Map<string, NumberOutcome>();
  let stopWords = new Set(opts.stopWords.map((w) => w.trim().toUpperCase()));
  const pendingTimers = new Set<() => void>();

  const makeAccount = (credential: BulkSmsCredential, i: number): Account => ({
    credential: { ...credential },
    id: String(100_000 + i),
    username: `sandbox-${i + 1}`,
    created: iso(clock.now()),
    credits: credential.credits,
    quotaSize: opts.dailyQuota,
    quotaDay: day(clock.now()),
    quotaUsed: 0,
    messages: [],
    byId: new Map(),
    blocked: [],
    blockedSet: new Set(),
    blockedSeq: 0,
    webhooks: new Map(),
    dedup: new Map(),
  });

  const reset = (): void => {
    for (const cancel of pendingTimers) cancel();
    pendingTimers.clear();
    accounts = new Map(opts.credentials.map((c, i) => [c.tokenId, makeAccount(c, i)]));
    sentLog = [];
    outcomes = new Map();
    messageSeq = 0n;
    submissionSeq = 0;
  };
  reset();

  const nextMessageId = (): string => {
    messageSeq += 1n;
    return String(953_262_833_859_043_328n + messageSeq * 7n);
  };

  /**
   * Run `fn` at absolute virtual time `at`. A step whose time has already passed (because one
   * clock.advance jumped over several steps) runs at once, so a chain of steps completes in one advance.
   */
  const timerAt = (at: number, fn: () => void): void => {
    const delay = at - clock.now();
    if (delay <= 0) {
      fn();
      return;
    }
    const cancel = clock.setTimer(delay, () => {
      pendingTimers.delete(cancel);
      fn();
    });
    pendingTimers.add(cancel);
  };

  const account = (tokenId?: string): Account => {
    const found = tokenId === undefined ? accounts.values().next().value : accounts.get(tokenId);
    if (!found) throw new Error(`bulksms sandbox: unknown account ${tokenId ?? "(none configured)"}`);
    return found;
  };

  const authenticate = (tokenId: string, tokenSecret: string): Account | undefined => {
    const a = accounts.get(tokenId);
    return a && a.credential.tokenSecret === tokenSecret ? a : undefined;
  };

  const isBlocked = (a: Account, wire: string): boolean => a.blockedSet.has(wire);

  const addBlocked = (a: Account, wires: string[]): void => {
    for (const w of wires) {
      if (isBlocked(a, w)) continue;
      a.blockedSeq += 1;
      a.blockedSet.add(w);
      a.blocked.push({ id: a.blockedSeq, phoneNumber: w });
    }
  };

  const quotaRemaining = (a: Account): number => {
    if (a.quotaDay !== day(clock.now())) {
      a.quotaDay = day(clock.now());
      a.quotaUsed = 0;
    }
    return Math.max(0, a.quotaSize - a.quotaUsed);
  };

  const report = (a: Account, changed: StoredMessage[]): void => {
    const payload = changed
      .filter(
        (s) =>
          s.deliveryReports === "ALL" ||
          (s.deliveryReports === "ERRORS" && s.message.status.type === "FAILED"),
      )
      .map((s) => s.message);
    if (payload.length === 0) return;
    for (const hook of a.webhooks.values()) {
      if (hook.triggerScope === "SENT") dispatcher.enqueue(hook, "status-report", payload);
    }
  };

  const progress = (a: Account, batch: StoredMessage[], startIn: number): void => {
    const sentAfter = opts.timing.sentAfterMs ?? DEFAULT_SENT_AFTER_MS;
    const deliveredAfter = opts.timing.deliveredAfterMs ?? DEFAULT_DELIVERED_AFTER_MS;
    const sentAt = clock.now() + startIn + sentAfter;
    timerAt(sentAt, () => {
      const onward: StoredMessage[] = [];
      for (const s of batch) {
        const m = s.message;
        if (s.blocked) m.status = statusOf("FAILED", "BLOCKED");
        else if (isTestNumber(m.to)) m.status = statusOf("FAILED", "NOT_SENT");
        else if (outcomes.get(m.to) === "NOT_SENT") m.status = statusOf("FAILED", "NOT_SENT");
        else {
          m.status = statusOf("SENT");
          onward.push(s);
        }
      }
      report(a, batch);
      if (onward.length === 0) return;
      timerAt(sentAt + deliveredAfter, () => {
        const finals: StoredMessage[] = [];
        for (const s of onward) {
          if (s.deliveryReports !== "ALL" && outcomes.get(s.message.to) === undefined) continue;
          const outcome = outcomes.get(s.message.to) ?? "DELIVERED";
          if (outcome === "DELIVERED") {
            if (s.deliveryReports !== "ALL") continue;
            s.message.status = statusOf("DELIVERED");
          } else {
            if (s.deliveryReports === "NONE") continue;
            s.message.status = statusOf("FAILED", outcome);
          }
          finals.push(s);
        }
        report(a, finals);
      });
    });
  };

  const send = (a: Account, payload: unknown, options: SendOptions): BulkSmsMessage[] => {
    const now = clock.now();
    if (options.deduplicationId !== null) {
      const seen = a.dedup.get(options.deduplicationId);
      if (seen && now - seen.at < DEDUP_WINDOW_MS) return structuredClone(seen.response);
    }
    const recipients = parseSubmission(payload);
    let scheduleAt = now;
    if (options.scheduleDate !== null) {
      const t = Date.parse(options.scheduleDate);
      if (!/(Z|[+-]\d\d:?\d\d)$/.test(options.scheduleDate) || !Number.isFinite(t)) {
        throw new ProblemError(
          "bad-request",
          `schedule-date must be a date-time with an offset, got '${options.scheduleDate}'`,
        );
      }
      if (t - now > 2 * 366 * 86_400_000)
        throw new ProblemError("bad-request", "schedule-date is more than 2 years ahead");
      scheduleAt = Math.max(now, t);
    }
    const planned = recipients.map((r) => {
      const encoded = encodeBody(r.body, r.encoding as BulkSmsEncoding, options.autoUnicode);
      if (encoded.parts > r.longMessageMaxParts) {
        throw new ProblemError(
          "bad-request",
          `The message needs ${encoded.parts} parts but longMessageMaxParts is ${r.longMessageMaxParts}`,
        );
      }
      const cost = isTestNumber(r.to) ? 0 : round(encoded.parts * opts.creditsPerPart);
      return { r, encoded, cost };
    });
    const total = round(planned.reduce((sum, p) => sum + p.cost, 0));
    if (total > a.credits + 1e-9) {
      throw new ProblemError(
        "insufficient-credits",
        `This request needs ${total} credits but the balance is ${a.credits}`,
      );
    }
    if (planned.length > quotaRemaining(a)) {
      throw new ProblemError("quota-exceeded", `The daily quota allows ${quotaRemaining(a)} more messages`);
    }
    a.credits = round(a.credits - total);
    a.quotaUsed += planned.length;
    submissionSeq += 1;
    const submission = { id: `2-${String(submissionSeq).padStart(20, "0")}`, date: iso(now) };
    const scheduled = scheduleAt > now;
    const batch: StoredMessage[] = planned.map(({ r, encoded, cost }) => {
      const repliable = r.from === null || r.from.type === "REPLIABLE";
      const message: BulkSmsMessage = {
        id: nextMessageId(),
        type: "SENT",
        from: repliable ? opts.replyNumber : (r.from?.address ?? opts.replyNumber),
        to: r.to,
        body: encoded.body,
        encoding: encoded.encoding,
        protocolId: r.protocolId,
        messageClass: r.messageClass,
        numberOfParts: encoded.parts,
        creditCost: cost,
        submission,
        status: statusOf(scheduled ? "SCHEDULED" : "ACCEPTED"),
        relatedSentMessageId: null,
        userSuppliedId: r.userSuppliedId,
      };
      const stored: StoredMessage = {
        message,
        repliable,
        deliveryReports: r.deliveryReports,
        blocked: isBlocked(a, r.to),
        visibleFrom: scheduleAt,
      };
      a.messages.push(stored);
      a.byId.set(message.id, stored);
      sentLog.push({
        id: message.id,
        account: a.credential.tokenId,
        to: message.to,
        from: message.from,
        body: message.body,
        encoding: message.encoding,
        parts: encoded.parts,
        cost,
        deduplicationId: options.deduplicationId,
        userSuppliedId: r.userSuppliedId,
        submissionId: submission.id,
        at: now,
      });
      return stored;
    });
    // The submit reply carries null numberOfParts/creditCost; they are filled in on the stored message.
    const response = batch.map((s) => ({
      ...structuredClone(s.message),
      numberOfParts: null,
      creditCost: null,
    }));
    if (options.deduplicationId !== null) a.dedup.set(options.deduplicationId, { at: now, response });
    progress(a, batch, scheduleAt - now);
    return structuredClone(response);
  };

  const visible = (a: Account): StoredMessage[] => a.messages.filter((s) => s.visibleFrom <= clock.now());

  const listMessages = (
    a: Account,
    query: { filter: string | null; limit: number | null; sortOrder: string | null },
  ): BulkSmsMessage[] => {
    const clauses = query.filter === null ? [] : parseFilter(query.filter);
    const limit = query.limit ?? DEFAULT_MESSAGES_LIMIT;
    if (!Number.isInteger(limit) || limit < 1)
      throw new ProblemError("bad-request", `Invalid limit '${query.limit}'`);
    if (query.sortOrder !== null && query.sortOrder !== "ASCENDING" && query.sortOrder !== "DESCENDING") {
      throw new ProblemError("bad-request", `Invalid sortOrder '${query.sortOrder}'`);
    }
    const found = visible(a)
      .map((s) => s.message)
      .filter((m) => matchesFilter(m, clauses));
    const sorted = query.sortOrder === "ASCENDING" ? found : found.reverse();
    return structuredClone(sorted.slice(0, limit));
  };

  const getMessage = (a: Account, id: string): BulkSmsMessage => {
    if (!/^\d+$/.test(id)) throw new ProblemError("bad-request", `Invalid message id '${id}'`);
    const s = a.byId.get(id);
    if (!s || s.visibleFrom > clock.now())
      throw new ProblemError("not-found", `Message with id '${id}' does not exist`);
    return structuredClone(s.message);
  };

  const relatedReceived = (a: Account, id: string): BulkSmsMessage[] => {
    if (!/^\d+$/.test(id)) throw new ProblemError("bad-request", `Invalid message id '${id}'`);
    return structuredClone(
      a.messages
        .filter((s) => s.message.type === "RECEIVED" && s.message.relatedSentMessageId === id)
        .map((s) => s.message),
    );
  };

  const simulateReply = (input: { from: string; body: string; to?: string }): BulkSmsMessage => {
    if (!isValidInternational(input.from))
      throw new Error(`simulateReply: invalid 'from' number '${input.from}'`);
    const from = toWireNumber(input.from);
    // The account that last sent to this number receives the reply (the first account if none did).
    let target: Account | undefined;
    let related: StoredMessage | undefined;
    let latestSent: StoredMessage | undefined;
    for (const a of accounts.values()) {
      for (const s of a.messages) {
        if (s.message.type !== "SENT" || s.message.to !== from) continue;
        if (!latestSent || BigInt(s.message.id) > BigInt(latestSent.message.id)) {
          latestSent = s;
          target = a;
        }
      }
    }
    target ??= account();
    for (const s of target.messages) {
      if (s.message.type === "SENT" && s.message.to === from && s.repliable) related = s;
    }
    const now = clock.now();
    const encoded = encodeBody(input.body, "TEXT", true);
    submissionSeq += 1;
    const message: BulkSmsMessage = {
      id: nextMessageId(),
      type: "RECEIVED",
      from,
      to: input.to !== undefined ? toWireNumber(input.to) : (related?.message.from ?? opts.replyNumber),
      body: input.body,
      encoding: encoded.encoding,
      protocolId: 0,
      messageClass: 2,
      numberOfParts: encoded.parts,
      creditCost: 0,
      submission: { id: `2-${String(submissionSeq).padStart(20, "0")}`, date: iso(now) },
      status: statusOf("DELIVERED"),
      relatedSentMessageId: related?.message.id ?? null,
      userSuppliedId: null,
    };
    const stored: StoredMessage = {
      message,
      repliable: false,
      deliveryReports: "ALL",
      blocked: false,
      visibleFrom: now,
    };
    target.messages.push(stored);
    target.byId.set(message.id, stored);
    if (stopWords.has(input.body.trim().toUpperCase())) addBlocked(target, [from]);
    for (const hook of target.webhooks.values()) {
      if (hook.triggerScope === "RECEIVED") dispatcher.enqueue(hook, "incoming-message", [message]);
    }
    return structuredClone(message);
  };

  const listBlocked = (a: Account, minId: number, limit: number) => {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_BLOCKED_LIMIT) {
      throw new ProblemError("bad-request", `limit must be between 1 and ${MAX_BLOCKED_LIMIT}`);
    }
    return a.blocked
      .filter((b) => b.id >= minId)
      .slice(0, limit)
      .map((b) => ({ ...b }));
  };

  const postBlocked = (a: Account, payload: unknown): void => {
    if (!Array.isArray(payload))
      throw new ProblemError("bad-request", "The body must be an array of phone numbers");
    if (payload.length > MAX_BLOCKED_PER_POST) {
      throw new ProblemError("bad-request", `At most ${MAX_BLOCKED_PER_POST} numbers per request`);
    }
    const wires = payload.map((p) => {
      if (typeof p !== "string" || !isValidInternational(p)) {
        throw new ProblemError("bad-request", `Invalid phone number ${JSON.stringify(p)}`);
      }
      return toWireNumber(p);
    });
    addBlocked(a, wires);
  };

  const profile = (a: Account) => ({
    id: a.id,
    username: a.username,
    created: a.created,
    credits: { balance: a.credits, limit: 0, isTransferAllowed: false },
    quota: { size: a.quotaSize, remaining: quotaRemaining(a) },
    originAddresses: { allowed: [], isFullControlAllowed: true },
    company: { name: "BulkSMS Sandbox", taxReference: "" },
  });

  return {
    reset,
    account,
    accounts: () => [...accounts.values()],
    authenticate,
    send,
    listMessages,
    getMessage,
    relatedReceived,
    simulateReply,
    listBlocked,
    postBlocked,
    addBlocked: (wires: string[], tokenId?: string) => {
      for (const w of wires)
        if (!isValidInternational(w)) throw new Error(`addBlocked: invalid number '${w}'`);
      addBlocked(account(tokenId), wires.map(toWireNumber));
    },
    blockedNumbers: (tokenId?: string) => account(tokenId).blocked.map((b) => b.phoneNumber),
    profile,
    sentLog: () => sentLog.map((r) => ({ ...r })),
    allMessages: () =>
      [...accounts.values()].flatMap((a) => a.messages.map((s) => structuredClone(s.message))),
    setCredits: (credits: number, tokenId?: string) => {
      if (!(credits >= 0)) throw new Error(`setCredits: credits must be >= 0, got ${credits}`);
      account(tokenId).credits = credits;
    },
    credits: (tokenId?: string) => account(tokenId).credits,
    setNumberOutcome: (number: string, outcome: NumberOutcome | null) => {
      if (!isValidInternational(number)) throw new Error(`setNumberOutcome: invalid number '${number}'`);
      if (outcome === null) outcomes.delete(toWireNumber(number));
      else outcomes.set(toWireNumber(number), outcome);
    },
    setStopWords: (words: readonly string[]) => {
      stopWords = new Set(words.map((w) => w.trim().toUpperCase()));
    },
    nextWebhookId: () => {
      webhookSeq += 1;
      return webhookSeq;
    },
  };
}
