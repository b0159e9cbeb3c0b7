// doctor: checks configuration, credentials, scopes, reachability, BulkSMS credits, webhook registrations,
// clock skew, store health and pending dead letters; prints each problem with its fix; exit 1 on any problem.
import { existsSync } from "node:fs";
import { needsConversationScopes } from "@ghl-bulksms/config";
import type { Store } from "@ghl-bulksms/store";
import type { Command } from "commander";
import { globalsOf, withExamples } from "../cli/command.js";
import { type CliError, EXIT_FAILED } from "../cli/errors.js";
import { cliCommand } from "../cli/fix-command.js";
import type { Io } from "../cli/io.js";
import { CONVERSATION_SCOPES, explainMissingScopes, requiredScopes } from "../cli/oauth-scopes.js";
import { createProgress } from "../cli/progress.js";
import { bulkSmsClient, dbPath, ghlFactory, knownLocations, openStore, storeLabel } from "../cli/runtime.js";
import { type GlobalOptions, type LoadedSettings, loadSettings } from "../cli/settings.js";
import { renderTable } from "../cli/table.js";
import { authRows } from "./auth.js";

export type CheckStatus = "ok" | "warn" | "problem" | "skipped";

export interface Check {
  name: string;
  status: CheckStatus;
  detail: string;
  /** what to do, in words */
  fix?: string;
  /**
   * The command that fixes it, when one does (with this run's --env-file/--config); `<...>` marks a value
   * only the operator knows (a token). Run it and doctor no longer reports the problem.
   */
  command?: string;
}

const MAX_SKEW_MS = 60_000;

export function registerDoctor(program: Command, io: Io): void {
  const cmd = program
    .command("doctor")
    .description("Check the whole set-up and print each problem with its fix (exit 1 if any problem)")
    .option("--json", "print the checks as JSON")
    .option("--min-credits <n>", "BulkSMS credit balance below which to warn", "10")
    .action(async (opts: { json?: boolean; minCredits: string }, command: Command) => {
      const checks: Check[] = [];
      // vendor round trips take a while: the checks done so far, on a terminal
      const bar = createProgress(io, "checking", { enabled: !opts.json });
      const add = (c: Check) => {
        checks.push(c);
        bar.update(checks.length, null, c.name);
      };
      let settings: LoadedSettings | null = null;
      const globals = globalsOf(command);
      try {
        settings = await loadSettings(globals);
        add({
          name: "configuration",
          status: "ok",
          detail: `mode ${settings.config.mode}, env file ${settings.envFile ?? "none"}`,
        });
      } catch (e) {
        const err = e as CliError;
        add({
          name: "configuration",
          status: "problem",
          detail: err.message,
          fix: err.hint ?? "fix the configuration",
        });
      }
      if (settings) await runChecks(settings, globals, add, Number(opts.minCredits) || 0);
      bar.done();
      const problems = checks.filter((c) => c.status === "problem");
      if (opts.json) io.json({ ok: problems.length === 0, checks });
      else {
        io.out(
          renderTable(
            ["check", "status", "detail"],
            checks.map((c) => [c.name, paintStatus(io, c.status), c.detail]),
          ),
        );
        io.out(""); // the fixes below, apart from the table
        for (const c of checks.filter((x) => (x.fix || x.command) && x.status !== "ok"))
          io.out(
            [
              `${c.status === "problem" ? io.paint("red", "problem") : io.paint("yellow", "warning")}: ${c.name}: ${c.detail.split("\n")[0]}`,
              ...(c.fix ? [`  fix: ${c.fix}`] : []),
              ...(c.command ? [`  run: ${io.paint("cyan", c.command)}`] : []),
            ].join("\n"),
          );
        io.out(problems.length === 0 ? "no problems found" : `${problems.length} problem(s) found`);
      }
      if (problems.length > 0) io.exitCode = EXIT_FAILED;
    });
  withExamples(
    cmd,
    "ghl-bulksms doctor",
    "ghl-bulksms doctor --json | jq '.checks[] | select(.status != \"ok\")'",
  );
}

function paintStatus(io: Io, s: CheckStatus): string {
  return s === "ok"
    ? io.paint("green", s)
    : s === "problem"
      ? io.paint("red", s)
      : s === "warn"
        ? io.paint("yellow", s)
        : s;
}

async function runChecks(
  settings: LoadedSettings,
  globals: GlobalOptions,
  add: (c: Check) => void,
  minCredits: number,
): Promise<void> {
  const { config } = settings;
  // Store health.
  let store: Store | null = null;
  const path = storeLabel(config);
  if (!config.databaseUrl && !existsSync(dbPath(config))) {
    add({
      name: "store",
      status: "problem",
      detail: `no database at ${path}`,
      fix: "create and migrate the store (starting the worker once does it too)",
      command: cliCommand(globals, "init --store-only"),
    });
  } else {
    try {
      store = await openStore(config);
      const ok = await store.ping();
      add({
        name: "store",
        status: ok ? "ok" : "problem",
        detail: `${path}, schema v${await store.schemaVersion()}, jobs on ${
          store.queueEngine ? `graphile-worker (schema ${store.queueEngine.schema})` : "the embedded outbox"
        }`,
        ...(ok ? {} : { fix: "check the disk and file permissions" }),
      });
    } catch (e) {
      add({
        name: "store",
        status: "problem",
        detail: (e as Error).message,
        fix: (e as CliError).hint ?? "check DATA_DIR and GHL_BULKSMS_ENCRYPTION_KEY",
      });
      store = null;
    }
  }
  add(providerCheck(config));
  try {
    await ghlChecks(settings, globals, store, add);
    await bulkSmsChecks(settings, globals, add, minCredits);
    if (store) {
      const dead = await store.deadLetters.list({ limit: 1000 });
      add(
        dead.length === 0
          ? { name: "dead letters", status: "ok", detail: "none pending" }
          : {
              name: "dead letters",
              status: "problem",
              detail: `${dead.length}${dead.length === 1000 ? "+" : ""} dead job(s), e.g. ${dead[0]?.name}: ${(dead[0]?.lastError ?? "").slice(0, 80)}`,
              fix: "inspect with `ghl-bulksms dlq list` and fix the cause, then replay them (or purge)",
              command: cliCommand(globals, "dlq replay --all"),
            },
      );
    }
  } finally {
    await store?.close();
  }
}

/** GHL_PROVIDER_MODE: whether BulkSMS sends GHL's SMS, and what a status update needs. */
export function providerCheck(config: LoadedSettings["config"]): Check {
  const p = config.provider ?? { mode: "off", quietHours: "user-immediate", attachments: "fail" };
  if (p.mode === "off")
    return {
      name: "GHL SMS provider",
      status: "ok",
      detail: "off (GHL_PROVIDER_MODE): provider messages are not sent (they fail in GHL, saying so)",
    };
  const detail = `on: quiet hours ${p.quietHours}, attachments ${p.attachments}; Delivery URL ${config.publicBaseUrl ?? "<PUBLIC_BASE_URL>"}/webhooks/ghl`;
  // ConversationProviders.md: only the provider's own marketplace app may update a message's status
  if (config.ghl.oauth === null)
    return {
      name: "GHL SMS provider",
      status: "warn",
      detail: `${detail}; no marketplace app configured`,
      fix: "a conversation provider is a marketplace app: set GHL_CLIENT_ID/GHL_CLIENT_SECRET (only the provider app's own token may update message statuses)",
    };
  return { name: "GHL SMS provider", status: "ok", detail };
}

async function ghlChecks(
  settings: LoadedSettings,
  globals: GlobalOptions,
  store: Store | null,
  add: (c: Check) => void,
): Promise<void> {
  const { config } = settings;
  const ids = store ? await knownLocations(config, store) : config.ghl.locations.map((l) => l.locationId);
  if (ids.length === 0) {
    add({
      name: "GHL locations",
      status: "problem",
      detail: "no location configured",
      fix: "log a location in with its private integration token (or set GHL_LOCATIONS in .env, or the OAuth `auth login`)",
      command: cliCommand(globals, "auth login --location <location-id> --token <pit>"),
    });
    return;
  }
  const rows = store ? await authRows(settings, store) : [];
  const factory = store ? await ghlFactory(config, store) : null;
  for (const id of ids) {
    const source = factory
      ? await factory.authSource(id)
      : config.ghl.locations.find((l) => l.locationId === id)?.privateToken
        ? "env-token"
        : "none";
    if (source === "none") {
      add({
        name: `GHL ${id}: credentials`,
        status: "problem",
        detail: "no token",
        fix: "store the location's private integration token (or use the OAuth `auth login`)",
        command: cliCommand(globals, `auth login --location ${id} --token <pit>`),
      });
      continue;
    }
    const row = rows.find((r) => r.locationId === id);
    if (row?.expired && source === "oauth")
      add({
        name: `GHL ${id}: token`,
        status: "warn",
        detail: `access token expired ${row.expiresAt} (refreshed on next use)`,
        fix: "if the refresh fails, log in again with `ghl-bulksms auth login`",
      });
    if (row && row.scopes.length > 0) {
      const missing = requiredScopes(config.conversations).filter((s) => !row.scopes.includes(s));
      add(
        missing.length === 0
          ? { name: `GHL ${id}: scopes`, status: "ok", detail: row.scopes.join(" ") }
          : {
              name: `GHL ${id}: scopes`,
              status: "problem",
              detail: `missing ${explainMissingScopes(missing)}`,
              fix: "add the scopes to the app (or the private integration) and log in again (docs/conversation-provider.md lists them)",
            },
      );
    }
    if (!store && source !== "env-token") continue;
    try {
      const client = factory
        ? await factory.resolve(id)
        : (await import("@ghl-bulksms/ghl")).createGhlClient({
            auth: {
              kind: "private-integration",
              token: config.ghl.locations.find((l) => l.locationId === id)?.privateToken as string,
            },
            baseUrl: config.ghl.apiBaseUrl,
          });
      if (!client) continue;
      const started = Date.now();
      const r = await client.contacts.search({ locationId: id, pageLimit: 1 }, {
        priority: "background",
      } as never);
      if (r.ok) {
        const total = (r.data as { total?: number }).total;
        add({
          name: `GHL ${id}: reachability`,
          status: "ok",
          detail: `${config.ghl.apiBaseUrl} answered in ${Date.now() - started} ms${typeof total === "number" ? `, ${total} contacts` : ""}`,
        });
        // provider / thread mode: a token whose scopes are not stored (a private integration) is asked
        if (needsConversationScopes(config.conversations) && !(row && row.scopes.length > 0)) {
          const conv = await client.conversations.search(
            { locationId: id, limit: 1 },
            { priority: "background" },
          );
          const refused = !conv.ok && (conv.error.status === 401 || conv.error.status === 403);
          if (refused)
            add({
              name: `GHL ${id}: conversation scopes`,
              status: "problem",
              detail: `GHL refused a conversations call (HTTP ${conv.error.status}): the token lacks ${explainMissingScopes(Object.keys(CONVERSATION_SCOPES))}`,
              fix: "add the conversation scopes to the private integration (or the app) and store the new token; docs/conversation-provider.md lists them",
              command: cliCommand(globals, `auth login --location ${id} --token <pit>`),
            });
          else if (conv.ok)
            add({ name: `GHL ${id}: conversation scopes`, status: "ok", detail: "conversations answered" });
        }
      } else {
        const e = r.error;
        const auth = e.status === 401 || e.status === 403;
        add({
          name: `GHL ${id}: ${auth ? "credentials" : "reachability"}`,
          status: "problem",
          detail: `${e.message} (${e.code}${e.status ? `, HTTP ${e.status}` : ""})`,
          fix: auth
            ? "the token was refused or lacks a scope: log in again with a valid token"
            : `check GHL_API_BASE_URL (${config.ghl.apiBaseUrl}) and the network`,
          ...(auth ? { command: cliCommand(globals, `auth login --location ${id} --token <pit>`) } : {}),
        });
      }
    } catch (e) {
      add({
        name: `GHL ${id}: reachability`,
        status: "problem",
        detail: (e as Error).message,
        fix: (e as CliError).hint ?? "check the GHL settings",
      });
    }
  }
}

async function bulkSmsChecks(
  settings: LoadedSettings,
  globals: GlobalOptions,
  add: (c: Check) => void,
  minCredits: number,
): Promise<void> {
  const { config } = settings;
  let sms: Awaited<ReturnType<typeof bulkSmsClient>>;
  try {
    sms = await bulkSmsClient(config);
  } catch (e) {
    add({
      name: "BulkSMS credentials",
      status: "problem",
      detail: (e as Error).message,
      fix: (e as CliError).hint ?? "",
    });
    return;
  }
  // Clock skew: the Date header of a vendor response against our clock.
  try {
    const before = Date.now();
    const res = await fetch(`${config.bulksms.apiBaseUrl}/profile`, {
      method: "GET",
      signal: AbortSignal.timeout(10_000),
    });
    const after = Date.now();
    await res.arrayBuffer().catch(() => undefined);
    const dateHeader = res.headers.get("date");
    if (dateHeader) {
      const skew = Date.parse(dateHeader) - (before + after) / 2;
      const abs = Math.abs(skew);
      add(
        abs <= MAX_SKEW_MS
          ? { name: "clock skew", status: "ok", detail: `${Math.round(skew / 1000)} s against BulkSMS` }
          : {
              name: "clock skew",
              status: "problem",
              detail: `this machine's clock is ${Math.round(-skew / 1000)} s off BulkSMS's`,
              fix: "synchronise the clock (NTP): signed webhooks older than 5 minutes are rejected",
            },
      );
    } else add({ name: "clock skew", status: "skipped", detail: "the vendor sent no Date header" });
  } catch (e) {
    add({
      name: "BulkSMS reachability",
      status: "problem",
      detail: `${config.bulksms.apiBaseUrl}: ${(e as Error).message}`,
      fix: "check BULKSMS_API_BASE_URL and the network",
    });
    return;
  }
  const profile = await sms.getProfile();
  if (!profile.ok) {
    const e = profile.error;
    add({
      name: "BulkSMS credentials",
      status: "problem",
      detail: `${e.title} (${e.code}${e.status ? `, HTTP ${e.status}` : ""})`,
      fix:
        e.status === 401 || e.status === 403
          ? "check BULKSMS_TOKEN_ID / BULKSMS_TOKEN_SECRET (BulkSMS > Settings > API Tokens)"
          : "check BULKSMS_API_BASE_URL and the network",
    });
    return;
  }
  add({
    name: "BulkSMS credentials",
    status: "ok",
    detail: `account ${profile.data.username ?? profile.data.id ?? "?"}`,
  });
  const balance = profile.data.credits.balance;
  add(
    balance >= minCredits
      ? { name: "BulkSMS credits", status: "ok", detail: `${balance} credits` }
      : {
          name: "BulkSMS credits",
          status: balance <= 0 ? "problem" : "warn",
          detail: `${balance} credits left`,
          fix: "buy credits in the BulkSMS web app: sends fail with 403 when they run out",
        },
  );
  const hooks = await sms.listWebhooks();
  if (!hooks.ok) {
    add({
      name: "BulkSMS webhooks",
      status: "problem",
      detail: hooks.error.title,
      fix: "check the BulkSMS token's permissions",
    });
    return;
  }
  const base = config.publicBaseUrl;
  for (const scope of ["SENT", "RECEIVED"] as const) {
    const mine = hooks.data.filter(
      (w) =>
        w.triggerScope === scope &&
        w.active &&
        (!base || w.url.startsWith(`${base.replace(/\/+$/, "")}/webhooks/bulksms/`)),
    );
    add(
      mine.length > 0
        ? { name: `BulkSMS ${scope} webhook`, status: "ok", detail: `${mine.length} active` }
        : {
            name: `BulkSMS ${scope} webhook`,
            status: "problem",
            detail: base ? `none points at ${base}/webhooks/bulksms/...` : "none registered",
            fix: "register them while the worker runs (BulkSMS test-POSTs to the URL)",
            command: cliCommand(globals, `webhooks register${base ? "" : " --url <public-url>"}`),
          },
    );
  }
}
