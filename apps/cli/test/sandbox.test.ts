// Every configured command of the built CLI against the sandbox (GHL + BulkSMS simulators started here on
// 127.0.0.1:0), with a temporary DATA_DIR: real stdout/stderr and exit codes, good and bad input.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SANDBOX_ENCRYPTION_KEY } from "@ghl-bulksms/config";
import { type Sandbox, startSandbox } from "@ghl-bulksms/sandbox";
import { openSqliteStore } from "@ghl-bulksms/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, runCli } from "./helpers.js";

let sandbox: Sandbox;
let dir: string;
let env: Record<string, string>;
let locationId: string;
let pit: string;
let hookServer: Server;
let hookUrl: string;

beforeAll(async () => {
  ensureBuilt();
  sandbox = await startSandbox({ seedContacts: 12, ghl: { port: 0 }, bulksms: { port: 0 } });
  dir = mkdtempSync(join(tmpdir(), "cli-sandbox-"));
  const loc = sandbox.ghl.locations[0];
  if (!loc) throw new Error("sandbox has no location");
  locationId = loc.id;
  pit = loc.token;
  const cred = sandbox.bulksms.credentials[0];
  if (!cred) throw new Error("sandbox has no BulkSMS credential");
  // A known duplicate pair (same person, email typed in another case), the second with a note.
  sandbox.ghl.control.setLocationSettings(loc.id, { allowDuplicates: true });
  sandbox.ghl.control.createContact(loc.id, {
    firstName: "Zed",
    lastName: "Quinn",
    email: "zed.quinn@example.com",
    phone: "+447911123401",
  });
  const twin = sandbox.ghl.control.createContact(loc.id, {
    firstName: "Zed",
    lastName: "Quinn",
    email: "ZED.QUINN@example.com",
  });
  sandbox.ghl.control.addNote(twin.id, "called about the quote");
  // The policy file: no quiet hours, so a send in the test is never deferred by the time of day.
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
    GHL_LOCATIONS: JSON.stringify([{ locationId, token: pit, region: loc.country, timezone: loc.timezone }]),
    DATA_DIR: join(dir, "data"),
    GHL_BULKSMS_CONFIG: join(dir, "policy.json"),
  };
  // Something live for BulkSMS to test-POST to when a webhook is saved.
  hookServer = createServer((_req, res) => res.writeHead(200).end());
  await new Promise<void>((r) => hookServer.listen(0, "127.0.0.1", () => r()));
  hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await sandbox?.close();
  if (hookServer) await new Promise<void>((r) => hookServer.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[], extra: Record<string, string> = {}, input?: string) =>
  runCli(args, { env: { ...env, ...extra }, cwd: dir, ...(input !== undefined ? { input } : {}) });

describe("help and usage", () => {
  it("every command has --help with an example", async () => {
    const commands = [
      [],
      ["init"],
      ["config", "validate"],
      ["config", "print"],
      ["auth", "login"],
      ["auth", "status"],
      ["auth", "logout"],
      ["locations", "pending"],
      ["locations", "approve"],
      ["locations", "reject"],
      ["doctor"],
      ["reconcile"],
      ["dedupe"],
      ["send"],
      ["messages", "list"],
      ["messages", "show"],
      ["optouts", "list"],
      ["optouts", "add"],
      ["optouts", "remove"],
      ["optouts", "import"],
      ["optouts", "export"],
      ["optouts", "gateway-blocks"],
      ["optouts", "unblock"],
      ["dlq", "list"],
      ["dlq", "show"],
      ["dlq", "replay"],
      ["dlq", "purge"],
      ["runs", "list"],
      ["runs", "show"],
      ["webhooks", "register"],
      ["webhooks", "list"],
      ["digest", "preview"],
      ["campaign", "create"],
      ["campaign", "preview"],
      ["campaign", "schedule"],
      ["campaign", "send"],
      ["campaign", "status"],
      ["campaign", "list"],
      ["campaign", "pause"],
      ["campaign", "resume"],
      ["campaign", "cancel"],
      ["sandbox"],
      ["completion"],
    ];
    // four at a time: forty-odd CLI processes at once starve a 2-core machine past runCli's 20 s limit
    const results: Awaited<ReturnType<typeof runCli>>[] = [];
    for (let i = 0; i < commands.length; i += 4) {
      const batch = commands.slice(i, i + 4);
      results.push(...(await Promise.all(batch.map((c) => runCli([...c, "--help"])))));
    }
    results.forEach((r, i) => {
      expect(r.code, commands[i]?.join(" ")).toBe(0);
      expect(r.stdout, commands[i]?.join(" ")).toMatch(/Examples:\n {2}\$ ghl-bulksms/);
    });
  });

  it("a command group without its subcommand and an unknown command are usage errors (exit 2)", async () => {
    const g = await cli(["dlq"]);
    expect(g.code).toBe(2);
    expect(g.stderr).toContain("Usage: ghl-bulksms dlq");
    const u = await cli(["nosuch"]);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain("unknown command 'nosuch'");
  });

  it("an unknown option is a usage error (exit 2)", async () => {
    const r = await cli(["runs", "list", "--bogus"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--bogus'");
  });
});

describe("configuration", () => {
  it("config validate accepts the sandbox configuration and names a bad variable", async () => {
    const ok = await cli(["config", "validate", "--json"]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, mode: "sandbox", locations: 1 });
    const bad = await cli(["config", "validate"], {
      QUIET_HOURS: "25:00-08:00",
      GHL_WORKFLOW_WEBHOOK_SECRET: "short",
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("QUIET_HOURS must be HH:MM-HH:MM");
    expect(bad.stderr).toContain("GHL_WORKFLOW_WEBHOOK_SECRET must be at least 16");
  });

  it("config print masks every secret", async () => {
    const r = await cli(["config", "print", "--json"]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(pit);
    expect(r.stdout).not.toContain(env.BULKSMS_TOKEN_SECRET as string);
    expect(JSON.parse(r.stdout).ghl.locations[0].locationId).toBe(locationId);
    const t = await cli(["config", "print"]);
    expect(t.code).toBe(0);
    expect(t.stdout).not.toContain(pit);
    expect(t.stdout).toMatch(/mode:\s+sandbox/);
  });

  it("a broken policy file is named", async () => {
    writeFileSync(join(dir, "bad-policy.json"), JSON.stringify({ engine: { defaults: { sender: "" } } }));
    const r = await cli(["config", "validate"], { GHL_BULKSMS_CONFIG: join(dir, "bad-policy.json") });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("bad-policy.json");
    expect(r.stderr).toContain("sender");
    writeFileSync(
      join(dir, "bad-lifecycle.json"),
      JSON.stringify({ lifecycle: { defaults: { digest: { at: "25:00" } } } }),
    );
    const l = await cli(["config", "validate"], { GHL_BULKSMS_CONFIG: join(dir, "bad-lifecycle.json") });
    expect(l.code).toBe(1);
    expect(l.stderr).toContain("digest.at");
    const unknownKey = join(dir, "bad-key.json");
    writeFileSync(unknownKey, JSON.stringify({ engin: {} }));
    const k = await cli(["config", "validate", "--config", unknownKey]);
    expect(k.code).toBe(1);
    expect(k.stderr).toContain("bad-key.json");
    expect(k.stderr).toContain('"engin"');
  });

  it("missing configuration: no store yet, no BulkSMS credentials", async () => {
    const r = await cli(["runs", "list"], { DATA_DIR: join(dir, "nowhere") });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no store at");
    expect(r.stderr).toContain("hint:");
    const s = await cli(["webhooks", "list"], { BULKSMS_TOKEN_ID: "", BULKSMS_TOKEN_SECRET: "" });
    expect(s.code).toBe(1);
    expect(s.stderr).toContain("BulkSMS credentials are not configured");
    expect(s.stderr).toContain("BULKSMS_TOKEN_ID");
  });
});

describe("reconcile, runs, dedupe from the mirror, digest", () => {
  it("reconcile --full fills the mirror and prints a summary table", async () => {
    const r = await cli(["reconcile", "--full"]);
    expect(r.stderr).not.toContain("error");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/LOCATION\s+RUN\s+STATUS\s+SCANNED/);
    expect(r.stderr).not.toContain("\r"); // no progress bar when stderr is not a terminal
    expect(r.stdout).toContain(locationId);
    const j = await cli(["reconcile", "--dry-run", "--json"]);
    expect(j.code).toBe(0);
    const [res] = JSON.parse(j.stdout);
    expect(res).toMatchObject({ locationId, ok: true, dryRun: true });
  });

  it("runs list and runs show read the recorded runs", async () => {
    const l = await cli(["runs", "list", "--json"]);
    expect(l.code).toBe(0);
    const runs = JSON.parse(l.stdout) as Array<{ id: number; kind: string; counts: { scanned: number } }>;
    const full = runs.find((r) => r.kind === "full");
    expect(full?.counts.scanned).toBeGreaterThanOrEqual(12);
    const s = await cli(["runs", "show", String(full?.id)]);
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/kind:\s+full/);
    const missing = await cli(["runs", "show", "99999"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("run 99999 not found");
    const bad = await cli(["runs", "show", "abc"]);
    expect(bad.code).toBe(2);
  });

  it("dedupe over the mirror finds the seeded duplicates; --apply is opt-in per location", async () => {
    const r = await cli(["dedupe", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.stats.contacts).toBeGreaterThanOrEqual(12);
    for (const c of out.clusters) expect(c.ids.length).toBeGreaterThan(1);
    expect(out.clusters.length).toBeGreaterThan(0);
    const a = await cli(["dedupe", "--apply"]);
    expect(a.code).toBe(1);
    expect(a.stderr).toContain("merging is disabled");
  });

  it("dedupe --apply shows the plan, --apply --yes merges with an undo log, --undo restores", async () => {
    const policy = join(dir, "merge-policy.json");
    writeFileSync(
      policy,
      JSON.stringify({
        engine: { defaults: { quietHours: { enabled: false } } },
        lifecycle: { locations: { [locationId]: { merge: { enabled: true, mode: "delete" } } } },
      }),
    );
    const withMerge = { GHL_BULKSMS_CONFIG: policy };
    const list = await cli(["dedupe", "--json"], withMerge);
    const clusters = JSON.parse(list.stdout).clusters as Array<{ ids: string[]; survivor: string }>;
    const zed = sandbox.ghl.control
      .listContacts(locationId)
      .filter((c) => c.firstName === "Zed")
      .map((c) => c.id)
      .sort();
    expect(clusters.map((c) => c.ids)).toContainEqual(zed);

    const plan = await cli(["dedupe", "--apply"], withMerge);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain("nothing changed");
    expect(sandbox.ghl.control.listContacts(locationId).filter((c) => c.firstName === "Zed")).toHaveLength(2);

    const applied = await cli(["dedupe", "--apply", "--yes", "--json"], withMerge);
    expect(applied.stderr).toBe("");
    expect(applied.code).toBe(0);
    const results = JSON.parse(applied.stdout).results as Array<{
      ids: string[];
      survivor: string;
      applied: boolean;
      undoIds?: number[];
    }>;
    const mine = results.find((r) => r.ids.join() === zed.join());
    expect(mine?.applied).toBe(true);
    const merged = zed.find((id) => id !== mine?.survivor) as string;
    expect(sandbox.ghl.control.getContact(merged)).toBeUndefined();
    const undoId = mine?.undoIds?.[0];
    expect(typeof undoId).toBe("number");

    const undone = await cli(["dedupe", "--undo", String(undoId)], withMerge);
    expect(undone.code).toBe(0);
    expect(undone.stdout).toContain(`restored ${merged}`);
    expect(sandbox.ghl.control.listContacts(locationId).filter((c) => c.firstName === "Zed")).toHaveLength(2);
    const again = await cli(["dedupe", "--undo", String(undoId)], withMerge);
    expect(again.code).toBe(1);
  });

  it("digest preview builds the digest as JSON", async () => {
    const r = await cli(["digest", "preview", "--json"]);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.locationId).toBe(locationId);
    expect(typeof d.text).toBe("string");
    expect(d.parts).toBeGreaterThanOrEqual(1);
  });

  it("an unknown location is named with the known ones", async () => {
    const r = await cli(["reconcile", "--location", "nope"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown location "nope"');
    expect(r.stderr).toContain(locationId);
  });
});

describe("opt-outs and send", () => {
  const phone = "+447911123499";

  it("optouts add/list/export/remove through the engine; an invalid phone is a usage error", async () => {
    const bad = await cli(["optouts", "add", "12"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('invalid phone number "12"');
    const add = await cli(["optouts", "add", phone, "--reason", "asked by phone"]);
    expect(add.code).toBe(0);
    expect(add.stdout).toContain(`${phone} opted out`);
    const again = await cli(["optouts", "add", phone]);
    expect(again.stdout).toContain("already opted out");
    const list = await cli(["optouts", "list", "--json"]);
    expect(JSON.parse(list.stdout)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ phoneE164: phone, state: "opted_out", source: "operator" }),
      ]),
    );
    const csv = await cli(["optouts", "export"]);
    expect(csv.stdout.split("\n")[0]).toBe("phone,state,source,at,note");
    expect(csv.stdout).toContain(`${phone},opted_out,operator,`);
  });

  it("send is blocked by the gate for an opted-out number (exit 1), dry-run shows encoding, parts, cost", async () => {
    const blocked = await cli(["send", "--to", phone, "--body", "hello"]);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain("blocked it (opted_out");
    const dry = await cli([
      "send",
      "--to",
      "+447911123498",
      "--body",
      "Caf\u00e9 \u2615 open",
      "--dry-run",
      "--json",
    ]);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({
      encoding: "UCS-2",
      parts: 1,
      cost: 1,
      dryRun: true,
      gate: "allowed",
    });
    const usage = await cli(["send", "--to", phone]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("exactly one of --body or --template");
    const badTpl = await cli(["send", "--to", "+447911123498", "--template", "Hi {{firstName}", "--dry-run"]);
    expect(badTpl.code).toBe(2);
    expect(badTpl.stderr).toContain("template does not render");
  });

  it("send --to <contactId> renders a template with the contact's fields", async () => {
    const zed = sandbox.ghl.control.listContacts(locationId).find((c) => c.phone === "+447911123401");
    expect(zed).toBeDefined();
    const r = await cli([
      "send",
      "--to",
      zed?.id as string,
      "--template",
      'Hi {{firstName}}, your quote is ready. {{lastName | "x"}}',
      "--dry-run",
      "--json",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      to: "+447911123401",
      contactId: zed?.id,
      text: "Hi Zed, your quote is ready. Quinn",
      encoding: "GSM-7",
      parts: 1,
    });
    const unknown = await cli(["send", "--to", "noSuchContact", "--body", "x", "--dry-run"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('contact "noSuchContact" is not in the mirror');
    // a mirrored contact without a number to text: the reason, never the number itself
    // (the seeded mobiles are in Ofcom's drama range 07700 900xxx, which the numbering plan refuses)
    const drama = sandbox.ghl.control.listContacts(locationId).find((c) => c.phone?.startsWith("+447700900"));
    expect(drama).toBeDefined();
    const invalid = await cli(["send", "--to", drama?.id as string, "--body", "x", "--dry-run"]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain(
      `contact ${drama?.id} has no valid phone number: its phone number in GHL is not a valid number (invalid-number, region GB)`,
    );
    expect(invalid.stderr).toContain("correct the phone in GHL");
    expect(invalid.stderr).not.toContain("7700");
  });

  it("send delivers through BulkSMS once per key; messages list/show read it back", async () => {
    const to = "+447911123497";
    const r = await cli(["send", "--to", to, "--body", "Your order is ready", "--key", "order-1", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const sent = JSON.parse(r.stdout);
    expect(sent.created).toBe(true);
    expect(["ACCEPTED", "SENT", "DELIVERED"]).toContain(sent.status);
    const again = await cli([
      "send",
      "--to",
      to,
      "--body",
      "Your order is ready",
      "--key",
      "order-1",
      "--json",
    ]);
    expect(JSON.parse(again.stdout).created).toBe(false);
    const log = sandbox.bulksms.control.sentMessages().filter((m) => m.to === to.slice(1));
    expect(log).toHaveLength(1);
    const show = await cli(["messages", "show", sent.messageId]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain("Your order is ready");
    const missing = await cli(["messages", "show", "nope"]);
    expect(missing.code).toBe(1);
    const list = await cli(["messages", "list", "--json"]);
    const listed = JSON.parse(list.stdout) as {
      counts: Record<string, number>;
      messages: Array<{ id: string }>;
    };
    expect(listed.messages.map((m) => m.id)).toContain(sent.messageId);
    const table = await cli(["messages", "list", "--status", "failed,cancelled"]);
    expect(table.code).toBe(0);
    expect(table.stdout).not.toContain(sent.messageId);
    const badStatus = await cli(["messages", "list", "--status", "LOST"]);
    expect(badStatus.code).toBe(2);
  });

  it("optouts import reports bad rows with line numbers (exit 3); remove re-subscribes", async () => {
    writeFileSync(
      join(dir, "stops.csv"),
      "phone,state,note\n+447911123496,opted_out,imported\nnot-a-phone\n+447911123495\n",
    );
    const r = await cli(["optouts", "import", join(dir, "stops.csv")]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("stops.csv:3: invalid phone number");
    expect(r.stdout).toContain("imported 2 of 3 row(s)");
    const rm = await cli(["optouts", "remove", phone]);
    expect(rm.code).toBe(0);
    expect(rm.stdout).toContain("re-subscribed");
    const list = await cli(["optouts", "list", "--state", "opted_out", "--json"]);
    const phones = (JSON.parse(list.stdout) as Array<{ phoneE164: string; source: string }>).map(
      (o) => o.phoneE164,
    );
    expect(phones).toEqual(expect.arrayContaining(["+447911123496", "+447911123495"]));
    expect(phones).not.toContain(phone);
  });
});

describe("gateway blocks (BulkSMS still blocks a re-subscribed number)", () => {
  it("optouts gateway-blocks lists the engine's block, send is refused with a hint, unblock clears it", async () => {
    const phone = "+447911123488";
    const empty = await cli(["optouts", "gateway-blocks", "--json"]);
    expect(empty.stderr).toBe("");
    expect(empty.code).toBe(0);
    expect(JSON.parse(empty.stdout)).toEqual([]);
    expect((await cli(["optouts", "gateway-blocks"])).stdout).toContain("no gateway blocks");

    // What the engine records on a FAILED.BLOCKED after START (recordGatewayBlock): one settings row per
    // number under engine:gateway-blocked:<location>:<phone>. The CLI listing it proves the key matches.
    const store = openSqliteStore({
      path: join(env.DATA_DIR as string, "ghl-bulksms.db"),
      encryptionKey: SANDBOX_ENCRYPTION_KEY,
    });
    const since = Date.parse("2026-11-20T10:00:00Z");
    await store.settings.set(`engine:gateway-blocked:${locationId}:${phone}`, {
      phone,
      since,
      messageId: "msg-blocked-1",
      contacts: [],
    });
    await store.close();

    const list = await cli(["optouts", "gateway-blocks", "--json"]);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([{ phone, since, messageId: "msg-blocked-1", contacts: [] }]);
    const table = await cli(["optouts", "gateway-blocks", "--location", locationId]);
    expect(table.stdout).toContain(phone);
    expect(table.stdout).toContain("2026-11-20T10:00:00");

    const refused = await cli(["send", "--to", phone, "--body", "hello"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("blocked it (gateway_blocked");
    expect(refused.stderr).toContain("optouts unblock");

    const bad = await cli(["optouts", "unblock", "--location", locationId, "--phone", "12"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('invalid phone number "12"');
    const noPhone = await cli(["optouts", "unblock", "--location", locationId]);
    expect(noPhone.code).toBe(2);
    expect(noPhone.stderr).toContain("--phone");

    const help = await cli(["optouts", "unblock", "--help"]);
    expect(help.stdout.replace(/\s+/g, " ")).toContain("run this after BulkSMS support has lifted the block");

    const ok = await cli([
      "optouts",
      "unblock",
      "--location",
      locationId,
      "--phone",
      phone,
      "--reason",
      "BulkSMS ticket 4711",
      "--json",
    ]);
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ phone, locationId, cleared: true });
    expect(JSON.parse((await cli(["optouts", "gateway-blocks", "--json"])).stdout)).toEqual([]);

    const again = await cli(["optouts", "unblock", "--location", locationId, "--phone", phone]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`${phone} has no gateway block`);

    const dry = await cli(["send", "--to", phone, "--body", "hello", "--dry-run", "--json"]);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ gate: "allowed" });
  });
});

describe("campaign", () => {
  it("create, preview (exclusions, cost), send, status; refusals exit 1, bad input exits 2", async () => {
    const ctl = sandbox.ghl.control;
    ctl.createContact(locationId, { firstName: "Cam", phone: "07400 990001", tags: ["cli-campaign"] });
    ctl.createContact(locationId, { firstName: "Lan", phone: "020 7946 0999", tags: ["cli-campaign"] });
    const created = await cli([
      "campaign",
      "create",
      "--name",
      "CLI test",
      "--template",
      'Hi {{firstName | "there"}}!',
      "--tag",
      "cli-campaign",
      "--id",
      "cmp_cli",
      "--json",
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ id: "cmp_cli", status: "draft" });
    const preview = await cli(["campaign", "preview", "cmp_cli", "--json"]);
    expect(preview.code, preview.stderr).toBe(0);
    const p = JSON.parse(preview.stdout);
    expect(p).toMatchObject({ matched: 2, eligible: 1, excluded: { landline: { count: 1 } } });
    expect(p.samples[0].text).toBe("Hi Cam!");
    const text = await cli(["campaign", "preview", "cmp_cli"]);
    expect(text.stdout).toMatch(/would be texted:\s+1/);
    expect(text.stdout).toMatch(/landline\s+1/);
    const pauseDraft = await cli(["campaign", "pause", "cmp_cli"]);
    expect(pauseDraft.code).toBe(1);
    expect(pauseDraft.stderr).toMatch(/is draft; cannot pause it/);
    const badTime = await cli(["campaign", "schedule", "cmp_cli", "--local", "tomorrow"]);
    expect(badTime.code).toBe(2);
    const badTemplate = await cli(["campaign", "create", "--name", "x", "--template", "Hi {{", "--tag", "a"]);
    expect(badTemplate.code).toBe(2);
    const missing = await cli(["campaign", "status", "cmp_nosuch"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no campaign cmp_nosuch/);
    const sent = await cli(["campaign", "send", "cmp_cli", "--json"]);
    expect(sent.code, sent.stderr).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({ status: "scheduled" });
    const status = await cli(["campaign", "status", "cmp_cli", "--json"]);
    expect(JSON.parse(status.stdout)).toMatchObject({ campaign: { status: "scheduled" } });
    const cancelled = await cli(["campaign", "cancel", "cmp_cli"]);
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toMatch(/cancelled: cmp_cli/);
    const list = await cli(["campaign", "list", "--json"]);
    expect(JSON.parse(list.stdout).map((c: { id: string }) => c.id)).toContain("cmp_cli");
  });
});

describe("dead letters", () => {
  it("dlq list/show/replay/purge", async () => {
    const store = openSqliteStore({
      path: join(env.DATA_DIR as string, "ghl-bulksms.db"),
      encryptionKey: SANDBOX_ENCRYPTION_KEY,
    });
    const e = await store.jobs.enqueue({
      name: "ghl.note.create",
      payload: { n: 1 },
      key: "dlq-test-1",
      locationId,
    });
    if (!e.enqueued) throw new Error("not enqueued");
    await store.jobs.deadLetter(e.id, "HTTP 422: property foo should not exist");
    await store.close();
    const list = await cli(["dlq", "list"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain("ghl.note.create");
    expect(list.stdout).toContain("HTTP 422");
    const show = await cli(["dlq", "show", String(e.id), "--json"]);
    expect(JSON.parse(show.stdout)).toMatchObject({ id: e.id, state: "dead" });
    const replay = await cli(["dlq", "replay", String(e.id)]);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain("replayed 1 job(s)");
    const missing = await cli(["dlq", "replay", String(e.id)]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("not found");
    const all = await cli(["dlq", "purge", "--all"]);
    expect(all.code).toBe(2);
    expect(all.stderr).toContain("--yes");
    const purge = await cli(["dlq", "purge", "--all", "--yes", "--json"]);
    expect(purge.code).toBe(0);
    expect(JSON.parse(purge.stdout)).toEqual({ purged: 0 });
  });
});

describe("webhooks and doctor", () => {
  it("doctor reports missing webhooks with the fix (exit 1), then passes after webhooks register", async () => {
    const before = await cli(["doctor"], { PUBLIC_BASE_URL: hookUrl });
    expect(before.code).toBe(1);
    expect(before.stdout).toContain("BulkSMS SENT webhook");
    expect(before.stdout).toContain("  run: ghl-bulksms webhooks register\n");
    expect(before.stdout).toMatch(/clock skew\s+ok/);

    const noUrl = await cli(["webhooks", "register"]);
    expect(noUrl.code).toBe(1);
    expect(noUrl.stderr).toContain("PUBLIC_BASE_URL");
    const reg = await cli(["webhooks", "register", "--url", hookUrl]);
    expect(reg.stderr).toBe("");
    expect(reg.code).toBe(0);
    expect(reg.stdout).toMatch(/SENT\s+created/);
    expect(reg.stdout).toContain("/webhooks/ghl");
    const list = await cli(["webhooks", "list", "--json"]);
    const hooks = JSON.parse(list.stdout) as Array<{ url: string; triggerScope: string }>;
    expect(hooks.map((h) => h.triggerScope).sort()).toEqual(["RECEIVED", "SENT"]);
    for (const h of hooks) expect(h.url).toContain("****");

    // The dead letter was replayed above and is still queued, none are dead: doctor is clean.
    const after = await cli(["doctor", "--json"], { PUBLIC_BASE_URL: hookUrl });
    const report = JSON.parse(after.stdout) as {
      ok: boolean;
      checks: Array<{ name: string; status: string }>;
    };
    expect(report.checks.filter((c) => c.status === "problem")).toEqual([]);
    expect(after.code).toBe(0);
  });

  it("doctor names bad BulkSMS credentials", async () => {
    const r = await cli(["doctor"], { BULKSMS_TOKEN_SECRET: "wrong-secret" });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/BulkSMS credentials\s+problem/);
    expect(r.stdout).toContain("BULKSMS_TOKEN_SECRET");
  });
});

describe("auth", () => {
  const second = () => sandbox.ghl.locations[1];

  it("login --token verifies and stores a private integration token; status never shows it; logout", async () => {
    const loc = second();
    if (!loc) throw new Error("the sandbox should seed a second location");
    const bad = await cli(["auth", "login", "--location", loc.id, "--token", "pit-wrong"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("GHL rejected the token");
    const ok = await cli(
      ["auth", "login", "--location", loc.id, "--token", "-", "--region", "US"],
      {},
      `${loc.token}\n`,
    );
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("GHL accepted it");
    const status = await cli(["auth", "status", "--json"]);
    expect(status.stdout).not.toContain(loc.token);
    expect(JSON.parse(status.stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ locationId: loc.id, source: "stored-token" })]),
    );
    const out = await cli(["auth", "logout", "--location", loc.id]);
    expect(out.code).toBe(0);
    const none = await cli(["auth", "logout", "--location", loc.id]);
    expect(none.code).toBe(1);
    // The location stays registered without credentials. In sandbox mode the engine's client factory falls
    // back to the simulator token (as in the worker), which this simulator refuses: that run fails, the
    // other location's succeeds, exit 3. (In live mode a location without credentials is skipped.)
    const status2 = await cli(["auth", "status", "--json"]);
    expect(JSON.parse(status2.stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ locationId: loc.id, source: "sandbox" })]),
    );
    const all = await cli(["reconcile", "--all", "--json"]);
    expect(all.code).toBe(3);
    expect(all.stderr).toContain(`reconcile did not complete for ${loc.id}`);
    const byLoc = Object.fromEntries(
      (JSON.parse(all.stdout) as Array<{ locationId: string; ok: boolean }>).map((r) => [r.locationId, r.ok]),
    );
    expect(byLoc).toEqual({ [locationId]: true, [loc.id]: false });
    // Opt-out changes only queue GHL jobs: they work without credentials.
    const opt = await cli(["optouts", "add", "+15417543010", "--location", loc.id]);
    expect(opt.stderr).toBe("");
    expect(opt.code).toBe(0);
  });

  it("login runs the OAuth code flow with a callback on 127.0.0.1", async () => {
    const loc = second();
    if (!loc) throw new Error("the sandbox should seed a second location");
    const oauthEnv = {
      ...env,
      GHL_CLIENT_ID: sandbox.ghl.tokens.clientId,
      GHL_CLIENT_SECRET: sandbox.ghl.tokens.clientSecret,
    };
    const { spawn } = await import("node:child_process");
    const { BIN } = await import("./helpers.js");
    const child = spawn(process.execPath, [BIN, "auth", "login", "--port", "0", "--timeout", "20"], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...oauthEnv },
    });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((r) => child.on("close", (c) => r(c)));
    const url = await new Promise<URL>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no URL printed: ${stderr}`)), 15_000);
      child.stdout.on("data", (d) => {
        stdout += d;
        const m = /authorize URL: (\S+)/.exec(stdout);
        if (m?.[1]) {
          clearTimeout(t);
          resolve(new URL(m[1]));
        }
      });
    });
    expect(url.searchParams.get("client_id")).toBe(sandbox.ghl.tokens.clientId);
    const redirect = url.searchParams.get("redirect_uri") as string;
    expect(redirect).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);
    const code = sandbox.ghl.control.issueAuthorizationCode({ locationId: loc.id });
    const res = await fetch(
      `${redirect}?code=${encodeURIComponent(code)}&state=${url.searchParams.get("state")}`,
    );
    expect(res.status).toBe(200);
    expect(await exited).toBe(0);
    expect(stdout).toContain(`logged in location ${loc.id}`);
    const status = await runCli(["auth", "status", "--json"], { env: oauthEnv, cwd: dir });
    const row = (
      JSON.parse(status.stdout) as Array<{
        locationId: string;
        source: string;
        expiresAt: string | null;
        scopes: string[];
      }>
    ).find((r) => r.locationId === loc.id);
    expect(row?.source).toBe("oauth");
    expect(row?.expiresAt).toMatch(/^\d{4}-/);
    expect(row?.scopes.length).toBeGreaterThan(0);
    expect(status.stdout).not.toMatch(/accessToken|refreshToken/);
  });
});

describe("init and sandbox", () => {
  it("init --yes writes .env and the policy file, validated by the worker's schema", async () => {
    const d = mkdtempSync(join(tmpdir(), "cli-init-"));
    try {
      const bad = await runCli(["init", "--yes", "--region", "XX"], { cwd: d });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain("--region: must be an ISO 3166-1");
      // a missing required value is named by its flag with the schema's reason, before anything is written
      const live = await runCli(["init", "--yes", "--mode", "live", "--location", "loc123"], { cwd: d });
      expect(live.code).toBe(2);
      expect(live.stderr).toContain("--token is needed: GHL_LOCATIONS");
      const noSms = await runCli(
        ["init", "--yes", "--mode", "live", "--location", "loc123", "--token", "pit-1"],
        { cwd: d },
      );
      expect(noSms.code).toBe(2);
      expect(noSms.stderr).toContain(
        "--bulksms-token-id is needed: BULKSMS_TOKEN_ID is required in live mode",
      );
      expect(existsSync(join(d, ".env"))).toBe(false);
      const r = await runCli(
        [
          "init",
          "--yes",
          "--location",
          "loc123",
          "--token",
          "pit-abc",
          "--region",
          "GB",
          "--timezone",
          "Europe/London",
        ],
        { cwd: d },
      );
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const text = readFileSync(join(d, ".env"), "utf8");
      expect(text).toMatch(/^GHL_BULKSMS_ENCRYPTION_KEY=\S{44}$/m);
      expect(text).toContain("GHL_BULKSMS_MODE=sandbox");
      const v = await runCli(["config", "validate", "--json"], { cwd: d });
      expect(v.code).toBe(0);
      expect(JSON.parse(v.stdout)).toMatchObject({ ok: true, locations: 1 });
      const status = await runCli(["auth", "status", "--json"], { cwd: d });
      expect(JSON.parse(status.stdout)).toEqual([
        expect.objectContaining({ locationId: "loc123", source: "env-token" }),
      ]);
      const again = await runCli(["init", "--yes"], { cwd: d });
      expect(again.code).toBe(1);
      expect(again.stderr).toContain("already exists");
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it("sandbox runs the simulators until interrupted", async () => {
    const { spawn } = await import("node:child_process");
    const { BIN } = await import("./helpers.js");
    const child = spawn(
      process.execPath,
      [BIN, "sandbox", "--ghl-port", "0", "--bulksms-port", "0", "--seed-contacts", "2", "--json"],
      {
        env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" },
      },
    );
    const exited = new Promise<number | null>((r) => child.on("close", (c) => r(c)));
    const info = await new Promise<{
      ghl: string;
      bulksms: string;
      locations: Array<{ locationId: string; token: string }>;
    }>((resolve, reject) => {
      let out = "";
      const t = setTimeout(() => reject(new Error("sandbox did not start")), 15_000);
      child.stdout.on("data", (d) => {
        out += d;
        if (out.includes("\n")) {
          clearTimeout(t);
          resolve(JSON.parse(out.split("\n")[0] as string));
        }
      });
    });
    const loc = info.locations[0];
    const res = await fetch(`${info.ghl}/contacts/search`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${loc?.token}`,
        version: "2021-07-28",
        "content-type": "application/json",
      },
      body: JSON.stringify({ locationId: loc?.locationId, pageLimit: 10 }),
    });
    expect(res.status).toBe(200);
    child.kill("SIGINT");
    expect(await exited).toBe(0);

    // Without --json the output is a .env file that the CLI itself can read.
    const envChild = spawn(
      process.execPath,
      [BIN, "sandbox", "--ghl-port", "0", "--bulksms-port", "0", "--seed-contacts", "1"],
      {
        env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" },
      },
    );
    const envExited = new Promise<number | null>((r) => envChild.on("close", (c) => r(c)));
    const text = await new Promise<string>((resolve, reject) => {
      let out = "";
      const t = setTimeout(() => reject(new Error("sandbox did not print its env")), 15_000);
      envChild.stdout.on("data", (d) => {
        out += d;
        if (out.includes("GHL_CLIENT_SECRET")) {
          clearTimeout(t);
          resolve(out);
        }
      });
    });
    // the simulator's webhook signing key, so a worker started from this file verifies its GHL webhooks
    expect(text).toMatch(
      /^GHL_WEBHOOK_PUBLIC_KEY=-----BEGIN PUBLIC KEY-----\\n\S+\\n-----END PUBLIC KEY-----$/m,
    );
    const envFile = join(dir, "sandbox.env");
    writeFileSync(envFile, text);
    const v = await runCli(["--env-file", envFile, "config", "validate", "--json"], { cwd: dir });
    envChild.kill("SIGINT");
    expect(await envExited).toBe(0);
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout).locations).toBeGreaterThanOrEqual(1);
  });
});
