// Opens what a command needs, the same way the worker does: the store in DATA_DIR (with the key of
// @ghl-bulksms/config), the vendor clients (the engine's GHL client factory) and the engine.
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { BulkSmsClient } from "@ghl-bulksms/bulksms";
import type { WorkerConfig } from "@ghl-bulksms/config";
import type { Engine, GhlAuthSource, GhlClientFactory } from "@ghl-bulksms/engine";
import type { GhlClient } from "@ghl-bulksms/ghl";
import type { Location, Store } from "@ghl-bulksms/store";
import { CliError, usageError } from "./errors.js";
import type { LoadedSettings } from "./settings.js";

export const DB_FILE = "ghl-bulksms.db";

/** The SQLite file: `--database <path>`, else DATA_DIR/ghl-bulksms.db. */
export function dbPath(config: WorkerConfig): string {
  return resolve(config.sqliteFile ?? join(config.dataDir, DB_FILE));
}

/** Where the store is, for messages: the PostgreSQL URL without its password, or the SQLite file. */
export function storeLabel(config: WorkerConfig): string {
  return config.databaseUrl ? redactUrl(config.databaseUrl) : dbPath(config);
}

function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, "$1***@");
}

/** Opens the store. `create: false` refuses to create a new database (read-only commands). */
export async function openStore(config: WorkerConfig, options: { create?: boolean } = {}): Promise<Store> {
  if (config.databaseUrl) return openPostgres(config, config.databaseUrl);
  const path = dbPath(config);
  if (!options.create && !existsSync(path))
    throw new CliError(`no store at ${path} (DATA_DIR=${config.dataDir})`, {
      hint: "check DATA_DIR, or create the store: `ghl-bulksms init --store-only` (or start the worker once)",
    });
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  // Loaded on demand: `--help` and `dedupe --from-file` never pay for the store, engine or clients.
  const { openSqliteStore, SchemaTooNewError } = await import("@ghl-bulksms/store");
  const { storeEncryptionKey } = await import("@ghl-bulksms/config");
  try {
    return openSqliteStore({ path, encryptionKey: storeEncryptionKey(config) });
  } catch (e) {
    if (e instanceof SchemaTooNewError)
      throw new CliError(e.message, {
        hint: "upgrade this CLI to the worker's release (the same `pnpm cli:deploy` / package version)",
      });
    throw new CliError(`cannot open the store ${path}: ${(e as Error).message}`, {
      hint: "check GHL_BULKSMS_ENCRYPTION_KEY is the key the store was created with",
    });
  }
}

/** DATABASE_URL / `--database postgres://...`: the PostgreSQL store (created and migrated on first use). */
async function openPostgres(config: WorkerConfig, url: string): Promise<Store> {
  const { openPostgresStore, SchemaTooNewError } = await import("@ghl-bulksms/store");
  const { storeEncryptionKey } = await import("@ghl-bulksms/config");
  try {
    return await openPostgresStore({ url, encryptionKey: storeEncryptionKey(config) });
  } catch (e) {
    if (e instanceof SchemaTooNewError)
      throw new CliError(e.message, {
        hint: "upgrade this CLI to the worker's release (the same `pnpm cli:deploy` / package version)",
      });
    throw new CliError(`cannot open the store ${redactUrl(url)}: ${(e as Error).message}`, {
      hint: "check DATABASE_URL (or --database) and GHL_BULKSMS_ENCRYPTION_KEY",
    });
  }
}

/** The stored private integration token written by `auth login --token` (the engine's factory reads it). */
export interface StoredPit {
  accessToken: string;
  tokenType: "pit";
  refreshToken: null;
  expiresAt: null;
  scopes: string[];
  savedAt: number;
}

/**
 * The engine's GHL client factory, as the worker uses it: env token, else a token stored by
 * `auth login --token`, else the OAuth app, else (sandbox mode) the simulator token.
 */
export async function ghlFactory(config: WorkerConfig, store: Store): Promise<GhlClientFactory> {
  const { createGhlClientFactory } = await import("@ghl-bulksms/engine");
  return createGhlClientFactory({ config, store, resolveTtlMs: 0 });
}

export type { GhlAuthSource };

export async function bulkSmsClient(config: WorkerConfig): Promise<BulkSmsClient> {
  const { tokenId, tokenSecret, apiBaseUrl } = config.bulksms;
  if (!tokenId || !tokenSecret)
    throw new CliError("BulkSMS credentials are not configured", {
      hint: "set BULKSMS_TOKEN_ID and BULKSMS_TOKEN_SECRET in the .env file (BulkSMS > Settings > API Tokens)",
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

/** The engine configuration both processes run: @ghl-bulksms/config `enginePolicy(env config, policy file)`. */
export async function engineConfigOf(settings: LoadedSettings): Promise<unknown> {
  return settings.engineConfig;
}

/** Every location: configured ones and the ones in the store. */
export async function knownLocations(config: WorkerConfig, store: Store): Promise<string[]> {
  const ids = new Set(config.ghl.locations.map((l) => l.locationId));
  for (const l of await store.locations.list()) ids.add(l.id);
  return [...ids].sort();
}

/**
 * `--location`, else the default location (GHL_DEFAULT_LOCATION, else the policy file's
 * "defaultLocation"), else the only location there is; an unknown id is an error listing the known ones.
 */
export async function resolveLocation(
  config: WorkerConfig,
  store: Store,
  requested: string | undefined,
): Promise<Location> {
  const known = await knownLocations(config, store);
  let fromDefault = false;
  if (requested === undefined && config.ghl.defaultLocation) {
    requested = config.ghl.defaultLocation;
    fromDefault = true;
  }
  if (requested === undefined) {
    if (known.length === 1) requested = known[0] as string;
    else if (known.length === 0)
      throw new CliError("no GHL location is configured", {
        hint: "set GHL_LOCATIONS (or GHL_LOCATION_1_ID) in .env, or run `ghl-bulksms auth login --location <id>`",
      });
    else
      throw usageError(
        `several locations are configured (${known.join(", ")}) and no default location is set`,
        'choose one with --location <id>, or set a default: GHL_DEFAULT_LOCATION=<id> in .env (or "defaultLocation" in the policy file)',
      );
  }
  if (!known.includes(requested))
    throw new CliError(
      fromDefault
        ? `the default location "${requested}" (GHL_DEFAULT_LOCATION or the policy file's "defaultLocation") is not a known location`
        : `unknown location "${requested}"`,
      {
        hint:
          known.length > 0
            ? `known locations: ${known.join(", ")}`
            : "no location is configured: set GHL_LOCATIONS in .env or run `ghl-bulksms auth login`",
      },
    );
  await syncConfiguredLocations(config, store);
  const loc = await store.locations.get(requested);
  if (!loc) throw new CliError(`location "${requested}" is not registered in the store`);
  return loc;
}

export interface EngineRuntime {
  engine: Engine;
  ghl: (locationId: string) => GhlClient;
  factory: GhlClientFactory;
  sms: BulkSmsClient;
}

/** The engine over the store with the configured clients (a location without credentials fails on use). */
export async function openEngine(
  settings: LoadedSettings,
  store: Store,
  options: { needSms?: boolean } = {},
): Promise<EngineRuntime> {
  const factory = await ghlFactory(settings.config, store);
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
    engine = createEngine({
      store,
      ghl: factory.forLocation,
      sms,
      config: (await engineConfigOf(settings)) as never,
      // the same reconcile / follow-up / digest policy as the worker (lifecyclePolicy(env, policy file))
      ...(settings.lifecycleConfig !== null ? { lifecycle: settings.lifecycleConfig as never } : {}),
    });
  } catch (e) {
    throw new CliError(
      `invalid engine configuration${settings.configFile ? ` in ${settings.configFile}` : ""}: ${(e as Error).message}`,
    );
  }
  return { engine, ghl: factory.forLocation, factory, sms };
}
