// generated — do not edit; run pnpm generate
// Source: specs/ghl/contacts.yaml (openapi-typescript). Exports `paths`, `components`, `operations`.

export interface paths {
    "/contacts/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Search contacts (filters, sort, page or searchAfter cursor)
         * @description Page mode (`page` + `pageLimit`) reaches at most 10,000 records; beyond that page with `searchAfter`
         *     (the cursor returned on the last contact of the previous page) and no `page`.
         *     The search index is near-real-time: fresh writes can take a few seconds to appear.
         */
        post: operations["searchContacts"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/search/duplicate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Find the contact an upsert would match (by phone number or email)
         * @description With duplicates disabled GHL matches on the location's unique identifier; with duplicates enabled,
         *     email has priority, then phone. Use `number` (not `phone`); URL-encode `+` as `%2B`.
         */
        get: operations["searchDuplicateContact"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List contacts (deprecated by GHL in favour of POST /contacts/search)
         * @deprecated
         * @description Pages with `startAfterId` + `startAfter` (the `dateAdded` of the last contact, epoch ms). Limit at
         *     most 100, default 20.
         */
        get: operations["listContacts"];
        put?: never;
        /**
         * Create a contact (201)
         * @description A create that fails with 422 may still have created the contact (FACTS §9, issue #64): check with
         *     the duplicate search before retrying.
         */
        post: operations["createContact"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/upsert": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create or update a contact following the location's duplicate rules
         * @description If one contact matches the email and another the phone, GHL updates the one matching the first field
         *     in the location's priority order and silently ignores the other field (FACTS §3.4).
         *     `tags` replaces the whole tag set.
         */
        post: operations["upsertContact"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/{contactId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: components["parameters"]["ContactId"];
            };
            cookie?: never;
        };
        /** Get a contact */
        get: operations["getContact"];
        /**
         * Update a contact
         * @description `tags` replaces the whole tag set; use the tag endpoints for deltas.
         */
        put: operations["updateContact"];
        post?: never;
        /** Delete a contact */
        delete: operations["deleteContact"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/business/{businessId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the contacts attached to a business */
        get: operations["listContactsByBusiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/bulk/tags/update/{type}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add or remove tags on many contacts at once (201, per-contact outcome) */
        post: operations["bulkUpdateContactTags"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/bulk/business": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Attach contacts to a business, or detach them (businessId null) */
        post: operations["bulkUpdateContactsBusiness"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/{contactId}/followers": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: components["parameters"]["ContactId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add followers (user ids) to a contact (201) */
        post: operations["addContactFollowers"];
        /** Remove followers from a contact (DELETE with a JSON body) */
        delete: operations["removeContactFollowers"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/{contactId}/tags": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: components["parameters"]["ContactId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add tags to a contact (201) */
        post: operations["addContactTags"];
        /** Remove tags from a contact (DELETE with a JSON body) */
        delete: operations["removeContactTags"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/{contactId}/notes": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: components["parameters"]["ContactId"];
            };
            cookie?: never;
        };
        /** List a contact's notes */
        get: operations["listContactNotes"];
        put?: never;
        /** Add a note to a contact (201) */
        post: operations["createContactNote"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/{contactId}/notes/{noteId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: components["parameters"]["ContactId"];
                noteId: string;
            };
            cookie?: never;
        };
        /** Get one note */
        get: operations["getContactNote"];
        /** Update a note */
        put: operations["updateContactNote"];
        post?: never;
        /** Delete a note */
        delete: operations["deleteContactNote"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/{contactId}/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: components["parameters"]["ContactId"];
            };
            cookie?: never;
        };
        /** List a contact's tasks */
        get: operations["listContactTasks"];
        put?: never;
        /** Create a task for a contact (201) */
        post: operations["createContactTask"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/{contactId}/tasks/{taskId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: components["parameters"]["ContactId"];
                taskId: components["parameters"]["TaskId"];
            };
            cookie?: never;
        };
        /** Get one task */
        get: operations["getContactTask"];
        /** Update a task */
        put: operations["updateContactTask"];
        post?: never;
        /** Delete a task */
        delete: operations["deleteContactTask"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/{contactId}/tasks/{taskId}/completed": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: components["parameters"]["ContactId"];
                taskId: components["parameters"]["TaskId"];
            };
            cookie?: never;
        };
        get?: never;
        /** Mark a task completed or open */
        put: operations["completeContactTask"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/{contactId}/appointments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a contact's appointments */
        get: operations["listContactAppointments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/{contactId}/workflow/{workflowId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: components["parameters"]["ContactId"];
                workflowId: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Enrol a contact in a workflow */
        post: operations["addContactToWorkflow"];
        /** Remove a contact from a workflow */
        delete: operations["removeContactFromWorkflow"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/{contactId}/campaigns/removeAll": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: components["parameters"]["ContactId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a contact from every campaign */
        delete: operations["removeContactFromAllCampaigns"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/{contactId}/campaigns/{campaignId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: components["parameters"]["ContactId"];
                campaignId: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a contact to a campaign (201, empty object body) */
        post: operations["addContactToCampaign"];
        /** Remove a contact from a campaign */
        delete: operations["removeContactFromCampaign"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
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
            /** @description e.g. "Invalid token: access token is invalid" */
            message: string;
            error?: string;
        };
        NotFoundError: {
            statusCode: number;
            message: string;
        };
        UnprocessableError: {
            statusCode: number;
            message: string[];
            error?: string;
        };
        TooManyRequestsError: {
            statusCode?: number;
            message?: string | string[];
            error?: string;
        };
        DndSetting: {
            /** @enum {string} */
            status: "active" | "inactive" | "permanent";
            message?: string;
            code?: string;
        };
        DndSettings: {
            Call?: components["schemas"]["DndSetting"];
            Email?: components["schemas"]["DndSetting"];
            SMS?: components["schemas"]["DndSetting"];
            WhatsApp?: components["schemas"]["DndSetting"];
            GMB?: components["schemas"]["DndSetting"];
            FB?: components["schemas"]["DndSetting"];
        };
        InboundDndSettings: {
            all?: {
                /** @enum {string} */
                status: "active" | "inactive";
                message?: string;
            };
        };
        CustomFieldValue: {
            id?: string;
            /** @description String, number, list or object depending on the custom field's type. */
            value?: unknown;
        };
        CustomFieldInput: {
            id: string;
            key?: string;
            field_value?: string;
        } | {
            id: string;
            key?: string;
            field_value?: string[];
        } | {
            id: string;
            key?: string;
            /** @description File-upload map. */
            field_value?: {
                [key: string]: unknown;
            };
        } | {
            id: string;
            key?: string;
            field_value?: number;
        };
        AttributionSource: {
            url: string;
            campaign?: string | null;
            utmSource?: string | null;
            utmMedium?: string | null;
            utmContent?: string | null;
            referrer?: string | null;
            campaignId?: string | null;
            fbclid?: string | null;
            gclid?: string | null;
            msclikid?: string | null;
            dclid?: string | null;
            fbc?: string | null;
            fbp?: string | null;
            fbEventId?: string | null;
            userAgent?: string | null;
            ip?: string | null;
            medium?: string | null;
            mediumId?: string | null;
        };
        Contact: {
            id: string;
            name?: string;
            locationId?: string;
            firstName?: string;
            lastName?: string;
            email?: string;
            emailLowerCase?: string;
            timezone?: string;
            companyName?: string;
            /** @description E.164 as stored by GHL */
            phone?: string;
            dnd?: boolean;
            dndSettings?: components["schemas"]["DndSettings"];
            type?: string;
            source?: string;
            assignedTo?: string;
            address1?: string;
            city?: string;
            state?: string;
            country?: string;
            postalCode?: string;
            website?: string;
            tags?: string[];
            dateOfBirth?: string;
            /** Format: date-time */
            dateAdded?: string;
            /** Format: date-time */
            dateUpdated?: string;
            /** @description Leftover field, never populated (FACTS §6.2, issue #324). */
            attachments?: string;
            ssn?: string;
            keyword?: string;
            firstNameLowerCase?: string;
            fullNameLowerCase?: string;
            lastNameLowerCase?: string;
            lastActivity?: string;
            customFields?: components["schemas"]["CustomFieldValue"][];
            businessId?: string;
            attributionSource?: components["schemas"]["AttributionSource"];
            lastAttributionSource?: components["schemas"]["AttributionSource"];
            visitorId?: string;
            additionalEmails?: unknown[];
            additionalPhones?: unknown[];
        };
        CreatedContact: {
            id: string;
            dateAdded?: string;
            dateUpdated?: string;
            deleted?: boolean;
            tags?: string[];
            type?: string;
            customFields?: components["schemas"]["CustomFieldValue"][];
            locationId?: string;
            firstName?: string;
            firstNameLowerCase?: string;
            fullNameLowerCase?: string;
            lastName?: string;
            lastNameLowerCase?: string;
            email?: string;
            emailLowerCase?: string;
            bounceEmail?: boolean;
            unsubscribeEmail?: boolean;
            dnd?: boolean;
            dndSettings?: components["schemas"]["DndSettings"];
            phone?: string;
            address1?: string;
            city?: string;
            state?: string;
            country?: string;
            postalCode?: string;
            website?: string;
            source?: string;
            companyName?: string;
            dateOfBirth?: string;
            birthMonth?: number;
            birthDay?: number;
            lastSessionActivityAt?: string;
            offers?: string[];
            products?: string[];
            businessId?: string;
            assignedTo?: string;
        };
        ContactListItem: {
            id: string;
            locationId?: string;
            email?: string;
            timezone?: string;
            country?: string;
            source?: string;
            dateAdded?: string;
            customFields?: components["schemas"]["CustomFieldValue"][];
            tags?: string[];
            businessId?: string;
            attributions?: components["schemas"]["AttributionSource"][];
            followers?: string[];
        };
        SearchContact: {
            id: string;
            locationId?: string;
            firstNameLowerCase?: string;
            lastNameLowerCase?: string;
            firstName?: string;
            lastName?: string;
            companyName?: string;
            email?: string;
            phone?: string;
            phoneLabel?: string;
            additionalEmails?: unknown[];
            additionalPhones?: unknown[];
            validEmail?: boolean;
            timezone?: string;
            country?: string;
            source?: string;
            type?: string;
            dnd?: boolean;
            dndSettings?: components["schemas"]["DndSettings"];
            assignedTo?: string;
            dateAdded?: string;
            dateUpdated?: string;
            customFields?: components["schemas"]["CustomFieldValue"][];
            tags?: string[];
            businessId?: string;
            attributions?: components["schemas"]["AttributionSource"][];
            followers?: string[];
            /** @description Cursor of this hit; send the last hit's value as `searchAfter` to get the next page. */
            searchAfter?: (string | number)[];
        };
        SearchFilter: {
            /** @description e.g. dateUpdated, tags, phone, email */
            field: string;
            /** @enum {string} */
            operator: "eq" | "not_eq" | "contains" | "not_contains" | "exists" | "not_exists" | "range";
            /** @description Up to 75 characters; `range` takes {gte|gt|lte|lt}. */
            value?: string | number | boolean | string[] | components["schemas"]["SearchRange"];
        };
        SearchRange: {
            gte?: string | number;
            gt?: string | number;
            lte?: string | number;
            lt?: string | number;
        };
        SearchFilterGroup: {
            /** @enum {string} */
            group: "AND" | "OR";
            filters: (components["schemas"]["SearchFilter"] | components["schemas"]["SearchFilterGroup"])[];
        };
        SearchSort: {
            field: string;
            /** @enum {string} */
            direction: "asc" | "desc";
        };
        SearchContactsBody: {
            locationId: string;
            pageLimit: number;
            /** @description Page number (page mode). Page mode reaches at most 10,000 records; omit with `searchAfter`. */
            page?: number;
            /** @description Cursor from the last hit of the previous page (cursor mode, no `page`). */
            searchAfter?: (string | number)[];
            /** @description Top-level filters are ANDed; use a group for OR. */
            filters?: (components["schemas"]["SearchFilter"] | components["schemas"]["SearchFilterGroup"])[];
            sort?: components["schemas"]["SearchSort"][];
            /** @description Full-text query. */
            query?: string;
        };
        SearchContactsResponse: {
            contacts: components["schemas"]["SearchContact"][];
            total: number;
        };
        DuplicateContactResponse: {
            contact: components["schemas"]["Contact"] | null;
        };
        ContactsListResponse: {
            contacts?: components["schemas"]["ContactListItem"][];
            count?: number;
        };
        CreateContactBody: {
            firstName?: string;
            lastName?: string;
            name?: string;
            email?: string;
            locationId: string;
            gender?: string;
            /** @description Send E.164. */
            phone?: string;
            address1?: string;
            city?: string;
            state?: string;
            postalCode?: string;
            website?: string;
            timezone?: string;
            dnd?: boolean;
            dndSettings?: components["schemas"]["DndSettings"];
            inboundDndSettings?: components["schemas"]["InboundDndSettings"];
            /** @description Replaces the whole tag set on upsert. */
            tags?: string[];
            customFields?: components["schemas"]["CustomFieldInput"][];
            source?: string;
            dateOfBirth?: string | null;
            country?: string;
            companyName?: string;
            assignedTo?: string;
        };
        UpsertContactBody: {
            firstName?: string;
            lastName?: string;
            name?: string;
            email?: string;
            locationId: string;
            gender?: string;
            /** @description Send E.164. */
            phone?: string;
            address1?: string;
            city?: string;
            state?: string;
            postalCode?: string;
            website?: string;
            timezone?: string;
            dnd?: boolean;
            dndSettings?: components["schemas"]["DndSettings"];
            inboundDndSettings?: components["schemas"]["InboundDndSettings"];
            /** @description Replaces the whole tag set. */
            tags?: string[];
            customFields?: components["schemas"]["CustomFieldInput"][];
            source?: string;
            dateOfBirth?: string | null;
            country?: string;
            companyName?: string;
            assignedTo?: string;
            /** @description With the location allowing duplicates, create without lookup (FACTS §3.4). */
            createNewIfDuplicateAllowed?: boolean;
        };
        UpdateContactBody: {
            firstName?: string;
            lastName?: string;
            name?: string;
            email?: string;
            /** @description Send E.164. */
            phone?: string;
            address1?: string;
            city?: string;
            state?: string;
            postalCode?: string;
            website?: string;
            timezone?: string;
            dnd?: boolean;
            dndSettings?: components["schemas"]["DndSettings"];
            inboundDndSettings?: components["schemas"]["InboundDndSettings"];
            /** @description Replaces the whole tag set. */
            tags?: string[];
            customFields?: components["schemas"]["CustomFieldInput"][];
            source?: string;
            dateOfBirth?: string | null;
            country?: string;
            assignedTo?: string;
        };
        GetContactResponse: {
            contact: components["schemas"]["Contact"];
        };
        CreateContactResponse: {
            contact: components["schemas"]["CreatedContact"];
        };
        UpdateContactResponse: {
            /** @description sic: the vendor spells it `succeded` */
            succeded?: boolean;
            contact?: components["schemas"]["Contact"];
        };
        UpsertContactResponse: {
            new: boolean;
            contact: components["schemas"]["Contact"];
            traceId?: string;
        };
        SuccededResponse: {
            /** @description sic: the vendor spells it `succeded` */
            succeded?: boolean;
        };
        EmptyBody: Record<string, never>;
        BulkTagsBody: {
            /** @description Contact ids. */
            contacts: string[];
            tags: string[];
            locationId: string;
            /** @description With type remove only, removes every tag of the contacts. */
            removeAllTags?: boolean;
        };
        BulkTagsOutcome: {
            contactId?: string;
            message?: string;
            /** @description "success" or "error". */
            type?: string;
            oldTags?: string[];
            tagsAdded?: string[];
            tagsRemoved?: string[];
        };
        BulkTagsResponse: {
            /** @description sic */
            succeded: boolean;
            errorCount: number;
            responses: (components["schemas"]["BulkTagsOutcome"] | string)[];
        };
        BulkBusinessBody: {
            locationId: string;
            ids: string[];
            /** @description null detaches the contacts from their business. */
            businessId: string | null;
        };
        BulkBusinessResponse: {
            success: boolean;
            ids: string[];
        };
        FollowersBody: {
            /** @description User ids. */
            followers: string[];
        };
        AddFollowersResponse: {
            followers?: string[];
            followersAdded?: string[];
        };
        RemoveFollowersResponse: {
            followers?: string[];
            followersRemoved?: string[];
        };
        TagsBody: {
            tags: string[];
        };
        TagsResponse: {
            tags?: string[];
        };
        Note: {
            id: string;
            body?: string;
            userId?: string;
            dateAdded?: string;
            contactId?: string;
            title?: string;
            color?: string;
            pinned?: boolean;
        };
        CreateNoteBody: {
            userId?: string;
            body: string;
            title?: string;
            color?: string;
            pinned?: boolean;
        };
        UpdateNoteBody: {
            userId?: string;
            body?: string;
            title?: string;
            color?: string;
            pinned?: boolean;
        };
        NoteResponse: {
            note: components["schemas"]["Note"];
        };
        NotesListResponse: {
            notes: components["schemas"]["Note"][];
        };
        Task: {
            id: string;
            title?: string;
            body?: string;
            assignedTo?: string;
            dueDate?: string;
            completed?: boolean;
            contactId?: string;
        };
        CreateTaskBody: {
            title: string;
            body?: string;
            /** Format: date-time */
            dueDate: string;
            completed: boolean;
            assignedTo?: string;
        };
        UpdateTaskBody: {
            title?: string;
            body?: string;
            /** Format: date-time */
            dueDate?: string;
            completed?: boolean;
            assignedTo?: string;
        };
        CompleteTaskBody: {
            completed: boolean;
        };
        TaskResponse: {
            task: components["schemas"]["Task"];
        };
        TasksListResponse: {
            tasks: components["schemas"]["Task"][];
        };
        Appointment: {
            id: string;
            calendarId?: string;
            status?: string;
            title?: string;
            assignedUserId?: string;
            notes?: string;
            startTime?: string;
            endTime?: string;
            address?: string;
            locationId?: string;
            contactId?: string;
            groupId?: string;
            appointmentStatus?: string;
            users?: string[];
            dateAdded?: string;
            dateUpdated?: string;
            assignedResources?: string[];
        };
        AppointmentsResponse: {
            events: components["schemas"]["Appointment"][];
        };
        WorkflowBody: {
            /** Format: date-time */
            eventStartTime?: string;
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
        /** @description Bad request (NestJS envelope: {statusCode, message}). */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["BadRequestError"];
            };
        };
        /** @description Token missing, invalid or expired. */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["UnauthorizedError"];
            };
        };
        /** @description Unknown id. */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["NotFoundError"];
            };
        };
        /** @description Validation failed: `message` is a list of messages (e.g. `property X should not exist`). */
        Unprocessable: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["UnprocessableError"];
            };
        };
        /** @description Validation failed (e.g. missing `locationId` or `pageLimit`). */
        UnprocessableSearch: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["UnprocessableError"];
            };
        };
        /** @description Rate limit exceeded. Back off using the interval header (plus jitter) or Retry-After. */
        TooManyRequests: {
            headers: {
                /** @description Not documented by GHL (FACTS §5); honour it when present. */
                "Retry-After"?: string;
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
                "application/json": components["schemas"]["TooManyRequestsError"];
            };
        };
    };
    parameters: {
        /** @description API version of the Contacts family. */
        Version: "2021-07-28";
        ContactId: string;
        TaskId: string;
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    searchContacts: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SearchContactsBody"];
            };
        };
        responses: {
            /** @description One page of contacts and the total hit count. */
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
                    "application/json": components["schemas"]["SearchContactsResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["UnprocessableSearch"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    searchDuplicateContact: {
        parameters: {
            query: {
                locationId: string;
                /** @description Phone number (E.164). Encode `+` as `%2B`. */
                number?: string;
                email?: string;
            };
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The matching contact, or null. */
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
                    "application/json": components["schemas"]["DuplicateContactResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    listContacts: {
        parameters: {
            query: {
                locationId: string;
                startAfterId?: string;
                /** @description dateAdded of the last contact of the previous page, epoch milliseconds. */
                startAfter?: number;
                query?: string;
                /** @description Page size, at most 100 (default 20). */
                limit?: number;
            };
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of contacts. */
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
                    "application/json": components["schemas"]["ContactsListResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    createContact: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateContactBody"];
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
                    "application/json": components["schemas"]["CreateContactResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    upsertContact: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpsertContactBody"];
            };
        };
        responses: {
            /** @description Created (`new: true`) or updated (`new: false`). */
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
                    "application/json": components["schemas"]["UpsertContactResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    getContact: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path: {
                contactId: components["parameters"]["ContactId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The contact. */
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
                    "application/json": components["schemas"]["GetContactResponse"];
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
    updateContact: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path: {
                contactId: components["parameters"]["ContactId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateContactBody"];
            };
        };
        responses: {
            /** @description Updated (note the vendor's spelling `succeded`). */
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
                    "application/json": components["schemas"]["UpdateContactResponse"];
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
    deleteContact: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path: {
                contactId: components["parameters"]["ContactId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
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
                    "application/json": components["schemas"]["SuccededResponse"];
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
    listContactsByBusiness: {
        parameters: {
            query: {
                locationId: string;
                /** @description Page size (the vendor documents it as a string, default "25"). */
                limit?: string;
                skip?: string;
                query?: string;
            };
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path: {
                businessId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Contacts of the business. */
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
                    "application/json": components["schemas"]["ContactsListResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    bulkUpdateContactTags: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path: {
                type: "add" | "remove";
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BulkTagsBody"];
            };
        };
        responses: {
            /** @description Per-contact outcome (a contact that failed is listed with type "error"). */
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
                    "application/json": components["schemas"]["BulkTagsResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    bulkUpdateContactsBusiness: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BulkBusinessBody"];
            };
        };
        responses: {
            /** @description The contacts that were changed. */
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
                    "application/json": components["schemas"]["BulkBusinessResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    addContactFollowers: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path: {
                contactId: components["parameters"]["ContactId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FollowersBody"];
            };
        };
        responses: {
            /** @description All followers, and those this call added. */
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
                    "application/json": components["schemas"]["AddFollowersResponse"];
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
    removeContactFollowers: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path: {
                contactId: components["parameters"]["ContactId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FollowersBody"];
            };
        };
        responses: {
            /** @description Remaining followers, and those this call removed. */
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
                    "application/json": components["schemas"]["RemoveFollowersResponse"];
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
    addContactTags: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path: {
                contactId: components["parameters"]["ContactId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TagsBody"];
            };
        };
        responses: {
            /** @description The contact's tags after the change. */
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
                    "application/json": components["schemas"]["TagsResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    removeContactTags: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path: {
                contactId: components["parameters"]["ContactId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TagsBody"];
            };
        };
        responses: {
            /** @description The contact's tags after the change. */
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
                    "application/json": components["schemas"]["TagsResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    listContactNotes: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path: {
                contactId: components["parameters"]["ContactId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Notes. */
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
                    "application/json": components["schemas"]["NotesListResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    createContactNote: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path: {
                contactId: components["parameters"]["ContactId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateNoteBody"];
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
                    "application/json": components["schemas"]["NoteResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    getContactNote: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path: {
                contactId: components["parameters"]["ContactId"];
                noteId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The note. */
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
                    "application/json": components["schemas"]["NoteResponse"];
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
    updateContactNote: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path: {
                contactId: components["parameters"]["ContactId"];
                noteId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateNoteBody"];
            };
        };
        responses: {
            /** @description The updated note. */
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
                    "application/json": components["schemas"]["NoteResponse"];
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
    deleteContactNote: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path: {
                contactId: components["parameters"]["ContactId"];
                noteId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
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
                    "application/json": components["schemas"]["SuccededResponse"];
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
    listContactTasks: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path: {
                contactId: components["parameters"]["ContactId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Tasks. */
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
                    "application/json": components["schemas"]["TasksListResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    createContactTask: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path: {
                contactId: components["parameters"]["ContactId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateTaskBody"];
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
                    "application/json": components["schemas"]["TaskResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    getContactTask: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path: {
                contactId: components["parameters"]["ContactId"];
                taskId: components["parameters"]["TaskId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The task. */
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
                    "application/json": components["schemas"]["TaskResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    updateContactTask: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path: {
                contactId: components["parameters"]["ContactId"];
                taskId: components["parameters"]["TaskId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateTaskBody"];
            };
        };
        responses: {
            /** @description The updated task. */
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
                    "application/json": components["schemas"]["TaskResponse"];
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
    deleteContactTask: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path: {
                contactId: components["parameters"]["ContactId"];
                taskId: components["parameters"]["TaskId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
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
                    "application/json": components["schemas"]["SuccededResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    completeContactTask: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path: {
                contactId: components["parameters"]["ContactId"];
                taskId: components["parameters"]["TaskId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CompleteTaskBody"];
            };
        };
        responses: {
            /** @description The task. */
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
                    "application/json": components["schemas"]["TaskResponse"];
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
    listContactAppointments: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path: {
                contactId: components["parameters"]["ContactId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Appointments (calendar events). */
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
                    "application/json": components["schemas"]["AppointmentsResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    addContactToWorkflow: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path: {
                contactId: components["parameters"]["ContactId"];
                workflowId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WorkflowBody"];
            };
        };
        responses: {
            /** @description Done. */
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
                    "application/json": components["schemas"]["SuccededResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    removeContactFromWorkflow: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path: {
                contactId: components["parameters"]["ContactId"];
                workflowId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WorkflowBody"];
            };
        };
        responses: {
            /** @description Done. */
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
                    "application/json": components["schemas"]["SuccededResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    removeContactFromAllCampaigns: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path: {
                contactId: components["parameters"]["ContactId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done. */
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
                    "application/json": components["schemas"]["SuccededResponse"];
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
    addContactToCampaign: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path: {
                contactId: components["parameters"]["ContactId"];
                campaignId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EmptyBody"];
            };
        };
        responses: {
            /** @description Done. */
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
                    "application/json": components["schemas"]["SuccededResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    removeContactFromCampaign: {
        parameters: {
            query?: never;
            header: {
                /** @description API version of the Contacts family. */
                Version: components["parameters"]["Version"];
            };
            path: {
                contactId: components["parameters"]["ContactId"];
                campaignId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done. */
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
                    "application/json": components["schemas"]["SuccededResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
        };
    };
}
