// generated — do not edit; run pnpm generate
// Source: specs/ghl/webhooks.yaml (openapi-typescript). Exports `paths`, `components`, `operations`.

export type paths = Record<string, never>;
export interface webhooks {
    ghlEvent: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** An event POSTed to the app's webhook URL */
        post: operations["receiveGhlEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    providerOutboundMessage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A message GHL asks our conversation provider to send, POSTed to the Delivery URL */
        post: operations["receiveProviderOutboundMessage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface components {
    schemas: {
        WebhookEnvelope: {
            webhookId: string;
            /** Format: date-time */
            timestamp: string;
            appId?: string;
            versionId?: string;
        };
        WebhookCustomField: {
            id?: string;
            /** @description String, number, list or object depending on the custom field's type. */
            value?: unknown;
        };
        WebhookDndSetting: {
            /** @description active | inactive | permanent */
            status?: string;
            message?: string;
            code?: string;
        };
        ContactWebhookFields: {
            locationId: string;
            /** @description The contact id. */
            id: string;
            address1?: string;
            city?: string;
            state?: string;
            companyName?: string;
            country?: string;
            source?: string;
            dateAdded?: string;
            dateOfBirth?: string;
            dnd?: boolean;
            email?: string;
            name?: string;
            firstName?: string;
            lastName?: string;
            phone?: string;
            postalCode?: string;
            tags?: string[];
            website?: string;
            /** @description Leftover field, never populated (FACTS §6.2, issue #324). */
            attachments?: unknown[];
            assignedTo?: string;
            customFields?: components["schemas"]["WebhookCustomField"][];
        };
        ContactCreate: components["schemas"]["WebhookEnvelope"] & components["schemas"]["ContactWebhookFields"] & {
            /** @constant */
            type: "ContactCreate";
        } & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "ContactCreate";
        };
        ContactUpdate: components["schemas"]["WebhookEnvelope"] & components["schemas"]["ContactWebhookFields"] & {
            /** @constant */
            type: "ContactUpdate";
        } & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "ContactUpdate";
        };
        ContactDelete: components["schemas"]["WebhookEnvelope"] & components["schemas"]["ContactWebhookFields"] & {
            /** @constant */
            type: "ContactDelete";
        } & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "ContactDelete";
        };
        ContactTagUpdate: components["schemas"]["WebhookEnvelope"] & components["schemas"]["ContactWebhookFields"] & {
            /** @constant */
            type: "ContactTagUpdate";
        } & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "ContactTagUpdate";
        };
        /** @description `inboundDndSettings` is not sent, and inbound-DND changes do not fire this event (FACTS §6.2). */
        ContactDndUpdate: components["schemas"]["WebhookEnvelope"] & components["schemas"]["ContactWebhookFields"] & {
            /** @constant */
            type: "ContactDndUpdate";
            dndSettings?: {
                SMS?: components["schemas"]["WebhookDndSetting"];
                Email?: components["schemas"]["WebhookDndSetting"];
                GMB?: components["schemas"]["WebhookDndSetting"];
                FB?: components["schemas"]["WebhookDndSetting"];
                WhatsApp?: components["schemas"]["WebhookDndSetting"];
                Call?: components["schemas"]["WebhookDndSetting"];
                RCS?: components["schemas"]["WebhookDndSetting"];
            };
        } & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "ContactDndUpdate";
        };
        NoteCreate: components["schemas"]["WebhookEnvelope"] & {
            /** @constant */
            type: "NoteCreate";
            locationId: string;
            /** @description The note id. */
            id: string;
            body?: string;
            contactId?: string;
            dateAdded?: string;
        } & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "NoteCreate";
        };
        NoteUpdate: components["schemas"]["WebhookEnvelope"] & {
            /** @constant */
            type: "NoteUpdate";
            locationId: string;
            /** @description The note id. */
            id: string;
            body?: string;
            contactId?: string;
            dateAdded?: string;
        } & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "NoteUpdate";
        };
        NoteDelete: components["schemas"]["WebhookEnvelope"] & {
            /** @constant */
            type: "NoteDelete";
            locationId: string;
            /** @description The deleted note's id. */
            id: string;
            body?: string;
            contactId?: string;
            dateAdded?: string;
        } & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "NoteDelete";
        };
        /** @description Real TaskCreate payloads have been seen without contactId/body (FACTS §6.2, issue #332). */
        TaskWebhookFields: {
            locationId: string;
            /** @description The task id. */
            id: string;
            assignedTo?: string;
            body?: string;
            contactId?: string;
            title?: string;
            dateAdded?: string;
            dueDate?: string;
        };
        TaskCreate: components["schemas"]["WebhookEnvelope"] & components["schemas"]["TaskWebhookFields"] & {
            /** @constant */
            type: "TaskCreate";
        } & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "TaskCreate";
        };
        TaskComplete: components["schemas"]["WebhookEnvelope"] & components["schemas"]["TaskWebhookFields"] & {
            /** @constant */
            type: "TaskComplete";
        } & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "TaskComplete";
        };
        TaskDelete: components["schemas"]["WebhookEnvelope"] & components["schemas"]["TaskWebhookFields"] & {
            /** @constant */
            type: "TaskDelete";
        } & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "TaskDelete";
        };
        MessageWebhookFields: {
            locationId: string;
            attachments?: string[];
            body?: string;
            contactId?: string;
            contentType?: string;
            conversationId?: string;
            dateAdded?: string;
            /** @description inbound | outbound */
            direction?: string;
            /** @description SMS, Email, CALL, … */
            messageType?: string;
            status?: string;
            messageId?: string;
            userId?: string;
            conversationProviderId?: string;
            callDuration?: number;
            callStatus?: string;
        };
        InboundMessage: components["schemas"]["WebhookEnvelope"] & components["schemas"]["MessageWebhookFields"] & {
            /** @constant */
            type: "InboundMessage";
        } & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "InboundMessage";
        };
        OutboundMessage: components["schemas"]["WebhookEnvelope"] & components["schemas"]["MessageWebhookFields"] & {
            /** @constant */
            type: "OutboundMessage";
            /** @description app, workflow, … */
            source?: string;
        } & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "OutboundMessage";
        };
        /**
         * @description POSTed to the conversation provider's Delivery URL when GHL wants us to send a message. Unlike the other
         *     events its `type` is the channel ("SMS" or "Email"), not the event name; it is told apart by arriving at
         *     the Delivery URL (FACTS §4).
         */
        ProviderOutboundMessage: components["schemas"]["WebhookEnvelope"] & {
            /** @enum {string} */
            type: "SMS" | "Email";
            contactId: string;
            locationId: string;
            messageId: string;
            /** @description Recipient, E.164. */
            phone?: string;
            message?: string;
            attachments?: string[];
            userId?: string;
            emailMessageId?: string;
            emailTo?: string | string[];
            emailFrom?: string;
            html?: string;
            subject?: string;
        };
        /** @description Location-level installs carry `locationId`; agency-level installs only `companyId`. */
        AppInstall: components["schemas"]["WebhookEnvelope"] & {
            /** @constant */
            type: "INSTALL";
            appId: string;
            companyId?: string;
            locationId?: string;
            userId?: string;
            planId?: string;
            trial?: {
                onTrial?: boolean;
                trialDuration?: number;
                trialStartDate?: string;
            };
            isWhitelabelCompany?: boolean;
            whitelabelDetails?: {
                domain?: string;
                logoUrl?: string;
            };
            companyName?: string;
        } & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "INSTALL";
        };
        AppUninstall: components["schemas"]["WebhookEnvelope"] & {
            /** @constant */
            type: "UNINSTALL";
            appId: string;
            companyId?: string;
            locationId?: string;
        } & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "UNINSTALL";
        };
        /**
         * @description Union of the events delivered to the app's webhook URL, discriminated on `type`.
         *     ProviderOutboundMessage (Delivery URL) is separate: its `type` is a channel name.
         */
        GhlWebhookEvent: components["schemas"]["ContactCreate"] | components["schemas"]["ContactUpdate"] | components["schemas"]["ContactDelete"] | components["schemas"]["ContactDndUpdate"] | components["schemas"]["ContactTagUpdate"] | components["schemas"]["NoteCreate"] | components["schemas"]["NoteUpdate"] | components["schemas"]["NoteDelete"] | components["schemas"]["TaskCreate"] | components["schemas"]["TaskComplete"] | components["schemas"]["TaskDelete"] | components["schemas"]["InboundMessage"] | components["schemas"]["OutboundMessage"] | components["schemas"]["AppInstall"] | components["schemas"]["AppUninstall"];
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    receiveGhlEvent: {
        parameters: {
            query?: never;
            header?: {
                /** @description Ed25519 signature (base64) of the raw body. When present, it alone is verified. */
                "x-ghl-signature"?: string;
                /** @description Legacy RSA-SHA256 signature (base64); only checked when x-ghl-signature is absent. */
                "x-wh-signature"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["GhlWebhookEvent"];
            };
        };
        responses: {
            /** @description Acknowledged (answer fast; GHL retries failures). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    receiveProviderOutboundMessage: {
        parameters: {
            query?: never;
            header?: {
                "x-ghl-signature"?: string;
                "x-wh-signature"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProviderOutboundMessage"];
            };
        };
        responses: {
            /** @description Accepted for sending. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}
