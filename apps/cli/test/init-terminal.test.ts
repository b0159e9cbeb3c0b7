// `ghl-bulksms init` in a real pseudo-terminal (tmux): typed answers are echoed, each prompt has its own
// line, an empty required answer is refused at once with the schema's message, a bad answer is asked again,
// and the .env written is one the worker's own configuration loading accepts.
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { loadEnvFile, loadWorkerConfig } from "@ghl-bulksms/config";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { BIN, ensureBuilt } from "./helpers.js";
import { startTerminal, type Terminal } from "./support/tty.js";

beforeAll(() => ensureBuilt());

const open: Terminal[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const t of open.splice(0)) t.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function init(args: string[] = []): Promise<{ term: Terminal; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), "cli-init-tty-"));
  dirs.push(dir);
  const term = await startTerminal({
    command: [process.execPath, BIN, "init", ...args],
    cwd: dir,
    env: { NO_COLOR: "1" },
    columns: 120,
    rows: 40,
  });
  open.push(term);
  return { term, dir };
}

/**
 * Answers the prompt showing `message` with `text` (typed, then Enter). It types once the screen has been
 * still for 200 ms: keys that arrive while the previous prompt hands over to this one can be read by the
 * previous one and dropped (seen under load, where the hand-over takes longer than drawing the title).
 */
async function answer(term: Terminal, message: string | RegExp, text: string): Promise<void> {
  await term.waitFor(message);
  let last = term.screen();
  for (let still = 0, waited = 0; still < 200 && waited < 3_000; waited += 50) {
    await new Promise((r) => setTimeout(r, 50));
    const now = term.screen();
    still = now === last ? still + 50 : 0;
    last = now;
  }
  if (text) term.type(text);
  term.press("Enter");
}

describe("init in a terminal", () => {
  it("echoes answers on their own lines, refuses an empty required answer at once, writes a .env the worker accepts", async () => {
    const { term, dir } = await init();
    await term.waitFor("Mode");
    term.press("Down", "Enter"); // live
    // An empty location in live mode: refused on the spot with the schema's message; the prompt stays.
    await answer(term, "GHL location id", "");
    const refused = await term.waitFor("is required in live mode");
    expect(refused).toContain("GHL_LOCATIONS");
    expect(refused).not.toContain("token of the location"); // the next question was not asked
    term.type("abc123");
    term.press("Enter");
    await answer(term, "private integration token", "pit-secret-0001");
    // A bad region: asked again with the reason, the typed text kept for correction.
    await answer(term, "Phone region", "XX");
    await term.waitFor("must be an ISO 3166-1 alpha-2 phone region");
    term.press("BSpace", "BSpace");
    term.type("gb");
    term.press("Enter");
    await answer(term, "Timezone", "Europe/London");
    await answer(term, "Allowed sending window", ""); // the default, 08:00-21:00
    await answer(term, "BulkSMS API token id", "");
    await term.waitFor("BULKSMS_TOKEN_ID is required in live mode");
    term.type("tok-id-1");
    term.press("Enter");
    await answer(term, "BulkSMS API token secret", "tok-secret-0001");
    await answer(term, "public https address", "https://sync.example.com");
    await answer(term, "Data folder", "");
    await answer(term, "Welcome SMS", "Hi {{firstName}}");
    expect(await term.waitForExit()).toBe(0);

    const screen = term.transcript();
    const lines = screen.split("\n");
    const lineOf = (text: string) => lines.findIndex((l) => l.includes(text));
    // every answer is echoed, on a line of its own below its prompt
    for (const [prompt, echoed] of [
      ["GHL location id", "abc123"],
      ["Phone region", "gb"],
      ["Timezone (IANA)", "Europe/London"],
      ["public https address", "https://sync.example.com"],
      ["Welcome SMS", "Hi {{firstName}}"],
    ] as const) {
      const p = lineOf(prompt);
      expect(p, prompt).toBeGreaterThanOrEqual(0);
      const e = lines.findIndex((l, i) => i > p && l.includes(echoed));
      expect(e, `${echoed} echoed below ${prompt}`).toBeGreaterThan(p);
    }
    // no two prompts run together on one line
    const prompts = [
      "Mode",
      "GHL location id",
      "Phone region",
      "Timezone",
      "BulkSMS API token id",
      "Data folder",
    ];
    for (const l of lines) expect(prompts.filter((p) => l.includes(p)).length, l).toBeLessThanOrEqual(1);
    // secrets are masked, never shown
    expect(screen).not.toContain("pit-secret-0001");
    expect(screen).not.toContain("tok-secret-0001");
    expect(screen).toContain("configuration written");

    const envPath = join(dir, ".env");
    expect(statSync(envPath).mode & 0o777).toBe(0o600);
    const written = parseEnv(readFileSync(envPath, "utf8"));
    expect(written).toMatchObject({
      GHL_BULKSMS_MODE: "live",
      GHL_DEFAULT_LOCATION: "abc123",
      BULKSMS_TOKEN_ID: "tok-id-1",
      PUBLIC_BASE_URL: "https://sync.example.com",
      QUIET_HOURS: "08:00-21:00",
      WELCOME_TEMPLATE: "Hi {{firstName}}",
    });
    expect(JSON.parse(written.GHL_LOCATIONS as string)).toEqual([
      {
        locationId: "abc123",
        token: "pit-secret-0001",
        region: "GB",
        timezone: "Europe/London",
        quietHours: "08:00-21:00",
      },
    ]);
    // the worker's own configuration loading (what apps/worker/src/main.ts runs) accepts it
    const { env } = loadEnvFile({ path: envPath, env: {} });
    const config = loadWorkerConfig(env);
    expect(config.mode).toBe("live");
    expect(config.ghl.defaultLocation).toBe("abc123");
    // and init created the store
    expect(statSync(join(dir, "data", "ghl-bulksms.db")).isFile()).toBe(true);
  }, 90_000);

  it("Ctrl-C cancels and writes nothing", async () => {
    const { term, dir } = await init();
    await term.waitFor("Mode");
    term.press("Enter"); // sandbox
    await term.waitFor("GHL simulator address");
    term.press("C-c");
    expect(await term.waitForExit()).toBe(1);
    expect(term.transcript()).toContain("init cancelled: nothing was written");
    expect(() => statSync(join(dir, ".env"))).toThrow();
  }, 60_000);
});
