// generated — do not edit; run pnpm generate
// Source: specs/ghl/conversations.yaml (openapi-typescript). Exports `paths`, `components`, `operations`.

export interface paths {
    "/conversations/messages/inbound": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record an inbound SMS (from BulkSMS) in the contact's conversation */
        post: operations["addInboundMessage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations/messages/{messageId}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Report the delivery status of a message sent through our provider
         * @description Only the conversation provider app's own token may update a message's status.
         */
        put: operations["updateMessageStatus"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send an SMS to a contact through GHL */
        post: operations["sendMessage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search the location's conversations (for example the one of a contact) */
        get: operations["searchConversations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create the contact's conversation (GHL keeps one conversation per contact) */
        post: operations["createConversation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations/{conversationId}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The messages of a conversation, newest first (20 a page by default) */
        get: operations["listConversationMessages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        CreateConversationBody: {
            locationId: string;
            contactId: string;
        };
        CreateConversationResponse: {
            success: boolean;
            conversation: {
                id: string;
                dateUpdated: string;
                dateAdded: string;
                deleted: boolean;
                contactId: string;
                locationId: string;
                lastMessageDate: string;
                assignedTo?: string;
            };
        };
        ConversationMessagesResponse: {
            lastMessageId: string;
            /** @description true: more messages on the next page (ask with lastMessageId). */
            nextPage: boolean;
            messages: components["schemas"]["ConversationMessage"][];
        };
        ConversationMessage: {
            id: string;
            type: number;
            messageType: string;
            locationId: string;
            contactId: string;
            conversationId: string;
            dateAdded: string;
            body?: string;
            /** @enum {string} */
            direction: "inbound" | "outbound";
            status?: string;
            contentType: string;
            attachments?: string[];
            source?: string;
            userId?: string;
            conversationProviderId?: string;
        };
        ForbiddenError: {
            statusCode: number;
            message: string;
            error?: string;
        };
        BadRequestError: {
            statusCode: number;
            message: string;
        };
        UnauthorizedError: {
            statusCode: number;
            message: string;
            error?: string;
        };
        UnprocessableError: {
            statusCode: number;
            message: string[];
            error?: string;
        };
        SearchConversationsResponse: {
            conversations: components["schemas"]["Conversation"][];
            total: number;
        };
        Conversation: {
            id: string;
            contactId: string;
            locationId: string;
            lastMessageBody?: string;
            lastMessageType?: string;
            type?: string;
            unreadCount?: number;
            fullName?: string;
            contactName?: string;
            email?: string;
            phone?: string;
        };
        InboundMessageBody: {
            /** @enum {string} */
            type: "SMS" | "RCS" | "Email" | "WhatsApp" | "GMB" | "IG" | "FB" | "Custom" | "WebChat" | "Live_Chat" | "Call" | "IVR_Call" | "Campaign_Call" | "Campaign_VoiceMail" | "TIKTOK" | "ALL_IN_ONE_CHAT" | "FORM_SUBMISSION";
            message?: string;
            conversationId: string;
            contactId: string;
            conversationProviderId?: string;
            attachments?: string[];
            /** @description HTML body of an email. */
            html?: string;
            /** @description Subject of an email. */
            subject?: string;
            emailFrom?: string;
            emailTo?: string;
            emailCc?: string[];
            emailBcc?: string[];
            /** @description The email this one is threaded under. */
            emailMessageId?: string;
            /** @description Our external id for the message (BulkSMS message id). */
            altId?: string;
            /**
             * @description GHL's default is outbound (no `default:` here: the generated type would make it required).
             * @enum {string}
             */
            direction?: "outbound" | "inbound";
            /** Format: date-time */
            date?: string;
            call?: components["schemas"]["CallData"];
        };
        CallData: {
            to?: string;
            from?: string;
            /** @enum {string} */
            status?: "pending" | "completed" | "answered" | "busy" | "no-answer" | "failed" | "canceled" | "voicemail";
        };
        InboundMessageResponse: {
            success: boolean;
            conversationId: string;
            messageId: string;
            message: string;
            contactId?: string;
            dateAdded?: string;
        };
        ProviderError: {
            code: string;
            type: string;
            message: string;
        };
        UpdateMessageStatusBody: {
            /** @enum {string} */
            status: "delivered" | "failed" | "pending" | "read";
            error?: components["schemas"]["ProviderError"];
            emailMessageId?: string;
            /** @description Email delivery status for additional recipients. */
            recipients?: string[];
        };
        SendMessageBody: {
            /** @enum {string} */
            type: "SMS" | "RCS" | "Email" | "WhatsApp" | "IG" | "FB" | "Custom" | "Live_Chat" | "TIKTOK";
            subType: string;
            contactId: string;
            appointmentId?: string;
            message?: string;
            attachments?: string[];
            emailFrom?: string;
            emailCc?: string[];
            emailBcc?: string[];
            html?: string;
            subject?: string;
            replyMessageId?: string;
            templateId?: string;
            threadId?: string;
            /** @description Unix seconds. */
            scheduledTimestamp?: number;
            conversationProviderId?: string;
            emailTo?: string;
            customSubtypeId?: string;
            /** @enum {string} */
            emailReplyMode?: "reply" | "reply_all";
            fromNumber?: string;
            toNumber?: string;
            forward?: components["schemas"]["ForwardConfig"];
            /** @enum {string} */
            status: "delivered" | "failed" | "pending" | "read";
            usesNativeSchedulingAi?: boolean;
            /** @enum {string} */
            optimizationPeriod?: "24h" | "48h" | "72h";
        };
        ForwardConfig: {
            isForwarded: boolean;
            forwardWholeThread?: boolean;
            messageId?: string;
            emailMessageId?: string;
            sourceContactId?: string;
            sourceConversationId?: string;
            toEmail?: string;
            recipientContactId?: string;
            recipientConversationId?: string;
        };
        SendMessageResponse: {
            conversationId: string;
            messageId: string;
            messageIds?: string[];
            emailMessageId?: string;
            msg?: string;
            /** @enum {string} */
            status?: "delivered" | "failed" | "pending" | "read";
        };
    };
    responses: {
        /** @description The token is valid but may not act on this location. */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ForbiddenError"];
            };
        };
        /** @description Bad request: {statusCode, message}. */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["BadRequestError"];
            };
        };
        /** @description Token missing or invalid. */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["UnauthorizedError"];
            };
        };
        /** @description Unknown message. */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["BadRequestError"];
            };
        };
        /** @description Validation failed: `message` is a list. */
        Unprocessable: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["UnprocessableError"];
            };
        };
        /** @description Rate limit exceeded. */
        TooManyRequests: {
            headers: {
                /** @description Not documented by GHL; honour it when present. */
                "Retry-After"?: string;
                /** @description Length of the burst window in milliseconds (10,000). */
                "X-RateLimit-Interval-Milliseconds"?: number;
                /** @description Requests left in the current burst window. */
                "X-RateLimit-Remaining"?: number;
                /** @description Requests left today for this app and resource. */
                "X-RateLimit-Daily-Remaining"?: number;
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    statusCode?: number;
                    message?: string | string[];
                    error?: string;
                };
            };
        };
    };
    parameters: {
        /** @description API version of the Conversations family. */
        Version: "2021-04-15";
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    addInboundMessage: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Conversations family. */
                Version: components["parameters"]["Version"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InboundMessageBody"];
            };
        };
        responses: {
            /** @description Recorded. */
            200: {
                headers: {
                    /** @description Daily request budget for this app and resource (200,000). */
                    "X-RateLimit-Limit-Daily"?: number;
                    /** @description Requests left today for this app and resource. */
                    "X-RateLimit-Daily-Remaining"?: number;
                    /** @description Length of the burst window in milliseconds (10,000). */
                    "X-RateLimit-Interval-Milliseconds"?: number;
                    /** @description Requests allowed per burst window (100). */
                    "X-RateLimit-Max"?: number;
                    /** @description Requests left in the current burst window. */
                    "X-RateLimit-Remaining"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InboundMessageResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    updateMessageStatus: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Conversations family. */
                Version: components["parameters"]["Version"];
            };
            path: {
                messageId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateMessageStatusBody"];
            };
        };
        responses: {
            /** @description Updated. */
            200: {
                headers: {
                    /** @description Daily request budget for this app and resource (200,000). */
                    "X-RateLimit-Limit-Daily"?: number;
                    /** @description Requests left today for this app and resource. */
                    "X-RateLimit-Daily-Remaining"?: number;
                    /** @description Length of the burst window in milliseconds (10,000). */
                    "X-RateLimit-Interval-Milliseconds"?: number;
                    /** @description Requests allowed per burst window (100). */
                    "X-RateLimit-Max"?: number;
                    /** @description Requests left in the current burst window. */
                    "X-RateLimit-Remaining"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SendMessageResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    sendMessage: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Conversations family. */
                Version: components["parameters"]["Version"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SendMessageBody"];
            };
        };
        responses: {
            /** @description Queued. */
            200: {
                headers: {
                    /** @description Daily request budget for this app and resource (200,000). */
                    "X-RateLimit-Limit-Daily"?: number;
                    /** @description Requests left today for this app and resource. */
                    "X-RateLimit-Daily-Remaining"?: number;
                    /** @description Length of the burst window in milliseconds (10,000). */
                    "X-RateLimit-Interval-Milliseconds"?: number;
                    /** @description Requests allowed per burst window (100). */
                    "X-RateLimit-Max"?: number;
                    /** @description Requests left in the current burst window. */
                    "X-RateLimit-Remaining"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SendMessageResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    searchConversations: {
        parameters: {
            query: {
                locationId: string;
                contactId?: string;
                /** @description A conversation id. */
                id?: string;
                /** @description Comma-separated user ids, or "unassigned". */
                assignedTo?: string;
                followers?: string;
                mentions?: string;
                query?: string;
                sort?: "asc" | "desc";
                /** @description Default 20. */
                limit?: number;
                lastMessageDirection?: "inbound" | "outbound";
                status?: "all" | "read" | "unread" | "starred" | "recents";
                /** @description dateAdded lower bound, epoch milliseconds. */
                startDate?: number;
                /** @description dateAdded upper bound, epoch milliseconds. */
                endDate?: number;
            };
            header: {
                /** @description API version of the Conversations family. */
                Version: components["parameters"]["Version"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Matching conversations. */
            200: {
                headers: {
                    /** @description Daily request budget for this app and resource (200,000). */
                    "X-RateLimit-Limit-Daily"?: number;
                    /** @description Requests left today for this app and resource. */
                    "X-RateLimit-Daily-Remaining"?: number;
                    /** @description Length of the burst window in milliseconds (10,000). */
                    "X-RateLimit-Interval-Milliseconds"?: number;
                    /** @description Requests allowed per burst window (100). */
                    "X-RateLimit-Max"?: number;
                    /** @description Requests left in the current burst window. */
                    "X-RateLimit-Remaining"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SearchConversationsResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    createConversation: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Conversations family. */
                Version: components["parameters"]["Version"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateConversationBody"];
            };
        };
        responses: {
            /** @description Created. */
            201: {
                headers: {
                    /** @description Daily request budget for this app and resource (200,000). */
                    "X-RateLimit-Limit-Daily"?: number;
                    /** @description Requests left today for this app and resource. */
                    "X-RateLimit-Daily-Remaining"?: number;
                    /** @description Length of the burst window in milliseconds (10,000). */
                    "X-RateLimit-Interval-Milliseconds"?: number;
                    /** @description Requests allowed per burst window (100). */
                    "X-RateLimit-Max"?: number;
                    /** @description Requests left in the current burst window. */
                    "X-RateLimit-Remaining"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreateConversationResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    listConversationMessages: {
        parameters: {
            query?: {
                /** @description The last message id of the previous page. */
                lastMessageId?: string;
                /** @description Default 20. */
                limit?: number;
            };
            header: {
                /** @description API version of the Conversations family. */
                Version: components["parameters"]["Version"];
            };
            path: {
                conversationId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of the conversation's messages. */
            200: {
                headers: {
                    /** @description Daily request budget for this app and resource (200,000). */
                    "X-RateLimit-Limit-Daily"?: number;
                    /** @description Requests left today for this app and resource. */
                    "X-RateLimit-Daily-Remaining"?: number;
                    /** @description Length of the burst window in milliseconds (10,000). */
                    "X-RateLimit-Interval-Milliseconds"?: number;
                    /** @description Requests allowed per burst window (100). */
                    "X-RateLimit-Max"?: number;
                    /** @description Requests left in the current burst window. */
                    "X-RateLimit-Remaining"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConversationMessagesResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
}
