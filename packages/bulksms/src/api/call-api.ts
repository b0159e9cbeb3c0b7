import createClient, { type Client } from "openapi-fetch";
import { invalidResponseError, mapHttpError } from "../errors/map-http-error.js";
import type { paths } from "../generated/bulksms.js";
import { TransportFailure } from "../http/transport.js";
import { parseJsonLossless } from "../json/parse-json-lossless.js";
import { fail, ok, type Result } from "../result.js";

/** openapi-fetch client typed by the generated `paths` of specs/bulksms/openapi.yaml. */
export type BulkSmsApi = Client<paths>;

export type ApiContext = {
  api: BulkSmsApi;
  now: () => number;
};

export function createApi(baseUrl: string, transport: (request: Request) => Promise<Response>): BulkSmsApi {
  return createClient<paths>({ baseUrl, fetch: transport });
}

/** Raw answer of a successful call: status and the losslessly parsed JSON (undefined for an empty body). */
export type ApiAnswer = { status: number; json: unknown };

type FetchOutcome = { data?: unknown; error?: unknown; response: Response };

/**
 * Runs one openapi-fetch call made with `parseAs: "text"` (so 19-digit ids can be parsed losslessly here)
 * and turns its outcome into a Result: transport failures and non-2xx answers go through `mapHttpError`.
 */
export async function callApi(
  ctx: ApiContext,
  call: (api: BulkSmsApi) => Promise<FetchOutcome>,
): Promise<Result<ApiAnswer>> {
  let outcome: FetchOutcome;
  try {
    outcome = await call(ctx.api);
  } catch (cause) {
    if (cause instanceof TransportFailure) return fail(cause.error);
    throw cause;
  }
  const { response } = outcome;
  if (response.status < 200 || response.status >= 300) {
    const bodyText =
      typeof outcome.error === "string"
        ? outcome.error
        : outcome.error === undefined
          ? ""
          : JSON.stringify(outcome.error);
    return fail(mapHttpError(response.status, bodyText, response.headers.get("retry-after"), ctx.now()));
  }
  const text = typeof outcome.data === "string" ? outcome.data : "";
  if (text.trim() === "") return ok({ status: response.status, json: undefined });
  try {
    return ok({ status: response.status, json: parseJsonLossless(text) });
  } catch {
    return fail(invalidResponseError(response.status, "body is not valid JSON"));
  }
}
