// GHL write jobs. Each checks the location is still active, writes once, and audits the write.
import { auditVendorWrite } from "../core/audit.js";
import type { EngineDeps } from "../core/deps.js";
import { fromGhlError, type JobOutcome, OK, retryLater } from "../core/outcome.js";
import { recordDndWrite } from "../opt-out/ghl-dnd-timeline.js";
import { createNoteOnce, createTaskOnce } from "../vendor/write-once.js";
import type { EngineJobCatalog } from "./catalog.js";

async function locationActive(deps: EngineDeps, locationId: string): Promise<boolean> {
  const l = await deps.store.locations.get(locationId);
  if (l?.active) return true;
  deps.logger.info({ locationId }, "job skipped: location inactive or unknown");
  return false;
}

async function contactGone(deps: EngineDeps, locationId: string, contactId: string): Promise<boolean> {
  const c = await deps.store.contacts.get(locationId, contactId);
  return c?.deleted === true;
}

export async function runNoteCreate(
  deps: EngineDeps,
  p: EngineJobCatalog["ghl.note.create"],
): Promise<JobOutcome> {
  if (!(await locationActive(deps, p.locationId)) || (await contactGone(deps, p.locationId, p.contactId)))
    return OK;
  const r = await createNoteOnce(deps, p);
  return r.ok ? OK : fromGhlError(r.error);
}

export async function runTaskCreate(
  deps: EngineDeps,
  p: EngineJobCatalog["ghl.task.create"],
): Promise<JobOutcome> {
  if (!(await locationActive(deps, p.locationId)) || (await contactGone(deps, p.locationId, p.contactId)))
    return OK;
  const r = await createTaskOnce(deps, { ...p, dueDate: new Date(p.dueAt).toISOString() });
  return r.ok ? OK : fromGhlError(r.error);
}

export async function runTaskComplete(
  deps: EngineDeps,
  p: EngineJobCatalog["ghl.task.complete"],
): Promise<JobOutcome> {
  if (!(await locationActive(deps, p.locationId)) || (await contactGone(deps, p.locationId, p.contactId)))
    return OK;
  const write = await deps.store.vendorWrites.get(p.taskKey);
  if (!write) return OK; // no failure task was ever started for this send
  if (write.state !== "completed" || !write.resultId) {
    return retryLater("task_not_created_yet", "the failure task is still being created", 5_000);
  }
  const client = deps.ghl(p.locationId);
  const ref = { locationId: p.locationId, contactId: p.contactId, taskId: write.resultId };
  const current = await client.tasks.list({ locationId: p.locationId, contactId: p.contactId });
  if (!current.ok) return fromGhlError(current.error);
  const task = current.data.tasks.find((t) => t.id === write.resultId);
  if (!task) return OK; // deleted by a person: nothing to complete
  if (task.completed && task.body?.includes(p.resolution)) return OK;
  if (!task.body?.includes(p.resolution)) {
    const title = task.title?.startsWith("Resolved: ")
      ? task.title
      : `Resolved: ${task.title ?? "SMS failed"}`;
    const body = `${p.resolution}\n\n${task.body ?? ""}`;
    const u = await client.tasks.update({ ...ref, body: { title, body } });
    await auditVendorWrite(deps, {
      locationId: p.locationId,
      vendor: "ghl",
      operation: "task.update",
      targetId: write.resultId,
      idempotencyKey: `${p.taskKey}:resolve`,
      resultStatus: u.ok ? "ok" : `error:${u.error.code}`,
    });
    if (!u.ok) return fromGhlError(u.error);
  }
  const c = await client.tasks.complete({ ...ref, completed: true });
  await auditVendorWrite(deps, {
    locationId: p.locationId,
    vendor: "ghl",
    operation: "task.complete",
    targetId: write.resultId,
    idempotencyKey: `${p.taskKey}:complete`,
    resultStatus: c.ok ? "ok" : `error:${c.error.code}`,
  });
  return c.ok ? OK : fromGhlError(c.error);
}

/**
 * Sets one contact's SMS DND in GHL, audits the write and remembers it, so that the echo of this write is
 * not taken for a person's DND change (see ghl-dnd-timeline). Used by `ghl.consent.sync` and `ghl.dnd.set`.
 */
export async function writeSmsDnd(
  deps: EngineDeps,
  input: { locationId: string; contactId: string; active: boolean; message: string },
): Promise<JobOutcome> {
  const status = input.active ? "active" : "inactive";
  const startedAt = deps.now();
  const r = await deps.ghl(input.locationId).contacts.update({
    locationId: input.locationId,
    contactId: input.contactId,
    body: { dndSettings: { SMS: { status, message: input.message.slice(0, 200) } } },
  });
  await auditVendorWrite(deps, {
    locationId: input.locationId,
    vendor: "ghl",
    operation: "contact.dnd",
    targetId: input.contactId,
    resultStatus: r.ok ? "ok" : `error:${r.error.code}`,
    detail: { sms: status },
  });
  if (!r.ok) return fromGhlError(r.error);
  // GHL answers a write that changed nothing with the older dateUpdated of whoever set the value (maybe a
  // person a moment ago): never date our write before we made it, or their change would pass for our echo
  const updated = (r.data as { contact?: { dateUpdated?: unknown } }).contact?.dateUpdated;
  const parsed = typeof updated === "string" ? Date.parse(updated) : Number.NaN;
  const at = Number.isNaN(parsed) ? startedAt : Math.max(parsed, startedAt);
  await deps.store.transaction((tx) =>
    recordDndWrite(tx, input.locationId, input.contactId, { at, active: input.active }),
  );
  return OK;
}

export async function runDndSet(deps: EngineDeps, p: EngineJobCatalog["ghl.dnd.set"]): Promise<JobOutcome> {
  if (!(await locationActive(deps, p.locationId)) || (await contactGone(deps, p.locationId, p.contactId)))
    return OK;
  return writeSmsDnd(deps, {
    locationId: p.locationId,
    contactId: p.contactId,
    active: p.active,
    message: p.reason,
  });
}

export async function runTags(
  deps: EngineDeps,
  p: EngineJobCatalog["ghl.tags.add"],
  op: "add" | "remove",
): Promise<JobOutcome> {
  if (!(await locationActive(deps, p.locationId)) || (await contactGone(deps, p.locationId, p.contactId)))
    return OK;
  const client = deps.ghl(p.locationId);
  const r = op === "add" ? await client.tags.add(p) : await client.tags.remove(p);
  await auditVendorWrite(deps, {
    locationId: p.locationId,
    vendor: "ghl",
    operation: `contact.tags.${op}`,
    targetId: p.contactId,
    resultStatus: r.ok ? "ok" : `error:${r.error.code}`,
    detail: { tags: p.tags },
  });
  return r.ok ? OK : fromGhlError(r.error);
}
