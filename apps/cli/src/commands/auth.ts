// auth login | status | logout: GHL credentials per location. OAuth code flow with a local callback on
// 127.0.0.1, or a private integration token. Tokens are stored encrypted in the store; never printed.
import type { Store } from "@ghl-bulksms/store";
import type { Command } from "commander";
import { parseIntOption, withExamples, withStore } from "../cli/command.js";
import { confirmDestroy } from "../cli/confirm.js";
import { CliError, usageError } from "../cli/errors.js";
import type { Io } from "../cli/io.js";
import { REFUSAL_TEXT, startOAuthCallback } from "../cli/oauth-callback.js";
import { oauthScopes } from "../cli/oauth-scopes.js";
import { isKnownRegion } from "../cli/region.js";
import { ghlFactory, knownLocations, type StoredPit } from "../cli/runtime.js";
import type { LoadedSettings } from "../cli/settings.js";
import { isoTime, renderTable } from "../cli/table.js";

export const DEFAULT_AUTHORIZE_URL = "https://marketplace.gohighlevel.com/oauth/chooselocation";

interface LoginOpts {
  location?: string;
  token?: string;
  verify: boolean;
  code?: string;
  port: number;
  scopes?: string;
  userType: string;
  timeout: number;
  region?: string;
  timezone?: string;
  json?: boolean;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8").trim();
}

export function registerAuth(program: Command, io: Io): void {
  const auth = program
    .command("auth")
    .description("GHL credentials: OAuth login, private integration tokens, status, logout");

  const login = auth
    .command("login")
    .description(
      "Log a location in: --token stores a private integration token; otherwise the OAuth code flow with a callback on 127.0.0.1",
    )
    .option("--location <id>", "GHL location id (required with --token)")
    .option("--token <pit>", 'private integration token ("-" reads it from stdin)')
    .option("--no-verify", "with --token: do not check the token against GHL first")
    .option("--code <code>", "OAuth: exchange this authorization code instead of waiting for the callback")
    .option(
      "--port <n>",
      "OAuth: callback port on 127.0.0.1 (0 = any free port)",
      parseIntOption("--port", 0, 65535),
      8976,
    )
    .option(
      "--scopes <list>",
      "OAuth: space- or comma-separated scopes to request (default: the contacts scopes, plus the conversation scopes when GHL_PROVIDER_MODE or GHL_SMS_THREAD is on)",
    )
    .option("--user-type <type>", "OAuth: Location or Company (agency)", "Location")
    .option(
      "--timeout <seconds>",
      "OAuth: how long to wait for the callback",
      parseIntOption("--timeout", 1, 3600),
      300,
    )
    .option("--region <CC>", "phone region of the location, e.g. GB (stored with the location)")
    .option("--timezone <tz>", "IANA timezone of the location, e.g. Europe/London")
    .option("--json", "print the result as JSON")
    .action(async (opts: LoginOpts, cmd: Command) => {
      if (opts.region && !(await isKnownRegion(opts.region)))
        throw usageError(
          `unknown phone region ${JSON.stringify(opts.region)}`,
          "use an ISO 3166-1 alpha-2 code such as GB, US, ZA",
        );
      if (opts.timezone && !validTimeZone(opts.timezone))
        throw usageError(`unknown IANA timezone ${JSON.stringify(opts.timezone)}`);
      if (opts.userType !== "Location" && opts.userType !== "Company")
        throw usageError('--user-type must be "Location" or "Company"');
      await withStore(
        cmd,
        async (settings, store) => {
          if (opts.token !== undefined) await loginWithToken(io, settings, store, opts);
          else await loginWithOAuth(io, settings, store, opts);
        },
        { create: true },
      );
    });
  withExamples(
    login,
    "ghl-bulksms auth login --location abc123 --token pit-xxxxxxxx --region GB",
    "ghl-bulksms auth login                       # OAuth: prints the URL to open (manual: needs a browser)",
    "ghl-bulksms auth login --code 0a1b2c... --port 8976",
  );

  const status = auth
    .command("status")
    .description("Each location's credential source, token expiry and scopes (never the token)")
    .option("--json", "print as JSON")
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (settings, store) => {
        const rows = await authRows(settings, store);
        if (opts.json) return io.json(rows);
        io.out(
          renderTable(
            ["location", "credential", "expires", "scopes"],
            rows.map((r) => [
              r.locationId,
              r.source,
              r.expiresAt
                ? `${r.expiresAt}${r.expired ? " (EXPIRED)" : ""}`
                : r.source === "none"
                  ? null
                  : "never",
              r.scopes.join(" ") || null,
            ]),
          ),
        );
        if (rows.some((r) => r.source === "none"))
          io.err(
            "hint:  a location without credentials cannot sync: `ghl-bulksms auth login --location <id> ...`",
          );
      });
    });
  withExamples(status, "ghl-bulksms auth status", "ghl-bulksms auth status --json");

  const logout = auth
    .command("logout")
    .description("Delete the stored tokens of a location (or --all)")
    .option("--location <id>", "the location")
    .option("--all", "every stored token (asks first on a terminal)")
    .option("--yes", "with --all: do not ask (required when stdin is not a terminal)")
    .option("--json", "print the result as JSON")
    .action(async (opts: LogoutOpts, cmd: Command) => {
      if (!opts.location && !opts.all) throw usageError("give --location <id> or --all");
      await withStore(cmd, async (settings, store) => {
        const ids = opts.all ? await knownLocations(settings.config, store) : [opts.location as string];
        if (opts.all) {
          const stored: string[] = [];
          for (const id of ids) if (await store.tokens.load(id).catch(() => null)) stored.push(id);
          if (stored.length > 0)
            await confirmDestroy(
              io,
              `delete the stored GHL tokens (OAuth and private integration) of ${stored.length} location(s): ${stored.join(", ")}`,
              { yes: opts.yes },
            );
        }
        const deleted: string[] = [];
        for (const id of ids) if (await store.tokens.delete(id)) deleted.push(id);
        const fromEnv = ids.filter((id) =>
          settings.config.ghl.locations.some((l) => l.locationId === id && l.privateToken),
        );
        if (opts.json) io.json({ deleted, stillInEnvironment: fromEnv });
        else
          io.out(
            deleted.length
              ? `deleted the stored tokens of ${deleted.join(", ")}`
              : "no stored tokens to delete",
          );
        if (fromEnv.length)
          io.err(
            `note: ${fromEnv.join(", ")} still has a token in the environment (GHL_LOCATIONS); remove it from .env too`,
          );
        if (!opts.all && deleted.length === 0 && fromEnv.length === 0)
          throw new CliError(`location "${opts.location}" has no stored tokens`, {
            hint: "see `ghl-bulksms auth status`",
          });
      });
    });
  withExamples(
    logout,
    "ghl-bulksms auth logout --location abc123",
    "ghl-bulksms auth logout --all --yes      # without --yes it asks first (and refuses without a terminal)",
  );
}

interface LogoutOpts {
  location?: string;
  all?: boolean;
  yes?: boolean;
  json?: boolean;
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export interface AuthRow {
  locationId: string;
  source: string;
  expiresAt: string | null;
  expired: boolean;
  scopes: string[];
}

export async function authRows(settings: LoadedSettings, store: Store): Promise<AuthRow[]> {
  const rows: AuthRow[] = [];
  const factory = await ghlFactory(settings.config, store);
  for (const id of await knownLocations(settings.config, store)) {
    const source = await factory.authSource(id);
    const stored =
      source !== "stored-token" && source !== "oauth"
        ? null
        : await store.tokens.load<Record<string, unknown> & { accessToken: string }>(id).catch(() => null);
    const expiresAt = typeof stored?.expiresAt === "number" ? stored.expiresAt : null;
    const scopeText = typeof stored?.scope === "string" ? stored.scope : null;
    const scopes = Array.isArray(stored?.scopes)
      ? (stored.scopes as string[])
      : scopeText
        ? scopeText.split(/\s+/).filter(Boolean)
        : [];
    rows.push({
      locationId: id,
      source,
      expiresAt: isoTime(expiresAt),
      expired: expiresAt !== null && expiresAt < Date.now(),
      scopes,
    });
  }
  return rows;
}

async function registerLocationRow(store: Store, id: string, opts: LoginOpts): Promise<void> {
  await store.locations.upsert({
    id,
    active: true,
    ...(opts.region ? { region: opts.region.toUpperCase() } : {}),
    ...(opts.timezone ? { timezone: opts.timezone } : {}),
  });
}

async function loginWithToken(
  io: Io,
  settings: LoadedSettings,
  store: Store,
  opts: LoginOpts,
): Promise<void> {
  if (!opts.location) throw usageError("--token needs --location <id>");
  const token = opts.token === "-" ? await readStdin() : (opts.token as string);
  if (!token) throw usageError("the token is empty");
  const { createGhlClient } = await import("@ghl-bulksms/ghl");
  if (opts.verify) {
    const client = createGhlClient({
      auth: { kind: "private-integration", token },
      baseUrl: settings.config.ghl.apiBaseUrl,
      retry: { maxAttempts: 2 },
    });
    const r = await client.contacts.search({ locationId: opts.location, pageLimit: 1 });
    if (!r.ok)
      throw new CliError(
        `GHL rejected the token for location ${opts.location}: ${r.error.message} (${r.error.code}${r.error.status ? `, HTTP ${r.error.status}` : ""})`,
        {
          hint: "check the location id and that the token has the contacts scopes (Settings > Private Integrations); --no-verify skips this check",
        },
      );
  }
  const stored: StoredPit = {
    accessToken: token,
    tokenType: "pit",
    refreshToken: null,
    expiresAt: null,
    scopes: [],
    savedAt: Date.now(),
  };
  await store.tokens.save(opts.location, stored);
  await registerLocationRow(store, opts.location, opts);
  if (opts.json) io.json({ locationId: opts.location, credential: "stored-token", verified: opts.verify });
  else
    io.out(
      `stored the private integration token of location ${opts.location} (encrypted)${opts.verify ? "; GHL accepted it" : ""}`,
    );
}

async function loginWithOAuth(
  io: Io,
  settings: LoadedSettings,
  store: Store,
  opts: LoginOpts,
): Promise<void> {
  const oauth = settings.config.ghl.oauth;
  if (!oauth)
    throw new CliError("the OAuth login needs the marketplace app's GHL_CLIENT_ID and GHL_CLIENT_SECRET", {
      hint: "set them in .env, or log in with a private integration token: `ghl-bulksms auth login --location <id> --token <pit>`",
    });
  // least privilege: the conversation scopes only when provider or thread mode is on
  const scopes = opts.scopes
    ? opts.scopes.split(/[\s,]+/).filter(Boolean)
    : oauthScopes(settings.config.conversations);
  let redirectUri = `http://127.0.0.1:${opts.port}/oauth/callback`;
  let code = opts.code;
  if (!code) {
    const started = await startOAuthCallback({
      port: opts.port,
      timeoutMs: opts.timeout * 1000,
      onRefused: (reason) =>
        io.err(`${io.paint("yellow", "refused a callback:")} ${REFUSAL_TEXT[reason]} Still waiting ...`),
    });
    if (!started.ok)
      throw new CliError(started.error.message, {
        hint: "choose another --port (it must match a redirect URI of the app)",
      });
    const callback = started.callback;
    redirectUri = callback.redirectUri;
    const authorize = new URL(settings.env.GHL_OAUTH_AUTHORIZE_URL ?? DEFAULT_AUTHORIZE_URL);
    authorize.searchParams.set("response_type", "code");
    authorize.searchParams.set("redirect_uri", redirectUri);
    authorize.searchParams.set("client_id", oauth.clientId);
    authorize.searchParams.set("scope", scopes.join(" "));
    authorize.searchParams.set("state", callback.state);
    io.err(
      `Add ${redirectUri} to the app's redirect URLs, then open this URL in a browser and choose the location:`,
    );
    io.out(`authorize URL: ${authorize.toString()}`);
    io.err(`waiting up to ${opts.timeout} s for the callback on ${redirectUri} ...`);
    const got = await callback.result;
    if (!got.ok)
      throw new CliError(got.message, {
        hint:
          got.reason === "timeout"
            ? "run the login again, or pass the code with --code"
            : "run `ghl-bulksms auth login` again",
      });
    code = got.code;
  }
  const { createGhlClient } = await import("@ghl-bulksms/ghl");
  const client = createGhlClient({
    auth: { kind: "oauth", clientId: oauth.clientId, clientSecret: oauth.clientSecret, redirectUri },
    // biome-ignore lint/suspicious/noExplicitAny: store.tokens is the client's TokenStore shape
    tokenStore: store.tokens as any,
    baseUrl: settings.config.ghl.apiBaseUrl,
  });
  const r = await client.oauth.exchangeCode({
    code,
    redirectUri,
    userType: opts.userType as "Location" | "Company",
  });
  if (!r.ok)
    throw new CliError(`GHL refused the authorization code: ${r.error.message} (${r.error.code})`, {
      hint: "codes are single-use and short-lived: run `ghl-bulksms auth login` again; check GHL_CLIENT_ID/SECRET and the redirect URL",
    });
  const id = r.data.resourceId;
  if (r.data.tokens.userType === "Location") await registerLocationRow(store, id, opts);
  const scope = r.data.tokens.scope ?? "";
  if (opts.json)
    io.json({
      resourceId: id,
      userType: r.data.tokens.userType,
      expiresAt: isoTime(r.data.tokens.expiresAt),
      scopes: scope.split(/\s+/).filter(Boolean),
    });
  else
    io.out(
      `logged in ${r.data.tokens.userType === "Company" ? "company" : "location"} ${id}: token stored encrypted, expires ${isoTime(r.data.tokens.expiresAt)}, scopes: ${scope || "(none reported)"}`,
    );
}
