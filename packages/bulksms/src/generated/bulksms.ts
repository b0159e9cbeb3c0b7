// generated — do not edit; run pnpm generate
// Source: specs/bulksms/openapi.yaml (openapi-typescript). Exports `paths`, `components`, `operations`.

export interface paths {
    "/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List sent and received messages, newest first
         * @description Page with `filter=id<LAST` until an empty page comes back (`limit` is not a guarantee).
         *     The whole filter value is one URL-encoded parameter (`=` → `%3D`, `&` → `%26`).
         */
        get: operations["listMessages"];
        put?: never;
        /**
         * Send messages (a JSON array of submission entries)
         * @description Up to 30,000 messages per request; BulkSMS advises about 4,000. Retry only timeouts and 5xx, with the
         *     identical body and `deduplication-id`; never retry 400/403.
         */
        post: operations["sendMessages"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/messages/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one message */
        get: operations["getMessage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/messages/{id}/relatedReceivedMessages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Replies linked to a sent message (empty when the id is not a SENT message) */
        get: operations["listRelatedReceivedMessages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/profile": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Account profile, credit balance and daily quota */
        get: operations["getProfile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/blocked-numbers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List blocked (opted-out) numbers
         * @description Page with `min-id` = last id + 1 until fewer than `limit` come back.
         */
        get: operations["listBlockedNumbers"];
        put?: never;
        /** Block numbers (max 1000 per call; there is no unblock API) */
        post: operations["addBlockedNumbers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List webhooks */
        get: operations["listWebhooks"];
        put?: never;
        /** Create a webhook (BulkSMS POSTs `[]` to the URL to test it) */
        post: operations["createWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The webhook id. */
                id: string;
            };
            cookie?: never;
        };
        /** Read a webhook */
        get: operations["getWebhook"];
        put?: never;
        /** Update a webhook (POST, not PUT) */
        post: operations["updateWebhook"];
        /** Delete a webhook */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface webhooks {
    statusReportOrInbound: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Status reports (triggerScope SENT) or inbound messages (RECEIVED) POSTed to our URL */
        post: operations["receiveBulkSmsWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface components {
    schemas: {
        /** @description RFC 7807 problem details (content type may also be application/problem+json). */
        Problem: {
            type: string;
            title: string;
            /** Format: int32 */
            status: number;
            detail?: string;
        };
        /** @description International number; `+` optional on input, absent in responses. */
        PhoneNumber: string;
        Recipient: {
            /** @enum {string} */
            type: "INTERNATIONAL" | "GROUP";
            /** @description Number, for type INTERNATIONAL. */
            address?: string;
            /** @description Values for the {F0###}… templates in the body. */
            fields?: string[];
            /** @description Group name, for type GROUP. */
            name?: string;
            /** @description Group id, for type GROUP. */
            id?: string;
        };
        Sender: {
            /** @enum {string} */
            type: "INTERNATIONAL" | "ALPHANUMERIC" | "SHORTCODE" | "REPLIABLE";
            /** @description 7–15 digits (INTERNATIONAL), ≤ 11 characters (ALPHANUMERIC), ≤ 6 digits (SHORTCODE); none for REPLIABLE. */
            address?: string;
        };
        SubmissionEntry: {
            /** @description Recipients. Canonical form (sent by our client) is an array of Recipient objects. */
            to: (components["schemas"]["Recipient"] | string)[] | components["schemas"]["Recipient"] | string;
            /** @description Text (hex digits for BINARY); may contain {F0###}/{fn###} templates. */
            body: string;
            /** @description Sender. Canonical form is a Sender object; omit (or REPLIABLE) to receive replies. */
            from?: components["schemas"]["Sender"] | string;
            /** @enum {string} */
            encoding?: "TEXT" | "UNICODE" | "BINARY";
            /**
             * Format: int32
             * @description Maximum concatenated parts (default 3).
             */
            longMessageMaxParts?: number;
            /** @enum {string} */
            deliveryReports?: "ALL" | "ERRORS" | "NONE";
            /** @enum {string} */
            routingGroup?: "ECONOMY" | "STANDARD" | "PREMIUM";
            /** @enum {string} */
            protocolId?: "IMPLICIT" | "SHORT_MESSAGE_TYPE_0" | "REPLACE_MESSAGE_1" | "REPLACE_MESSAGE_2" | "REPLACE_MESSAGE_3" | "REPLACE_MESSAGE_4" | "REPLACE_MESSAGE_5" | "REPLACE_MESSAGE_6" | "REPLACE_MESSAGE_7" | "RETURN_CALL" | "ME_DOWNLOAD" | "ME_DEPERSONALIZE" | "SIM_DOWNLOAD";
            /** @enum {string} */
            messageClass?: "FLASH_SMS" | "ME_SPECIFIC" | "SIM_SPECIFIC" | "TE_SPECIFIC";
            /** @description Correlation id, at most 20 characters; echoed on SENT messages and filterable. */
            userSuppliedId?: string;
        };
        MessageStatus: {
            /** @description "<type>.<subtype>", with the literal "null" for no subtype, e.g. "SENT.null", "FAILED.BLOCKED". */
            id: string;
            /** @enum {string} */
            type: "ACCEPTED" | "SCHEDULED" | "SENT" | "DELIVERED" | "UNKNOWN" | "FAILED";
            /** @description Only set when type is FAILED. */
            subtype?: ("EXPIRED" | "HANDSET_ERROR" | "BLOCKED" | "NOT_SENT") | null;
        };
        /** @description A sent (MT) or received (MO) message. Also the item type of webhook bodies. */
        Message: {
            /** @description Large numeric-looking string, e.g. "953262833859043328". Keep it a string. */
            id: string;
            /** @enum {string} */
            type: "SENT" | "RECEIVED";
            /** @description Number without the leading `+`. */
            from?: string | null;
            /** @description Number without the leading `+`. */
            to: string;
            /** @description Message text (the vendor leaves it untyped). */
            body: string | null;
            /** @enum {string} */
            encoding?: "TEXT" | "UNICODE" | "BINARY";
            /** Format: int32 */
            protocolId?: number;
            /** Format: int32 */
            messageClass?: number;
            /**
             * Format: int32
             * @description Null in the send reply; filled in later.
             */
            numberOfParts?: number | null;
            /**
             * Format: float
             * @description Null in the send reply; filled in later.
             */
            creditCost?: number | null;
            submission?: {
                /** @description e.g. "2-00000000001865236111" */
                id: string;
                /** Format: date-time */
                date: string;
            };
            status: components["schemas"]["MessageStatus"];
            /** @description RECEIVED messages only. */
            relatedSentMessageId?: string | null;
            /** @description SENT messages only. */
            userSuppliedId?: string | null;
        };
        /**
         * @description What BulkSMS POSTs to a webhook URL: an array of Message (≤ 10 with invokeOption MANY; `[]` as a test).
         *     Headers: X-BulkSMS-Event (status-report | incoming-message), X-BulkSMS-Delivery,
         *     X-BulkSMS-Delivery-Attempt, X-BulkSMS-Webhook-Id. Not signed: authenticate with a secret in the URL.
         *     Answer 2xx within 30 s; a 4xx drops the message for good.
         */
        WebhookBody: components["schemas"]["Message"][];
        Profile: {
            id: string;
            username: string;
            /** Format: date-time */
            created: string;
            credits: {
                /** Format: float */
                balance?: number;
                /** Format: int32 */
                limit?: number;
                isTransferAllowed?: boolean;
            };
            quota: {
                /** Format: int32 */
                size: number;
                /** Format: int32 */
                remaining: number;
            };
            originAddresses?: {
                allowed?: string[];
                isFullControlAllowed?: boolean;
            };
            company?: {
                name?: string;
                taxReference?: string;
            };
            commerce?: {
                address?: {
                    street?: string[];
                    city?: string;
                    region?: string;
                    postalCode?: string;
                    country?: string;
                };
                bankPaymentReference?: string;
            };
        };
        BlockedNumber: {
            /** Format: int32 */
            id: number;
            phoneNumber: components["schemas"]["PhoneNumber"];
        };
        WebhookEntry: {
            name: string;
            /** @description Include a long random secret (BulkSMS does not sign calls). */
            url: string;
            /** @enum {string} */
            triggerScope: "SENT" | "RECEIVED";
            /**
             * @description ONE message per call, or MANY (≤ 10, recommended).
             * @enum {string}
             */
            invokeOption?: "ONE" | "MANY";
            active?: boolean;
            onWebApp?: boolean;
            contactEmailAddress?: string;
        };
        Webhook: {
            id?: number;
            name?: string;
            url?: string;
            /** @enum {string} */
            triggerScope?: "SENT" | "RECEIVED";
            active?: boolean;
            onWebApp?: boolean;
            contactEmailAddress?: string;
        };
    };
    responses: {
        /** @description Bad Request (problem details). The body may be empty (FACTS §6). */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Problem"];
            };
        };
        /** @description Bad or absent credentials. */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Problem"];
            };
        };
        /** @description Insufficient credits or quota. */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Problem"];
            };
        };
        /** @description Unknown id. */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Problem"];
            };
        };
        /** @description A webhook with the given id does not exist. */
        BadWebhookId: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Problem"];
            };
        };
        /** @description The webhook URL is not callable. */
        BadWebhookUrl: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: {
        /** @description Message id (a numeric-looking string). */
        MessageId: string;
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listMessages: {
        parameters: {
            query?: {
                /** @description e.g. `type=SENT&submission.id=1-000…`, `id<953262833859043328`, `status.type=DELIVERED` */
                filter?: string;
                /** @description Default 1000. */
                limit?: number;
                /** @description Default DESCENDING. */
                sortOrder?: "ASCENDING";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Messages. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"][];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
        };
    };
    sendMessages: {
        parameters: {
            query?: {
                /**
                 * @description int32 chosen by the caller (derive it from your own job key). A retry with the same id within about
                 *     12 hours gets the normal success reply and sends nothing twice.
                 */
                "deduplication-id"?: number;
                /** @description Send bodies holding non-GSM-03.38 characters as UNICODE (otherwise they become `?`). */
                "auto-unicode"?: boolean;
                /** @description Date-time with offset, up to 2 years ahead. Charged at submit, cannot be cancelled. */
                "schedule-date"?: string;
                "schedule-description"?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SubmissionEntry"][];
            };
        };
        responses: {
            /** @description One Message per generated message, usually status ACCEPTED (creditCost/numberOfParts null). */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"][];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
        };
    };
    getMessage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Message id (a numeric-looking string). */
                id: components["parameters"]["MessageId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The message. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
        };
    };
    listRelatedReceivedMessages: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Message id (a numeric-looking string). */
                id: components["parameters"]["MessageId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description RECEIVED messages. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"][];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
        };
    };
    getProfile: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The profile. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Profile"];
                };
            };
            401: components["responses"]["Unauthorized"];
        };
    };
    listBlockedNumbers: {
        parameters: {
            query?: {
                /** @description Records with an id >= min-id (default 0). */
                "min-id"?: number;
                /** @description Default and maximum 10000. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A list of BlockedNumber objects. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BlockedNumber"][];
                };
            };
            401: components["responses"]["Unauthorized"];
        };
    };
    addBlockedNumbers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PhoneNumber"][];
            };
        };
        responses: {
            /** @description Empty body. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
        };
    };
    listWebhooks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Webhooks. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"][];
                };
            };
            401: components["responses"]["Unauthorized"];
        };
    };
    createWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookEntry"];
            };
        };
        responses: {
            /** @description The webhook. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            400: components["responses"]["BadWebhookUrl"];
            401: components["responses"]["Unauthorized"];
        };
    };
    getWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The webhook id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The webhook. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["BadWebhookId"];
        };
    };
    updateWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The webhook id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookEntry"];
            };
        };
        responses: {
            /** @description The webhook. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            400: components["responses"]["BadWebhookUrl"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["BadWebhookId"];
        };
    };
    deleteWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The webhook id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["BadWebhookId"];
        };
    };
    receiveBulkSmsWebhook: {
        parameters: {
            query?: never;
            header?: {
                "X-BulkSMS-Event"?: "status-report" | "incoming-message";
                "X-BulkSMS-Delivery-Attempt"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookBody"];
            };
        };
        responses: {
            /** @description Acknowledged. A 4xx makes BulkSMS drop the message for good; 5xx/timeouts are retried. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}
