import { describe, expect, it } from "vitest";
import { EngineConfigError, parseEngineConfig, resolvePolicy } from "./config.js";

describe("engine config", () => {
  it("has safe defaults and merges per-location overrides section by section", () => {
    const config = parseEngineConfig({
      defaults: { welcome: { enabled: true } },
      locations: { loc1: { replies: { help: "Hjälp: svara STOPP" }, keywords: { stop: ["stopp"] } } },
    });
    const p = resolvePolicy(config, "loc1", { engine: { welcome: { delayMs: 5000 } } });
    expect(p.welcome).toMatchObject({ enabled: true, delayMs: 5000 });
    expect(p.keywords.stop).toEqual(["STOPP"]);
    expect(p.keywords.start).toEqual(["START", "UNSTOP"]);
    expect(p.replies.help).toBe("Hjälp: svara STOPP");
    expect(p.replies.stopConfirmation).toMatch(/unsubscribed/);
    expect(resolvePolicy(config, "other", {}).optOutTag).toBe("sms-opted-out");
  });

  it("names every bad setting", () => {
    try {
      parseEngineConfig({
        defaults: { quietHours: { start: "8am" }, welcome: { delayMs: -1 } },
        locations: { x: { mapping: { version: 2 } } },
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EngineConfigError);
      const text = (e as Error).message;
      expect(text).toContain("defaults.quietHours.start");
      expect(text).toContain("defaults.welcome.delayMs");
    }
    expect(() => parseEngineConfig({ locations: { x: { mapping: { version: 2 } } } })).toThrow(
      /locations\.x\.mapping/,
    );
  });
});
