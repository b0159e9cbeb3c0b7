// Exactly-once GHL note and task creation across crashes.
//
// 1. vendorWrites.begin(key) is committed BEFORE the call ("new" -> go, "completed" -> done).
// 2. The body carries a marker derived from the key (see ref-marker.ts).
// 3. After the call, vendorWrites.complete(key, id).
// If a previous attempt began but never completed (crash, timeout, ambiguous 5xx), the contact's notes or
// tasks are listed and searched for the marker before anything is written again.
import type { GhlError, GhlPriority } from "@ghl-bulksms/ghl";
import { auditVendorWrite } from "../core/audit.js";
import type { EngineDeps } from "../core/deps.js";
import { hasMarker, withMarker } from "./ref-marker.js";

export type WriteOnceResult = { ok: true; id: string; created: boolean } | { ok: false; error: GhlError };

interface Target {
  locationId: string;
  contactId: string;
  key: string;
  /** Rate-limit priority of the GHL calls (default "realtime"; reconcile/merge use "background"). */
  priority?: GhlPriority | undefined;
}

function callOptions(t: Target): { priority: GhlPriority } | undefined {
  return t.priority ? { priority: t.priority } : undefined;
}

async function findExisting(
  deps: EngineDeps,
  kind: "note" | "task",
  t: Target,
): Promise<{ ok: true; id: string | null } | { ok: false; error: GhlError }> {
  const client = deps.ghl(t.locationId);
  if (kind === "note") {
    const r = await client.notes.list({ locationId: t.locationId, contactId: t.contactId }, callOptions(t));
    if (!r.ok) return r;
    return { ok: true, id: r.data.notes.find((n) => hasMarker(n.body, t.key))?.id ?? null };
  }
  const r = await client.tasks.list({ locationId: t.locationId, contactId: t.contactId }, callOptions(t));
  if (!r.ok) return r;
  return { ok: true, id: r.data.tasks.find((x) => hasMarker(x.body, t.key))?.id ?? null };
}

async function writeOnce(
  deps: EngineDeps,
  kind: "note" | "task",
  t: Target,
  create: () => Promise<{ ok: true; id: string } | { ok: false; error: GhlError }>,
): Promise<WriteOnceResult> {
  const operation = `${kind}.create`;
  const begun = await deps.store.vendorWrites.begin(t.key, {
    vendor: "ghl",
    operation,
    locationId: t.locationId,
  });
  if (begun.state === "completed") return { ok: true, id: begun.write.resultId ?? "", created: false };
  if (begun.state === "begun") {
    const found = await findExisting(deps, kind, t);
    if (!found.ok) return found;
    if (found.id !== null) {
      await deps.store.vendorWrites.complete(t.key, found.id);
      await auditVendorWrite(deps, {
        locationId: t.locationId,
        vendor: "ghl",
        operation,
        targetId: t.contactId,
        idempotencyKey: t.key,
        resultStatus: "recovered",
        detail: { id: found.id },
      });
      return { ok: true, id: found.id, created: false };
    }
  }
  const r = await create();
  await auditVendorWrite(deps, {
    locationId: t.locationId,
    vendor: "ghl",
    operation,
    targetId: t.contactId,
    idempotencyKey: t.key,
    resultStatus: r.ok ? "ok" : `error:${r.error.code}`,
    detail: r.ok ? { id: r.id } : { status: r.error.status, ambiguous: r.error.ambiguous },
  });
  if (!r.ok) return r;
  await deps.store.vendorWrites.complete(t.key, r.id);
  return { ok: true, id: r.id, created: true };
}

export function createNoteOnce(deps: EngineDeps, t: Target & { body: string }): Promise<WriteOnceResult> {
  return writeOnce(deps, "note", t, async () => {
    const r = await deps.ghl(t.locationId).notes.create(
      {
        locationId: t.locationId,
        contactId: t.contactId,
        body: { body: withMarker(t.body, t.key) },
      },
      callOptions(t),
    );
    return r.ok ? { ok: true, id: r.data.note.id } : r;
  });
}

export function createTaskOnce(
  deps: EngineDeps,
  t: Target & { title: string; body: string; dueDate: string; assignedTo?: string | undefined },
): Promise<WriteOnceResult> {
  return writeOnce(deps, "task", t, async () => {
    const r = await deps.ghl(t.locationId).tasks.create(
      {
        locationId: t.locationId,
        contactId: t.contactId,
        body: {
          title: t.title,
          body: withMarker(t.body, t.key),
          dueDate: t.dueDate,
          completed: false,
          ...(t.assignedTo ? { assignedTo: t.assignedTo } : {}),
        },
      },
      callOptions(t),
    );
    return r.ok ? { ok: true, id: r.data.task.id } : r;
  });
}
