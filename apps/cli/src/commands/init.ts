// init: writes .env (the worker's variables) and the policy file, checking every answer on the spot.
// Interactive on a terminal (prompts with defaults); `--yes` or a non-terminal stdin takes flags + defaults.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Command } from "commander";
import { withExamples } from "../cli/command.js";
import { CliError, usageError } from "../cli/errors.js";
import type { Io } from "../cli/io.js";
import { isKnownRegion } from "../cli/region.js";
import { openStore } from "../cli/runtime.js";
import { DEFAULT_CONFIG_FILE, DEFAULT_ENV_FILE } from "../cli/settings.js";

interface InitOpts {
  yes?: boolean;
  force?: boolean;
  mode?: string;
  location?: string;
  token?: string;
  region?: string;
  timezone?: string;
  quietHours?: string;
  bulksmsTokenId?: string;
  bulksmsTokenSecret?: string;
  publicUrl?: string;
  dataDir?: string;
  ghlApiBaseUrl?: string;
  bulksmsApiBaseUrl?: string;
  welcome?: string;
}

type Check = (v: string) => string | null | Promise<string | null>;

const checks: Record<string, Check> = {
  mode: (v) => (v === "sandbox" || v === "live" ? null : 'must be "sandbox" or "live"'),
  region: async (v) =>
    (await isKnownRegion(v)) ? null : "must be an ISO 3166-1 alpha-2 phone region such as GB, US, ZA",
  timezone: (v) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: v });
      return null;
    } catch {
      return "must be an IANA timezone such as Europe/London";
    }
  },
  quietHours: (v) =>
    /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/.test(v)
      ? null
      : "must be HH:MM-HH:MM (the allowed sending window)",
  url: (v) => {
    if (v === "") return null;
    try {
      const u = new URL(v);
      return u.protocol === "http:" || u.protocol === "https:" ? null : "must be an http(s) URL";
    } catch {
      return "must be a URL such as https://sync.example.com";
    }
  },
  location: (v) =>
    v === "" || /^[A-Za-z0-9_-]{3,64}$/.test(v) ? null : "must be a GHL location id (letters and digits)",
  any: () => null,
};

function secret(): string {
  return randomBytes(24).toString("base64url");
}

export function registerInit(program: Command, io: Io): void {
  const cmd = program
    .command("init")
    .description(
      "Set up: write .env (worker variables, generated keys) and the policy file; prompts on a terminal",
    )
    .option("--yes", "no prompts: take the flags and the defaults (for scripts)")
    .option("--force", "overwrite existing files")
    .option("--mode <mode>", "sandbox | live")
    .option("--location <id>", "GHL location id")
    .option("--token <pit>", "GHL private integration token of the location")
    .option("--region <CC>", "phone region for national numbers, e.g. GB")
    .option("--timezone <tz>", "the location's IANA timezone")
    .option("--quiet-hours <HH:MM-HH:MM>", "allowed sending window, local time")
    .option("--bulksms-token-id <id>", "BulkSMS API token id")
    .option("--bulksms-token-secret <secret>", "BulkSMS API token secret")
    .option("--public-url <url>", "the worker's public https address (live mode)")
    .option("--data-dir <dir>", "store folder")
    .option("--ghl-api-base-url <url>", "GHL API base (sandbox or proxy)")
    .option("--bulksms-api-base-url <url>", "BulkSMS API base (sandbox or proxy)")
    .option("--welcome <template>", 'welcome SMS template for new contacts ("" = none)')
    .action(async (opts: InitOpts, command: Command) => {
      const globals = command.optsWithGlobals() as { envFile?: string; config?: string };
      const envPath = resolve(globals.envFile ?? DEFAULT_ENV_FILE);
      const configPath = resolve(globals.config ?? DEFAULT_CONFIG_FILE);
      for (const p of [envPath, configPath])
        if (existsSync(p) && !opts.force)
          throw new CliError(`${p} already exists`, {
            hint: "pass --force to overwrite it (a backup is your job)",
          });
      // Prompts on a terminal; GHL_BULKSMS_PROMPTS=1 also prompts on piped stdin (scripted answers, tests).
      const interactive = !opts.yes && (io.stdinIsTty || process.env.GHL_BULKSMS_PROMPTS === "1");
      const rl = interactive ? createInterface({ input: process.stdin, terminal: io.stdinIsTty }) : null;
      // An iterator buffers lines, so answers piped in at once are not lost between questions.
      const lines = rl ? rl[Symbol.asyncIterator]() : null;
      const ask = async (
        label: string,
        flag: string | undefined,
        fallback: string,
        check: Check,
        flagName: string,
      ): Promise<string> => {
        if (flag !== undefined) {
          const problem = await check(flag);
          if (problem) throw usageError(`${flagName} ${problem} (got ${JSON.stringify(flag)})`);
          return flag;
        }
        if (!lines) return fallback;
        for (;;) {
          process.stderr.write(`${label}${fallback ? ` [${fallback}]` : ""}: `);
          const next = await lines.next();
          if (next.done)
            throw new CliError("input ended before every question was answered", {
              hint: "answer every prompt, or use --yes with flags",
            });
          const answer = String(next.value).trim() || fallback;
          const problem = await check(answer);
          if (!problem) return answer;
          io.err(`  ${problem}`);
        }
      };
      try {
        const localTz = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
        const mode = await ask(
          "Mode (sandbox = local simulators, live = real vendors)",
          opts.mode,
          "sandbox",
          checks.mode as Check,
          "--mode",
        );
        const location = await ask(
          "GHL location id (empty: add later with `auth login`)",
          opts.location,
          "",
          checks.location as Check,
          "--location",
        );
        const token = location
          ? await ask(
              "GHL private integration token (empty: OAuth app or later)",
              opts.token,
              "",
              checks.any as Check,
              "--token",
            )
          : "";
        const region = (
          await ask(
            "Phone region for national numbers",
            opts.region,
            "US",
            checks.region as Check,
            "--region",
          )
        ).toUpperCase();
        const timezone = await ask(
          "Timezone",
          opts.timezone,
          localTz,
          checks.timezone as Check,
          "--timezone",
        );
        const quietHours = await ask(
          "Allowed sending window (local time)",
          opts.quietHours,
          "08:00-21:00",
          checks.quietHours as Check,
          "--quiet-hours",
        );
        const tokenId = await ask(
          "BulkSMS API token id",
          opts.bulksmsTokenId,
          "",
          checks.any as Check,
          "--bulksms-token-id",
        );
        const tokenSecret = tokenId
          ? await ask(
              "BulkSMS API token secret",
              opts.bulksmsTokenSecret,
              "",
              checks.any as Check,
              "--bulksms-token-secret",
            )
          : (opts.bulksmsTokenSecret ?? "");
        const publicUrl = await ask(
          "Public https address of the worker (live mode)",
          opts.publicUrl,
          "",
          checks.url as Check,
          "--public-url",
        );
        const dataDir = await ask("Data folder", opts.dataDir, "./data", checks.any as Check, "--data-dir");
        const ghlBase = await ask(
          "GHL API base URL (empty = the real one)",
          opts.ghlApiBaseUrl,
          "",
          checks.url as Check,
          "--ghl-api-base-url",
        );
        const smsBase = await ask(
          "BulkSMS API base URL (empty = the real one)",
          opts.bulksmsApiBaseUrl,
          "",
          checks.url as Check,
          "--bulksms-api-base-url",
        );
        const welcome = await ask(
          "Welcome SMS for new contacts (empty = none)",
          opts.welcome,
          "",
          checks.any as Check,
          "--welcome",
        );

        const env: Record<string, string> = {
          GHL_BULKSMS_MODE: mode,
          DATA_DIR: dataDir,
          GHL_BULKSMS_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
          PUBLIC_BASE_URL: publicUrl,
          GHL_LOCATIONS: location
            ? JSON.stringify([
                { locationId: location, ...(token ? { token } : {}), region, timezone, quietHours },
              ])
            : "",
          GHL_WORKFLOW_WEBHOOK_SECRET: secret(),
          GHL_API_BASE_URL: ghlBase,
          BULKSMS_TOKEN_ID: tokenId,
          BULKSMS_TOKEN_SECRET: tokenSecret,
          BULKSMS_WEBHOOK_SECRET: secret(),
          BULKSMS_API_BASE_URL: smsBase,
          QUIET_HOURS: quietHours,
          DEFAULT_TIMEZONE: timezone,
          WELCOME_TEMPLATE: welcome,
        };
        // Check the whole result with the worker's own schema before writing anything.
        const { ConfigError, loadConfig } = await import("@ghl-bulksms/config");
        let config: ReturnType<typeof loadConfig>;
        try {
          config = loadConfig(env);
        } catch (e) {
          if (e instanceof ConfigError)
            throw new CliError(
              `the answers do not make a valid configuration:\n${e.issues.map((i) => `  - ${i.message}`).join("\n")}`,
              {
                hint: "give the missing values (flags or prompts); live mode needs real credentials",
              },
            );
          throw e;
        }
        // The environment carries what the worker reads (including WELCOME_TEMPLATE); policies beyond it
        // (per-location overrides, merge, follow-ups, digest) go in this file.
        const policy = { engine: {}, lifecycle: {} };
        const { parseEngineConfig } = await import("@ghl-bulksms/engine");
        parseEngineConfig(policy.engine);

        const lines = [
          "# ghl-bulksms configuration, written by `ghl-bulksms init`. Read by the worker and the CLI.",
          "# Keep this file private: it holds the encryption key and credentials. Variables: apps/worker/.env.example",
          ...Object.entries(env).map(([k, v]) => `${k}=${quote(v)}`),
          "",
        ];
        writeFileSync(envPath, lines.join("\n"), { mode: 0o600 });
        chmodSync(envPath, 0o600);
        writeFileSync(configPath, `${JSON.stringify(policy, null, 2)}\n`);
        // Register the location with its region (the store is the source of truth for it).
        if (location) {
          const store = await openStore(config, { create: true });
          try {
            const [start = "08:00", end = "21:00"] = quietHours.split("-");
            await store.locations.upsert({
              id: location,
              region,
              timezone,
              quietHours: { start, end },
              active: true,
            });
          } finally {
            await store.close();
          }
        }
        io.out(`wrote ${envPath} (mode 600) and ${configPath}`);
        io.out(
          `encryption key and webhook secrets generated; mode ${mode}${location ? `, location ${location} (${region}, ${timezone})` : ""}`,
        );
        io.out(
          location
            ? "next: `ghl-bulksms doctor`, then start the worker with these variables (e.g. `node --env-file=.env ...`) and run `ghl-bulksms webhooks register`"
            : "next: `ghl-bulksms auth login` to add a location, then `ghl-bulksms doctor`",
        );
      } finally {
        rl?.close();
      }
    });
  withExamples(
    cmd,
    "ghl-bulksms init",
    "ghl-bulksms init --yes --mode live --location abc123 --token pit-... --region GB --timezone Europe/London \\\n      --bulksms-token-id ID --bulksms-token-secret SECRET --public-url https://sync.example.com",
  );
}

/** .env value quoting understood by node:util parseEnv and dotenv. */
function quote(v: string): string {
  if (v === "") return "";
  if (/^[A-Za-z0-9_./:@+=-]+$/.test(v)) return v;
  if (!v.includes("'")) return `'${v}'`;
  return `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}
