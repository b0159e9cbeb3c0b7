// Executes the GHL side of a sync plan with background priority: field changes and the DND change in one
// PUT, tag deltas through the tag endpoints, notes and tasks through the engine's write-once writers.
import type { GhlError, UpdateContactInput } from "@ghl-bulksms/ghl";
import { type FieldValue, isRestrictive, type SyncOperation } from "@ghl-bulksms/sync";
import { auditVendorWrite } from "../core/audit.js";
import type { EngineDeps } from "../core/deps.js";
import { shortHash } from "../core/hash.js";
import { recordDndWrite } from "../opt-out/ghl-dnd-timeline.js";
import { createNoteOnce, createTaskOnce } from "../vendor/write-once.js";

const BACKGROUND = { priority: "background" } as const;

export type GhlApplyResult =
  | { ok: true; requests: number; dndChanged: boolean }
  | { ok: false; error: GhlError; requests: number };

/** Operations that cost a GHL request (a setDnd that only changes the history costs none). */
export function ghlWriteOps(operations: readonly SyncOperation[]): SyncOperation[] {
  return operations.filter((op) => op.side === "ghl" && !(op.op === "setDnd" && !op.statusChanged));
}

function fieldBody(set: Readonly<Record<string, FieldValue>>): Record<string, string> {
  const body: Record<string, string> = {};
  for (const [k, v] of Object.entries(set)) {
    body[k] = v === null ? "" : Array.isArray(v) ? v.join(", ") : String(v);
  }
  return body;
}

export async function applyGhlOperations(
  deps: EngineDeps,
  locationId: string,
  contactId: string,
  operations: readonly SyncOperation[],
  idempotencyPrefix: string,
): Promise<GhlApplyResult> {
  const client = deps.ghl(locationId);
  let requests = 0;
  let dndChanged = false;
  let dndActive: boolean | null = null;
  const ops = ghlWriteOps(operations);

  // Notes and tasks first: they are keyed (ledger + marker), so after a crash the re-plan emits the same
  // ones and nothing is written twice. Written after the DND change, a crash in between would lose them
  // (the re-plan sees DND already set and no longer emits the note).
  for (const op of ops) {
    if (op.op === "note") {
      requests++;
      const r = await createNoteOnce(deps, {
        locationId,
        contactId,
        key: `reconcile:note:${contactId}:${shortHash(op.body)}`,
        body: op.body,
        priority: "background",
      });
      if (!r.ok) return { ok: false, error: r.error, requests };
    } else if (op.op === "task") {
      requests++;
      const r = await createTaskOnce(deps, {
        locationId,
        contactId,
        key: `reconcile:task:${contactId}:${shortHash(`${op.title}\n${op.dueDate.slice(0, 10)}`)}`,
        title: op.title,
        body: op.body,
        dueDate: op.dueDate,
        priority: "background",
      });
      if (!r.ok) return { ok: false, error: r.error, requests };
    }
  }

  // Field changes and the DND change in one PUT.
  const update: Record<string, unknown> = {};
  for (const op of ops) {
    if (op.op === "updateFields") Object.assign(update, fieldBody(op.set));
    if (op.op === "setDnd") {
      const restrictive = isRestrictive(op.status);
      update.dndSettings = {
        SMS: { status: restrictive ? "active" : "inactive", message: "sms opt-out sync" },
      };
      if (!restrictive) update.dnd = false;
      dndChanged = true;
      dndActive = restrictive;
    }
  }
  if (Object.keys(update).length > 0) {
    requests++;
    const startedAt = deps.now();
    const r = await client.contacts.update(
      { locationId, contactId, body: update as UpdateContactInput },
      BACKGROUND,
    );
    await auditVendorWrite(deps, {
      locationId,
      vendor: "ghl",
      operation: "contact.update",
      targetId: contactId,
      idempotencyKey: `${idempotencyPrefix}:update`,
      resultStatus: r.ok ? "ok" : `error:${r.error.code}`,
      detail: { fields: Object.keys(update) },
    });
    if (!r.ok) return { ok: false, error: r.error, requests };
    if (dndActive !== null) {
      // remembered so the echo of this write is not taken for a person's DND change (ghl-dnd-timeline)
      const stamp = (r.data as { contact?: { dateUpdated?: unknown } }).contact?.dateUpdated;
      const parsed = typeof stamp === "string" ? Date.parse(stamp) : Number.NaN;
      const active = dndActive;
      await deps.store.transaction((tx) =>
        recordDndWrite(tx, locationId, contactId, {
          at: Number.isNaN(parsed) ? startedAt : Math.max(parsed, startedAt), // see ghl-consent-sync
          active,
        }),
      );
    }
  }

  // Tag deltas (update/upsert would replace the whole set).
  for (const op of ops) {
    switch (op.op) {
      case "addTags":
      case "removeTags": {
        requests++;
        const call = op.op === "addTags" ? client.tags.add : client.tags.remove;
        const r = await call({ locationId, contactId, tags: [...op.tags] }, BACKGROUND);
        await auditVendorWrite(deps, {
          locationId,
          vendor: "ghl",
          operation: op.op === "addTags" ? "tags.add" : "tags.remove",
          targetId: contactId,
          idempotencyKey: `${idempotencyPrefix}:${op.op}`,
          resultStatus: r.ok ? "ok" : `error:${r.error.code}`,
          detail: { tags: op.tags },
        });
        if (!r.ok) return { ok: false, error: r.error, requests };
        break;
      }
      case "note":
      case "task":
      case "create":
      case "updateFields":
      case "setDnd":
        break;
      default: {
        const never: never = op;
        throw new Error(`unknown operation ${JSON.stringify(never)}`);
      }
    }
  }
  return { ok: true, requests, dndChanged };
}
