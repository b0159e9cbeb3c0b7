// Opens what a command needs, the same way the worker does: the store in DATA_DIR, the vendor clients
// and the engine. Everything opened here is closed by `close()`.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { BulkSmsClient } from "@ghl-bulksms/bulksms";
import type { Engine } from "@ghl-bulksms/engine";
import type { GhlClient } from "@ghl-bulksms/ghl";
import type { Location, Store } from "@ghl-bulksms/store";
import type { WorkerConfig } from "@ghl-bulksms/worker";
import { CliError, usageError } from "./errors.js";
import type { LoadedSettings } from "./settings.js";

/**
 * The worker's key for sandbox mode without GHL_BULKSMS_ENCRYPTION_KEY (a fixed, public key; live mode
 * always has a real one). Must stay byte-identical to apps/worker/src/app.ts.
 */
export const SANDBOX_ENCRYPTION_KEY = createHash("sha256")
  .update("ghl-bulksms sandbox key (not secret)")
  .digest();

export const DB_FILE = "ghl-bulksms.db";

export function dbPath(config: WorkerConfig): string {
  return resolve(join(config.dataDir, DB_FILE));
}

/** Opens the store. `create: false` refuses to create a new database (read-only commands). */
export async function openStore(config: WorkerConfig, options: { create?: boolean } = {}): Promise<Store> {
  const path = dbPath(config);
  if (!options.create && !existsSync(path))
    throw new CliError(`no store at ${path} (DATA_DIR=${config.dataDir})`, {
      hint: "check DATA_DIR, or create the store by starting the worker or running `ghl-bulksms init`",
    });
  mkdirSync(config.dataDir, { recursive: true });
  // Loaded on demand: `--help` and `dedupe --from-file` never pay for the store, engine or clients.
  const { openSqliteStore } = await import("@ghl-bulksms/store");
  try {
    return openSqliteStore({ path, encryptionKey: config.encryptionKey ?? SANDBOX_ENCRYPTION_KEY });
  } catch (e) {
    throw new CliError(`cannot open the store ${path}: ${(e as Error).message}`, {
      hint: "check GHL_BULKSMS_ENCRYPTION_KEY is the key the store was created with",
    });
  }
}

/** The stored private integration token written by `auth login --token`. */
export interface StoredPit {
  accessToken: string;
  tokenType: "pit";
  refreshToken: null;
  expiresAt: null;
  scopes: string[];
  savedAt: number;
}

export function isStoredPit(value: unknown): value is StoredPit {
  return (
    !!value &&
    typeof value === "object" &&
    (value as { tokenType?: unknown }).tokenType === "pit" &&
    typeof (value as { accessToken?: unknown }).accessToken === "string"
  );
}

export type GhlAuthSource = "env-token" | "stored-token" | "oauth" | "none";

export async function ghlAuthSource(
  config: WorkerConfig,
  store: Store,
  locationId: string,
): Promise<GhlAuthSource> {
  const l = config.ghl.locations.find((x) => x.locationId === locationId);
  if (l?.privateToken) return "env-token";
  const stored = await store.tokens.load<{ accessToken: string }>(locationId).catch(() => null);
  if (isStoredPit(stored)) return "stored-token";
  if (stored && config.ghl.oauth) return "oauth";
  return "none";
}

/** A GHL client for one location (private integration token from env or store, else the OAuth app). */
export async function ghlClientFor(
  config: WorkerConfig,
  store: Store,
  locationId: string,
): Promise<GhlClient> {
  const { createGhlClient } = await import("@ghl-bulksms/ghl");
  const l = config.ghl.locations.find((x) => x.locationId === locationId);
  const baseUrl = config.ghl.apiBaseUrl;
  if (l?.privateToken)
    return createGhlClient({ auth: { kind: "private-integration", token: l.privateToken }, baseUrl });
  const stored = await store.tokens.load<{ accessToken: string }>(locationId);
  if (isStoredPit(stored))
    return createGhlClient({ auth: { kind: "private-integration", token: stored.accessToken }, baseUrl });
  if (config.ghl.oauth) {
    return createGhlClient({
      auth: {
        kind: "oauth",
        clientId: config.ghl.oauth.clientId,
        clientSecret: config.ghl.oauth.clientSecret,
        ...(config.ghl.oauth.companyId ? { companyId: config.ghl.oauth.companyId } : {}),
      },
      // biome-ignore lint/suspicious/noExplicitAny: store.tokens is the client's TokenStore shape (generic load/save)
      tokenStore: store.tokens as any,
      baseUrl,
    });
  }
  throw new CliError(`no GHL credentials for location ${locationId}`, {
    hint: `run \`ghl-bulksms auth login --location ${locationId} --token <private integration token>\` or set GHL_LOCATIONS / GHL_CLIENT_ID`,
  });
}

export async function bulkSmsClient(config: WorkerConfig): Promise<BulkSmsClient> {
  const { tokenId, tokenSecret, apiBaseUrl } = config.bulksms;
  if (!tokenId || !tokenSecret)
    throw new CliError("BulkSMS credentials are not configured", {
      hint: "set BULKSMS_TOKEN_ID and BULKSMS_TOKEN_SECRET in .env (BulkSMS > Settings > API Tokens), or run `ghl-bulksms init`",
    });
  const { createBulkSmsClient } = await import("@ghl-bulksms/bulksms");
  return createBulkSmsClient({ tokenId, tokenSecret, baseUrl: apiBaseUrl });
}

/** Registers the configured locations with their settings, as the worker's engine plugin does at start. */
export async function syncConfiguredLocations(config: WorkerConfig, store: Store): Promise<void> {
  const pad = (m: number) =>
    `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
  for (const l of config.ghl.locations) {
    await store.locations.upsert({
      id: l.locationId,
      active: true,
      ...(l.timezone ? { timezone: l.timezone } : {}),
      ...(l.region ? { region: l.region } : {}),
      ...(l.quietHours
        ? { quietHours: { start: pad(l.quietHours.startMinute), end: pad(l.quietHours.endMinute) } }
        : {}),
    });
  }
}

type Sections = Record<string, unknown>;

function isObject(v: unknown): v is Sections {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

/** Section-by-section override (`welcome`, `quietHours`, ...): the policy file wins over the environment. */
function overlayPolicy(base: Sections, over: Sections): Sections {
  const out: Sections = { ...base };
  for (const [k, v] of Object.entries(over))
    out[k] = isObject(v) && isObject(base[k]) ? { ...(base[k] as Sections), ...v } : v;
  return out;
}

/**
 * The engine configuration the worker runs (its `engineConfigFrom(env config)`), with the policy file's
 * "engine" section laid over it, so the CLI's send gate sees the same quiet hours, keywords and welcome.
 */
export async function engineConfigOf(settings: LoadedSettings): Promise<unknown> {
  const { engineConfigFrom } = await import("@ghl-bulksms/worker");
  const base = engineConfigFrom(settings.config) as Sections;
  const file = isObject(settings.engineConfig) ? settings.engineConfig : {};
  const out: Sections = { ...base, ...file };
  out.defaults = overlayPolicy(
    isObject(base.defaults) ? base.defaults : {},
    isObject(file.defaults) ? file.defaults : {},
  );
  const locations: Sections = { ...(isObject(base.locations) ? base.locations : {}) };
  for (const [id, o] of Object.entries(isObject(file.locations) ? file.locations : {}))
    locations[id] = isObject(o)
      ? overlayPolicy(isObject(locations[id]) ? (locations[id] as Sections) : {}, o)
      : o;
  out.locations = locations;
  return out;
}

/** Every location: configured ones and the ones in the store. */
export async function knownLocations(config: WorkerConfig, store: Store): Promise<string[]> {
  const ids = new Set(config.ghl.locations.map((l) => l.locationId));
  for (const l of await store.locations.list()) ids.add(l.id);
  return [...ids].sort();
}

/** `--location`, or the only location there is; an unknown id is an error listing the known ones. */
export async function resolveLocation(
  config: WorkerConfig,
  store: Store,
  requested: string | undefined,
): Promise<Location> {
  const known = await knownLocations(config, store);
  if (requested === undefined) {
    if (known.length === 1) requested = known[0] as string;
    else if (known.length === 0)
      throw new CliError("no GHL location is configured", {
        hint: "set GHL_LOCATIONS (or GHL_LOCATION_1_ID) in .env, or run `ghl-bulksms auth login --location <id>`",
      });
    else
      throw usageError(
        `several locations are configured (${known.join(", ")})`,
        "choose one with --location <id>",
      );
  }
  if (!known.includes(requested))
    throw new CliError(`unknown location "${requested}"`, {
      hint:
        known.length > 0
          ? `known locations: ${known.join(", ")}`
          : "no location is configured: set GHL_LOCATIONS in .env or run `ghl-bulksms auth login`",
    });
  await syncConfiguredLocations(config, store);
  const loc = await store.locations.get(requested);
  if (!loc) throw new CliError(`location "${requested}" is not registered in the store`);
  return loc;
}

export interface EngineRuntime {
  engine: Engine;
  ghl: (locationId: string) => GhlClient;
  sms: BulkSmsClient;
}

/** The engine over the store with the configured clients (GHL clients prepared for the given locations). */
export async function openEngine(
  settings: LoadedSettings,
  store: Store,
  locationIds: readonly string[],
  options: { needSms?: boolean } = {},
): Promise<EngineRuntime> {
  // A location without credentials only fails when a use-case really calls GHL (opt-out changes, for
  // example, only queue jobs).
  const clients = new Map<string, GhlClient | CliError>();
  for (const id of locationIds) {
    try {
      clients.set(id, await ghlClientFor(settings.config, store, id));
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      clients.set(id, e);
    }
  }
  const ghl = (locationId: string): GhlClient => {
    const c = clients.get(locationId);
    if (!c) throw new Error(`no GHL client prepared for location ${locationId}`);
    if (c instanceof CliError) throw c;
    return c;
  };
  let sms: BulkSmsClient;
  if (options.needSms === false && !settings.config.bulksms.tokenId) {
    sms = new Proxy({} as BulkSmsClient, {
      get() {
        throw new CliError("BulkSMS credentials are not configured", {
          hint: "set BULKSMS_TOKEN_ID and BULKSMS_TOKEN_SECRET in .env",
        });
      },
    });
  } else sms = await bulkSmsClient(settings.config);
  const { createEngine } = await import("@ghl-bulksms/engine");
  let engine: Engine;
  try {
    engine = createEngine({ store, ghl, sms, config: (await engineConfigOf(settings)) as never });
  } catch (e) {
    throw new CliError(
      `invalid engine configuration${settings.configFile ? ` in ${settings.configFile}` : ""}: ${(e as Error).message}`,
    );
  }
  return { engine, ghl, sms };
}
