import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadPolicyFile, PolicyFileError, smsRecipientProblem } from "../src/index.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function write(lifecycle: unknown): string {
  const d = mkdtempSync(join(tmpdir(), "ghl-bulksms-recipients-"));
  dirs.push(d);
  writeFileSync(join(d, "ghl-bulksms.config.json"), JSON.stringify({ lifecycle }));
  return d;
}

function errorOf(cwd: string): PolicyFileError {
  try {
    loadPolicyFile({ cwd });
  } catch (e) {
    if (e instanceof PolicyFileError) return e;
    throw e;
  }
  throw new Error("expected a PolicyFileError");
}

describe("digest recipients are checked when the policy file is read (issue 12)", () => {
  it("accepts mobiles (and US numbers, which the plan cannot tell from mobiles)", () => {
    const cwd = write({
      defaults: { digest: { enabled: true, recipients: ["+447911123456", "+12127365000"] } },
    });
    expect(loadPolicyFile({ cwd })?.lifecycle).toMatchObject({
      defaults: { digest: { recipients: ["+447911123456", "+12127365000"] } },
    });
  });

  it("refuses a landline, an invalid number and a toll-free number, naming each entry", () => {
    const cwd = write({
      defaults: { digest: { recipients: ["+447911123456", "+442079460958"] } },
      locations: { loc1: { digest: { recipients: ["+447700900123", "+448000223344", "07911 123456"] } } },
    });
    const e = errorOf(cwd);
    expect(e.message).toContain(
      "lifecycle.defaults.digest.recipients[1]: +442079460958 is a landline and cannot receive texts; use a mobile number",
    );
    expect(e.message).toContain(
      "lifecycle.locations.loc1.digest.recipients[0]: +447700900123 is not a valid phone number",
    );
    expect(e.message).toContain(
      "lifecycle.locations.loc1.digest.recipients[1]: +448000223344 is a toll-free number",
    );
    expect(e.message).toContain(
      'lifecycle.locations.loc1.digest.recipients[2]: "07911 123456" is not an E.164 number',
    );
  });

  it("smsRecipientProblem explains the type", () => {
    expect(smsRecipientProblem("+447911123456")).toBeUndefined();
    expect(smsRecipientProblem("+18005550199")).toMatch(/toll-free/);
    expect(smsRecipientProblem(42)).toMatch(/not an E\.164 number/);
  });
});
