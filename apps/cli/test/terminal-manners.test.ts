// Terminal output and safety rails: tables fitted to the terminal, names in dedupe, plans for people,
// asking before destroying, a setting that overrides a flag said aloud, shell completion.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Sandbox, startSandbox } from "@ghl-bulksms/sandbox";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { stripAnsi, visibleWidth } from "../src/cli/text-width.js";
import { BIN, ensureBuilt, runCli } from "./helpers.js";
import { startTerminal, type Terminal } from "./support/tty.js";

let sandbox: Sandbox;
let dir: string;
let env: Record<string, string>;
let locationId: string;
let pit: string;
const zedIds: string[] = [];

beforeAll(async () => {
  ensureBuilt();
  sandbox = await startSandbox({ seedContacts: 6, ghl: { port: 0 }, bulksms: { port: 0 } });
  dir = mkdtempSync(join(tmpdir(), "cli-manners-"));
  const loc = sandbox.ghl.locations[0];
  if (!loc) throw new Error("no sandbox location");
  locationId = loc.id;
  pit = loc.token;
  sandbox.ghl.control.setLocationSettings(loc.id, { allowDuplicates: true });
  for (const email of ["zed.quinn@example.com", "ZED.QUINN@example.com"])
    zedIds.push(
      sandbox.ghl.control.createContact(loc.id, {
        firstName: "Zed",
        lastName: "Quinn",
        email,
        phone: "+447911123401",
      }).id,
    );
  const cred = sandbox.bulksms.credentials[0];
  env = {
    GHL_API_BASE_URL: sandbox.ghl.url,
    BULKSMS_API_BASE_URL: sandbox.bulksms.url,
    BULKSMS_TOKEN_ID: cred?.tokenId ?? "",
    BULKSMS_TOKEN_SECRET: cred?.tokenSecret ?? "",
    GHL_LOCATIONS: JSON.stringify([{ locationId, region: loc.country, timezone: loc.timezone }]),
    DATA_DIR: join(dir, "data"),
  };
  const init = await runCli(["init", "--store-only"], { env, cwd: dir });
  if (init.code !== 0) throw new Error(init.stderr);
  // the location's token stored by `auth login` (so `auth logout` has something to delete)
  const login = await runCli(["auth", "login", "--location", locationId, "--token", pit], { env, cwd: dir });
  if (login.code !== 0) throw new Error(login.stderr);
});

afterAll(async () => {
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

const open: Terminal[] = [];
afterEach(() => {
  for (const t of open.splice(0)) t.close();
});

const cli = (args: string[], extra: Record<string, string> = {}) =>
  runCli(args, { env: { ...env, ...extra }, cwd: dir, timeoutMs: 60_000 });

async function terminal(args: string[], columns = 100): Promise<Terminal> {
  const t = await startTerminal({
    command: [process.execPath, BIN, ...args],
    cwd: dir,
    env,
    columns,
    rows: 50,
  });
  open.push(t);
  return t;
}

describe("plans for people", () => {
  it("reconcile --dry-run --plan names each contact and says what would change; --json gives the data", async () => {
    const r = await cli(["reconcile", "--full", "--dry-run", "--plan"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^plan: \d+ contact\(s\) would change$/m);
    expect(r.stdout).toMatch(/Zed Quinn \(/);
    expect(r.stdout).toMatch(/^ {2}- (GHL|local profile): /m);
    expect(r.stdout).not.toContain('{"op":'); // no raw JSON
    const j = await cli(["reconcile", "--full", "--dry-run", "--plan", "--json"]);
    const [res] = JSON.parse(j.stdout) as Array<{
      plan: Array<{ contactId: string; operations: unknown[] }>;
    }>;
    expect(res?.plan.map((p) => p.contactId)).toEqual(expect.arrayContaining(zedIds));
  });
});

describe("progress on a terminal", () => {
  it("reconcile and doctor draw progress on a terminal and clear it; piped output has none", async () => {
    const t = await terminal(["reconcile", "--full"]);
    expect(await t.waitForExit(60_000)).toBe(0);
    const raw = t.raw();
    expect(raw).toContain(`reconcile ${locationId} (full)`);
    expect(raw).toContain("\r\u001b[2K"); // drawn in place, then cleared
    expect(t.transcript()).toMatch(/LOCATION\s+RUN\s+STATUS/);
    const d = await terminal(["doctor"]);
    await d.waitForExit(60_000);
    expect(d.raw()).toContain("\r\u001b[2Kchecking 1");
    const piped = await cli(["reconcile"]);
    expect(piped.stderr).not.toContain("\r");
  }, 120_000);
});

describe("tables and names", () => {
  it("dedupe shows names with the ids; COLUMNS fits the table, cutting with an ellipsis", async () => {
    const wide = await cli(["dedupe"]);
    expect(wide.code, wide.stderr).toBe(0);
    const survivorOrDup = zedIds.map((id) => `Zed Quinn (${id})`);
    for (const s of survivorOrDup) expect(wide.stdout).toContain(s);
    const narrow = await cli(["dedupe"], { COLUMNS: "70" });
    const table = narrow.stdout.split("\n").filter((l) => l.length > 0 && !/contacts, \d+ clusters/.test(l));
    for (const l of table) expect(visibleWidth(l), l).toBeLessThanOrEqual(70);
    expect(narrow.stdout).toContain("…");
    const json = JSON.parse((await cli(["dedupe", "--json"])).stdout) as {
      clusters: Array<{ names: Record<string, string> }>;
    };
    expect(json.clusters.some((c) => Object.values(c.names).includes("Zed Quinn"))).toBe(true);
  });

  it("doctor on a colour terminal: the table fits the width and its columns line up", async () => {
    const t = await terminal(["doctor"], 90);
    await t.waitForExit(60_000);
    const lines = t.transcript().split("\n");
    const header = lines.findIndex((l) => /^CHECK\s+STATUS\s+DETAIL/.test(l));
    expect(header, t.transcript()).toBeGreaterThanOrEqual(0);
    const detailAt = (lines[header] as string).indexOf("DETAIL");
    const statusAt = (lines[header] as string).indexOf("STATUS");
    for (const l of lines.slice(header + 2)) {
      if (l.trim() === "") break;
      expect(l.length, l).toBeLessThanOrEqual(90);
      expect(l.slice(statusAt), l).toMatch(/^(ok|problem|warn|skipped)\s/);
      expect(l[detailAt - 1], l).toBe(" ");
      expect(l[detailAt], l).not.toBe(" ");
    }
  }, 90_000);
});

describe("a setting that overrides a flag is said", () => {
  it("dedupe --apply --mode delete under a never-delete location says the policy wins", async () => {
    const policy = join(dir, "tag-only.json");
    writeFileSync(
      policy,
      JSON.stringify({
        lifecycle: { locations: { [locationId]: { merge: { enabled: true, mode: "tag-only" } } } },
      }),
    );
    const r = await cli(["dedupe", "--apply", "--mode", "delete"], { GHL_BULKSMS_CONFIG: policy });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("note: --mode delete is overridden by the policy");
    expect(r.stderr).toContain('merge mode "tag-only"');
    expect(r.stdout).toContain("tag as duplicate:");
    expect(r.stdout).toMatch(/plan: keep Zed Quinn \(/);
    const j = await cli(["dedupe", "--apply", "--mode", "delete", "--json"], { GHL_BULKSMS_CONFIG: policy });
    expect(JSON.parse(j.stdout)).toMatchObject({ requestedMode: "delete", modeOverridden: true });
    // asked for what the policy allows: no note
    const same = await cli(["dedupe", "--apply", "--mode", "tag-only"], { GHL_BULKSMS_CONFIG: policy });
    expect(same.stderr).not.toContain("overridden");
  });
});

describe("asking before destroying", () => {
  const stored = async () =>
    (JSON.parse((await cli(["auth", "status", "--json"])).stdout) as Array<{ source: string }>).filter(
      (r) => r.source === "stored-token",
    ).length;

  it("auth logout --all: refused without a terminal or --yes; asks on a terminal; --yes deletes", async () => {
    expect(await stored()).toBe(1);
    const piped = await cli(["auth", "logout", "--all"]);
    expect(piped.code).toBe(2);
    expect(piped.stderr).toContain("refusing without --yes");
    expect(piped.stderr).toContain(locationId);
    expect(await stored()).toBe(1);

    const no = await terminal(["auth", "logout", "--all"]);
    await no.waitFor("Continue?");
    no.press("Enter"); // the default is no
    expect(await no.waitForExit()).toBe(1);
    expect(no.transcript()).toContain("cancelled: nothing was deleted");
    expect(await stored()).toBe(1);

    const yes = await terminal(["auth", "logout", "--all"]);
    await yes.waitFor("Continue?");
    yes.press("Left", "Enter"); // Yes
    expect(await yes.waitForExit()).toBe(0);
    expect(yes.transcript()).toContain(`deleted the stored tokens of ${locationId}`);
    expect(await stored()).toBe(0);

    const again = await cli(["auth", "login", "--location", locationId, "--token", pit]);
    expect(again.code).toBe(0);
    const scripted = await cli(["auth", "logout", "--all", "--yes"]);
    expect(scripted.code).toBe(0);
    expect(await stored()).toBe(0);
  }, 90_000);
});

describe("shell completion", () => {
  it("the bash script loads in bash and completes commands, subcommands and options", async () => {
    const r = await cli(["completion", "bash"]);
    expect(r.code).toBe(0);
    const script = join(dir, "completion.bash");
    writeFileSync(script, r.stdout);
    const complete = (words: string[]) =>
      execFileSync(
        "bash",
        [
          "-c",
          `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _ghl_bulksms; printf '%s\\n' "\${COMPREPLY[@]}"`,
          "bash",
          script,
          ...words,
        ],
        { encoding: "utf8" },
      )
        .trim()
        .split("\n");
    expect(complete(["ghl-bulksms", "rec"])).toEqual(["reconcile"]);
    expect(complete(["ghl-bulksms", "dlq", "re"])).toEqual(["replay"]);
    expect(complete(["ghl-bulksms", "--env-file", "x.env", "auth", "log"])).toEqual(["login", "logout"]);
    expect(complete(["ghl-bulksms", "reconcile", "--location", "abc", "--fu"])).toEqual(["--full"]);
    expect(complete(["ghl-bulksms", "completion", ""])).toEqual(
      expect.arrayContaining(["bash", "zsh", "fish"]),
    );
    // the script registers itself for the command
    const registered = execFileSync("bash", ["-c", `source "$1"; complete -p ghl-bulksms`, "bash", script], {
      encoding: "utf8",
    });
    expect(registered).toContain("-F _ghl_bulksms ghl-bulksms");
  });

  it("zsh and fish scripts are generated from the same command tree; an unknown shell is a usage error", async () => {
    const zsh = await cli(["completion", "zsh"]);
    expect(zsh.stdout).toContain("bashcompinit");
    expect(zsh.stdout).toContain("complete -F _ghl_bulksms ghl-bulksms");
    const fish = await cli(["completion", "fish"]);
    expect(fish.stdout).toContain("complete -c ghl-bulksms -n '__fish_use_subcommand' -a reconcile");
    expect(fish.stdout).toContain("__fish_seen_subcommand_from reconcile' -l full");
    expect(fish.stdout).toContain(
      "__fish_seen_subcommand_from dlq; and __fish_seen_subcommand_from purge' -l yes",
    );
    const bad = await cli(["completion", "tcsh"]);
    expect(bad.code).toBe(2);
    expect(stripAnsi(bad.stderr)).toContain('unknown shell "tcsh"');
  });
});
