import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseJsonLossless } from "./parse-json-lossless.js";

describe("parseJsonLossless", () => {
  it("keeps 19-digit ids arriving as JSON numbers exact, as strings", () => {
    const v = parseJsonLossless(
      '[{"id":9532628338590433281,"relatedSentMessageId":-1234567890123456789,"creditCost":1.5,"n":12}]',
    );
    expect(v).toEqual([
      { id: "9532628338590433281", relatedSentMessageId: "-1234567890123456789", creditCost: 1.5, n: 12 },
    ]);
  });
  it("does not touch digits inside strings, including escaped quotes", () => {
    const text = '{"body":"call 12345678901234567 \\"9999999999999999999\\"","id":"953262833859043328"}';
    expect(parseJsonLossless(text)).toEqual(JSON.parse(text));
  });
  it("throws SyntaxError on invalid JSON", () => {
    expect(() => parseJsonLossless("[1,")).toThrow(SyntaxError);
    expect(() => parseJsonLossless('{"id": 12345678901234567890')).toThrow(SyntaxError);
  });
  it("property: equals JSON.parse for JSON without unsafe integers", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), (value) => {
        const text = JSON.stringify(value);
        if (/\d{16}/.test(text.replace(/"(?:[^"\\]|\\.)*"/g, '""'))) return; // unsafe ints are the documented difference
        expect(parseJsonLossless(text)).toEqual(JSON.parse(text));
      }),
    );
  });
});
