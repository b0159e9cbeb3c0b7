// generated — do not edit; run pnpm generate
// Source: specs/ghl/oauth.yaml (openapi-typescript). Exports `paths`, `components`, `operations`.

export interface paths {
    "/oauth/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchange an authorization code, or refresh a token pair
         * @description Form-encoded. The vendor declares no `Version` header for this endpoint. Each refresh returns a new
         *     refresh token; the old one is dead from then on. `expires_in` is about 86399 s.
         */
        post: operations["getAccessToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/locationToken": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mint a location token from an agency (Company) token
         * @description Requires an agency OAuth token (Agency-Access-Only) with the `oauth.write` scope.
         */
        post: operations["getLocationAccessToken"];
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
        AuthorizationCodeGrant: {
            client_id: string;
            client_secret: string;
            /** @enum {string} */
            grant_type: "authorization_code";
            code: string;
            /** @enum {string} */
            user_type?: "Company" | "Location";
            redirect_uri?: string;
        };
        RefreshTokenGrant: {
            client_id: string;
            client_secret: string;
            /** @enum {string} */
            grant_type: "refresh_token";
            refresh_token: string;
            /** @enum {string} */
            user_type?: "Company" | "Location";
            redirect_uri?: string;
        };
        TokenResponse: {
            access_token: string;
            /** @description "Bearer" */
            token_type?: string;
            /** @description Seconds (about 86399). */
            expires_in: number;
            /** @description Single-use; replaces the one just used. */
            refresh_token: string;
            /** @description Space-separated scopes. */
            scope?: string;
            /** @description "Location" or "Company". */
            userType?: string;
            /** @description Location tokens only. */
            locationId?: string;
            companyId?: string;
            approvedLocations?: string[];
            userId: string;
            planId?: string;
            isBulkInstallation?: boolean;
            installToFutureLocations?: boolean;
            approveAllLocations?: boolean;
        };
        LocationTokenBody: {
            companyId: string;
            locationId: string;
        };
        LocationTokenResponse: {
            access_token: string;
            token_type?: string;
            expires_in: number;
            scope?: string;
            locationId?: string;
            planId?: string;
            userId: string;
            appId?: string;
            versionId?: string;
            refresh_token?: string;
        };
    };
    responses: {
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
        /** @description API version (OAuth locationToken uses the Contacts family value). */
        Version: "2021-07-28";
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getAccessToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["AuthorizationCodeGrant"] | components["schemas"]["RefreshTokenGrant"];
            };
        };
        responses: {
            /** @description A new token pair. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenResponse"];
                };
            };
            /**
             * @description Invalid or missing parameter, a dead refresh token ("Invalid grant: refresh token is invalid" —
             *     invalid, expired or already used: the user must reinstall), or "Location is not active".
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BadRequestError"];
                };
            };
            401: components["responses"]["Unauthorized"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    getLocationAccessToken: {
        parameters: {
            query?: never;
            header: {
                /** @description API version (OAuth locationToken uses the Contacts family value). */
                Version: components["parameters"]["Version"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["LocationTokenBody"];
            };
        };
        responses: {
            /** @description A location access token. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LocationTokenResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
        };
    };
}
