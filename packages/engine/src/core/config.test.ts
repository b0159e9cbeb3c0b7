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

  it("refuses a welcome template that cannot render and a placeholder in a reply, naming the path", () => {
    try {
      parseEngineConfig({
        defaults: { welcome: { enabled: true, template: "Hi {{frstName}}" } },
        locations: { loc1: { replies: { help: "Hi {{firstName}}, reply STOP" } } },
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EngineConfigError);
      const issues = (e as EngineConfigError).issues;
      expect(issues).toContainEqual({
        path: "defaults.welcome.template",
        message: 'not a valid template: unknown field "frstName" (did you mean "firstName"?)',
      });
      expect(issues.find((i) => i.path === "locations.loc1.replies.help")?.message).toContain(
        '"{{firstName}}"',
      );
    }
    // a custom field of the location's mapping is a field the welcome fills in
    const mapping = {
      version: 1,
      profile: {},
      extra: { plan: { from: { customField: { id: "cf_plan" } } } },
    };
    expect(() =>
      parseEngineConfig({ defaults: { welcome: { template: "Your plan: {{plan}}" }, mapping } }),
    ).not.toThrow();
    expect(() => parseEngineConfig({ defaults: { welcome: { template: "Your plan: {{plan}}" } } })).toThrow(
      /unknown field "plan"/,
    );
  });
});

describe("lifecycle config templates", () => {
  it("refuses a follow-up step whose template does not parse, naming the step", async () => {
    const { parseLifecycleConfig } = await import("../automations/config.js");
    const rule = (template: string) => ({
      defaults: {
        followUps: [
          { id: "quote", trigger: { type: "tag-added", tag: "q" }, steps: [{ afterHours: 1, template }] },
        ],
      },
    });
    expect(() => parseLifecycleConfig(rule("Hi {{firstName}}, any {{customField.x}}?"))).not.toThrow();
    expect(() => parseLifecycleConfig(rule("Hi {{firstName, any questions?"))).toThrow(
      /defaults\.followUps\.0\.steps\.0\.template: not a valid template: "\{\{" at 3 is not closed/,
    );
  });
});
