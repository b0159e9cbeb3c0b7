// The evidence both crash tests check after the kills (one worker: crash.test.ts; three workers on
// PostgreSQL: crash-cluster.test.ts), read from the simulators' records: what BulkSMS accepted, the
// notes, tasks, DND and tags GHL holds, and the provider messages' statuses in GHL.
import { setTimeout as sleep } from "node:timers/promises";
import type { Sandbox } from "@ghl-bulksms/sandbox";
import type { Job, Store } from "@ghl-bulksms/store";
import { expect } from "vitest";

export interface CrashPerson {
  locationId: string;
  contactId: string;
  e164: string;
  failing: boolean;
}

export interface CrashEvidenceInput<P extends CrashPerson> {
  sb: Sandbox;
  people: readonly P[];
  /** GHL webhooks the worker acknowledged (the simulator's delivery log). */
  ghlAcked: ReadonlyArray<{ type: string; body: string }>;
  /** reply text -> the number that sent it */
  replies: ReadonlyMap<string, string>;
  /** numbers that texted STOP */
  stopped: ReadonlySet<string>;
  /** numbers whose SMS DND was set in GHL after their welcome (none in the one-worker test) */
  dnd?: ReadonlySet<string>;
  /** GHL message id -> the provider text a user wrote to that person */
  providerTexts: ReadonlyMap<string, { text: string; person: P }>;
  dead: readonly Job[];
  /** GET a contact's notes or tasks from the simulator (rate-limit aware). */
  ghlList: <T>(p: P, what: "notes" | "tasks") => Promise<T[]>;
}

export interface CrashEvidence {
  problems: string[];
  /** contacts whose acknowledged ContactCreate must have had its welcome */
  ackedCreates: Set<string>;
  notesChecked: number;
  welcomes: number;
  ackedProvider: Set<string>;
  providerSent: number;
}

const digits = (s: string) => s.replace(/\D/g, "");

/** Every problem the evidence shows: a text twice or to an opted-out number, a lost event, a note twice. */
export async function crashEvidence<P extends CrashPerson>(
  input: CrashEvidenceInput<P>,
): Promise<CrashEvidence> {
  const { sb, people, ghlAcked, replies, stopped, dnd, providerTexts, dead, ghlList } = input;
  const ackedCreates = new Set(
    ghlAcked.filter((d) => d.type === "ContactCreate").map((d) => (JSON.parse(d.body) as { id: string }).id),
  );
  const sent = sb.bulksms.control.sentMessages();
  const to = (p: P) => sent.filter((m) => digits(m.to) === digits(p.e164));
  const problems: string[] = [];
  // no SMS sent twice: one deduplication id per logical message, one welcome per number
  const dedup = sent.map((m) => m.deduplicationId);
  if (new Set(dedup).size !== dedup.length) problems.push("a deduplication id was sent twice");
  let notesChecked = 0;
  let welcomes = 0;
  for (const p of people) {
    const texts = to(p);
    const welcome = texts.filter((m) => m.body.startsWith("Hi "));
    welcomes += welcome.length;
    if (welcome.length > 1) problems.push(`${p.e164}: ${welcome.length} welcome texts`);
    // none lost: an acknowledged ContactCreate -> exactly one welcome
    if (ackedCreates.has(p.contactId) && welcome.length !== 1)
      problems.push(`${p.e164}: acknowledged create but ${welcome.length} welcomes`);
    const notes = await ghlList<{ body?: string }>(p, "notes");
    const tasks = await ghlList<{ title?: string; body?: string }>(p, "tasks");
    notesChecked += notes.length;
    const bodies = notes.map((n) => n.body ?? "");
    if (new Set(bodies).size !== bodies.length) problems.push(`${p.e164}: a duplicate note`);
    const taskKeys = tasks.map((t) => `${t.title}|${t.body}`);
    if (new Set(taskKeys).size !== taskKeys.length) problems.push(`${p.e164}: a duplicate task`);
    if (p.failing) {
      if (welcome.length === 1 && tasks.length !== 1)
        problems.push(`${p.e164}: failed text but ${tasks.length} tasks`);
    } else if (welcome.length === 1) {
      // every status report is a BulkSMS event (retried until acknowledged): one "delivered" note
      const delivered = bodies.filter((b) => b.startsWith("SMS (welcome) delivered."));
      if (delivered.length !== 1) problems.push(`${p.e164}: ${delivered.length} delivered notes`);
    }
    for (const [text, from] of replies) {
      if (from !== p.e164) continue;
      const n = bodies.filter((b) => b.includes(text)).length;
      if (n !== 1) problems.push(`${p.e164}: reply ${JSON.stringify(text)} has ${n} notes`);
    }
    if (stopped.has(p.e164)) {
      const contact = sb.ghl.control.getContact(p.contactId);
      if (contact?.dndSettings.SMS?.status !== "active") problems.push(`${p.e164}: STOP but no DND`);
      if (!contact?.tags.includes("sms-opted-out")) problems.push(`${p.e164}: STOP but no tag`);
      if (bodies.filter((b) => b.startsWith("Opted out of SMS")).length !== 1)
        problems.push(`${p.e164}: STOP but not exactly one opt-out note`);
      if (!sb.bulksms.control.blockedNumbers().some((b) => digits(b) === digits(p.e164)))
        problems.push(`${p.e164}: STOP but not blocked`);
      // no text to an opted-out number: the welcome (before the STOP) only; no confirmation either
      // (BulkSMS blocked the number on STOP: it would end FAILED.BLOCKED and be billed)
      const others = texts.filter((m) => !m.body.startsWith("Hi "));
      if (others.length !== 0)
        problems.push(
          `${p.e164}: after STOP ${others.length} texts: ${others.map((m) => m.body).join(" / ")}`,
        );
    } else if (dnd?.has(p.e164)) {
      // DND set in GHL after the welcome: not a single further text
      const contact = sb.ghl.control.getContact(p.contactId);
      if (contact?.dndSettings.SMS?.status !== "active") problems.push(`${p.e164}: DND lost`);
      const others = texts.filter((m) => !m.body.startsWith("Hi "));
      if (others.length !== 0) problems.push(`${p.e164}: after DND ${others.length} texts`);
    } else if (texts.some((m) => !m.body.startsWith("Hi ") && !m.body.startsWith("Provider "))) {
      problems.push(`${p.e164}: an unexpected text`);
    }
  }
  // provider messages: one text per GHL message id, its last status in GHL final
  const ackedProvider = new Set(
    ghlAcked
      .filter((d) => d.type === "ProviderOutboundMessage")
      .map((d) => (JSON.parse(d.body) as { messageId: string }).messageId),
  );
  const statusUpdates = sb.ghl.control.statusUpdates();
  let providerSent = 0;
  for (const [id, { text, person }] of providerTexts) {
    const n = to(person).filter((m) => m.body === text).length;
    providerSent += n;
    if (n > 1) problems.push(`${person.e164}: provider message ${id} sent ${n} times`);
    if (ackedProvider.has(id) && n !== 1)
      problems.push(`${person.e164}: acknowledged provider message ${id} sent ${n} times`);
    const statuses = statusUpdates.filter((u) => u.messageId === id).map((u) => u.status);
    if (n === 1 && statuses.at(-1) !== "delivered")
      problems.push(`${person.e164}: provider message ${id} statuses ${statuses.join(",") || "none"}`);
    if (statuses.includes("delivered") && statuses.slice(statuses.indexOf("delivered")).includes("pending"))
      problems.push(`${person.e164}: provider message ${id} went back to pending: ${statuses.join(",")}`);
  }
  if (dead.length > 0)
    problems.push(`${dead.length} dead letters: ${dead.map((d) => `${d.name}: ${d.lastError}`).join("; ")}`);
  return { problems, ackedCreates, notesChecked, welcomes, ackedProvider, providerSent };
}

/** Reads a contact's notes or tasks from the GHL simulator with its location's token, waiting out 429s. */
export function ghlEvidenceReader(sb: Sandbox) {
  return async <T>(p: CrashPerson, what: "notes" | "tasks"): Promise<T[]> => {
    const token = sb.ghl.locations.find((l) => l.id === p.locationId)?.token;
    for (let attempt = 1; ; attempt++) {
      const r = await fetch(`${sb.ghl.url}/contacts/${p.contactId}/${what}`, {
        headers: { authorization: `Bearer ${token}`, version: "2021-07-28" },
      });
      // the simulator's per-location rate limit also applies to these evidence reads
      if (r.status === 429 && attempt < 50) {
        await sleep(100);
        continue;
      }
      expect(r.status).toBe(200);
      return ((await r.json()) as Record<string, T[]>)[what] ?? [];
    }
  };
}

/** On failure: what the store knows about each number with a problem, printed for the person debugging. */
export async function printProblemDiagnostics(
  store: Store,
  people: readonly CrashPerson[],
  problems: readonly string[],
): Promise<void> {
  const diagnostics: unknown[] = [];
  for (const p of people) {
    if (!problems.some((x) => x.startsWith(p.e164))) continue;
    const messages = await store.messages.listForContact(p.locationId, p.contactId);
    diagnostics.push({
      phone: p.e164,
      optOut: await store.optOuts.get(p.locationId, p.e164),
      messages: messages.map((m) => ({
        key: m.key,
        status: m.status,
        subtype: m.subtype,
        error: m.error,
        attempts: m.attempts,
        meta: m.meta,
      })),
      inbox: (await store.inbox.listPending()).length,
    });
  }
  if (diagnostics.length > 0)
    process.stdout.write(`crash diagnostics: ${JSON.stringify(diagnostics, null, 2)}\n`);
}
