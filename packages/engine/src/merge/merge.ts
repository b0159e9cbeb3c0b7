// Duplicate merging in GHL: propose (sync's findDuplicates over the mirror), apply (survivor gets the merged
// fields and the union of tags, notes and open tasks of the others are carried over with a reference to
// their origin, full records go to the undo log first, then the others are deleted or only tagged), undo.
import type { GhlContact, GhlError, GhlNote, GhlTask } from "@ghl-bulksms/ghl";
import {
  consentStatus,
  type DuplicateCluster,
  type FieldValue,
  findDuplicates,
  type GhlContactLike,
  ghlToSyncContact,
  isRestrictive,
  type MergeContact,
  type MergePlan,
  planMerge,
} from "@ghl-bulksms/sync";
import { type LifecycleConfig, lifecycleFor, parseLifecycleConfig } from "../automations/config.js";
import { auditVendorWrite } from "../core/audit.js";
import { type EngineDeps, loadLocation } from "../core/deps.js";
import { asGhlRecord } from "../core/mirror.js";
import { createNoteOnce, createTaskOnce } from "../vendor/write-once.js";

export interface MergeProposal {
  cluster: DuplicateCluster;
  /** Names/identities of the members as the mirror knows them (for the operator). */
  members: Array<{
    id: string;
    name: string | null;
    email: string | null;
    phone: string | null;
    dateAdded: string | null;
  }>;
}

/** Runs dedupe over the location's mirror; clusters come with their evidence and proposed survivor. */
export async function proposeMerges(
  deps: EngineDeps,
  locationId: string,
  options: {
    config?: LifecycleConfig;
    /** Region tried last for a national phone number, after the contact's country and the location's (`--region`). */
    fallbackRegion?: string;
  } = {},
): Promise<MergeProposal[]> {
  const config = options.config ?? deps.lifecycle ?? parseLifecycleConfig({});
  const settings = lifecycleFor(config, locationId).merge;
  const ctx = await loadLocation(deps, locationId);
  const records = [];
  let after: string | undefined;
  for (;;) {
    const page = await deps.store.contacts.list({
      locationId,
      limit: 1000,
      ...(after ? { afterContactId: after } : {}),
    });
    if (page.length === 0) break;
    records.push(...page.filter((r) => !r.deleted && !r.retired));
    after = page[page.length - 1]?.contactId;
  }
  const byId = new Map(records.map((r) => [r.contactId, r]));
  const result = findDuplicates(
    records.map((r) => {
      const g = asGhlRecord(r.ghl);
      const filled = g
        ? Object.values(g).filter(
            (v) => v !== null && v !== undefined && v !== "" && !(Array.isArray(v) && v.length === 0),
          ).length
        : 0;
      return {
        id: r.contactId,
        // A stored E.164 wins; without one (mirrored before the contact's country was used, or never
        // valid) the raw phone is read in the contact's country, and its digits still count as evidence.
        ...(r.phoneE164 ? { phoneE164: r.phoneE164 } : {}),
        phone: g?.phone ?? null,
        country: g?.country ?? null,
        emailNorm: r.emailNorm,
        firstName: g?.firstName ?? null,
        lastName: g?.lastName ?? null,
        name: g?.name ?? null,
        createdAt: g?.dateAdded ?? null,
        updatedAt: g?.dateUpdated ?? null,
        filledFields: filled,
      };
    }),
    {
      survivor: settings.survivor,
      ...(ctx ? { defaultRegion: ctx.location.region } : {}),
      ...(options.fallbackRegion ? { fallbackRegion: options.fallbackRegion } : {}),
    },
  );
  return result.clusters
    .filter((c) => c.ids.length > 1 && c.score >= settings.minScore)
    .map((cluster) => ({
      cluster,
      members: cluster.ids.map((id) => {
        const g = asGhlRecord(byId.get(id)?.ghl);
        const name = [g?.firstName, g?.lastName].filter(Boolean).join(" ") || g?.name || null;
        return {
          id,
          name,
          email: g?.email ?? null,
          phone: g?.phone ?? null,
          dateAdded: g?.dateAdded ?? null,
        };
      }),
    }));
}

/** Everything a merge removes from a contact, enough to recreate it. */
export interface MergeSnapshot {
  contact: GhlContact;
  notes: GhlNote[];
  tasks: GhlTask[];
  /** The survivor as it was before the merge (to restore it on undo). */
  survivorBefore: GhlContact;
  mode: "delete" | "tag-only";
  duplicateTag: string;
}

export interface MergePreview {
  plan: MergePlan;
  mode: "delete" | "tag-only";
  /** What the survivor gets: fields to set and tags to add. */
  survivorUpdate: { fields: Record<string, FieldValue>; addTags: string[]; setDnd: boolean };
  carried: Array<{ from: string; notes: number; openTasks: number }>;
}

export type MergeResult =
  | { ok: true; applied: false; preview: MergePreview }
  | { ok: true; applied: true; preview: MergePreview; undoIds: number[] }
  | { ok: false; reason: "merge_disabled" | "location_unknown" }
  | { ok: false; reason: "ghl_error"; step: string; error: GhlError };

/** Fields PUT /contacts/{id} accepts (companyName is create-only: FACTS §3.2; it stays in the undo log). */
const STANDARD = [
  "firstName",
  "lastName",
  "email",
  "phone",
  "timezone",
  "country",
  "city",
  "address1",
  "state",
  "postalCode",
  "website",
];

interface Loaded {
  contact: GhlContact;
  notes: GhlNote[];
  tasks: GhlTask[];
}

async function loadFull(
  deps: EngineDeps,
  locationId: string,
  contactId: string,
): Promise<{ ok: true; data: Loaded } | { ok: false; error: GhlError }> {
  const client = deps.ghl(locationId);
  const c = await client.contacts.get({ locationId, contactId });
  if (!c.ok) return c;
  const n = await client.notes.list({ locationId, contactId });
  if (!n.ok) return n;
  const t = await client.tasks.list({ locationId, contactId });
  if (!t.ok) return t;
  return { ok: true, data: { contact: c.data.contact, notes: n.data.notes, tasks: t.data.tasks } };
}

function toUpdateBody(fields: Record<string, FieldValue>, survivor: GhlContact): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const customFields: Array<{ id: string; field_value: string | string[] }> = [];
  for (const [k, v] of Object.entries(fields)) {
    if (k.startsWith("cf.")) {
      const id = k.slice(3);
      const current = survivor.customFields?.find((f) => f.id === id)?.value;
      if (JSON.stringify(current ?? null) !== JSON.stringify(v ?? null) && v !== null) {
        customFields.push({ id, field_value: Array.isArray(v) ? [...v] : String(v) });
      }
      continue;
    }
    if (!STANDARD.includes(k)) continue;
    const current = (survivor as Record<string, unknown>)[k] ?? null;
    if (v === null || v === "") continue; // an empty value never overwrites
    if (String(current) !== String(v)) body[k] = String(v);
  }
  if (customFields.length > 0) body.customFields = customFields;
  return body;
}

/**
 * Plans (and, with `confirm: true`, applies) the merge of one cluster. Merging must be enabled for the
 * location (`merge.enabled`); the mode defaults to the location's `merge.mode`.
 */
export async function applyMerge(
  deps: EngineDeps,
  locationId: string,
  cluster: Pick<DuplicateCluster, "ids" | "survivor">,
  options: { mode?: "delete" | "tag-only"; confirm?: boolean; config?: LifecycleConfig } = {},
): Promise<MergeResult> {
  const config = options.config ?? deps.lifecycle ?? parseLifecycleConfig({});
  const settings = lifecycleFor(config, locationId);
  const ctx = await loadLocation(deps, locationId);
  if (!ctx) return { ok: false, reason: "location_unknown" };
  if (!settings.merge.enabled) return { ok: false, reason: "merge_disabled" };
  // "never delete" at the location wins over a requested delete.
  const mode = settings.merge.mode === "tag-only" ? "tag-only" : (options.mode ?? settings.merge.mode);
  const loaded = new Map<string, Loaded>();
  for (const id of cluster.ids) {
    const r = await loadFull(deps, locationId, id);
    if (!r.ok) return { ok: false, reason: "ghl_error", step: `load ${id}`, error: r.error };
    loaded.set(id, r.data);
  }
  const nowIso = new Date(deps.now()).toISOString();
  const contacts: MergeContact[] = [...loaded.values()].map((l) => ({
    ...ghlToSyncContact(l.contact as GhlContactLike, { defaultRegion: ctx.location.region, now: nowIso }),
    id: l.contact.id,
  }));
  const plan = planMerge(cluster, contacts, settings.reconcile.policies);
  const survivor = loaded.get(plan.survivor) as Loaded;
  const survivorTags = new Set((survivor.contact.tags ?? []).map((t) => t.toLowerCase()));
  const addTags = plan.merged.tags.filter((t) => !survivorTags.has(t));
  const restrictive = isRestrictive(consentStatus(plan.merged.consent));
  const survivorSync = contacts.find((c) => c.id === plan.survivor);
  const setDnd = restrictive && !(survivorSync && isRestrictive(consentStatus(survivorSync.consent)));
  const preview: MergePreview = {
    plan,
    mode,
    survivorUpdate: {
      fields: toUpdateBody(plan.merged.fields, survivor.contact) as Record<string, FieldValue>,
      addTags,
      setDnd,
    },
    carried: plan.absorbed.map((id) => {
      const l = loaded.get(id) as Loaded;
      return { from: id, notes: l.notes.length, openTasks: l.tasks.filter((t) => !t.completed).length };
    }),
  };
  if (!options.confirm) return { ok: true, applied: false, preview };

  const client = deps.ghl(locationId);
  // 1. Undo snapshots first (nothing is touched before every absorbed record is saved).
  const undoIds: number[] = [];
  const undoOf = new Map<string, number>();
  for (const id of plan.absorbed) {
    const l = loaded.get(id) as Loaded;
    const snapshot: MergeSnapshot = {
      contact: l.contact,
      notes: l.notes,
      tasks: l.tasks,
      survivorBefore: survivor.contact,
      mode,
      duplicateTag: settings.merge.duplicateTag,
    };
    const undoId = await deps.store.mergeUndo.record({
      locationId,
      survivorId: plan.survivor,
      mergedId: id,
      snapshot,
    });
    undoIds.push(undoId);
    undoOf.set(id, undoId);
  }
  // 2. Survivor: merged fields (+ DND if any member was opted out) and the union of tags.
  const body: Record<string, unknown> = { ...preview.survivorUpdate.fields };
  if (setDnd) body.dndSettings = { SMS: { status: "active", message: "merged from an opted-out duplicate" } };
  if (Object.keys(body).length > 0) {
    const r = await client.contacts.update({ locationId, contactId: plan.survivor, body });
    await audit(deps, locationId, "merge.survivor.update", plan.survivor, r.ok);
    if (!r.ok) return { ok: false, reason: "ghl_error", step: "update survivor", error: r.error };
  }
  if (addTags.length > 0) {
    const r = await client.tags.add({ locationId, contactId: plan.survivor, tags: addTags });
    await audit(deps, locationId, "merge.survivor.tags", plan.survivor, r.ok);
    if (!r.ok) return { ok: false, reason: "ghl_error", step: "tag survivor", error: r.error };
  }
  // 3. Carry notes and open tasks, each once (ledger + marker), with a reference to where it came from.
  for (const id of plan.absorbed) {
    const l = loaded.get(id) as Loaded;
    const undoId = undoOf.get(id) as number;
    const origin = `${[l.contact.firstName, l.contact.lastName].filter(Boolean).join(" ") || l.contact.name || "contact"} (${id})`;
    for (const note of l.notes) {
      const r = await createNoteOnce(deps, {
        locationId,
        contactId: plan.survivor,
        key: `merge:${undoId}:note:${note.id}`,
        body: `${note.body ?? ""}\n\n— carried over from duplicate ${origin} (note ${note.id}) by a merge`,
      });
      if (!r.ok) return { ok: false, reason: "ghl_error", step: `carry note ${note.id}`, error: r.error };
    }
    for (const task of l.tasks.filter((t) => !t.completed)) {
      const r = await createTaskOnce(deps, {
        locationId,
        contactId: plan.survivor,
        key: `merge:${undoId}:task:${task.id}`,
        title: task.title ?? "Task",
        body: `${task.body ?? ""}\n\n— carried over from duplicate ${origin} (task ${task.id}) by a merge`,
        dueDate: task.dueDate ?? new Date(deps.now() + 86_400_000).toISOString(),
        assignedTo: task.assignedTo,
      });
      if (!r.ok) return { ok: false, reason: "ghl_error", step: `carry task ${task.id}`, error: r.error };
    }
  }
  // 4. Delete the others, or only tag them.
  for (const id of plan.absorbed) {
    const undoId = undoOf.get(id) as number;
    if (mode === "delete") {
      const r = await client.contacts.delete({ locationId, contactId: id });
      const gone = r.ok || r.error.code === "not_found";
      await audit(deps, locationId, "merge.delete", id, gone);
      if (!gone) return { ok: false, reason: "ghl_error", step: `delete ${id}`, error: r.error };
      await deps.store.transaction(async (tx) => {
        await tx.contacts.markDeleted(locationId, id, true);
        await tx.messages.cancelPending(locationId, id, `merged into ${plan.survivor}`);
        await tx.followUps.stopForContact(locationId, id, "merged");
        await tx.mergeUndo.markApplied(undoId);
      });
    } else {
      const r = await client.tags.add({ locationId, contactId: id, tags: [settings.merge.duplicateTag] });
      await audit(deps, locationId, "merge.tag-duplicate", id, r.ok);
      if (!r.ok) return { ok: false, reason: "ghl_error", step: `tag ${id}`, error: r.error };
      await deps.store.mergeUndo.markApplied(undoId);
    }
  }
  return { ok: true, applied: true, preview, undoIds };
}

async function audit(
  deps: EngineDeps,
  locationId: string,
  operation: string,
  targetId: string,
  ok: boolean,
): Promise<void> {
  await auditVendorWrite(deps, {
    locationId,
    vendor: "ghl",
    operation,
    targetId,
    resultStatus: ok ? "ok" : "error",
  });
}

export type UndoResult =
  | { ok: true; recreatedId: string | null; notes: number; tasks: number }
  | { ok: false; reason: "not_found" | "not_applied"; status?: string }
  | { ok: false; reason: "ghl_error"; step: string; error: GhlError };

function createBody(c: GhlContact, locationId: string): Record<string, unknown> {
  const keys = [
    "firstName",
    "lastName",
    "name",
    "email",
    "phone",
    "address1",
    "city",
    "state",
    "postalCode",
    "website",
    "timezone",
    "country",
    "companyName",
    "source",
    "dateOfBirth",
    "assignedTo",
    "dnd",
    "dndSettings",
    "tags",
  ] as const;
  const body: Record<string, unknown> = { locationId };
  for (const k of keys) {
    const v = (c as Record<string, unknown>)[k];
    if (v !== undefined && v !== null && v !== "") body[k] = v;
  }
  const cfs = (c.customFields ?? []).filter((f) => f.id && f.value !== undefined && f.value !== null);
  if (cfs.length > 0) body.customFields = cfs.map((f) => ({ id: f.id, field_value: f.value }));
  return body;
}

/**
 * Undoes one merge entry: recreates the deleted contact from its snapshot (fields, tags, notes, open and
 * completed tasks; new ids recorded), or removes the duplicate tag in tag-only mode; removes the notes and
 * tasks the merge carried to the survivor and restores the survivor's own fields and tags.
 */
export async function undoMerge(deps: EngineDeps, undoId: number): Promise<UndoResult> {
  const entry = await deps.store.mergeUndo.get(undoId);
  if (!entry) return { ok: false, reason: "not_found" };
  if (entry.status !== "applied") return { ok: false, reason: "not_applied", status: entry.status };
  const snap = entry.snapshot as MergeSnapshot;
  const locationId = entry.locationId;
  const client = deps.ghl(locationId);
  let recreatedId: string | null = null;
  let notes = 0;
  let tasks = 0;
  if (snap.mode === "delete") {
    const key = `merge-undo:${undoId}:contact`;
    const begun = await deps.store.vendorWrites.begin(key, {
      vendor: "ghl",
      operation: "contact.create",
      locationId,
    });
    if (begun.state === "completed") recreatedId = begun.write.resultId;
    else {
      const r = await client.contacts.create(createBody(snap.contact, locationId) as never);
      await audit(deps, locationId, "merge-undo.recreate", snap.contact.id, r.ok);
      if (!r.ok) return { ok: false, reason: "ghl_error", step: "recreate contact", error: r.error };
      recreatedId = r.data.contact.id;
      await deps.store.vendorWrites.complete(key, recreatedId);
    }
    for (const note of snap.notes) {
      const r = await createNoteOnce(deps, {
        locationId,
        contactId: recreatedId as string,
        key: `merge-undo:${undoId}:note:${note.id}`,
        body: note.body ?? "",
      });
      if (!r.ok) return { ok: false, reason: "ghl_error", step: `restore note ${note.id}`, error: r.error };
      notes++;
    }
    for (const task of snap.tasks) {
      const r = await createTaskOnce(deps, {
        locationId,
        contactId: recreatedId as string,
        key: `merge-undo:${undoId}:task:${task.id}`,
        title: task.title ?? "Task",
        body: task.body ?? "",
        dueDate: task.dueDate ?? new Date(deps.now()).toISOString(),
        assignedTo: task.assignedTo,
      });
      if (!r.ok) return { ok: false, reason: "ghl_error", step: `restore task ${task.id}`, error: r.error };
      if (task.completed && r.created) {
        const taskId = r.id;
        await client.tasks.update({
          locationId,
          contactId: recreatedId as string,
          taskId,
          body: { completed: true },
        });
      }
      tasks++;
    }
  } else {
    const r = await client.tags.remove({ locationId, contactId: snap.contact.id, tags: [snap.duplicateTag] });
    await audit(deps, locationId, "merge-undo.untag", snap.contact.id, r.ok);
    if (!r.ok) return { ok: false, reason: "ghl_error", step: "remove duplicate tag", error: r.error };
  }
  // Remove what the merge carried to the survivor (found through the write ledger).
  for (const note of snap.notes) {
    const w = await deps.store.vendorWrites.get(`merge:${undoId}:note:${note.id}`);
    if (w?.resultId)
      await client.notes.delete({ locationId, contactId: entry.survivorId, noteId: w.resultId });
  }
  for (const task of snap.tasks) {
    const w = await deps.store.vendorWrites.get(`merge:${undoId}:task:${task.id}`);
    if (w?.resultId)
      await client.tasks.delete({ locationId, contactId: entry.survivorId, taskId: w.resultId });
  }
  // Restore the survivor's own fields and tags.
  const before = snap.survivorBefore;
  const now = await client.contacts.get({ locationId, contactId: entry.survivorId });
  if (now.ok) {
    const restore: Record<string, unknown> = {};
    for (const k of STANDARD) {
      const was = (before as Record<string, unknown>)[k];
      const is = (now.data.contact as Record<string, unknown>)[k];
      if ((was ?? "") !== (is ?? "")) restore[k] = was ?? "";
    }
    const cfs = (before.customFields ?? []).filter((f) => f.id);
    const changedCf = cfs.filter(
      (f) =>
        JSON.stringify(now.data.contact.customFields?.find((x) => x.id === f.id)?.value ?? null) !==
        JSON.stringify(f.value ?? null),
    );
    if (changedCf.length > 0)
      restore.customFields = changedCf.map((f) => ({ id: f.id, field_value: f.value }));
    if (Object.keys(restore).length > 0)
      await client.contacts.update({ locationId, contactId: entry.survivorId, body: restore });
    const wasTags = new Set((before.tags ?? []).map((t) => t.toLowerCase()));
    const extra = (now.data.contact.tags ?? []).filter((t) => !wasTags.has(t.toLowerCase()));
    if (extra.length > 0) await client.tags.remove({ locationId, contactId: entry.survivorId, tags: extra });
  }
  await deps.store.transaction(async (tx) => {
    await tx.mergeUndo.markUndone(undoId, recreatedId);
    if (snap.mode === "delete") await tx.contacts.markDeleted(locationId, snap.contact.id, true);
  });
  return { ok: true, recreatedId, notes, tasks };
}
