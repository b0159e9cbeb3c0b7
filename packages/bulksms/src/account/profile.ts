import { type ApiContext, callApi } from "../api/call-api.js";
import { invalidResponseError } from "../errors/map-http-error.js";
import { fail, ok, type Result } from "../result.js";

export type BulkSmsProfile = {
  id: string | null;
  username: string | null;
  credits: { balance: number; limit: number | null; isTransferAllowed: boolean | null };
  quota: { size: number | null; remaining: number | null };
  allowedOriginAddresses: string[];
};

/** GET /profile: account, credit balance and daily quota. */
export async function getProfile(ctx: ApiContext): Promise<Result<BulkSmsProfile>> {
  const answer = await callApi(ctx, (api) => api.GET("/profile", { parseAs: "text" }));
  if (!answer.ok) return answer;
  const json = answer.data.json;
  if (json === null || typeof json !== "object" || Array.isArray(json))
    return fail(invalidResponseError(answer.data.status, "profile is not an object"));
  const p = json as Record<string, unknown>;
  const credits = record(p.credits);
  const balance = num(credits?.balance);
  if (balance === null)
    return fail(invalidResponseError(answer.data.status, "profile has no numeric credits.balance"));
  const quota = record(p.quota);
  const origin = record(p.originAddresses);
  return ok({
    id: typeof p.id === "string" || typeof p.id === "number" ? String(p.id) : null,
    username: typeof p.username === "string" ? p.username : null,
    credits: {
      balance,
      limit: num(credits?.limit),
      isTransferAllowed: typeof credits?.isTransferAllowed === "boolean" ? credits.isTransferAllowed : null,
    },
    quota: { size: num(quota?.size), remaining: num(quota?.remaining) },
    allowedOriginAddresses: Array.isArray(origin?.allowed)
      ? origin.allowed.filter((a): a is string => typeof a === "string")
      : [],
  });
}

function record(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

function num(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}
