/**
 * The contacts of every location with GHL's write semantics: create/update/delete, upsert with the
 * location's duplicate rule (and its first-match quirk), tag add/remove, notes, tasks, DND.
 * Every change moves `dateUpdated` (sandbox clock) and emits webhook events through `emit`.
 */
import type { Rng } from "../rng.js";
import { phoneKey, toE164 } from "./phone.js";
import {
  DND_CHANNELS,
  type DndChannel,
  type DndSetting,
  type DuplicateField,
  type GhlContact,
  type GhlLocation,
  type GhlNote,
  type GhlTask,
} from "./types.js";

export type GhlEventType =
  | "ContactCreate"
  | "ContactUpdate"
  | "ContactDelete"
  | "ContactTagUpdate"
  | "ContactDndUpdate"
  | "NoteCreate"
  | "NoteUpdate"
  | "NoteDelete"
  | "TaskCreate"
  | "TaskComplete"
  | "TaskDelete"
  | "InboundMessage"
  | "OutboundMessage"
  | "ProviderOutboundMessage";

export type EmitEvent = (type: GhlEventType, locationId: string, payload: Record<string, unknown>) => void;

/** A write the store refuses; the server maps it to GHL's status and body. */
export class GhlStoreError extends Error {
  readonly status: number;
  readonly body: Record<string, unknown>;
  constructor(status: number, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.status = status;
    this.body = { statusCode: status, message, ...extra };
  }
}

export interface ContactInput {
  firstName?: string | null;
  lastName?: string | null;
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  companyName?: string | null;
  address1?: string | null;
  city?: string | null;
  state?: string | null;
  postalCode?: string | null;
  country?: string | null;
  website?: string | null;
  timezone?: string | null;
  source?: string | null;
  assignedTo?: string | null;
  dateOfBirth?: string | null;
  dnd?: boolean;
  dndSettings?: Partial<Record<DndChannel, DndSetting>>;
  tags?: string[];
  customFields?: Array<{ id?: string; key?: string; field_value?: unknown; value?: unknown }>;
  gender?: string;
  inboundDndSettings?: unknown;
  /** Not writable through the API (the spec rejects it); the GHL UI and imports can set it (control only). */
  additionalEmails?: string[];
}

const SIMPLE_FIELDS = [
  "firstName",
  "lastName",
  "email",
  "companyName",
  "address1",
  "city",
  "state",
  "postalCode",
  "country",
  "website",
  "timezone",
  "source",
  "assignedTo",
  "dateOfBirth",
] as const;

export interface ContactsStoreOptions {
  rng: Rng;
  now: () => number;
  emit: EmitEvent;
  location: (id: string) => GhlLocation | undefined;
  /** Change hooks (the search index lag uses them): `before` sees the contact as it was, `after` as it is now. */
  onChange?: {
    before(c: GhlContact): void;
    after(id: string, c: GhlContact | null, silent: boolean): void;
  };
}

export interface ContactWriteOptions {
  /** Keep the phone exactly as given (seeding / "imported" data). */
  rawPhone?: boolean;
  /** Do not emit webhooks for this write. */
  silent?: boolean;
  /** Creation time (sandbox epoch ms) for seeded history; default now. */
  at?: number;
}

export function contactWebhookPayload(c: GhlContact): Record<string, unknown> {
  return {
    id: c.id,
    locationId: c.locationId,
    address1: c.address1,
    city: c.city,
    state: c.state,
    companyName: c.companyName,
    country: c.country,
    source: c.source,
    dateAdded: c.dateAdded,
    dateOfBirth: c.dateOfBirth,
    dnd: c.dnd,
    email: c.email,
    name: c.name,
    firstName: c.firstName,
    lastName: c.lastName,
    phone: c.phone,
    postalCode: c.postalCode,
    tags: [...c.tags],
    website: c.website,
    attachments: [],
    assignedTo: c.assignedTo,
    customFields: c.customFields.map((f) => ({ ...f })),
  };
}

export function createContactsStore(options: ContactsStoreOptions) {
  const contacts = new Map<string, GhlContact>();
  const notes = new Map<string, GhlNote[]>();
  const tasks = new Map<string, GhlTask[]>();
  const iso = (): string => new Date(options.now()).toISOString();
  const newId = (): string => options.rng.string(20);

  const locationOf = (id: string): GhlLocation => {
    const loc = options.location(id);
    if (!loc) throw new GhlStoreError(400, `Location not found: ${id}`);
    return loc;
  };

  const get = (contactId: string): GhlContact => {
    const c = contacts.get(contactId);
    if (!c) throw new GhlStoreError(400, "Contact not found");
    return c;
  };

  const emitContact = (type: GhlEventType, c: GhlContact, write: ContactWriteOptions): void => {
    if (write.silent) return;
    const payload = contactWebhookPayload(c);
    if (type === "ContactDndUpdate") payload.dndSettings = structuredClone(c.dndSettings);
    options.emit(type, c.locationId, payload);
  };

  const normalisePhone = (raw: string | null | undefined, loc: GhlLocation, write: ContactWriteOptions) => {
    if (raw === undefined) return undefined;
    if (raw === null || raw === "") return null;
    if (write.rawPhone) return raw;
    return toE164(raw, loc.country) ?? raw;
  };

  const findBy = (
    locationId: string,
    field: DuplicateField,
    value: string | null | undefined,
  ): GhlContact | undefined => {
    if (!value) return undefined;
    const loc = locationOf(locationId);
    const key = field === "email" ? value.toLowerCase() : phoneKey(value, loc.country);
    if (!key) return undefined;
    let best: GhlContact | undefined;
    for (const c of contacts.values()) {
      if (c.locationId !== locationId) continue;
      const other = field === "email" ? c.email?.toLowerCase() : phoneKey(c.phone, loc.country);
      // Oldest contact wins, as GHL returns the first match.
      if (other === key && (!best || c.dateAdded < best.dateAdded)) best = c;
    }
    return best;
  };

  /** Apply `input` to `c`; returns which aspects changed. */
  const apply = (c: GhlContact, input: ContactInput, loc: GhlLocation, write: ContactWriteOptions) => {
    const stored = contacts.has(c.id);
    if (stored) options.onChange?.before(c);
    const before = JSON.stringify(c);
    const tagsBefore = JSON.stringify(c.tags);
    const dndBefore = JSON.stringify([c.dnd, c.dndSettings]);
    for (const field of SIMPLE_FIELDS) {
      const v = input[field];
      if (v !== undefined) c[field] = v === "" ? null : v;
    }
    const phone = normalisePhone(input.phone, loc, write);
    if (phone !== undefined) c.phone = phone;
    if (input.name !== undefined) c.name = input.name;
    else if (input.firstName !== undefined || input.lastName !== undefined) {
      c.name = [c.firstName, c.lastName].filter(Boolean).join(" ") || null;
    }
    if (input.tags !== undefined) c.tags = normaliseTags(input.tags);
    if (input.additionalEmails !== undefined) c.additionalEmails = [...input.additionalEmails];
    if (input.dnd !== undefined) c.dnd = input.dnd;
    if (input.dndSettings !== undefined) {
      for (const [channel, setting] of Object.entries(input.dndSettings)) {
        if (!DND_CHANNELS.includes(channel as DndChannel)) continue;
        if (setting) c.dndSettings[channel as DndChannel] = { ...setting };
      }
    }
    if (input.customFields !== undefined) {
      for (const field of input.customFields) {
        const id = field.id ?? field.key;
        if (!id) continue;
        const value = field.field_value !== undefined ? field.field_value : field.value;
        const existing = c.customFields.find((f) => f.id === id);
        if (value === null || value === "") c.customFields = c.customFields.filter((f) => f.id !== id);
        else if (existing) existing.value = value;
        else c.customFields.push({ id, value });
      }
    }
    const changed = JSON.stringify(c) !== before;
    if (changed) c.dateUpdated = iso();
    if (stored && changed) options.onChange?.after(c.id, c, write.silent === true);
    return {
      changed,
      tagsChanged: JSON.stringify(c.tags) !== tagsBefore,
      dndChanged: JSON.stringify([c.dnd, c.dndSettings]) !== dndBefore,
    };
  };

  const assertNoDuplicate = (loc: GhlLocation, input: ContactInput, exceptId?: string): void => {
    if (loc.allowDuplicates) return;
    for (const field of loc.duplicatePriority) {
      const match = findBy(loc.id, field, input[field]);
      if (match && match.id !== exceptId) {
        throw new GhlStoreError(400, "This location does not allow duplicated contacts.", {
          meta: { contactName: match.name, contactId: match.id, matchingField: field },
        });
      }
    }
  };

  const create = (locationId: string, input: ContactInput, write: ContactWriteOptions = {}): GhlContact => {
    const loc = locationOf(locationId);
    if (!write.rawPhone) assertNoDuplicate(loc, input);
    const now = write.at !== undefined ? new Date(write.at).toISOString() : iso();
    const c: GhlContact = {
      id: newId(),
      locationId,
      firstName: null,
      lastName: null,
      name: null,
      email: null,
      phone: null,
      companyName: null,
      address1: null,
      city: null,
      state: null,
      postalCode: null,
      country: null,
      website: null,
      timezone: null,
      source: null,
      type: "lead",
      assignedTo: null,
      dateOfBirth: null,
      dnd: false,
      dndSettings: {},
      tags: [],
      customFields: [],
      additionalEmails: [],
      additionalPhones: [],
      businessId: null,
      followers: [],
      dateAdded: now,
      dateUpdated: now,
    };
    apply(c, input, loc, write);
    c.dateUpdated = now;
    contacts.set(c.id, c);
    options.onChange?.after(c.id, c, write.silent === true);
    emitContact("ContactCreate", c, write);
    return c;
  };

  const update = (contactId: string, input: ContactInput, write: ContactWriteOptions = {}): GhlContact => {
    const c = get(contactId);
    const loc = locationOf(c.locationId);
    assertNoDuplicate(loc, input, c.id);
    const result = apply(c, input, loc, write);
    if (result.changed) emitContact("ContactUpdate", c, write);
    if (result.tagsChanged) emitContact("ContactTagUpdate", c, write);
    if (result.dndChanged) emitContact("ContactDndUpdate", c, write);
    return c;
  };

  const remove = (contactId: string, write: ContactWriteOptions = {}): void => {
    const c = get(contactId);
    options.onChange?.before(c);
    contacts.delete(contactId);
    options.onChange?.after(contactId, null, write.silent === true);
    notes.delete(contactId);
    tasks.delete(contactId);
    emitContact("ContactDelete", c, write);
  };

  /**
   * Upsert as GHL does (FACTS §3.4): with `createNewIfDuplicateAllowed` on a location that allows
   * duplicates, create straight away. Otherwise look for a match field by field in the location's
   * priority order; the FIRST field that matches decides the contact, and when the other field belongs to
   * a different contact that other field is silently dropped from the update.
   */
  const upsert = (
    locationId: string,
    input: ContactInput & { createNewIfDuplicateAllowed?: boolean },
    write: ContactWriteOptions = {},
  ): { contact: GhlContact; isNew: boolean } => {
    const loc = locationOf(locationId);
    const { createNewIfDuplicateAllowed, ...fields } = input;
    if (createNewIfDuplicateAllowed && loc.allowDuplicates) {
      return { contact: create(locationId, fields, write), isNew: true };
    }
    const priority: DuplicateField[] = loc.allowDuplicates ? ["email", "phone"] : loc.duplicatePriority;
    for (const field of priority) {
      const match = findBy(locationId, field, fields[field]);
      if (!match) continue;
      const patch: ContactInput = { ...fields };
      for (const other of priority) {
        if (other === field) continue;
        const otherMatch = findBy(locationId, other, fields[other]);
        if (otherMatch && otherMatch.id !== match.id) delete patch[other];
      }
      // The update itself never fails on duplicates: the conflicting field was dropped above.
      const result = apply(match, patch, loc, write);
      if (result.changed) emitContact("ContactUpdate", match, write);
      if (result.tagsChanged) emitContact("ContactTagUpdate", match, write);
      if (result.dndChanged) emitContact("ContactDndUpdate", match, write);
      return { contact: match, isNew: false };
    }
    // Quirk (FACTS §3.4, issue #337): an email that is another contact's ADDITIONAL email matches that
    // contact; the email becomes its primary and the old primary is dropped.
    const wanted = fields.email?.toLowerCase();
    const secondary = wanted
      ? [...contacts.values()].find(
          (c) => c.locationId === locationId && c.additionalEmails.some((e) => e.toLowerCase() === wanted),
        )
      : undefined;
    if (secondary) {
      const patch: ContactInput = {
        ...fields,
        additionalEmails: secondary.additionalEmails.filter((e) => e.toLowerCase() !== wanted),
      };
      const phoneOwner = findBy(locationId, "phone", fields.phone);
      if (phoneOwner && phoneOwner.id !== secondary.id) delete patch.phone;
      const result = apply(secondary, patch, loc, write);
      if (result.changed) emitContact("ContactUpdate", secondary, write);
      if (result.tagsChanged) emitContact("ContactTagUpdate", secondary, write);
      if (result.dndChanged) emitContact("ContactDndUpdate", secondary, write);
      return { contact: secondary, isNew: false };
    }
    return { contact: create(locationId, fields, { ...write, rawPhone: write.rawPhone }), isNew: true };
  };

  const changeTags = (contactId: string, tags: string[], mode: "add" | "remove"): string[] => {
    const c = get(contactId);
    const wanted = normaliseTags(tags);
    const before = JSON.stringify(c.tags);
    options.onChange?.before(c);
    c.tags =
      mode === "add"
        ? normaliseTags([...c.tags, ...wanted])
        : c.tags.filter((t) => !wanted.includes(t.toLowerCase()));
    if (JSON.stringify(c.tags) !== before) {
      c.dateUpdated = iso();
      options.onChange?.after(c.id, c, false);
      emitContact("ContactTagUpdate", c, {});
    }
    return [...c.tags];
  };

  /** Adds or removes follower user ids; returns all followers and those this call changed. */
  const changeFollowers = (
    contactId: string,
    userIds: string[],
    mode: "add" | "remove",
  ): { followers: string[]; changed: string[] } => {
    const c = get(contactId);
    const wanted = [...new Set(userIds)];
    const changed =
      mode === "add"
        ? wanted.filter((id) => !c.followers.includes(id))
        : wanted.filter((id) => c.followers.includes(id));
    if (changed.length > 0) {
      options.onChange?.before(c);
      c.followers =
        mode === "add" ? [...c.followers, ...changed] : c.followers.filter((id) => !changed.includes(id));
      c.dateUpdated = iso();
      options.onChange?.after(c.id, c, false);
      emitContact("ContactUpdate", c, {});
    }
    return { followers: [...c.followers], changed };
  };

  /** Attaches the contact to a business (null detaches it). Returns whether anything changed. */
  const setBusiness = (contactId: string, businessId: string | null): boolean => {
    const c = get(contactId);
    if (c.businessId === businessId) return false;
    options.onChange?.before(c);
    c.businessId = businessId;
    c.dateUpdated = iso();
    options.onChange?.after(c.id, c, false);
    emitContact("ContactUpdate", c, {});
    return true;
  };

  const duplicate = (locationId: string, query: { email?: string; number?: string }): GhlContact | null => {
    const loc = locationOf(locationId);
    const priority: DuplicateField[] = loc.allowDuplicates ? ["email", "phone"] : loc.duplicatePriority;
    for (const field of priority) {
      const value = field === "email" ? query.email : query.number;
      const match = findBy(locationId, field, value);
      if (match) return match;
    }
    return null;
  };

  // Notes
  const listNotes = (contactId: string): GhlNote[] => {
    get(contactId);
    return notes.get(contactId) ?? [];
  };
  const getNote = (contactId: string, noteId: string): GhlNote => {
    const note = listNotes(contactId).find((n) => n.id === noteId);
    if (!note) throw new GhlStoreError(400, "Note not found");
    return note;
  };
  const notePayload = (n: GhlNote, locationId: string) => ({
    id: n.id,
    locationId,
    body: n.body,
    contactId: n.contactId,
    dateAdded: n.dateAdded,
  });
  const addNote = (contactId: string, input: Omit<GhlNote, "id" | "contactId" | "dateAdded">): GhlNote => {
    const c = get(contactId);
    const note: GhlNote = { ...input, id: newId(), contactId, dateAdded: iso() };
    notes.set(contactId, [...(notes.get(contactId) ?? []), note]);
    options.emit("NoteCreate", c.locationId, notePayload(note, c.locationId));
    return note;
  };
  const updateNote = (contactId: string, noteId: string, input: Partial<GhlNote>): GhlNote => {
    const c = get(contactId);
    const note = getNote(contactId, noteId);
    for (const key of ["body", "title", "userId", "color", "pinned"] as const) {
      if (input[key] !== undefined) (note as unknown as Record<string, unknown>)[key] = input[key];
    }
    options.emit("NoteUpdate", c.locationId, notePayload(note, c.locationId));
    return note;
  };
  const deleteNote = (contactId: string, noteId: string): void => {
    const c = get(contactId);
    const note = getNote(contactId, noteId);
    notes.set(
      contactId,
      listNotes(contactId).filter((n) => n.id !== noteId),
    );
    options.emit("NoteDelete", c.locationId, notePayload(note, c.locationId));
  };

  // Tasks
  const listTasks = (contactId: string): GhlTask[] => {
    get(contactId);
    return tasks.get(contactId) ?? [];
  };
  const getTask = (contactId: string, taskId: string): GhlTask => {
    const task = listTasks(contactId).find((t) => t.id === taskId);
    if (!task) throw new GhlStoreError(400, "Task not found");
    return task;
  };
  const taskPayload = (t: GhlTask, locationId: string) => ({
    id: t.id,
    locationId,
    assignedTo: t.assignedTo ?? null,
    body: t.body ?? null,
    contactId: t.contactId,
    title: t.title,
    dateAdded: t.dateAdded,
    dueDate: t.dueDate,
  });
  const addTask = (contactId: string, input: Omit<GhlTask, "id" | "contactId" | "dateAdded">): GhlTask => {
    const c = get(contactId);
    const task: GhlTask = { ...input, id: newId(), contactId, dateAdded: iso() };
    tasks.set(contactId, [...(tasks.get(contactId) ?? []), task]);
    options.emit("TaskCreate", c.locationId, taskPayload(task, c.locationId));
    return task;
  };
  const updateTask = (contactId: string, taskId: string, input: Partial<GhlTask>): GhlTask => {
    const c = get(contactId);
    const task = getTask(contactId, taskId);
    const wasCompleted = task.completed;
    for (const key of ["title", "body", "assignedTo", "dueDate", "completed"] as const) {
      if (input[key] !== undefined) (task as unknown as Record<string, unknown>)[key] = input[key];
    }
    if (!wasCompleted && task.completed)
      options.emit("TaskComplete", c.locationId, taskPayload(task, c.locationId));
    return task;
  };
  const deleteTask = (contactId: string, taskId: string): void => {
    const c = get(contactId);
    const task = getTask(contactId, taskId);
    tasks.set(
      contactId,
      listTasks(contactId).filter((t) => t.id !== taskId),
    );
    options.emit("TaskDelete", c.locationId, taskPayload(task, c.locationId));
  };

  return {
    contacts,
    get,
    find: (contactId: string): GhlContact | undefined => contacts.get(contactId),
    list: (locationId: string): GhlContact[] =>
      [...contacts.values()].filter((c) => c.locationId === locationId),
    create,
    update,
    remove,
    upsert,
    changeTags,
    changeFollowers,
    setBusiness,
    duplicate,
    listNotes,
    getNote,
    addNote,
    updateNote,
    deleteNote,
    listTasks,
    getTask,
    addTask,
    updateTask,
    deleteTask,
    clear(): void {
      contacts.clear();
      notes.clear();
      tasks.clear();
    },
  };
}

export type ContactsStore = ReturnType<typeof createContactsStore>;

/** GHL stores tags lower-cased, trimmed and unique. */
export function normaliseTags(tags: string[]): string[] {
  const out: string[] = [];
  for (const t of tags) {
    const v = t.trim().toLowerCase();
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}
