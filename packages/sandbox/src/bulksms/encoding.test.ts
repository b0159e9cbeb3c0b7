import { describe, expect, it } from "vitest";
import { countParts, encodeBody, isGsm7, toGsm7 } from "./encoding.js";

describe("GSM-7 / UCS-2 part counting", () => {
  it("fits 160 GSM characters in one part and splits at 153 beyond", () => {
    expect(countParts("a".repeat(160), "TEXT")).toBe(1);
    expect(countParts("a".repeat(161), "TEXT")).toBe(2);
    expect(countParts("a".repeat(306), "TEXT")).toBe(2);
    expect(countParts("a".repeat(307), "TEXT")).toBe(3);
  });

  it("counts extension characters as two septets", () => {
    expect(countParts("€".repeat(80), "TEXT")).toBe(1);
    expect(countParts("€".repeat(81), "TEXT")).toBe(2);
    expect(countParts(`${"a".repeat(159)}{`, "TEXT")).toBe(2);
    expect(countParts(`${"a".repeat(158)}^`, "TEXT")).toBe(1);
  });

  it("never splits an extension character across parts", () => {
    // 152 septets then a 2-septet char: the char moves to part 2, so 152 + (2 + 152) = 306 septets need 3 parts.
    expect(countParts(`${"a".repeat(152)}[${"a".repeat(152)}`, "TEXT")).toBe(3);
  });

  it("uses 70/67 code units for UNICODE, emoji counting two", () => {
    expect(countParts("ж".repeat(70), "UNICODE")).toBe(1);
    expect(countParts("ж".repeat(71), "UNICODE")).toBe(2);
    expect(countParts("😀".repeat(35), "UNICODE")).toBe(1);
    expect(countParts("😀".repeat(36), "UNICODE")).toBe(2);
    expect(countParts("ж".repeat(134), "UNICODE")).toBe(2);
    expect(countParts("ж".repeat(135), "UNICODE")).toBe(3);
  });

  it("uses 140/134 bytes for BINARY hex bodies", () => {
    expect(countParts("AB".repeat(140), "BINARY")).toBe(1);
    expect(countParts("AB".repeat(141), "BINARY")).toBe(2);
  });

  it("knows the GSM alphabet", () => {
    expect(isGsm7("Hello @£$¥ èé ÄÖÑÜ §¿ {}[]~|€^\\")).toBe(true);
    expect(isGsm7("smart ’quote’")).toBe(false);
    expect(isGsm7("back`tick")).toBe(false);
    expect(toGsm7("a’b😀c")).toBe("a?b?c");
  });

  it("auto-unicode switches to UNICODE; without it non-GSM characters become ?", () => {
    expect(encodeBody("Olé ’x’", "TEXT", true)).toEqual({ body: "Olé ’x’", encoding: "UNICODE", parts: 1 });
    expect(encodeBody("Olé ’x’", "TEXT", false)).toEqual({ body: "Olé ?x?", encoding: "TEXT", parts: 1 });
    expect(encodeBody("plain", "TEXT", true)).toEqual({ body: "plain", encoding: "TEXT", parts: 1 });
    expect(encodeBody("plain", "UNICODE", false).encoding).toBe("UNICODE");
  });
});
