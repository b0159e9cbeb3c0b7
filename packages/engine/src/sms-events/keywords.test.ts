import { describe, expect, it } from "vitest";
import { parseEngineConfig } from "../core/config.js";
import { classifyKeyword } from "./keywords.js";

const keywords = parseEngineConfig({}).defaults.keywords;

describe("keywords", () => {
  it("matches the default STOP synonyms, START/UNSTOP and HELP as whole messages", () => {
    for (const w of ["STOP", "stopall", " Unsubscribe ", "cancel.", "END", "quit!"])
      expect(classifyKeyword(w, keywords)).toBe("stop");
    for (const w of ["start", "UNSTOP"]) expect(classifyKeyword(w, keywords)).toBe("start");
    expect(classifyKeyword("Help?", keywords)).toBe("help");
  });

  it("treats sentences containing a keyword as replies", () => {
    expect(classifyKeyword("please don't stop", keywords)).toBe("none");
    expect(classifyKeyword("the end is near", keywords)).toBe("none");
    expect(classifyKeyword("", keywords)).toBe("none");
  });
});
