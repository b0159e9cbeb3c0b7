// init: writes .env (the worker's variables) and the policy file, and creates the store. On a terminal it
// asks (@clack/prompts: answers echoed, one prompt per line, each answer checked as it is given against the
// worker's own schema); `--yes` or a non-terminal stdin takes the flags and the defaults, and a missing or
// bad one is a usage error naming its flag before anything is written. `--store-only` creates the store of
// the existing configuration (the fix `doctor` prints for a missing store).
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { globalsOf, withExamples } from "../cli/command.js";
import { CliError, usageError } from "../cli/errors.js";
import {
  checkAnswer,
  INIT_QUESTIONS,
  type InitAnswers,
  type InitDefaults,
  type InitSecrets,
  initEnv,
} from "../cli/init-questions.js";
import type { Io } from "../cli/io.js";
import type { Prompter } from "../cli/prompts.js";
import { dbPath, openStore, storeLabel, syncConfiguredLocations } from "../cli/runtime.js";
import { DEFAULT_CONFIG_FILE, DEFAULT_ENV_FILE, loadSettings } from "../cli/settings.js";

type InitOpts = Partial<Record<keyof InitAnswers, string>> & {
  yes?: boolean;
  force?: boolean;
  storeOnly?: boolean;
};

function secret(): string {
  return randomBytes(24).toString("base64url");
}

export function registerInit(program: Command, io: Io): void {
  const cmd = program
    .command("init")
    .description(
      "Set up: write .env (worker variables, generated keys) and the policy file, create the store; asks on a terminal",
    )
    .option("--yes", "no questions: take the flags and the defaults (for scripts)")
    .option("--force", "overwrite existing files")
    .option("--store-only", "create (and migrate) the store of the existing configuration; writes no file")
    .option("--mode <mode>", "sandbox | live")
    .option("--location <id>", "GHL location id (also the default location)")
    .option("--token <pit>", "GHL private integration token of the location")
    .option("--region <CC>", "phone region for national numbers, e.g. GB")
    .option("--timezone <tz>", "the location's IANA timezone")
    .option("--quiet-hours <HH:MM-HH:MM>", "allowed sending window, local time")
    .option("--bulksms-token-id <id>", "BulkSMS API token id")
    .option("--bulksms-token-secret <secret>", "BulkSMS API token secret")
    .option("--public-url <url>", "the worker's public https address (live mode)")
    .option("--data-dir <dir>", "store folder")
    .option(
      "--ghl-api-base-url <url>",
      "GHL API base (sandbox: the simulator, default http://127.0.0.1:4010)",
    )
    .option(
      "--bulksms-api-base-url <url>",
      "BulkSMS API base (sandbox: the simulator, default http://127.0.0.1:4020/v1)",
    )
    .option("--welcome <template>", 'welcome SMS template for new contacts ("" = none)')
    .action(async (opts: InitOpts, command: Command) => {
      if (opts.storeOnly) return storeOnly(io, command);
      const globals = command.optsWithGlobals() as { envFile?: string; config?: string };
      // the files the loaders read: the flag, else the variable, else the default
      const envPath = resolve(globals.envFile || process.env.GHL_BULKSMS_ENV_FILE || DEFAULT_ENV_FILE);
      const configPath = resolve(globals.config || process.env.GHL_BULKSMS_CONFIG || DEFAULT_CONFIG_FILE);
      for (const p of [envPath, configPath])
        if (existsSync(p) && !opts.force)
          throw new CliError(`${p} already exists`, {
            hint: "pass --force to overwrite it (a backup is your job); `ghl-bulksms init --store-only` creates a missing store",
          });
      const config = await import("@ghl-bulksms/config");
      const defaults: InitDefaults = {
        localTimezone: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC",
        sandboxGhl: config.SANDBOX_GHL_API_BASE_URL,
        sandboxBulksms: config.SANDBOX_BULKSMS_API_BASE_URL,
      };
      const secrets: InitSecrets = {
        encryptionKey: randomBytes(32).toString("base64"),
        workflowWebhookSecret: secret(),
        bulksmsWebhookSecret: secret(),
      };
      const interactive = !opts.yes && io.stdinIsTty;
      let prompter: Prompter | null = null;
      if (interactive) {
        const { createPrompter } = await import("../cli/prompts.js");
        prompter = await createPrompter("init cancelled: nothing was written");
        prompter.intro("ghl-bulksms init");
      }
      const answers: Partial<InitAnswers> = {};
      for (const q of INIT_QUESTIONS) {
        const check = (v: string) => checkAnswer(q, v, answers, defaults, secrets);
        const flag = opts[q.key];
        const fallback = q.fallback(answers, defaults);
        let value: string;
        if (flag !== undefined || !prompter || (q.when && !q.when(answers))) {
          value = (flag ?? fallback).trim();
          const problem = await check(value);
          if (problem)
            throw usageError(
              flag !== undefined
                ? `${q.flag}: ${problem} (got ${JSON.stringify(q.kind === "password" ? "****" : flag)})`
                : `${q.flag} is needed: ${problem}`,
              interactive
                ? undefined
                : "give it as a flag (or run `ghl-bulksms init` on a terminal to be asked)",
            );
        } else if (q.kind === "select") {
          value = await prompter.select({
            message: q.message,
            options: q.options ?? [],
            initialValue: fallback,
          });
        } else {
          const validate = (v: string) => check(v.trim() === "" ? fallback : v.trim());
          const given =
            q.kind === "password"
              ? await prompter.password({ message: q.message, validate })
              : await prompter.text({ message: q.message, defaultValue: fallback, validate });
          value = (given ?? "").trim() || fallback;
        }
        (answers as Record<string, string>)[q.key] = q.key === "region" ? value.toUpperCase() : value;
      }
      const a = answers as InitAnswers;
      const env = initEnv(a, secrets);
      // The whole result through the worker's own decision before anything is written.
      let parsed: ReturnType<typeof config.loadWorkerConfig>;
      try {
        parsed = config.loadWorkerConfig(env);
      } catch (e) {
        if (e instanceof config.ConfigError)
          throw new CliError(
            `the answers do not make a valid configuration (nothing was written):\n${e.issues.map((i) => `  - ${i.message}`).join("\n")}`,
          );
        throw e;
      }
      // The environment carries what the worker reads; policies beyond it (per-location overrides, merge,
      // follow-ups, digest) go in the policy file.
      const policy = { engine: {}, lifecycle: {} };
      const lines = [
        "# ghl-bulksms configuration, written by `ghl-bulksms init`. Read by the worker and the CLI.",
        "# Keep this file private: it holds the encryption key and credentials. Variables: apps/worker/.env.example",
        ...Object.entries(env).map(([k, v]) => `${k}=${quote(v)}`),
        "",
      ];
      writeFileSync(envPath, lines.join("\n"), { mode: 0o600 });
      chmodSync(envPath, 0o600);
      writeFileSync(configPath, `${JSON.stringify(policy, null, 2)}\n`);
      // The store, with the location registered (its region is the store's truth).
      const store = await openStore(parsed, { create: true });
      try {
        await syncConfiguredLocations(parsed, store);
      } finally {
        await store.close();
      }
      const summary = [
        `wrote ${envPath} (mode 600) and ${configPath}; created the store ${dbPath(parsed)}`,
        `encryption key and webhook secrets generated; mode ${a.mode}${a.location ? `, default location ${a.location} (${a.region}, ${a.timezone})` : ""}`,
        a.mode === "sandbox"
          ? "next: `ghl-bulksms sandbox` in another terminal (it prints its locations and tokens), then `ghl-bulksms doctor`"
          : a.location
            ? "next: `ghl-bulksms doctor`, start the worker, then `ghl-bulksms webhooks register`"
            : "next: `ghl-bulksms auth login` to add a location, then `ghl-bulksms doctor`",
      ];
      if (prompter) prompter.outro("configuration written");
      io.out(summary.join("\n"));
    });
  withExamples(
    cmd,
    "ghl-bulksms init",
    "ghl-bulksms init --yes                       # sandbox: the simulators on 127.0.0.1:4010 / :4020",
    "ghl-bulksms init --yes --mode live --location abc123 --token pit-... --region GB --timezone Europe/London \\\n      --bulksms-token-id ID --bulksms-token-secret SECRET --public-url https://sync.example.com",
    "ghl-bulksms init --store-only",
  );
}

/** Creates and migrates the store of the existing configuration, registering its locations. */
async function storeOnly(io: Io, command: Command): Promise<void> {
  const settings = await loadSettings(globalsOf(command));
  const path = storeLabel(settings.config);
  const existed = !settings.config.databaseUrl && existsSync(dbPath(settings.config));
  const store = await openStore(settings.config, { create: true });
  try {
    await syncConfiguredLocations(settings.config, store);
    io.out(
      `${existed ? "the store is ready" : "created the store"}: ${path} (schema v${await store.schemaVersion()})`,
    );
  } finally {
    await store.close();
  }
}

/** .env value quoting understood by node:util parseEnv and dotenv. */
function quote(v: string): string {
  if (v === "") return "";
  if (/^[A-Za-z0-9_./:@+=-]+$/.test(v)) return v;
  if (!v.includes("'")) return `'${v}'`;
  return `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}
