import type { ApiContext, GhlCallOptions } from "../client/api-context.js";
import { CONVERSATIONS_VERSION, locationCall } from "../client/api-context.js";
import type { GhlResult } from "../core/result.js";
import type { components, paths } from "../generated/conversations.js";

type S = components["schemas"];
export type InboundMessageInput = S["InboundMessageBody"];
export type UpdateMessageStatusInput = S["UpdateMessageStatusBody"];
export type SendMessageInput = S["SendMessageBody"];
export type GhlConversation = S["Conversation"];
export type GhlConversationMessage = S["ConversationMessage"];
export type SearchConversationsQuery = Omit<
  NonNullable<paths["/conversations/search"]["get"]["parameters"]["query"]>,
  "locationId"
>;

export interface ConversationsApi {
  /** GET /conversations/search: the location's conversations matching the filters (e.g. `contactId`). */
  search(
    p: { locationId: string } & SearchConversationsQuery,
    o?: GhlCallOptions,
  ): Promise<GhlResult<S["SearchConversationsResponse"]>>;
  /** POST /conversations/: creates the contact's conversation (GHL keeps one per contact). Not retried when ambiguous. */
  create(
    p: { locationId: string; contactId: string },
    o?: GhlCallOptions,
  ): Promise<GhlResult<S["CreateConversationResponse"]>>;
  /** GET /conversations/{conversationId}/messages: one page of the conversation's messages, newest first. */
  listMessages(
    p: { locationId: string; conversationId: string; limit?: number; lastMessageId?: string },
    o?: GhlCallOptions,
  ): Promise<GhlResult<S["ConversationMessagesResponse"]>>;
  /** Records an inbound SMS in GHL. Non-idempotent: an ambiguous failure is returned, not retried. */
  inboundMessage(
    p: { locationId: string; body: InboundMessageInput },
    o?: GhlCallOptions,
  ): Promise<GhlResult<S["InboundMessageResponse"]>>;
  /** Delivery receipt for a provider message (only the provider app's own token may call it). */
  updateMessageStatus(
    p: { locationId: string; messageId: string; body: UpdateMessageStatusInput },
    o?: GhlCallOptions,
  ): Promise<GhlResult<S["SendMessageResponse"]>>;
  /** Sends a message through GHL. Non-idempotent: an ambiguous failure is returned, not retried. */
  sendMessage(
    p: { locationId: string; body: SendMessageInput },
    o?: GhlCallOptions,
  ): Promise<GhlResult<S["SendMessageResponse"]>>;
}

export function createConversationsApi({ execute, conversations }: ApiContext): ConversationsApi {
  const header = CONVERSATIONS_VERSION;
  return {
    search({ locationId, ...filters }, o) {
      return execute(locationCall("GET", "/conversations/search", locationId, o), (fetch) =>
        conversations.GET("/conversations/search", {
          params: { header, query: { locationId, ...filters } },
          fetch,
        }),
      );
    },
    create({ locationId, contactId }, o) {
      return execute(locationCall("POST", "/conversations/", locationId, o, false), (fetch) =>
        conversations.POST("/conversations/", { params: { header }, body: { locationId, contactId }, fetch }),
      );
    },
    listMessages({ locationId, conversationId, ...page }, o) {
      return execute(
        locationCall("GET", "/conversations/{conversationId}/messages", locationId, o),
        (fetch) =>
          conversations.GET("/conversations/{conversationId}/messages", {
            params: { header, path: { conversationId }, query: page },
            fetch,
          }),
      );
    },
    inboundMessage({ locationId, body }, o) {
      return execute(locationCall("POST", "/conversations/messages/inbound", locationId, o, false), (fetch) =>
        conversations.POST("/conversations/messages/inbound", { params: { header }, body, fetch }),
      );
    },
    updateMessageStatus({ locationId, messageId, body }, o) {
      return execute(
        locationCall("PUT", "/conversations/messages/{messageId}/status", locationId, o),
        (fetch) =>
          conversations.PUT("/conversations/messages/{messageId}/status", {
            params: { header, path: { messageId } },
            body,
            fetch,
          }),
      );
    },
    sendMessage({ locationId, body }, o) {
      return execute(locationCall("POST", "/conversations/messages", locationId, o, false), (fetch) =>
        conversations.POST("/conversations/messages", { params: { header }, body, fetch }),
      );
    },
  };
}
