// Crash safety of a full reconcile: two identical sandboxes and mirrors; run A is uninterrupted, run B is
// SIGKILLed at random moments and restarted until it finishes. Both must end in the same state (GHL
// records, notes, mirror, opt-outs, run counts) with the same number of GHL writes (no duplicates).
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBulkSmsClient } from "@ghl-bulksms/bulksms";
import { createGhlClient } from "@ghl-bulksms/ghl";
import { type Sandbox, startSandbox } from "@ghl-bulksms/sandbox";
import { openSqliteStore, type Store } from "@ghl-bulksms/store";
import { type ConsentLog, consentStatus } from "@ghl-bulksms/sync";
import { createEngine, parseLifecycleConfig, reconcile, registerLocation } from "../src/index.js";
import type { ChildInput } from "./reconcile-child.js";
import { spawnReconcileChild } from "./spawn-child.js";

const START = Date.UTC(2026, 2, 10, 12, 0);
const WRITE = /^(PUT|POST|DELETE) /;

export interface CrashReport {
  contacts: number;
  kills: number;
  killedAtMs: number[];
  resumes: number;
  countsA: unknown;
  countsB: unknown;
  writesA: number;
  writesB: number;
  differences: string[];
  wallMs: { setup: number; runA: number; runB: number };
}

function writes(s: Sandbox): string[] {
  return s.ghl.control
    .requestLog()
    .map((e) => `${e.method} ${e.path}`)
    .filter((x) => WRITE.test(x) && !x.startsWith("POST /contacts/search"));
}

export async function runCrashScenario(options: {
  contacts: number;
  kills: number;
  rng?: () => number;
  log?: (msg: string) => void;
}): Promise<CrashReport> {
  const log = options.log ?? (() => {});
  const rng = options.rng ?? Math.random;
  const dir = mkdtempSync(join(tmpdir(), "reconcile-crash-"));
  const key = randomBytes(32);
  const lifecycle = { defaults: { reconcile: { staleAfterMs: 1_000, writeConcurrency: 6 } } };
  const t0 = Date.now();
  const boxes: Sandbox[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      boxes.push(
        await startSandbox({
          seed: "crash",
          clockStart: START,
          ghl: {
            seed: "crash",
            locations: [{ country: "GB", timezone: "Europe/London" }],
            rateLimit: { burstMax: 100_000 },
          },
        } as never),
      );
    }
    const [s1, s2] = boxes as [Sandbox, Sandbox];
    const loc = s1.ghl.locations[0]!;
    if (s2.ghl.locations[0]?.id !== loc.id) throw new Error("sandboxes differ");
    s1.ghl.control.seedContacts(options.contacts, { locationId: loc.id });
    s2.ghl.control.seedContacts(options.contacts, { locationId: loc.id });
    const ids1 = s1.ghl.control.listContacts(loc.id).map((c) => c.id);
    const ids2 = s2.ghl.control.listContacts(loc.id).map((c) => c.id);
    if (ids1.join() !== ids2.join()) throw new Error("seeded contacts differ");

    // Mirror F1 by a first full run (in-process), copied to F2.
    const f1 = join(dir, "a.db");
    const f2 = join(dir, "b.db");
    {
      const store = openSqliteStore({ path: f1, now: s1.clock.now, encryptionKey: key });
      const deps = depsFor(s1, store);
      await registerLocation(deps, { id: loc.id, region: loc.country, timezone: loc.timezone });
      const r = await reconcile({
        deps,
        locationId: loc.id,
        kind: "full",
        config: parseLifecycleConfig(lifecycle),
      });
      if (!r.ok) throw new Error(`initial run: ${JSON.stringify(r)}`);
      log(`initial full run: ${JSON.stringify(r.counts)}`);
      await store.close();
      copyFileSync(f1, f2);
    }
    // The same changes on both sides of both copies: GHL edits, local edits, local STOPs.
    const optOutAt = START + 30_000;
    for (const [path, box] of [
      [f1, s1],
      [f2, s2],
    ] as const) {
      const store = openSqliteStore({ path, now: box.clock.now, encryptionKey: key });
      for (const [i, id] of ids1.entries()) {
        if (i % 100 === 0) box.ghl.control.updateContact(id, { firstName: `Ghl${i}` });
        if (i % 100 === 50 || i % 200 === 25) {
          const rec = await store.contacts.get(loc.id, id);
          if (!rec) continue;
          if (i % 100 === 50) {
            await store.contacts.upsert({
              locationId: loc.id,
              contactId: id,
              profile: { ...(rec.profile as object), lastName: `Local${i}`, localEditedAt: optOutAt },
            });
          } else if (rec.phoneE164) {
            await store.optOuts.set({
              locationId: loc.id,
              phoneE164: rec.phoneE164,
              state: "opted_out",
              source: "sms_stop",
              at: optOutAt,
            });
          }
        }
      }
      await store.close();
    }
    const setup = Date.now() - t0;

    const input = (box: Sandbox, storePath: string): ChildInput => ({
      ghlUrl: box.ghl.url,
      ghlToken: loc.token,
      bulksmsUrl: box.bulksms.url,
      bulksmsTokenId: box.bulksms.credentials[0]!.tokenId,
      bulksmsTokenSecret: box.bulksms.credentials[0]!.tokenSecret,
      storePath,
      encryptionKeyHex: key.toString("hex"),
      locationId: loc.id,
      kind: "full",
      clock: { virtualAt: box.clock.now(), realAt: Date.now(), speed: box.clock.speed },
      lifecycle,
      waitForStaleMs: 30_000,
    });

    // Run A: uninterrupted.
    const writesA0 = writes(s1).length;
    const ta = Date.now();
    const a = await spawnReconcileChild(input(s1, f1)).done;
    const runA = Date.now() - ta;
    if (!a.output?.ok) throw new Error(`run A failed: ${a.stderr} ${JSON.stringify(a.output)}`);
    const resA = a.output.result as { counts: unknown; runId: number };
    log(`run A: ${runA} ms ${JSON.stringify(resA.counts)}`);

    // Run B: killed at random moments, then resumed to the end.
    const writesB0 = writes(s2).length;
    const tb = Date.now();
    const killedAtMs: number[] = [];
    let final: Awaited<ReturnType<typeof spawnReconcileChild>["done"]> | null = null;
    const pages = Math.ceil(options.contacts / 500);
    for (let k = 0; k <= options.kills; k++) {
      if (k < options.kills) {
        // Kill at a random moment inside the run: after a random number of committed pages (counted from
        // this child's start), plus a random few milliseconds into the next page.
        const afterPages = 1 + Math.floor(rng() * Math.max(1, pages / (options.kills + 1)));
        const extraMs = Math.floor(rng() * 150);
        let seen = 0;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const running = spawnReconcileChild(input(s2, f2), () => {
          seen++;
          if (seen === afterPages) timer = setTimeout(() => running.child.kill("SIGKILL"), extraMs);
        });
        const r = await running.done;
        if (timer) clearTimeout(timer);
        if (r.signal === "SIGKILL") {
          killedAtMs.push(Date.now() - tb);
          continue;
        }
        final = r; // finished before the kill
        break;
      }
      final = await spawnReconcileChild(input(s2, f2)).done;
    }
    const runB = Date.now() - tb;
    if (!final?.output?.ok)
      throw new Error(`run B failed: ${final?.stderr} ${JSON.stringify(final?.output)}`);
    const resB = final.output.result as { counts: unknown; runId: number; resumed: boolean };

    // Compare.
    const differences: string[] = [];
    const sa = openSqliteStore({ path: f1, now: s1.clock.now, encryptionKey: key });
    const sb = openSqliteStore({ path: f2, now: s2.clock.now, encryptionKey: key });
    const runRowB = await sb.runs.get(resB.runId);
    for (const id of ids1) {
      const g1 = s1.ghl.control.getContact(id);
      const g2 = s2.ghl.control.getContact(id);
      const pick = (g: typeof g1) =>
        JSON.stringify({
          f: g?.firstName,
          l: g?.lastName,
          t: [...(g?.tags ?? [])].sort(),
          d: g?.dndSettings?.SMS?.status ?? null,
        });
      if (pick(g1) !== pick(g2)) differences.push(`ghl ${id}: ${pick(g1)} != ${pick(g2)}`);
      const m1 = await sa.contacts.get(loc.id, id);
      const m2 = await sb.contacts.get(loc.id, id);
      // Consent event times come from GHL's dateUpdated, which differs by the ms the setup edits took in
      // each world; so where a GHL DND and a STOP are milliseconds apart, which of them is the latest
      // opt-out can differ between the worlds. The base's consent is compared by its effective status.
      const mp = (m: typeof m1) => {
        const base = m?.base as { consent?: ConsentLog } | null | undefined;
        const b = base?.consent ? { ...base, consent: consentStatus(base.consent) } : base;
        return JSON.stringify({ p: m?.profile, b, d: m?.deleted, ph: m?.phoneE164 }, (k, v) =>
          k === "at" ? undefined : v,
        );
      };
      if (mp(m1) !== mp(m2)) differences.push(`mirror ${id}: ${mp(m1)} != ${mp(m2)}`);
      if (m1?.phoneE164) {
        const o1 = await sa.optOuts.get(loc.id, m1.phoneE164);
        const o2 = await sb.optOuts.get(loc.id, m1.phoneE164);
        if (o1?.state !== o2?.state) differences.push(`opt-out ${id}`);
      }
    }
    const notes = (s: Sandbox) =>
      s.ghl.control.requestLog().filter((e) => e.method === "POST" && /\/notes$/.test(e.path)).length;
    if (notes(s1) !== notes(s2)) differences.push(`notes ${notes(s1)} != ${notes(s2)}`);
    if (JSON.stringify(resA.counts) !== JSON.stringify(resB.counts)) differences.push("run counts differ");
    await sa.close();
    await sb.close();
    return {
      contacts: options.contacts,
      kills: killedAtMs.length,
      killedAtMs,
      resumes: runRowB?.resumes ?? 0,
      countsA: resA.counts,
      countsB: resB.counts,
      writesA: writes(s1).length - writesA0,
      writesB: writes(s2).length - writesB0,
      differences,
      wallMs: { setup, runA, runB },
    };
  } finally {
    for (const b of boxes) await b.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function depsFor(box: Sandbox, store: Store) {
  const loc = box.ghl.locations[0]!;
  const ghl = createGhlClient({
    auth: { kind: "private-integration", token: loc.token },
    baseUrl: box.ghl.url,
    now: box.clock.now,
  });
  const cred = box.bulksms.credentials[0]!;
  const sms = createBulkSmsClient({
    tokenId: cred.tokenId,
    tokenSecret: cred.tokenSecret,
    baseUrl: box.bulksms.url,
    now: box.clock.now,
  });
  return createEngine({ store, ghl: () => ghl, sms, now: box.clock.now }).deps;
}
