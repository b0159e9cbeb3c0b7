import { describe, expect, it } from "vitest";
import { GhlError, httpError, transportError, vendorMessageFromBody } from "./errors.js";

const base = { operation: "POST /contacts/", traceId: null, retryAfterMs: null, nonIdempotent: false };

describe("GhlError mapping", () => {
  it("joins 422 message arrays readably", () => {
    const e = httpError({
      ...base,
      status: 422,
      body: {
        statusCode: 422,
        message: ["phone must be valid", "email must be an email"],
        error: "Unprocessable Entity",
      },
    });
    expect(e).toBeInstanceOf(GhlError);
    expect(e.code).toBe("validation");
    expect(e.vendorMessage).toBe("phone must be valid; email must be an email");
    expect(e.message).toContain("HTTP 422: phone must be valid; email must be an email");
    expect(e.retryable).toBe(false);
  });

  it("reads v2, v3 and plain-text error bodies", () => {
    expect(vendorMessageFromBody({ statusCode: 401, message: "Invalid token", error: "Unauthorized" })).toBe(
      "Invalid token",
    );
    expect(vendorMessageFromBody({ error: { code: "X", message: "nested" } })).toBe("nested");
    expect(vendorMessageFromBody("  Bad gateway  ")).toBe("Bad gateway");
    expect(vendorMessageFromBody(null)).toBeNull();
  });

  it("marks 429 and 5xx retryable and 5xx on non-idempotent calls ambiguous", () => {
    const rl = httpError({ ...base, status: 429, body: {}, retryAfterMs: 1200 });
    expect(rl).toMatchObject({ code: "rate_limited", retryable: true, retryAfterMs: 1200, ambiguous: false });
    expect(httpError({ ...base, status: 503, body: {} })).toMatchObject({
      code: "server_error",
      retryable: true,
    });
    const amb = httpError({ ...base, status: 502, body: {}, nonIdempotent: true });
    expect(amb).toMatchObject({ code: "ambiguous", retryable: true, ambiguous: true, status: 502 });
    expect(amb.message).toMatch(/may have been processed/);
  });

  it("takes traceId from the body when the header had none", () => {
    expect(httpError({ ...base, status: 400, body: { message: "x", traceId: "t-1" } }).traceId).toBe("t-1");
  });

  it("recognises 'Location is not active'", () => {
    const e = httpError({
      ...base,
      status: 400,
      body: { statusCode: 400, message: "Location is not active" },
    });
    expect(e.code).toBe("location_inactive");
  });

  it("network errors: not-sent is plain retryable, sent + non-idempotent is ambiguous", () => {
    const cause = Object.assign(new TypeError("fetch failed"), {
      cause: Object.assign(new Error("refused"), { code: "ECONNREFUSED" }),
    });
    const notSent = transportError({
      operation: "POST /x",
      kind: "network",
      notSent: true,
      nonIdempotent: true,
      cause,
    });
    expect(notSent).toMatchObject({ code: "network", ambiguous: false, retryable: true });
    expect(notSent.message).toContain("ECONNREFUSED");
    const timeout = transportError({
      operation: "POST /x",
      kind: "timeout",
      notSent: false,
      nonIdempotent: true,
      cause,
      timeoutMs: 50,
    });
    expect(timeout).toMatchObject({ code: "ambiguous", ambiguous: true });
    expect(JSON.stringify(timeout)).not.toContain("Bearer");
  });
});
