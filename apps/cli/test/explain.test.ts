// `ghl-bulksms explain <contact id | phone>` against the sandbox: the welcome decisions that reconciliation
// took (a landline skipped, a mobile queued) are shown by contact id and by phone, human and --json.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Sandbox, startSandbox } from "@ghl-bulksms/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, runCli } from "./helpers.js";

let sandbox: Sandbox;
let dir: string;
let env: Record<string, string>;
let landline: { id: string };
let mobile: { id: string };

beforeAll(async () => {
  ensureBuilt();
  sandbox = await startSandbox({
    seedContacts: 0,
    ghl: { port: 0, locations: [{ country: "GB", timezone: "Europe/London" }] },
    bulksms: { port: 0 },
  });
  dir = mkdtempSync(join(tmpdir(), "cli-explain-"));
  const loc = sandbox.ghl.locations[0];
  const cred = sandbox.bulksms.credentials[0];
  if (!loc || !cred) throw new Error("sandbox has no location or credential");
  landline = sandbox.ghl.control.createContact(loc.id, { firstName: "Lorna", phone: "020 7946 0958" });
  mobile = sandbox.ghl.control.createContact(loc.id, { firstName: "Ada", phone: "07400 123456" });
  writeFileSync(
    join(dir, "policy.json"),
    JSON.stringify({ engine: { defaults: { quietHours: { enabled: false } } } }),
  );
  env = {
    GHL_BULKSMS_MODE: "sandbox",
    GHL_API_BASE_URL: sandbox.ghl.url,
    BULKSMS_API_BASE_URL: sandbox.bulksms.url,
    BULKSMS_TOKEN_ID: cred.tokenId,
    BULKSMS_TOKEN_SECRET: cred.tokenSecret,
    GHL_LOCATIONS: JSON.stringify([
      { locationId: loc.id, token: loc.token, region: "GB", timezone: "Europe/London" },
    ]),
    DATA_DIR: join(dir, "data"),
    GHL_BULKSMS_CONFIG: join(dir, "policy.json"),
    WELCOME_TEMPLATE: 'Hi {{firstName | "there"}}, welcome!',
  };
  // Reconciliation discovers both (their webhooks never reached a worker) and decides their welcomes.
  const r = await cli(["reconcile", "--full"]);
  if (r.code !== 0) throw new Error(`reconcile failed: ${r.stderr}`);
});

afterAll(async () => {
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[], extra: Record<string, string> = {}) =>
  runCli(args, { env: { ...env, ...extra }, cwd: dir });

describe("explain", () => {
  it("shows why a landline got no welcome, by contact id and by phone", async () => {
    const human = await cli(["explain", landline.id]);
    expect(human.stderr).toBe("");
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`${landline.id} (Lorna)`);
    expect(human.stdout).toMatch(/welcome\s+skipped\s+not_mobile\s+-\s+skipped: not a mobile number/);
    expect(human.stdout).toMatch(/opt-out:\s+none recorded/);

    const json = await cli(["explain", "020 7946 0958", "--json"]);
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out.phone).toBe("+442079460958");
    expect(out.contacts).toEqual([expect.objectContaining({ contactId: landline.id, name: "Lorna" })]);
    expect(out.decisions).toEqual([
      expect.objectContaining({
        contactId: landline.id,
        purpose: "automated",
        kind: "welcome",
        decision: "skipped",
        reason: "not_mobile",
        messageKey: `welcome:${sandbox.ghl.locations[0]?.id}:${landline.id}`,
      }),
    ]);
  });

  it("shows a queued welcome and the opt-out that came after it, since when and by whom", async () => {
    const add = await cli(["optouts", "add", "+447400123456", "--reason", "asked by phone"]);
    expect(add.code).toBe(0);
    const r = await cli(["explain", mobile.id]);
    expect(r.code).toBe(0);
    // the decision stands as taken; the message column shows what the opt-out did to it since
    expect(r.stdout).toMatch(/welcome\s+queued\s+queued\s+CANCELLED\s+queued to send/);
    expect(r.stdout).toMatch(/opt-out:\s+opted out since \d{4}-\d\d-\d\dT.* by an operator/);
  });

  it("an unknown contact is named (exit 1); a bad phone is a usage error (exit 2)", async () => {
    const unknown = await cli(["explain", "NoSuchContact"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('nothing known about "NoSuchContact"');
    const bad = await cli(["explain", "12"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('invalid phone number "12"');
    expect(bad.stderr).toContain("+442079460123");
  });
});

describe("templates at configuration time", () => {
  it("config validate refuses a welcome template that cannot render, naming the variable and the placeholder", async () => {
    const r = await cli(["config", "validate"], { WELCOME_TEMPLATE: "Hi {{frstName}}, welcome!" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('WELCOME_TEMPLATE is not a valid template: unknown field "frstName"');
    expect(r.stderr).toContain('did you mean "firstName"?');
    const policy = join(dir, "bad-follow-up.json");
    writeFileSync(
      policy,
      JSON.stringify({
        lifecycle: {
          defaults: {
            followUps: [
              {
                id: "quote",
                trigger: { type: "tag-added", tag: "q" },
                steps: [{ afterHours: 1, template: "Hi {{firstName" }],
              },
            ],
          },
        },
      }),
    );
    const f = await cli(["config", "validate"], { GHL_BULKSMS_CONFIG: policy });
    expect(f.code).toBe(1);
    expect(f.stderr).toContain("followUps.0.steps.0.template: not a valid template");
  });
});
