import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, maskText } from "./logger.ts";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, logger: createLogger({ level: "debug", destination }) };
}

describe("logger redaction", () => {
  it("never prints tokens, authorization headers, phone numbers, e-mails or message bodies", () => {
    const { lines, logger } = capture();
    logger.info(
      {
        token: "pit-0123456789abcdef",
        headers: { authorization: "Bearer sk_live_abcdef", "x-ghl-signature": "c2lnbmF0dXJl" },
        contact: { phone: "+27821234567", email: "jane@example.com", firstName: "Jane" },
        sms: { to: "27821234567", body: "Your code is 4711, reply STOP to opt out" },
        note: "texted +44 7700 900123 and jane@example.com",
        url: "/webhooks/bulksms/s3cr3t-path-value-0123",
        count: 42,
        at: "2026-11-25T22:51:01.000Z",
      },
      "sent to +15551234567 with Bearer abc.def.ghi",
    );
    const out = lines.join("");
    for (const secret of [
      "pit-0123456789abcdef",
      "sk_live_abcdef",
      "c2lnbmF0dXJl",
      "+27821234567",
      "27821234567",
      "jane@example.com",
      "Jane",
      "Your code is 4711",
      "7700 900123",
      "s3cr3t-path-value-0123",
      "+15551234567",
      "abc.def.ghi",
    ]) {
      expect(out).not.toContain(secret);
    }
    const line = JSON.parse(lines[0] ?? "{}");
    expect(line.count).toBe(42);
    expect(line.at).toBe("2026-11-25T22:51:01.000Z");
    expect(line.msg).toContain("[phone]");
  });

  it("keeps error messages but masks personal data in them", () => {
    const { lines, logger } = capture();
    logger.error({ err: new Error("contact +27821234567 not found") }, "failed");
    const line = JSON.parse(lines[0] ?? "{}");
    expect(line.err.message).toBe("contact [phone] not found");
  });

  it("masks E.164 and national numbers but leaves dates and small numbers", () => {
    expect(maskText("call 0821234567 or +27 82 123 4567")).toBe("call [phone] or [phone]");
    expect(maskText("2026-11-25 took 1500 ms, job 42")).toBe("2026-11-25 took 1500 ms, job 42");
  });

  it("keeps digits inside identifiers such as a workerId", () => {
    for (const id of [
      "worker-12345-ab12cd34",
      "worker-12345-12345678",
      "worker-1234567890",
      "msg_0123456789",
      "job:1234567890:retry",
      "v1.0.12345678",
    ]) {
      expect(maskText(id)).toBe(id);
      expect(maskText(`started ${id} now`)).toBe(`started ${id} now`);
    }
    const { lines, logger } = capture();
    logger.info({ workerId: "worker-12345-ab12cd34" }, "worker worker-12345-12345678 started");
    const line = JSON.parse(lines[0] ?? "{}");
    expect(line.workerId).toBe("worker-12345-ab12cd34");
    expect(line.msg).toBe("worker worker-12345-12345678 started");
  });

  it("masks a phone number inside a sentence and a value that is entirely a phone number", () => {
    expect(maskText("call +447700900123 now")).toBe("call [phone] now");
    expect(maskText("call +447700900123.")).toBe("call [phone].");
    expect(maskText("ring (0)7700 900123, or 07700-900-123")).toContain("or [phone]");
    expect(maskText("ring 07700 900123, please")).toBe("ring [phone], please");
    expect(maskText("to=447700900123 failed")).toBe("to=[phone] failed");
    expect(maskText("27821234567")).toBe("[phone]");
    expect(maskText("+44 (0) 7700 900-123")).toBe("[phone]");
    expect(maskText("2026-11-25")).toBe("2026-11-25");
    expect(maskText("1234567")).toBe("1234567");
  });
});
