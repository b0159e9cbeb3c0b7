// The default location: GHL_DEFAULT_LOCATION, else the policy file's "defaultLocation", used by every
// command that takes --location; --location still overrides it.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Sandbox, startSandbox } from "@ghl-bulksms/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, runCli } from "./helpers.js";

let sandbox: Sandbox;
let dir: string;
let env: Record<string, string>;
let first: string;
let second: string;

beforeAll(async () => {
  ensureBuilt();
  sandbox = await startSandbox({ seedContacts: 2, ghl: { port: 0 }, bulksms: { port: 0 } });
  dir = mkdtempSync(join(tmpdir(), "cli-default-location-"));
  const [a, b] = sandbox.ghl.locations;
  if (!a || !b) throw new Error("the sandbox should have two locations");
  first = a.id;
  second = b.id;
  env = {
    GHL_API_BASE_URL: sandbox.ghl.url,
    BULKSMS_API_BASE_URL: sandbox.bulksms.url,
    GHL_LOCATIONS: JSON.stringify(
      [a, b].map((l) => ({ locationId: l.id, token: l.token, region: l.country, timezone: l.timezone })),
    ),
    DATA_DIR: join(dir, "data"),
  };
  const store = await runCli(["init", "--store-only"], { env, cwd: dir });
  if (store.code !== 0) throw new Error(`init --store-only failed: ${store.stderr}`);
});

afterAll(async () => {
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

const digestLocation = async (args: string[], extra: Record<string, string> = {}) => {
  const r = await runCli(["digest", "preview", "--json", ...args], { env: { ...env, ...extra }, cwd: dir });
  return {
    ...r,
    locationId: r.code === 0 ? (JSON.parse(r.stdout) as { locationId: string }).locationId : null,
  };
};

describe("default location", () => {
  it("without one, two locations are a usage error that says how to set a default", async () => {
    const r = await digestLocation([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no default location is set");
    expect(r.stderr).toContain("GHL_DEFAULT_LOCATION");
  });

  it("GHL_DEFAULT_LOCATION picks one; --location overrides it", async () => {
    expect((await digestLocation([], { GHL_DEFAULT_LOCATION: second })).locationId).toBe(second);
    expect((await digestLocation(["--location", first], { GHL_DEFAULT_LOCATION: second })).locationId).toBe(
      first,
    );
  });

  it("the policy file's defaultLocation applies when the variable is unset; the variable wins", async () => {
    const policy = join(dir, "policy.json");
    writeFileSync(policy, JSON.stringify({ defaultLocation: first }));
    expect((await digestLocation([], { GHL_BULKSMS_CONFIG: policy })).locationId).toBe(first);
    expect(
      (await digestLocation([], { GHL_BULKSMS_CONFIG: policy, GHL_DEFAULT_LOCATION: second })).locationId,
    ).toBe(second);
  });

  it("an unknown default is named with the known locations", async () => {
    const r = await digestLocation([], { GHL_DEFAULT_LOCATION: "nope" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the default location "nope"');
    expect(r.stderr).toContain(first);
  });
});
