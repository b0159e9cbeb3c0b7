/**
 * The GHL API operations the simulator serves. Each route names the scopes it needs; the simulator checks
 * auth, rate limits, scopes and the spec before a handler runs, so handlers only hold the semantics.
 */
import type { ContactInput, ContactsStore } from "./contacts-store.js";
import { GhlStoreError } from "./contacts-store.js";
import type { TokenRecord } from "./oauth.js";
import { type SearchBody, SearchError } from "./search.js";
import { createSearchIndex } from "./search-index.js";
import type {
  GhlContact,
  GhlConversationProvider,
  GhlLocation,
  GhlMessage,
  GhlStatusUpdate,
} from "./types.js";
import { contactView, noteView, searchContactView, taskView } from "./views.js";

export interface RouteContext {
  params: Record<string, string>;
  query: Record<string, string>;
  body: Record<string, unknown>;
  token: TokenRecord;
  /** The location the token belongs to (undefined for agency tokens). */
  location: GhlLocation | undefined;
}

export interface RouteResult {
  status: number;
  body: unknown;
}

export interface Route {
  method: string;
  /** Path template as in the spec (`{param}`). */
  path: string;
  /** API family (decides the Version header values accepted). */
  family: "contacts" | "conversations" | "oauth";
  scopes: string[];
  /** Which user types may call it. */
  userTypes: Array<"Location" | "Company">;
  handler: (ctx: RouteContext) => RouteResult;
}

export interface Membership {
  kind: "workflow" | "campaign";
  action: "add" | "remove";
  contactId: string;
  id: string;
  at: number;
}

export interface RouteDeps {
  store: ContactsStore;
  /** What POST /contacts/search sees (the store, or a lagging index). */
  searchable: (locationId: string) => GhlContact[];
  messages: GhlMessage[];
  statusUpdates: GhlStatusUpdate[];
  conversations: Map<string, { id: string; contactId: string; locationId: string }>;
  newId: () => string;
  now: () => number;
  traceId: () => string;
  /** Workflow / campaign enrolments made through the API (visible via control). */
  memberships: Membership[];
  /** The app's SMS conversation provider, when one is configured (decides the inbound-message rules). */
  provider?: () => GhlConversationProvider | null;
  /** Called after an SMS is sent through GHL (the provider flow hooks in here). */
  onOutbound?: (m: GhlMessage, phone: string | null) => boolean;
  emit: (
    type: "InboundMessage" | "OutboundMessage",
    locationId: string,
    payload: Record<string, unknown>,
  ) => void;
}

/** Thrown to answer with an error envelope (404 becomes 400 when the operation declares no 404). */
export class HttpError extends Error {
  readonly status: number;
  readonly body: Record<string, unknown>;
  constructor(status: number, message: string | string[], extra: Record<string, unknown> = {}) {
    super(Array.isArray(message) ? message.join(", ") : message);
    this.status = status;
    this.body = { statusCode: status, message, ...extra };
  }
}

const READ = ["contacts.readonly"];
const WRITE = ["contacts.write"];
const MSG_WRITE = ["conversations/message.write"];
const CONV_READ = ["conversations.readonly"];
const CONV_WRITE = ["conversations.write"];
const MSG_READ = ["conversations/message.readonly"];

/**
 * The provider rules of "Add an inbound message" (ConversationProviders.md): a default SMS provider needs
 * no `conversationProviderId`; an extra (custom) provider must send it; an id that is not the app's
 * provider is refused; an SMS provider records type SMS. No provider configured: no rule (the sandbox is
 * not stricter than GHL for callers that are not a provider app).
 */
export function checkProviderRules(
  provider: GhlConversationProvider | null,
  body: { type: string; conversationProviderId?: string | undefined },
): void {
  if (!provider) return;
  const id = body.conversationProviderId;
  if (id === undefined || id === "") {
    if (provider.kind === "extra")
      throw new HttpError(400, "conversationProviderId is required for a custom conversation provider");
    return;
  }
  if (id !== provider.id) throw new HttpError(400, "Conversation provider not found");
  if (body.type !== provider.type)
    throw new HttpError(400, `The conversation provider only accepts messages of type ${provider.type}`);
}

/** GHL's numeric message type of a channel [inferred: the spec only shows numbers as examples]. */
const MESSAGE_TYPE_NUMBER: Record<string, number> = { Call: 1, SMS: 2, Email: 3 };
const PHONE_CHANNELS = new Set(["SMS", "RCS", "WhatsApp"]);

/** Documented request fields kept on a message as `details` (everything the handler does not model itself). */
const MODELLED_MESSAGE_FIELDS = new Set([
  "type",
  "subType",
  "contactId",
  "conversationId",
  "message",
  "attachments",
  "conversationProviderId",
  "date",
  "direction",
  "altId",
  "status",
]);

function messageDetails(body: Record<string, unknown>): Record<string, unknown> | undefined {
  const entries = Object.entries(body).filter(([k]) => !MODELLED_MESSAGE_FIELDS.has(k));
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/** Campaign ids the contact is in now, replaying the API's add/remove log in order. */
export function activeCampaigns(memberships: readonly Membership[], contactId: string): string[] {
  const active = new Set<string>();
  for (const m of memberships) {
    if (m.kind !== "campaign" || m.contactId !== contactId) continue;
    if (m.action === "add") active.add(m.id);
    else active.delete(m.id);
  }
  return [...active];
}

export function createRoutes(deps: RouteDeps): Route[] {
  const { store } = deps;
  const searchIndex = createSearchIndex();
  const contactOf = (ctx: RouteContext) => {
    const c = store.find(ctx.params.contactId ?? "");
    if (!c || c.locationId !== ctx.location?.id) throw new HttpError(404, "Contact not found");
    return c;
  };
  const sameLocation = (ctx: RouteContext, locationId: unknown): string => {
    if (typeof locationId !== "string" || locationId === "")
      throw new HttpError(422, ["locationId should not be empty"], { error: "Unprocessable Entity" });
    if (locationId !== ctx.location?.id) {
      // GHL answers 403 here (the token is valid, the location is not its own): specs/ghl Forbidden.
      throw new HttpError(403, "The token does not have access to this location.", { error: "Forbidden" });
    }
    return locationId;
  };
  const wrap = (fn: () => RouteResult): RouteResult => {
    try {
      return fn();
    } catch (error) {
      if (error instanceof GhlStoreError) {
        const notFound = /not found/i.test(error.message);
        throw new HttpError(
          notFound ? 404 : error.status,
          error.message,
          Object.fromEntries(
            Object.entries(error.body).filter(([k]) => k !== "statusCode" && k !== "message"),
          ),
        );
      }
      throw error;
    }
  };
  const contactRoute = (
    method: string,
    path: string,
    scopes: string[],
    handler: Route["handler"],
  ): Route => ({
    method,
    path,
    family: "contacts",
    scopes,
    userTypes: ["Location"],
    handler: (ctx) => wrap(() => handler(ctx)),
  });
  /** Workflow/campaign add and remove: recorded in `memberships`, answered with GHL's status. */
  const membershipRoute = (
    method: "POST" | "DELETE",
    path: `/contacts/{contactId}/${string}/{${"workflowId" | "campaignId"}}`,
    membership: Pick<Membership, "kind" | "action">,
    status: 200 | 201,
  ): Route =>
    contactRoute(method, path, WRITE, (ctx) => {
      const c = contactOf(ctx);
      const id = ctx.params[`${membership.kind}Id`] ?? "";
      deps.memberships.push({ ...membership, contactId: c.id, id, at: deps.now() });
      return { status, body: { succeded: true } };
    });
  const fields = (body: Record<string, unknown>): ContactInput => {
    const { locationId: _l, createNewIfDuplicateAllowed: _c, ...rest } = body;
    return rest as ContactInput;
  };

  return [
    contactRoute("POST", "/contacts/search", READ, (ctx) => {
      sameLocation(ctx, ctx.body.locationId);
      try {
        const result = searchIndex.search(
          deps.searchable(ctx.location?.id ?? ""),
          ctx.body as unknown as SearchBody,
        );
        return {
          status: 200,
          body: { contacts: result.contacts.map(searchContactView), total: result.total },
        };
      } catch (error) {
        if (error instanceof SearchError)
          throw new HttpError(422, [error.message], { error: "Unprocessable Entity" });
        throw error;
      }
    }),
    contactRoute("GET", "/contacts/search/duplicate", READ, (ctx) => {
      const locationId = sameLocation(ctx, ctx.query.locationId);
      const match = store.duplicate(locationId, { email: ctx.query.email, number: ctx.query.number });
      return { status: 200, body: { contact: match ? contactView(match) : null } };
    }),
    contactRoute("POST", "/contacts/", WRITE, (ctx) => {
      const locationId = sameLocation(ctx, ctx.body.locationId);
      const c = store.create(locationId, fields(ctx.body));
      return { status: 201, body: { contact: { ...contactView(c), deleted: false } } };
    }),
    contactRoute("GET", "/contacts/", READ, (ctx) => {
      const locationId = sameLocation(ctx, ctx.query.locationId);
      const limit = Math.min(Number(ctx.query.limit ?? 20) || 20, 100);
      const all = store
        .list(locationId)
        .sort((a, b) => a.dateAdded.localeCompare(b.dateAdded) || a.id.localeCompare(b.id));
      const q = (ctx.query.query ?? "").toLowerCase();
      const filtered = q
        ? all.filter((c) => [c.name, c.email, c.phone].some((x) => x?.toLowerCase().includes(q)))
        : all;
      // The cursor is (startAfter = dateAdded in epoch ms, startAfterId); either alone works too.
      const after = ctx.query.startAfter !== undefined ? Number(ctx.query.startAfter) : null;
      const afterId = ctx.query.startAfterId;
      let start = 0;
      if (after !== null) {
        start = filtered.findIndex((c) => {
          const t = Date.parse(c.dateAdded);
          return t > after || (t === after && !!afterId && c.id.localeCompare(afterId) > 0);
        });
      } else if (afterId) {
        start = filtered.findIndex((c) => c.id === afterId) + 1;
      }
      if (start < 0) start = filtered.length;
      return {
        status: 200,
        body: { contacts: filtered.slice(start, start + limit).map(contactView), count: filtered.length },
      };
    }),
    contactRoute("POST", "/contacts/upsert", WRITE, (ctx) => {
      const locationId = sameLocation(ctx, ctx.body.locationId);
      const { createNewIfDuplicateAllowed } = ctx.body as { createNewIfDuplicateAllowed?: boolean };
      const result = store.upsert(locationId, { ...fields(ctx.body), createNewIfDuplicateAllowed });
      return {
        status: 200,
        body: { new: result.isNew, contact: contactView(result.contact), traceId: deps.traceId() },
      };
    }),
    contactRoute("GET", "/contacts/{contactId}", READ, (ctx) => ({
      status: 200,
      body: { contact: contactView(contactOf(ctx)) },
    })),
    contactRoute("PUT", "/contacts/{contactId}", WRITE, (ctx) => {
      const c = store.update(contactOf(ctx).id, fields(ctx.body));
      return { status: 200, body: { succeded: true, contact: contactView(c) } };
    }),
    contactRoute("DELETE", "/contacts/{contactId}", WRITE, (ctx) => {
      store.remove(contactOf(ctx).id);
      return { status: 200, body: { succeded: true } };
    }),
    contactRoute("POST", "/contacts/{contactId}/tags", WRITE, (ctx) => ({
      status: 201,
      body: { tags: store.changeTags(contactOf(ctx).id, ctx.body.tags as string[], "add") },
    })),
    contactRoute("DELETE", "/contacts/{contactId}/tags", WRITE, (ctx) => ({
      status: 200,
      body: { tags: store.changeTags(contactOf(ctx).id, ctx.body.tags as string[], "remove") },
    })),
    contactRoute("GET", "/contacts/{contactId}/notes", READ, (ctx) => ({
      status: 200,
      body: { notes: store.listNotes(contactOf(ctx).id).map(noteView) },
    })),
    contactRoute("POST", "/contacts/{contactId}/notes", WRITE, (ctx) => ({
      status: 201,
      body: { note: noteView(store.addNote(contactOf(ctx).id, ctx.body as { body: string })) },
    })),
    contactRoute("GET", "/contacts/{contactId}/notes/{noteId}", READ, (ctx) => ({
      status: 200,
      body: { note: noteView(store.getNote(contactOf(ctx).id, ctx.params.noteId ?? "")) },
    })),
    contactRoute("PUT", "/contacts/{contactId}/notes/{noteId}", WRITE, (ctx) => ({
      status: 200,
      body: { note: noteView(store.updateNote(contactOf(ctx).id, ctx.params.noteId ?? "", ctx.body)) },
    })),
    contactRoute("DELETE", "/contacts/{contactId}/notes/{noteId}", WRITE, (ctx) => {
      store.deleteNote(contactOf(ctx).id, ctx.params.noteId ?? "");
      return { status: 200, body: { succeded: true } };
    }),
    contactRoute("GET", "/contacts/{contactId}/tasks", READ, (ctx) => ({
      status: 200,
      body: { tasks: store.listTasks(contactOf(ctx).id).map(taskView) },
    })),
    contactRoute("POST", "/contacts/{contactId}/tasks", WRITE, (ctx) => ({
      status: 201,
      body: {
        task: taskView(
          store.addTask(
            contactOf(ctx).id,
            ctx.body as { title: string; dueDate: string; completed: boolean },
          ),
        ),
      },
    })),
    contactRoute("GET", "/contacts/{contactId}/tasks/{taskId}", READ, (ctx) => ({
      status: 200,
      body: { task: taskView(store.getTask(contactOf(ctx).id, ctx.params.taskId ?? "")) },
    })),
    contactRoute("PUT", "/contacts/{contactId}/tasks/{taskId}", WRITE, (ctx) => ({
      status: 200,
      body: { task: taskView(store.updateTask(contactOf(ctx).id, ctx.params.taskId ?? "", ctx.body)) },
    })),
    contactRoute("PUT", "/contacts/{contactId}/tasks/{taskId}/completed", WRITE, (ctx) => ({
      status: 200,
      body: {
        task: taskView(
          store.updateTask(contactOf(ctx).id, ctx.params.taskId ?? "", {
            completed: ctx.body.completed as boolean,
          }),
        ),
      },
    })),
    contactRoute("DELETE", "/contacts/{contactId}/tasks/{taskId}", WRITE, (ctx) => {
      store.deleteTask(contactOf(ctx).id, ctx.params.taskId ?? "");
      return { status: 200, body: { succeded: true } };
    }),
    contactRoute("GET", "/contacts/business/{businessId}", READ, (ctx) => {
      const locationId = sameLocation(ctx, ctx.query.locationId);
      const limit = Number(ctx.query.limit ?? "25") || 25;
      const skip = Number(ctx.query.skip ?? "0") || 0;
      const q = (ctx.query.query ?? "").toLowerCase();
      const all = store
        .list(locationId)
        .filter((c) => c.businessId === ctx.params.businessId)
        .filter((c) => !q || [c.name, c.email, c.phone].some((x) => x?.toLowerCase().includes(q)));
      return {
        status: 200,
        body: { contacts: all.slice(skip, skip + limit).map(contactView), count: all.length },
      };
    }),
    contactRoute("POST", "/contacts/{contactId}/followers", WRITE, (ctx) => {
      const r = store.changeFollowers(contactOf(ctx).id, ctx.body.followers as string[], "add");
      return { status: 201, body: { followers: r.followers, followersAdded: r.changed } };
    }),
    contactRoute("DELETE", "/contacts/{contactId}/followers", WRITE, (ctx) => {
      const r = store.changeFollowers(contactOf(ctx).id, ctx.body.followers as string[], "remove");
      return { status: 200, body: { followers: r.followers, followersRemoved: r.changed } };
    }),
    contactRoute("POST", "/contacts/bulk/tags/update/{type}", WRITE, (ctx) => {
      const locationId = sameLocation(ctx, ctx.body.locationId);
      const mode = ctx.params.type === "remove" ? "remove" : "add";
      const b = ctx.body as { contacts: string[]; tags: string[]; removeAllTags?: boolean };
      if (b.removeAllTags && mode !== "remove")
        throw new HttpError(422, ["removeAllTags can only be used with remove type"], {
          error: "Unprocessable Entity",
        });
      const responses = b.contacts.map((contactId) => {
        const c = store.find(contactId);
        if (!c) return { contactId, message: "contact not found", type: "error" };
        if (c.locationId !== locationId)
          return { contactId, message: "contact does not belong to location", type: "error" };
        const oldTags = [...c.tags];
        const tags = store.changeTags(c.id, b.removeAllTags ? oldTags : b.tags, mode);
        return {
          contactId,
          message: "Tags updated",
          type: "success",
          oldTags,
          tagsAdded: tags.filter((t) => !oldTags.includes(t)),
          tagsRemoved: oldTags.filter((t) => !tags.includes(t)),
        };
      });
      const errorCount = responses.filter((r) => r.type === "error").length;
      return { status: 201, body: { succeded: errorCount === 0, errorCount, responses } };
    }),
    contactRoute("POST", "/contacts/bulk/business", WRITE, (ctx) => {
      const locationId = sameLocation(ctx, ctx.body.locationId);
      const b = ctx.body as { ids: string[]; businessId: string | null };
      const ids: string[] = [];
      for (const id of b.ids) {
        const c = store.find(id);
        if (!c || c.locationId !== locationId) continue;
        store.setBusiness(c.id, b.businessId);
        ids.push(c.id);
      }
      return { status: 200, body: { success: true, ids } };
    }),
    contactRoute("DELETE", "/contacts/{contactId}/campaigns/removeAll", WRITE, (ctx) => {
      const c = contactOf(ctx);
      for (const id of activeCampaigns(deps.memberships, c.id)) {
        deps.memberships.push({ kind: "campaign", action: "remove", contactId: c.id, id, at: deps.now() });
      }
      return { status: 200, body: { succeded: true } };
    }),
    membershipRoute(
      "POST",
      "/contacts/{contactId}/workflow/{workflowId}",
      { kind: "workflow", action: "add" },
      200,
    ),
    membershipRoute(
      "DELETE",
      "/contacts/{contactId}/workflow/{workflowId}",
      { kind: "workflow", action: "remove" },
      200,
    ),
    membershipRoute(
      "POST",
      "/contacts/{contactId}/campaigns/{campaignId}",
      { kind: "campaign", action: "add" },
      201,
    ),
    membershipRoute(
      "DELETE",
      "/contacts/{contactId}/campaigns/{campaignId}",
      { kind: "campaign", action: "remove" },
      200,
    ),
    contactRoute("GET", "/contacts/{contactId}/appointments", READ, (ctx) => {
      contactOf(ctx);
      return { status: 200, body: { events: [] } };
    }),
    {
      method: "POST",
      path: "/conversations/messages/inbound",
      family: "conversations",
      scopes: MSG_WRITE,
      userTypes: ["Location"],
      handler: (ctx) => {
        const b = ctx.body as {
          contactId: string;
          conversationId: string;
          message?: string;
          conversationProviderId?: string;
          attachments?: string[];
          date?: string;
          type: string;
          direction?: "inbound" | "outbound";
          altId?: string;
        };
        const contact = store.find(b.contactId);
        if (!contact || contact.locationId !== ctx.location?.id)
          throw new HttpError(400, "Contact not found");
        checkProviderRules(deps.provider?.() ?? null, b);
        const conversation = conversationFor(deps, contact.id, contact.locationId, b.conversationId);
        const m: GhlMessage = {
          id: deps.newId(),
          locationId: contact.locationId,
          conversationId: conversation.id,
          contactId: contact.id,
          // The endpoint records a message a provider handled; `direction` (documented) says which way it went.
          direction: b.direction ?? "inbound",
          type: b.type,
          body: b.message ?? "",
          status: "delivered",
          conversationProviderId: b.conversationProviderId,
          attachments: b.attachments ?? [],
          dateAdded: b.date ?? new Date(deps.now()).toISOString(),
          ...(b.altId ? { altId: b.altId } : {}),
          ...withDetails(ctx.body),
        };
        deps.messages.push(m);
        deps.emit(
          m.direction === "inbound" ? "InboundMessage" : "OutboundMessage",
          m.locationId,
          messagePayload(m),
        );
        return {
          status: 200,
          body: {
            success: true,
            conversationId: m.conversationId,
            messageId: m.id,
            message: "Message queued successfully.",
            contactId: m.contactId,
            dateAdded: m.dateAdded,
          },
        };
      },
    },
    {
      method: "PUT",
      path: "/conversations/messages/{messageId}/status",
      family: "conversations",
      scopes: MSG_WRITE,
      userTypes: ["Location"],
      handler: (ctx) => {
        const m = deps.messages.find(
          (x) => x.id === ctx.params.messageId && x.locationId === ctx.location?.id,
        );
        if (!m) throw new HttpError(404, "Message not found");
        if (m.direction !== "outbound")
          throw new HttpError(400, "Only outbound messages have a delivery status");
        // ConversationProviders.md: only the conversation provider's app may update a message's status
        if (m.viaProvider !== true)
          throw new HttpError(
            403,
            "The message was not sent through your conversation provider; its status cannot be updated",
          );
        const b = ctx.body as {
          status: string;
          error?: unknown;
          emailMessageId?: string;
          recipients?: string[];
        };
        m.status = b.status;
        deps.statusUpdates.push({
          messageId: m.id,
          status: b.status,
          ...(b.error ? { error: b.error } : {}),
          ...(b.emailMessageId ? { emailMessageId: b.emailMessageId } : {}),
          ...(b.recipients ? { recipients: [...b.recipients] } : {}),
          at: new Date(deps.now()).toISOString(),
        });
        return { status: 200, body: { conversationId: m.conversationId, messageId: m.id, status: b.status } };
      },
    },
    {
      method: "POST",
      path: "/conversations/messages",
      family: "conversations",
      scopes: MSG_WRITE,
      userTypes: ["Location"],
      handler: (ctx) => {
        const b = ctx.body as {
          contactId: string;
          message?: string;
          type: string;
          attachments?: string[];
          conversationProviderId?: string;
        };
        const contact = store.find(b.contactId);
        if (!contact || contact.locationId !== ctx.location?.id)
          throw new HttpError(400, "Contact not found");
        // Phone channels need a number; an email (or another documented channel) does not.
        const phoneChannel = PHONE_CHANNELS.has(b.type);
        if (phoneChannel && !contact.phone) throw new HttpError(400, "Contact has no phone number");
        const conversation = conversationFor(deps, contact.id, contact.locationId);
        const m: GhlMessage = {
          id: deps.newId(),
          locationId: contact.locationId,
          conversationId: conversation.id,
          contactId: contact.id,
          direction: "outbound",
          type: b.type,
          body: b.message ?? "",
          status: "pending",
          conversationProviderId: b.conversationProviderId,
          attachments: b.attachments ?? [],
          dateAdded: new Date(deps.now()).toISOString(),
          ...withDetails(ctx.body),
        };
        deps.messages.push(m);
        deps.emit("OutboundMessage", m.locationId, { ...messagePayload(m), source: "app" });
        // Only SMS goes through the SMS conversation provider.
        if (b.type === "SMS" && deps.onOutbound?.(m, contact.phone)) m.viaProvider = true;
        return {
          status: 200,
          body: {
            conversationId: m.conversationId,
            messageId: m.id,
            msg: "Message queued successfully.",
            status: "pending",
          },
        };
      },
    },
    {
      method: "POST",
      path: "/conversations/",
      family: "conversations",
      scopes: CONV_WRITE,
      userTypes: ["Location"],
      handler: (ctx) => {
        const b = ctx.body as { locationId: string; contactId: string };
        const locationId = sameLocation(ctx, b.locationId);
        const contact = store.find(b.contactId);
        if (!contact || contact.locationId !== locationId) throw new HttpError(400, "Contact not found");
        // GHL keeps one conversation per contact (ConversationProviders.md, conversations.write)
        for (const c of deps.conversations.values())
          if (c.contactId === contact.id) throw new HttpError(400, "Conversation already exists");
        const created = conversationFor(deps, contact.id, locationId);
        const at = new Date(deps.now()).toISOString();
        return {
          status: 201,
          body: {
            success: true,
            conversation: {
              id: created.id,
              contactId: contact.id,
              locationId,
              dateAdded: at,
              dateUpdated: at,
              lastMessageDate: at,
              deleted: false,
            },
          },
        };
      },
    },
    {
      method: "GET",
      path: "/conversations/{conversationId}/messages",
      family: "conversations",
      scopes: MSG_READ,
      userTypes: ["Location"],
      handler: (ctx) => {
        const c = deps.conversations.get(ctx.params.conversationId ?? "");
        if (!c || c.locationId !== ctx.location?.id) throw new HttpError(404, "Conversation not found");
        const newestFirst = deps.messages.filter((m) => m.conversationId === c.id).reverse();
        const after = ctx.query.lastMessageId;
        const start = after ? newestFirst.findIndex((m) => m.id === after) + 1 : 0;
        const limit = Math.max(1, Math.min(100, Number(ctx.query.limit ?? 20) || 20));
        const page = newestFirst.slice(start, start + limit);
        return {
          status: 200,
          body: {
            lastMessageId: page.at(-1)?.id ?? "",
            nextPage: start + limit < newestFirst.length,
            messages: page.map((m) => ({
              id: m.id,
              type: MESSAGE_TYPE_NUMBER[m.type] ?? 0,
              messageType: `TYPE_${m.type.toUpperCase()}`,
              locationId: m.locationId,
              contactId: m.contactId,
              conversationId: m.conversationId,
              dateAdded: m.dateAdded,
              body: m.body,
              direction: m.direction,
              status: m.status,
              contentType: "text/plain",
              attachments: m.attachments,
              ...(m.conversationProviderId ? { conversationProviderId: m.conversationProviderId } : {}),
            })),
          },
        };
      },
    },
    {
      method: "GET",
      path: "/conversations/search",
      family: "conversations",
      scopes: CONV_READ,
      userTypes: ["Location"],
      handler: (ctx) => {
        const locationId = sameLocation(ctx, ctx.query.locationId);
        return { status: 200, body: searchConversations(deps, locationId, ctx.query) };
      },
    },
  ];
}

function withDetails(body: Record<string, unknown>): Pick<GhlMessage, "details"> {
  const details = messageDetails(body);
  return details ? { details: structuredClone(details) } : {};
}

/** GET /conversations/search over the sandbox's conversations, newest last message first (sort=desc). */
function searchConversations(
  deps: Pick<RouteDeps, "conversations" | "messages" | "store">,
  locationId: string,
  query: Record<string, string>,
): { conversations: Array<Record<string, unknown>>; total: number } {
  const q = (query.query ?? "").toLowerCase();
  const rows = [...deps.conversations.values()]
    .filter((c) => c.locationId === locationId)
    .filter((c) => !query.contactId || c.contactId === query.contactId)
    .filter((c) => !query.id || c.id === query.id)
    .map((c) => {
      const thread = deps.messages.filter((m) => m.conversationId === c.id);
      const last = thread.at(-1);
      const lastOutbound = thread.findLastIndex((m) => m.direction === "outbound");
      return {
        conversation: c,
        contact: deps.store.find(c.contactId),
        last,
        unread: thread.slice(lastOutbound + 1).filter((m) => m.direction === "inbound").length,
      };
    })
    .filter((r) => !query.lastMessageDirection || r.last?.direction === query.lastMessageDirection)
    .filter((r) => {
      const t = r.last ? Date.parse(r.last.dateAdded) : 0;
      if (query.startDate !== undefined && t < Number(query.startDate)) return false;
      if (query.endDate !== undefined && t > Number(query.endDate)) return false;
      return true;
    })
    .filter(
      (r) =>
        !q ||
        [r.contact?.name, r.contact?.email, r.contact?.phone, r.last?.body].some((x) =>
          x?.toLowerCase().includes(q),
        ),
    );
  const sign = query.sort === "asc" ? 1 : -1;
  rows.sort((a, b) => sign * (a.last?.dateAdded ?? "").localeCompare(b.last?.dateAdded ?? ""));
  const limit = Number(query.limit ?? 20) || 20;
  const conversations = rows.slice(0, limit).map((r) => {
    const name = r.contact?.name ?? null;
    const out: Record<string, unknown> = {
      id: r.conversation.id,
      contactId: r.conversation.contactId,
      locationId: r.conversation.locationId,
      lastMessageBody: r.last?.body ?? "",
      lastMessageType: `TYPE_${(r.last?.type ?? "SMS").toUpperCase()}`,
      type: "TYPE_PHONE",
      unreadCount: r.unread,
    };
    if (name) {
      out.fullName = name;
      out.contactName = name;
    }
    if (r.contact?.email) out.email = r.contact.email;
    if (r.contact?.phone) out.phone = r.contact.phone;
    return out;
  });
  return { conversations, total: rows.length };
}

export function conversationFor(
  deps: Pick<RouteDeps, "conversations" | "newId">,
  contactId: string,
  locationId: string,
  wantedId?: string,
): { id: string; contactId: string; locationId: string } {
  if (wantedId) {
    const existing = deps.conversations.get(wantedId);
    if (existing) {
      if (existing.contactId !== contactId)
        throw new HttpError(400, "Conversation does not belong to this contact");
      return existing;
    }
  }
  for (const c of deps.conversations.values()) if (c.contactId === contactId && !wantedId) return c;
  // GHL creates the conversation on first contact; the sandbox accepts a caller-chosen id the same way.
  const created = { id: wantedId ?? deps.newId(), contactId, locationId };
  deps.conversations.set(created.id, created);
  return created;
}

export function messagePayload(m: GhlMessage): Record<string, unknown> {
  return {
    attachments: m.attachments,
    body: m.body,
    contactId: m.contactId,
    contentType: "text/plain",
    conversationId: m.conversationId,
    dateAdded: m.dateAdded,
    direction: m.direction,
    messageType: m.type,
    status: m.status,
    messageId: m.id,
    ...(m.conversationProviderId ? { conversationProviderId: m.conversationProviderId } : {}),
  };
}
