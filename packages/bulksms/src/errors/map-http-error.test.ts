import { describe, expect, it } from "vitest";
import { mapHttpError, parseRetryAfter } from "./map-http-error.js";

describe("mapHttpError", () => {
  it("reads problem details", () => {
    const e = mapHttpError(
      400,
      JSON.stringify({
        type: "https://developer.bulksms.com/json/v1/errors#validation",
        title: "Validation Failed",
        status: 400,
        detail: "to: invalid",
      }),
    );
    expect(e).toEqual({
      code: "bad_request",
      status: 400,
      title: "Validation Failed",
      detail: "to: invalid",
      type: "https://developer.bulksms.com/json/v1/errors#validation",
      retryable: false,
    });
  });
  it("handles an empty 400 body", () => {
    expect(mapHttpError(400, "")).toEqual({
      code: "bad_request",
      status: 400,
      title: "Bad request",
      retryable: false,
    });
  });
  it("handles a non-JSON body without crashing", () => {
    expect(mapHttpError(502, "<html>Bad gateway</html>")).toMatchObject({
      code: "server_error",
      retryable: true,
      detail: "<html>Bad gateway</html>",
    });
  });
  it("maps 403 insufficient credits (by type, by title, or empty body) and other 403s", () => {
    expect(
      mapHttpError(
        403,
        JSON.stringify({
          type: "https://developer.bulksms.com/json/v1/errors#insufficient-credits",
          title: "Insufficient Credits",
        }),
      ).code,
    ).toBe("insufficient_credits");
    expect(mapHttpError(403, JSON.stringify({ title: "Insufficient credits" })).code).toBe(
      "insufficient_credits",
    );
    expect(mapHttpError(403, "").code).toBe("insufficient_credits");
    expect(mapHttpError(403, JSON.stringify({ title: "Transfer not enabled" })).code).toBe("forbidden");
  });
  it("retryable only for 5xx, 408 and 429", () => {
    for (const status of [400, 401, 403, 404, 409, 422])
      expect(mapHttpError(status, "").retryable).toBe(false);
    for (const status of [408, 429, 500, 502, 503, 504])
      expect(mapHttpError(status, "").retryable).toBe(true);
  });
  it("parses Retry-After seconds and dates against the injected clock", () => {
    expect(mapHttpError(503, "", "3", 0).retryAfterMs).toBe(3000);
    expect(parseRetryAfter("Thu, 01 Jan 1970 00:00:10 GMT", 4000)).toBe(6000);
    expect(parseRetryAfter("garbage", 0)).toBeUndefined();
    expect(parseRetryAfter("99999", 0)).toBe(600_000);
  });
});
