// "Why was nothing sent?": every skipped, blocked or deferred automated text leaves exactly one info log
// line with its reason code (ids only: no phone, no name) and one stored decision.
import { afterEach, describe, expect, it } from "vitest";
import { type EngineLogger, maybeSendWelcome, operatorOptOut } from "../src/index.js";
import { parseLifecycleConfig, runDueFollowUps } from "../src/reconcile/index.js";
import { type Harness, startHarness } from "./harness.js";

interface Line {
  level: "debug" | "info" | "warn" | "error";
  obj: Record<string, unknown>;
  msg: string | undefined;
}

function captureLogger(): { lines: Line[]; logger: EngineLogger } {
  const lines: Line[] = [];
  const at =
    (level: Line["level"]) =>
    (obj: Record<string, unknown>, msg?: string): void => {
      lines.push({ level, obj, msg });
    };
  return { lines, logger: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") } };
}

const WELCOME = {
  defaults: { welcome: { enabled: true, template: 'Hi {{firstName | "there"}}, welcome!' } },
};

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

/** The decision lines (those carrying a reason code) about one contact. */
const about = (lines: Line[], contactId: string) =>
  lines.filter((l) => l.obj.contactId === contactId && typeof l.obj.reason === "string");

function expectNoPersonalData(lines: Line[], secrets: string[]) {
  const text = JSON.stringify(lines);
  for (const s of secrets) expect(text, `a log line carries "${s}"`).not.toContain(s);
}

describe("send decisions", () => {
  it("each skipped welcome leaves one info line with its reason code and one stored decision", async () => {
    const cap = captureLogger();
    h = await startHarness({ config: WELCOME, logger: cap.logger });
    const ctl = h.sandbox.ghl.control;
    await operatorOptOut(h.engine.deps, { locationId: h.locationId, phone: "+447911200003" });
    const people = {
      not_mobile: ctl.createContact(h.locationId, { firstName: "Lorna", phone: "020 7946 0958" }),
      invalid_number: ctl.createContact(h.locationId, { firstName: "Ivor", phone: "12345" }),
      no_phone: ctl.createContact(h.locationId, { firstName: "Nell", email: "nell@example.com" }),
      ghl_dnd: ctl.createContact(h.locationId, {
        firstName: "Dora",
        phone: "07911 200001",
        dndSettings: { SMS: { status: "active" } },
      }),
      opted_out: ctl.createContact(h.locationId, { firstName: "Otto", phone: "07911 200003" }),
    };
    const ada = ctl.createContact(h.locationId, { firstName: "Ada", phone: "07911 123456" });
    await h.settle();
    expect(h.sandbox.bulksms.control.sentMessages().map((m) => m.body)).toEqual(["Hi Ada, welcome!"]);

    for (const [code, contact] of Object.entries(people)) {
      const lines = about(cap.lines, contact.id);
      expect(lines, code).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        level: "info",
        msg: "text skipped",
        obj: { decision: "skipped", reason: code, purpose: "automated", kind: "welcome" },
      });
      const stored = await h.store.decisions.list({ locationId: h.locationId, contactIds: [contact.id] });
      expect(
        stored.map((d) => [d.decision, d.reason, d.kind, d.messageKey]),
        code,
      ).toEqual([["skipped", code, "welcome", `welcome:${h.locationId}:${contact.id}`]]);
    }
    // the welcome that went ahead: queued, then submitted (debug, not info)
    expect(about(cap.lines, ada.id).map((l) => [l.level, l.obj.decision])).toEqual([
      ["debug", "queued"],
      ["debug", "sent"],
    ]);
    const adaDecisions = await h.store.decisions.list({ contactIds: [ada.id] });
    expect(adaDecisions.map((d) => d.decision)).toEqual(["sent", "queued"]);

    // a redelivered ContactCreate decides nothing new and logs nothing new
    const before = cap.lines.length;
    const { ingestEvent } = await import("../src/testing/index.js");
    await ingestEvent(h.store, {
      source: "ghl",
      eventId: "redelivered-landline",
      eventType: "ContactCreate",
      locationId: h.locationId,
      payload: {
        type: "ContactCreate",
        locationId: h.locationId,
        id: people.not_mobile.id,
        phone: "020 7946 0958",
      },
    });
    await h.settle();
    expect(cap.lines.slice(before).filter((l) => typeof l.obj.reason === "string")).toEqual([]);

    expectNoPersonalData(cap.lines, [
      "Lorna",
      "Ivor",
      "Nell",
      "Dora",
      "Otto",
      "Ada",
      "7946",
      "12345",
      "7911",
      "nell@example.com",
    ]);
  });

  it("a welcome template that does not render is one info line (template_error), not a warning per contact", async () => {
    const cap = captureLogger();
    h = await startHarness({ logger: cap.logger }); // welcome off while the contact arrives
    const c = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "Tam", phone: "07400 300005" });
    await h.settle();
    // A policy that bypassed validation (the configuration refuses it, see the config tests).
    const defaults = h.engine.deps.config.defaults;
    const deps = {
      ...h.engine.deps,
      config: {
        ...h.engine.deps.config,
        defaults: {
          ...defaults,
          welcome: { ...defaults.welcome, enabled: true, template: "Hi {{nickname}}" },
        },
      },
    };
    const r = await maybeSendWelcome(deps, h.locationId, c.id);
    expect(r).toMatchObject({ sent: false, reason: "template" });
    await maybeSendWelcome(deps, h.locationId, c.id);
    const lines = about(cap.lines, c.id);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: "info",
      obj: { reason: "template_error", template: 'unknown-field: unknown field "nickname"' },
    });
    expect(cap.lines.filter((l) => l.level === "warn")).toEqual([]);
    expectNoPersonalData(cap.lines, ["Tam", "7400"]);
  });

  it("no consent; quiet hours defer with the time; an opt-out landing before the send blocks it", async () => {
    const cap = captureLogger();
    // 22:30 in London: after the 08:00-21:00 window
    h = await startHarness({
      config: { defaults: { ...WELCOME.defaults } },
      logger: cap.logger,
      clockStart: Date.UTC(2026, 2, 10, 22, 30),
    });
    const ctl = h.sandbox.ghl.control;
    const night = ctl.createContact(h.locationId, { firstName: "Nyx", phone: "07400 300001" });
    const late = ctl.createContact(h.locationId, { firstName: "Leo", phone: "07400 300002" });
    await h.settle();
    for (const c of [night, late]) {
      const lines = about(cap.lines, c.id).filter((l) => l.level === "info");
      expect(lines).toHaveLength(1);
      expect(lines[0]?.obj).toMatchObject({
        decision: "deferred",
        reason: "quiet_hours",
        until: "2026-03-11T08:00:00.000Z",
      });
    }
    // Leo texts STOP-like through the operator before the window opens: his welcome is blocked at 08:00
    await operatorOptOut(h.engine.deps, { locationId: h.locationId, phone: "+447400300002" });
    await h.advance(Date.UTC(2026, 2, 11, 8, 1) - h.sandbox.clock.now());
    const blocked = about(cap.lines, late.id).filter((l) => l.level === "info");
    expect(blocked.map((l) => [l.obj.decision, l.obj.reason])).toEqual([
      ["deferred", "quiet_hours"],
      ["blocked", "opted_out"],
    ]);
    const stored = await h.store.decisions.list({ contactIds: [late.id] });
    expect(stored.map((d) => [d.decision, d.reason])).toEqual([
      ["blocked", "opted_out"],
      ["deferred", "quiet_hours"],
      ["queued", "queued"],
    ]);
    expect(stored[1]?.until).toBe(Date.UTC(2026, 2, 11, 8, 0));
    expect((await h.store.decisions.list({ contactIds: [night.id] }))[0]?.decision).toBe("sent");
    expectNoPersonalData(cap.lines, ["Nyx", "Leo", "7400"]);
    await h.close();

    const cap2 = captureLogger();
    h = await startHarness({
      config: { defaults: { ...WELCOME.defaults, consent: { require: "explicit-opt-in" } } },
      logger: cap2.logger,
    });
    const shy = h.sandbox.ghl.control.createContact(h.locationId, {
      firstName: "Shy",
      phone: "07400 300003",
    });
    await h.settle();
    const lines = about(cap2.lines, shy.id);
    expect(lines.map((l) => [l.level, l.obj.reason])).toEqual([["info", "no_consent"]]);
    expect(h.sandbox.bulksms.control.sentMessages()).toEqual([]);
  });

  it("a follow-up step: deferred by quiet hours (one line with the time), then stopped by a template error", async () => {
    const cap = captureLogger();
    h = await startHarness({ logger: cap.logger, clockStart: Date.UTC(2026, 2, 10, 22, 30) });
    const c = h.sandbox.ghl.control.createContact(h.locationId, {
      firstName: "Fay",
      phone: "07400 300006",
      tags: ["quote-sent"],
    });
    await h.settle();
    const config = parseLifecycleConfig({
      defaults: {
        followUps: [
          {
            id: "quote",
            trigger: { type: "tag-added", tag: "quote-sent" },
            // valid syntax (checked with the configuration); the field is unknown for this contact
            steps: [{ afterHours: 0, template: "Hi {{nickname}}, any questions?" }],
          },
        ],
      },
    });
    await h.store.followUps.start({
      locationId: h.locationId,
      ruleId: "quote",
      contactId: c.id,
      nextRunAt: h.sandbox.clock.now(),
    });
    const night = await runDueFollowUps(h.engine.deps, { config });
    expect(night.outcomes).toEqual([expect.objectContaining({ action: "deferred" })]);
    await runDueFollowUps(h.engine.deps, { config }); // not due again before 08:00: nothing new
    await h.sandbox.clock.advance(Date.UTC(2026, 2, 11, 8, 0) - h.sandbox.clock.now());
    const morning = await runDueFollowUps(h.engine.deps, { config });
    expect(morning.outcomes).toEqual([expect.objectContaining({ action: "stopped" })]);
    const lines = about(cap.lines, c.id).filter((l) => l.level === "info");
    expect(lines.map((l) => [l.obj.decision, l.obj.reason, l.obj.kind])).toEqual([
      ["deferred", "quiet_hours", "follow-up:quote:0"],
      ["skipped", "template_error", "follow-up:quote:0"],
    ]);
    expect(lines[0]?.obj.until).toBe("2026-03-11T08:00:00.000Z");
    const stored = await h.store.decisions.list({ contactIds: [c.id] });
    expect(stored.map((d) => [d.decision, d.reason, d.messageKey])).toEqual([
      ["skipped", "template_error", expect.stringMatching(/^followup:\d+:0$/)],
      ["deferred", "quiet_hours", expect.stringMatching(/^followup:\d+:0$/)],
    ]);
    expect(h.sandbox.bulksms.control.sentMessages()).toEqual([]);
    expectNoPersonalData(cap.lines, ["Fay", "7400"]);
  });
});
