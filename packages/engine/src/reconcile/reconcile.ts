// Periodic reconciliation of one location: GHL search (pageLimit 500) -> three-way plan per contact ->
// GHL writes with background priority + local mirror/opt-out writes, resumable from the run checkpoint.
import { type ContactRecord, emptyCounts, type OptOut, type SyncRunCounts } from "@ghl-bulksms/store";
import {
  consentStatus,
  type FieldDecision,
  type FieldValue,
  type GhlContactLike,
  isRestrictive,
  planContactSync,
  type SyncOperation,
  type SyncPolicies,
  valuesEqual,
} from "@ghl-bulksms/sync";
import { type LifecycleConfig, lifecycleFor, parseLifecycleConfig } from "../automations/config.js";
import { detectFollowUpTriggers } from "../automations/follow-up-triggers.js";
import { welcomeDiscoveredContact } from "../automations/welcome-under-reconcile.js";
import { mappingFor } from "../core/config.js";
import { type EngineDeps, loadLocation } from "../core/deps.js";
import { buildProfile, identityKeys } from "../core/mirror.js";
import { toE164 } from "../core/phone.js";
import { consentViewTimeOfSearchHit } from "../gate/consent-view.js";
import { handleContactDeleted } from "../ghl-events/contact-deleted.js";
import { isExplicitOptIn } from "../opt-out/gateway-block.js";
import { applyOptOut } from "../opt-out/opt-out-state.js";
import { applyGhlOperations, ghlWriteOps } from "./apply-ghl.js";
import { addCounts, asCheckpoint, initialCheckpoint, type ReconcileCheckpoint } from "./checkpoint.js";
import {
  asBase,
  ghlSide,
  type LocalProfile,
  localConsent,
  localSide,
  mergedBase,
  profileOf,
  SMS_SYNC_FIELDS,
} from "./sync-view.js";

export type ReconcileKind = "incremental" | "full";

export interface ReconcileProgress {
  runId: number;
  phase: ReconcileCheckpoint["phase"];
  pages: number;
  counts: SyncRunCounts;
}

export interface PlannedContact {
  contactId: string;
  kind: "create" | "update" | "delete";
  operations: SyncOperation[];
  decisions: FieldDecision[];
}

export interface ReconcileOptions {
  deps: EngineDeps;
  locationId: string;
  kind: ReconcileKind;
  /** Compute the whole plan and write nothing to any vendor (nor to the mirror); the run is still recorded. */
  dryRun?: boolean;
  onProgress?: (progress: ReconcileProgress) => void;
  /** Lifecycle configuration (policies, page size, welcome age...). Default: all defaults. */
  config?: LifecycleConfig;
  /** Run owner written on the run row (worker id, "cli"). */
  owner?: string;
  /** Max planned contacts returned by a dry run (the counts always cover everything). Default 10 000. */
  maxPlanEntries?: number;
}

export type ReconcileResult =
  | {
      ok: true;
      runId: number;
      resumed: boolean;
      dryRun: boolean;
      counts: SyncRunCounts;
      /** GHL requests made by this run (across resumes). */
      requests: number;
      /** Dry run only: what would be done, per contact with something to do. */
      plan?: PlannedContact[];
      planTruncated?: boolean;
    }
  | { ok: false; reason: "location_unknown" }
  | { ok: false; reason: "already_running"; activeRunId: number }
  | { ok: false; reason: "failed"; runId: number; error: string; retryable: boolean; counts: SyncRunCounts };

const BACKGROUND = { priority: "background" } as const;
/**
 * Pages whose writes may be pending at once. Deep enough that a whole rate window's worth of planned
 * writes (100 / 10 s at ~5 writes per 500-contact page) is queued when the limiter opens again.
 */
const PIPELINE_PAGES = 24;
const E164 = /^\+\d{7,15}$/;

function zeroCounts(): SyncRunCounts {
  return emptyCounts();
}

/** Runs at most `limit` tasks at once; the others wait their turn (FIFO). */
function createGate(limit: number): (task: () => Promise<void>) => Promise<void> {
  let running = 0;
  const queue: Array<() => void> = [];
  return async (task) => {
    if (running >= limit) await new Promise<void>((resolve) => queue.push(resolve));
    running++;
    try {
      await task();
    } finally {
      running--;
      queue.shift()?.();
    }
  };
}

/** A page hit with DND settings is a view of GHL's DND and tags (dated back by the search index's lag). */
function consentStamp(hit: GhlContactLike, readAt: number): { consentCheckedAt?: number } {
  const t = consentViewTimeOfSearchHit(hit, readAt);
  return t === undefined ? {} : { consentCheckedAt: t };
}

function parseTime(iso: string | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

/** Reconciles one location; see the module comment. Never throws for vendor problems (returns them). */
export async function reconcile(options: ReconcileOptions): Promise<ReconcileResult> {
  const { deps, locationId, kind } = options;
  const dryRun = options.dryRun ?? false;
  const config = options.config ?? deps.lifecycle ?? parseLifecycleConfig({});
  const settings = lifecycleFor(config, locationId).reconcile;
  const policies: SyncPolicies = settings.policies;
  const ctx = await loadLocation(deps, locationId);
  if (!ctx) return { ok: false, reason: "location_unknown" };
  const region = ctx.location.region;
  const mapping = mappingFor(ctx.policy, region);

  const started = await deps.store.runs.start({
    locationId,
    kind,
    dryRun,
    staleAfterMs: settings.staleAfterMs,
    ...(options.owner ? { owner: options.owner } : {}),
  });
  if (!started.started) return { ok: false, reason: "already_running", activeRunId: started.active.id };
  const run = started.run;
  const resumedCp = started.resumed ? asCheckpoint(run.checkpoint) : null;
  let cp: ReconcileCheckpoint;
  let committed: SyncRunCounts;
  if (resumedCp) {
    cp = resumedCp;
    committed = run.counts;
  } else {
    let since: number | null = null;
    if (kind === "incremental") {
      const last = await latestHighWater(deps, locationId);
      since = last === null ? null : last - settings.overlapMs;
    }
    cp = initialCheckpoint(deps.now(), since);
    committed = zeroCounts();
    await deps.store.runs.saveCheckpoint(run.id, cp, committed);
  }
  const client = deps.ghl(locationId);
  const planned: PlannedContact[] = [];
  const maxPlan = options.maxPlanEntries ?? 10_000;
  let planTruncated = false;
  const progress = () =>
    options.onProgress?.({ runId: run.id, phase: cp.phase, pages: cp.pages, counts: committed });

  const fail = async (error: string, retryable: boolean): Promise<ReconcileResult> => {
    committed.errors++;
    await deps.store.runs.saveCheckpoint(run.id, cp, committed);
    await deps.store.runs.finish(run.id, { status: "failed", counts: committed, error });
    for (const row of await deps.store.settings.list(`reconcile:seen:${run.id}:`))
      await deps.store.settings.delete(row.key);
    deps.logger.warn({ runId: run.id, locationId, error }, "reconcile run failed");
    return { ok: false, reason: "failed", runId: run.id, error, retryable, counts: committed };
  };

  // ---- opt-outs: the BulkSMS blocked list (read every run; small) -> local opt-outs.
  const blocked = new Set<string>();
  try {
    for await (const b of deps.sms.iterateBlockedNumbers()) blocked.add(b.phoneNumber);
  } catch (error) {
    return fail(`bulksms blocked numbers: ${(error as Error).message}`, true);
  }
  const optOuts = new Map<string, OptOut>();
  for (const o of await deps.store.optOuts.list({ locationId, limit: 10_000_000 })) {
    if (o.channel === "sms" || !optOuts.has(o.phoneE164)) optOuts.set(o.phoneE164, o);
  }
  const at = deps.now();
  for (const phone of blocked) {
    if (!E164.test(phone)) continue;
    const current = optOuts.get(phone);
    // an explicit re-subscribe (START or an operator) is newer than the block BulkSMS cannot lift: it wins
    if (current?.state === "opted_out" || isExplicitOptIn(current)) continue;
    const row: OptOut = {
      locationId,
      phoneE164: phone,
      channel: "sms",
      state: "opted_out",
      source: "bulksms_blocked",
      note: "on the BulkSMS blocked list",
      at,
      eventAt: at,
      eventKey: null,
      eventSeq: null,
    };
    optOuts.set(phone, row);
    if (!dryRun && !cp.blockedPulled) {
      // Only numbers of this location's contacts become its opt-outs (the engine's opt-out flow: mirror,
      // pending sends, follow-ups, tag and note jobs; GHL DND by job when an incremental scan may miss it).
      const owners = await deps.store.contacts.findByPhone(locationId, phone);
      if (owners.length === 0) continue;
      const r = await deps.store.transaction((tx) =>
        applyOptOut(tx, ctx, {
          phone,
          source: "bulksms_blocked",
          eventKey: `reconcile:${run.id}:blocked`,
          why: "The number is on the BulkSMS blocked list",
          now: at,
          setGhlDnd: kind === "incremental",
          pushBlock: false,
          confirm: false,
        }),
      );
      if (r.changed) committed.optOutsSynced++;
    }
  }
  if (!cp.blockedPulled && !dryRun) {
    cp.blockedPulled = true;
    await deps.store.runs.saveCheckpoint(run.id, cp, committed);
  }

  // ---- scan
  const sort =
    kind === "full"
      ? [{ field: "dateAdded", direction: "asc" as const }]
      : [{ field: "dateUpdated", direction: "asc" as const }];
  const filters =
    kind === "incremental" && cp.since !== null
      ? [
          {
            field: "dateUpdated",
            operator: "range" as const,
            value: { gte: new Date(cp.since).toISOString() },
          },
        ]
      : undefined;
  const seenThisRun = new Set<string>();
  const seenPrefix = `reconcile:seen:${run.id}:`;
  const search = (cursor: Array<string | number> | null) => {
    cp.requests++;
    return client.contacts.search(
      {
        locationId,
        pageLimit: settings.pageLimit,
        sort,
        ...(filters ? { filters } : {}),
        ...(cursor ? { searchAfter: cursor } : { page: 1 }),
      },
      BACKGROUND,
    );
  };
  // The next pages are requested while this one is processed (reads only: nothing to undo after a
  // crash), `prefetchPages` ahead, so GHL's search latency overlaps planning and writes.
  type SearchResult = Awaited<ReturnType<typeof search>>;
  const ahead = new Map<string, Promise<SearchResult>>();
  const fetchAhead = (cursor: Array<string | number>, depth: number): void => {
    const key = JSON.stringify(cursor);
    if (depth <= 0 || ahead.has(key)) return;
    const p = search(cursor);
    p.catch(() => {});
    ahead.set(key, p);
    void p.then((res) => {
      if (!res.ok) return;
      const hits = res.data.contacts ?? [];
      const last = hits[hits.length - 1] as { searchAfter?: Array<string | number> } | undefined;
      if (hits.length >= settings.pageLimit && last?.searchAfter) fetchAhead(last.searchAfter, depth - 1);
    });
  };
  // Pipeline: pages are planned ahead of their writes (up to PIPELINE_PAGES pages with writes pending),
  // so a backlog of planned writes is always queued at the rate limiter and each freed slot is used at
  // once; the limiter, not the scan, sets the pace. Each page's end (local-only changes, mirror refreshes,
  // counts, the cursor) still commits in page order, after all its writes: the checkpoint's cursor is the
  // end of the last fully committed page, and `pageDone` holds the contacts committed beyond it (of any
  // later page), so a resumed run re-reads those pages and skips exactly them.
  const gate = createGate(settings.writeConcurrency);
  const resumeDone = new Set(cp.pageDone);
  /** Contacts with a write or a mirror update not yet committed -> the end of their page. */
  const contactSettled = new Map<string, Promise<void>>();
  const openPages: Array<Promise<void>> = [];
  const allTasks = new Set<Promise<void>>();
  let commitTail: Promise<void> = Promise.resolve();
  let scanCursor = cp.cursor;
  let scanEnded = cp.phase !== "scan";
  const settleAll = async (): Promise<void> => {
    await Promise.allSettled([...allTasks, commitTail]);
  };
  try {
    while (!scanEnded) {
      const key = JSON.stringify(scanCursor);
      const pending = ahead.get(key) ?? search(scanCursor);
      ahead.delete(key);
      const r = await pending;
      if (!r.ok) {
        await settleAll();
        await commitTail.catch(() => {});
        return fail(`search: ${r.error.message}`, r.error.retryable);
      }
      const hits = (r.data.contacts ?? []) as Array<
        GhlContactLike & { searchAfter?: Array<string | number> }
      >;
      const lastHit = hits[hits.length - 1];
      const more = hits.length >= settings.pageLimit && lastHit?.searchAfter !== undefined;
      if (more && lastHit?.searchAfter) fetchAhead(lastHit.searchAfter, settings.prefetchPages);
      const page = zeroCounts();
      const refresh: Array<{ record: ContactRecord; hit: GhlContactLike }> = [];
      const touched: string[] = [];
      // Each contact's writes start as soon as it is planned (bounded concurrency, shared by the pages in
      // flight), so GHL writes overlap the planning of the rest of the scan.
      const inflight: Array<Promise<void>> = [];
      type Tx = Parameters<Parameters<EngineDeps["store"]["transaction"]>[0]>[0];
      // Contacts with only local changes commit with the page (one transaction, atomic with the cursor).
      const localOnly: Array<{ delta: SyncRunCounts; write: (tx: Tx) => Promise<void> }> = [];
      const nowMs = deps.now();
      const nowIso = new Date(nowMs).toISOString();

      for (const hit of hits) {
        const updatedAt = parseTime(hit.dateUpdated);
        if (updatedAt !== null && (cp.highWater === null || updatedAt > cp.highWater))
          cp.highWater = updatedAt;
        if (resumeDone.delete(hit.id)) continue;
        const again = seenThisRun.has(hit.id);
        seenThisRun.add(hit.id);
        // Seen again (moved by a write during the scan) while its earlier outcome is not committed yet:
        // plan it against the committed mirror, never against the stale one.
        const earlier = contactSettled.get(hit.id);
        if (earlier) await earlier;
        const record = await deps.store.contacts.get(locationId, hit.id);
        const profile = profileOf(record);
        // Fast path (most contacts of a full run): GHL did not change the contact since the mirror saw it,
        // and the local side still equals the last agreed base -> nothing to plan, no phone parsing.
        if (
          !started.resumed &&
          record &&
          profile &&
          !record.deleted &&
          !again &&
          unchangedSinceBase(record, hit, profile, optOuts)
        ) {
          page.scanned++;
          page.unchanged++;
          continue;
        }
        const phone = profile?.phone ?? toE164(hit.phone ?? null, region, hit.country);
        const ghl = ghlSide(hit, region, nowIso);
        // Without a textable number there is no local opt-out state to keep in step: mirror GHL's.
        const textable = phone !== null && E164.test(phone);
        const local =
          record && profile
            ? localSide(
                record,
                textable ? optOuts.get(phone) : undefined,
                textable ? undefined : ghl.consent,
                ghl.fields.phone,
              )
            : null;
        const base = record ? asBase(record.base) : null;
        const plan = planContactSync({ ghl, local, base, policies, now: nowIso });
        const ghlOps = ghlWriteOps(plan.operations);
        const localOps = plan.operations.filter(
          (o) => o.side === "local" && !(o.op === "setDnd" && !o.statusChanged),
        );
        const isNew = !record || !profile;
        // After a crash between the GHL writes and the commit, the re-read shows our writes already in GHL:
        // the ledger entry of this run tells us the contact was updated (exact counts, no second write).
        const ledger =
          started.resumed && !isNew && ghlOps.length === 0 && localOps.length === 0
            ? await deps.store.vendorWrites.get(`reconcile:${run.id}:${hit.id}`)
            : null;
        const landed = ledger?.state === "begun";
        const landedDnd = landed && ledger.operation.endsWith("+dnd");
        if (!isNew && !landed && ghlOps.length === 0 && localOps.length === 0) {
          if (!again) {
            page.scanned++;
            page.unchanged++;
          }
          if (record && (record.dateUpdated !== parseTime(hit.dateUpdated) || record.deleted)) {
            refresh.push({ record, hit });
            touched.push(hit.id);
          }
          continue;
        }
        if (dryRun) {
          if (!again) page.scanned++;
          if (isNew) page.created++;
          else page.updated++;
          countConflicts(page, plan.decisions, policies);
          if (planned.length < maxPlan) {
            planned.push({
              contactId: hit.id,
              kind: isNew ? "create" : "update",
              operations: plan.operations,
              decisions: plan.decisions,
            });
          } else planTruncated = true;
          continue;
        }
        const task = gate(async () => {
          const delta = zeroCounts();
          delta.scanned = again ? 0 : 1;
          const ledgerKey = `reconcile:${run.id}:${hit.id}`;
          let wrote = landed;
          if (landedDnd) delta.optOutsSynced++;
          if (ghlOps.length > 0) {
            const dnd = ghlOps.some((o) => o.op === "setDnd");
            const operation = dnd ? "reconcile.apply+dnd" : "reconcile.apply";
            const begun = await deps.store.vendorWrites.begin(ledgerKey, {
              vendor: "ghl",
              operation,
              locationId,
            });
            if (begun.state === "completed") wrote = true;
            else {
              const res = await applyGhlOperations(deps, locationId, hit.id, plan.operations, ledgerKey);
              cp.requests += res.requests;
              if (!res.ok) {
                delta.errors++;
                deps.logger.warn(
                  { runId: run.id, contactId: hit.id, code: res.error.code },
                  "reconcile write failed",
                );
                await commitDone(hit.id, delta, async () => {});
                return;
              }
              if (res.dndChanged) delta.optOutsSynced++;
              wrote = true;
            }
          }
          // Local side: profile, base, identities, opt-out.
          const mergedStatus = consentStatus(plan.merged.consent);
          let localOptOut: { source: OptOut["source"]; eventAt: number } | null = null;
          if (isRestrictive(mergedStatus) && phone && E164.test(phone)) {
            const current = optOuts.get(phone);
            if (current?.state !== "opted_out") {
              const blockedWins = !!plan.merged.consent.blocked && mergedStatus === "blocked";
              // the time the plan decided by (GHL's DND time, the block's time), so that a newer event
              // processed later still overrides this one
              const decidedAt = Date.parse(
                (blockedWins ? plan.merged.consent.blocked?.at : plan.merged.consent.optOut?.at) ?? "",
              );
              localOptOut = {
                source: blockedWins ? "bulksms_blocked" : "ghl_dnd",
                eventAt: Number.isNaN(decidedAt) ? nowMs : Math.min(decidedAt, nowMs),
              };
            }
          }
          const fresh = buildProfile(
            { ...hit, tags: [...plan.merged.tags] } as GhlContactLike,
            mapping,
          ) as LocalProfile;
          for (const f of SMS_SYNC_FIELDS) {
            const v = plan.merged.fields[f];
            if (f === "phone" && !(typeof v === "string" && toE164(v, region) === v)) continue; // keep the mapping's verdict
            (fresh as unknown as Record<string, unknown>)[f] = v === undefined || v === "" ? null : v;
          }
          fresh.segmentTags = [...plan.merged.tags];
          if (profile?.localEditedAt) fresh.localEditedAt = profile.localEditedAt;
          const ghlAfter: GhlContactLike = { ...hit, tags: [...plan.merged.tags] };
          delete (ghlAfter as { searchAfter?: unknown }).searchAfter;
          for (const f of SMS_SYNC_FIELDS) {
            const v = plan.merged.fields[f];
            (ghlAfter as unknown as Record<string, unknown>)[f] = v ?? null;
          }
          if (isNew) delta.created++;
          else if (wrote || localOps.length > 0) delta.updated++;
          else delta.unchanged++;
          countConflicts(delta, plan.decisions, policies);
          const ids = identityKeys(ghlAfter);
          const write = async (tx: Tx) => {
            // A number opted out by another contact (duplicates share numbers) keeps this profile's DND on,
            // whichever of the two commits first.
            if (!fresh.dnd && phone && E164.test(phone) && (await tx.optOuts.isOptedOut(locationId, phone)))
              fresh.dnd = true;
            await tx.contacts.upsert({
              locationId,
              contactId: hit.id,
              ghl: ghlAfter,
              profile: fresh,
              base: mergedBase(plan.merged),
              phoneE164: fresh.phone ?? phone ?? null,
              emailNorm: ids.emailNorm,
              nameKey: ids.nameKey,
              dateUpdated: parseTime(hit.dateUpdated),
              deleted: false,
              lastSeenAt: nowMs,
              ...consentStamp(hit, nowMs),
            });
            if (localOptOut && phone) {
              const r = await applyOptOut(tx, ctx, {
                phone,
                source: localOptOut.source,
                eventKey: `reconcile:${run.id}`,
                why: "Reconciliation found SMS DND set in HighLevel",
                now: nowMs,
                eventAt: localOptOut.eventAt,
                setGhlDnd: false,
                pushBlock: !blocked.has(phone),
                confirm: false,
              });
              if (r.changed) delta.optOutsSynced++;
            }
            for (const d of plan.decisions) {
              if (!d.conflict) continue;
              await tx.runs.recordConflict({
                runId: run.id,
                contactId: hit.id,
                field: d.field,
                policy: d.reason,
                decision: `took ${d.from}`,
                base: base?.fields[d.field] ?? null,
                local: local?.fields[d.field] ?? null,
                remote: ghl.fields[d.field] ?? null,
                chosen: d.value,
              });
            }
            await detectFollowUpTriggers(tx, {
              config,
              locationId,
              contactId: hit.id,
              before: record ? (record.ghl as GhlContactLike | null) : null,
              after: ghlAfter,
              now: nowMs,
            });
            if (wrote) await tx.vendorWrites.complete(ledgerKey, hit.id);
            if (isNew) {
              await welcomeDiscoveredContact(
                deps,
                { config, locationId, contactId: hit.id, dateAdded: parseTime(hit.dateAdded) },
                tx,
              );
            }
          };
          if (wrote) await commitDone(hit.id, delta, write);
          else localOnly.push({ delta, write });
        });
        task.catch(() => {}); // surfaced by Promise.all at the end of the page
        inflight.push(task);
        allTasks.add(task);
        void task.finally(() => allTasks.delete(task)).catch(() => {});
        touched.push(hit.id);
      }

      // Commits one contact's outcome together with the run checkpoint (exact counts across a crash).
      async function commitDone(
        contactId: string,
        delta: SyncRunCounts,
        write: (tx: Tx) => Promise<void>,
      ): Promise<void> {
        await deps.store.transaction(async (tx) => {
          await write(tx);
          committed = addCounts(committed, delta);
          cp.pageDone = [...cp.pageDone, contactId];
          await tx.runs.saveCheckpoint(run.id, cp, committed);
        });
      }

      // Page end, after its writes and the previous page's end: local-only changes, unchanged contacts seen,
      // mirror refreshes, counts and the next cursor in one transaction.
      const last = hits[hits.length - 1];
      if (more && last?.searchAfter) scanCursor = last.searchAfter;
      else scanEnded = true;
      const pageIds = new Set(hits.map((h) => h.id));
      const previous = commitTail;
      const pageEnd = (async () => {
        await Promise.all(inflight);
        await previous;
        await deps.store.transaction(async (tx) => {
          for (const l of localOnly) {
            await l.write(tx);
            committed = addCounts(committed, l.delta);
          }
          if (!dryRun && kind === "full") {
            // What the scan saw, one row per page (much cheaper than touching every unchanged contact);
            // the delete phase compares the mirror with it.
            await tx.settings.set(
              `${seenPrefix}${String(cp.pages).padStart(6, "0")}`,
              hits.map((x) => x.id),
            );
          }
          if (!dryRun) {
            for (const { record, hit } of refresh) {
              const ids = identityKeys(hit);
              const ghlRec = { ...hit };
              delete (ghlRec as { searchAfter?: unknown }).searchAfter;
              await tx.contacts.upsert({
                locationId,
                contactId: record.contactId,
                ghl: ghlRec,
                emailNorm: ids.emailNorm,
                nameKey: ids.nameKey,
                dateUpdated: parseTime(hit.dateUpdated),
                deleted: false,
                lastSeenAt: nowMs,
                ...consentStamp(hit, nowMs),
              });
            }
          }
          committed = addCounts(committed, page);
          cp.pages++;
          cp.pageDone = cp.pageDone.filter((id) => !pageIds.has(id));
          if (more && last?.searchAfter) cp.cursor = last.searchAfter;
          else cp.phase = kind === "full" ? "deletes" : "done";
          await tx.runs.saveCheckpoint(run.id, cp, committed);
        });
        progress();
      })();
      pageEnd.catch(() => {}); // awaited below (in page order)
      commitTail = pageEnd;
      for (const id of touched) contactSettled.set(id, pageEnd);
      void pageEnd
        .finally(() => {
          for (const id of touched) if (contactSettled.get(id) === pageEnd) contactSettled.delete(id);
        })
        .catch(() => {});
      openPages.push(pageEnd);
      while (openPages.length > PIPELINE_PAGES) await openPages.shift();
    }
    await commitTail;
  } catch (error) {
    // A store failure: let the writes already started finish before the error leaves the run.
    await settleAll();
    throw error;
  }

  // ---- deletes (full runs): contacts not seen by the scan are confirmed with a GET before retiring.
  if (cp.phase === "deletes") {
    // Live mirror contacts the scan did not see; a contact a webhook added or confirmed during the run
    // (lastSeenAt at or after the scan's start) is not suspect.
    let seen = seenThisRun;
    if (!dryRun) {
      seen = new Set<string>();
      for (const row of await deps.store.settings.list(seenPrefix)) {
        for (const id of row.value as string[]) seen.add(id);
      }
    }
    const missing = (await unseenLive(deps, locationId, seen)).filter(
      (m) => dryRun || m.lastSeenAt === null || m.lastSeenAt < cp.scanStartedAt,
    );
    for (const m of missing) {
      cp.requests++;
      const r = await client.contacts.get({ locationId, contactId: m.contactId }, BACKGROUND);
      const delta = zeroCounts();
      if (r.ok) {
        if (!dryRun)
          await deps.store.contacts.upsert({ locationId, contactId: m.contactId, lastSeenAt: deps.now() });
      } else if (r.error.code === "not_found") {
        delta.deleted++;
        if (dryRun) {
          if (planned.length < maxPlan)
            planned.push({ contactId: m.contactId, kind: "delete", operations: [], decisions: [] });
          else planTruncated = true;
        } else await handleContactDeleted(deps, ctx, m.contactId);
      } else {
        delta.errors++;
      }
      committed = addCounts(committed, delta);
      await deps.store.runs.saveCheckpoint(run.id, cp, committed);
    }
    cp.phase = "done";
  }
  await deps.store.runs.saveCheckpoint(run.id, cp, committed);
  await deps.store.runs.finish(run.id, { status: "succeeded", counts: committed });
  for (const row of await deps.store.settings.list(seenPrefix)) await deps.store.settings.delete(row.key);
  progress();
  return {
    ok: true,
    runId: run.id,
    resumed: started.resumed,
    dryRun,
    counts: committed,
    requests: cp.requests,
    ...(dryRun ? { plan: planned, planTruncated } : {}),
  };
}

function countConflicts(
  counts: SyncRunCounts,
  decisions: readonly FieldDecision[],
  _policies: SyncPolicies,
): void {
  for (const d of decisions) {
    if (!d.conflict) continue;
    counts.conflicts[d.reason] = (counts.conflicts[d.reason] ?? 0) + 1;
  }
}

/**
 * True when the search hit has the `dateUpdated` the mirror last stored (GHL side unchanged since the
 * last sync) and the SMS profile, tags and local opt-out state still equal the stored base.
 */
function unchangedSinceBase(
  record: ContactRecord,
  hit: GhlContactLike,
  profile: LocalProfile,
  optOuts: ReadonlyMap<string, OptOut>,
): boolean {
  if (record.dateUpdated === null || record.dateUpdated !== parseTime(hit.dateUpdated)) return false;
  const base = asBase(record.base);
  if (!base) return false;
  for (const f of SMS_SYNC_FIELDS) {
    if (f === "phone" && profile.phone === null) continue; // an untextable number is GHL's alone
    const v = (profile as unknown as Record<string, FieldValue | undefined>)[f] ?? null;
    if (!valuesEqual(v, base.fields[f] ?? null)) return false;
  }
  const tags = profile.segmentTags ?? [];
  if (tags.length !== base.tags.length || tags.some((t, i) => t !== base.tags[i])) return false;
  if (profile.phone && E164.test(profile.phone)) {
    const local = localConsent(optOuts.get(profile.phone));
    if (isRestrictive(consentStatus(local)) !== isRestrictive(consentStatus(base.consent))) return false;
    if (consentStatus(local) === "opted-in" && consentStatus(base.consent) !== "opted-in") return false;
  }
  return true;
}

async function unseenLive(
  deps: EngineDeps,
  locationId: string,
  seen: ReadonlySet<string>,
): Promise<ContactRecord[]> {
  const out: ContactRecord[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await deps.store.contacts.list({
      locationId,
      limit: 1000,
      ...(after ? { afterContactId: after } : {}),
    });
    if (page.length === 0) return out;
    for (const c of page) if (!c.deleted && !seen.has(c.contactId)) out.push(c);
    after = page[page.length - 1]?.contactId;
  }
}

async function latestHighWater(deps: EngineDeps, locationId: string): Promise<number | null> {
  let best: number | null = null;
  for (const kind of ["incremental", "full"] as const) {
    const run = await deps.store.runs.latest(locationId, { kind, status: "succeeded" });
    if (!run || run.dryRun) continue;
    const cp = asCheckpoint(run.checkpoint);
    if (cp?.highWater !== null && cp?.highWater !== undefined && (best === null || cp.highWater > best))
      best = cp.highWater;
  }
  return best;
}
