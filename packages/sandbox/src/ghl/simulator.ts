/**
 * startGhlSimulator: a stateful HighLevel API v2 look-alike on 127.0.0.1 (plain node:http).
 * Pipeline per request: faults -> route -> Version header -> bearer token -> rate limit -> scopes ->
 * body parse -> spec validation (422) -> handler -> response (checked against the spec).
 * Control routes live under `/__sandbox/` and are never faulted, rate-limited or authenticated.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createSandboxClock, type SandboxClock } from "../clock.js";
import { type FaultConfig, maybeInjectFault, mergeFaults, trackSockets } from "../faults.js";
import { headerValue, listen, readBody, sendJson } from "../http.js";
import { createRng, type Rng } from "../rng.js";
import { findSpecDir, loadSpecsCached, type SpecSet } from "../spec-validator.js";
import {
  type ContactInput,
  contactWebhookPayload,
  createContactsStore,
  GhlStoreError,
} from "./contacts-store.js";
import type { ContractViolation, GhlControl, RequestLogEntry, SeedResult } from "./control.js";
import { handleControlHttp } from "./control-http.js";
import {
  ALL_SCOPES,
  checkTokenForm,
  createTokenStore,
  hasScope,
  OAuthError,
  READ_ONLY_SCOPES,
  type TokenRecord,
} from "./oauth.js";
import { createRateLimiter, DEFAULT_RATE_LIMIT, type RateLimitConfig } from "./rate-limit.js";
import {
  conversationFor,
  createRoutes,
  HttpError,
  type Membership,
  messagePayload,
  type Route,
} from "./routes.js";
import { generateSeedContacts } from "./seed.js";
import type {
  GhlContact,
  GhlConversationProvider,
  GhlLocation,
  GhlMessage,
  GhlStatusUpdate,
} from "./types.js";
import {
  createWebhookKeys,
  createWebhookSender,
  DEFAULT_WEBHOOK_RETRY,
  type WebhookKeys,
  type WebhookRetryPolicy,
  type WebhookSigningOptions,
} from "./webhooks.js";

/** Version header values GHL accepts (live probes: any published version works on every family). */
export const ACCEPTED_VERSIONS = ["2021-04-15", "2021-07-28", "2023-02-21", "v3"];

export interface GhlLocationOption {
  id?: string;
  name?: string;
  country?: string;
  timezone?: string;
  allowDuplicates?: boolean;
  duplicatePriority?: Array<"email" | "phone">;
  token?: string;
  readOnlyToken?: string;
}

export interface GhlSimulatorOptions {
  /** The shared sandbox clock; one is created (real time, speed 1) when absent. */
  clock?: SandboxClock;
  /** Default 0 (ephemeral). */
  port?: number;
  /** Seed of every random choice (ids, tokens, seeded contacts, faults). Default "ghl-sandbox". */
  seed?: string | number;
  /** Number of locations, or their settings. Default 2 (a GB and a US location). */
  locations?: number | GhlLocationOption[];
  /** Contacts seeded into every location at start (and on reset). Default 0. */
  seedContacts?: number;
  /** Where webhooks go; none when absent (deliveries are logged as "no-target"). */
  webhookUrl?: string;
  /**
   * The conversation provider's Delivery URL. When set, every SMS sent through GHL (POST
   * /conversations/messages) is also POSTed there as ProviderOutboundMessage, as with a custom SMS provider.
   * control.sendProviderMessage() always fires it (here, or at webhookUrl when unset).
   */
  providerDeliveryUrl?: string;
  /** The app's SMS conversation provider; its kind decides the inbound-message rules. Default: none. */
  conversationProvider?: GhlConversationProvider;
  faults?: FaultConfig;
  signing?: WebhookSigningOptions;
  rateLimit?: Partial<RateLimitConfig>;
  webhookRetry?: Partial<WebhookRetryPolicy>;
  /** Directory of the GHL OpenAPI YAML files; false disables spec validation. Default: specs/ghl found upward. */
  specDir?: string | false;
  /**
   * Search index lag in sandbox ms: POST /contacts/search sees a change only this long after it was made
   * (GHL's index is near-real-time). Reads by id are always current. Default 0.
   */
  searchLagMs?: number;
  /** Check every response against the spec and record violations (control.contractViolations()). Default true. */
  validateResponses?: boolean;
  oauthClient?: { clientId?: string; clientSecret?: string };
}

export interface GhlSandboxTokens {
  companyId: string;
  /** Agency (Company) token accepted by /oauth/locationToken. Never expires. */
  agency: string;
  clientId: string;
  clientSecret: string;
  /** Private integration tokens per location id. */
  locations: Record<string, { token: string; readOnlyToken: string }>;
}

export interface GhlSimulator {
  /** `http://127.0.0.1:PORT` — the API base (paths as on services.leadconnectorhq.com). */
  url: string;
  port: number;
  locations: GhlLocation[];
  tokens: GhlSandboxTokens;
  keys: WebhookKeys;
  clock: SandboxClock;
  control: GhlControl;
  close(): Promise<void>;
}

interface OAuthRoute {
  method: string;
  path: string;
  kind: "token" | "locationToken";
}

const COUNTRIES = ["GB", "US", "AU"];
const TIMEZONES: Record<string, string> = {
  GB: "Europe/London",
  US: "America/New_York",
  AU: "Australia/Sydney",
};

export async function startGhlSimulator(options: GhlSimulatorOptions): Promise<GhlSimulator> {
  const clock = options.clock ?? createSandboxClock();
  const seed = String(options.seed ?? "ghl-sandbox");
  const rateConfig: RateLimitConfig = { ...DEFAULT_RATE_LIMIT, ...options.rateLimit };
  const retry: WebhookRetryPolicy = { ...DEFAULT_WEBHOOK_RETRY, ...options.webhookRetry };
  const specDir = options.specDir === false ? undefined : (options.specDir ?? findSpecDir("ghl"));
  const specs: SpecSet | undefined = specDir ? loadSpecsCached(specDir) : undefined;
  const validateResponses = options.validateResponses !== false;
  const signer = createWebhookKeys(seed, options.signing);
  const initialFaults = mergeFaults({}, options.faults ?? {});

  // ----- mutable state, rebuilt identically by init() -----
  let dataRng: Rng;
  let faultRng: Rng;
  let faults: FaultConfig;
  let webhookUrl: string | undefined;
  /**
   * Per location: the SMS provider's Delivery URL once a person enabled it (Settings > Phone Numbers >
   * Advanced > SMS Provider), null when disabled. Absent: the `providerDeliveryUrl` option applies.
   */
  const smsProviders = new Map<string, string | null>();
  /** Where GHL POSTs a location's provider messages; undefined = no provider (API sends stay in GHL). */
  const providerUrlFor = (locationId: string): string | null | undefined =>
    smsProviders.has(locationId) ? smsProviders.get(locationId) : options.providerDeliveryUrl;
  const locations: GhlLocation[] = [];
  const messages: GhlMessage[] = [];
  const statusUpdates: GhlStatusUpdate[] = [];
  const conversations = new Map<string, { id: string; contactId: string; locationId: string }>();
  let conversationProvider: GhlConversationProvider | null = options.conversationProvider ?? null;
  const requestLog: RequestLogEntry[] = [];
  const memberships: Membership[] = [];
  const violations: ContractViolation[] = [];
  const tokens: GhlSandboxTokens = {
    companyId: "",
    agency: "",
    clientId: "",
    clientSecret: "",
    locations: {},
  };

  const now = (): number => clock.now();
  const location = (id: string): GhlLocation | undefined => locations.find((l) => l.id === id);
  const sender = createWebhookSender({
    rng: createRng(`${seed}:webhooks`),
    now,
    ...(options.signing?.timestamps === "real" ? { stampNow: () => Date.now() } : {}),
    setTimer: clock.setTimer,
    signer,
    faults: () => faults,
    url: () => webhookUrl,
    retry,
    appId: "sandboxapp",
  });
  // Search index with lag: contacts touched recently are shown as they were `searchLagMs` ago.
  const lag = options.searchLagMs ?? 0;
  const indexed = new Map<string, GhlContact | null>();
  let indexGeneration = 0;
  const store = createContactsStore({
    onChange:
      lag > 0
        ? {
            before(c) {
              if (!indexed.has(c.id)) indexed.set(c.id, structuredClone(c));
            },
            after(id, c, silent) {
              const snapshot = c ? structuredClone(c) : null;
              if (silent) {
                indexed.set(id, snapshot);
                return;
              }
              if (!indexed.has(id)) indexed.set(id, null);
              const generation = indexGeneration;
              clock.setTimer(lag, () => {
                if (generation === indexGeneration) indexed.set(id, snapshot);
              });
            },
          }
        : undefined,
    rng: { ...createRng(seed), string: (n, a) => dataRng.string(n, a) } as Rng,
    now,
    emit: (type, locationId, payload) => {
      sender.send(type, locationId, payload);
    },
    location,
  });
  const client = {
    clientId: options.oauthClient?.clientId ?? "sandboxapp-sandbox",
    clientSecret: options.oauthClient?.clientSecret ?? "sandbox-client-secret",
  };
  let tokenStore = createTokenStore({ rng: createRng(seed), now, client, userId: "sandboxUser000000001" });
  const limiter = createRateLimiter(rateConfig, now);

  const seedInto = (loc: GhlLocation, count: number, webhooks: boolean): SeedResult => {
    const entries = generateSeedContacts(dataRng, count, loc.country, now());
    const created = entries.map((e) =>
      store.create(loc.id, e.input, { rawPhone: true, silent: !webhooks, at: e.at }),
    );
    const duplicates: SeedResult["duplicates"] = [];
    entries.forEach((e, i) => {
      const original = e.duplicateOf !== undefined ? created[e.duplicateOf] : undefined;
      const self = created[i];
      if (original && self && e.duplicateKind)
        duplicates.push({ kind: e.duplicateKind, contactId: self.id, duplicateOfId: original.id });
    });
    return { contacts: created, duplicates };
  };

  const init = (): void => {
    dataRng = createRng(seed);
    faultRng = createRng(`${seed}:faults`);
    faults = { ...initialFaults };
    webhookUrl = options.webhookUrl;
    tokenStore = createTokenStore({
      rng: createRng(`${seed}:tokens`),
      now,
      client,
      userId: "sandboxUser000000001",
    });
    store.clear();
    indexed.clear();
    indexGeneration++;
    sender.clear();
    limiter.clear();
    messages.length = 0;
    statusUpdates.length = 0;
    conversations.clear();
    requestLog.length = 0;
    memberships.length = 0;
    violations.length = 0;
    const companyId = dataRng.string(20);
    const optionList: GhlLocationOption[] =
      typeof options.locations === "number" || options.locations === undefined
        ? Array.from({ length: typeof options.locations === "number" ? options.locations : 2 }, () => ({}))
        : options.locations;
    if (optionList.length === 0) throw new Error("ghl simulator: at least one location is needed");
    locations.length = 0;
    tokens.locations = {};
    optionList.forEach((o, i) => {
      const country = (o.country ?? COUNTRIES[i % COUNTRIES.length] ?? "GB").toUpperCase();
      const id = o.id ?? dataRng.string(20);
      const loc: GhlLocation = {
        id,
        name: o.name ?? `Sandbox Location ${i + 1} (${country})`,
        companyId,
        country,
        timezone: o.timezone ?? TIMEZONES[country] ?? "UTC",
        allowDuplicates: o.allowDuplicates ?? false,
        duplicatePriority: o.duplicatePriority ?? (i % 2 === 0 ? ["email", "phone"] : ["phone", "email"]),
        token: "",
        readOnlyToken: "",
      };
      loc.token = tokenStore.addPit({
        token: o.token,
        userType: "Location",
        locationId: id,
        companyId,
        scopes: ALL_SCOPES,
      }).token;
      loc.readOnlyToken = tokenStore.addPit({
        token: o.readOnlyToken,
        userType: "Location",
        locationId: id,
        companyId,
        scopes: READ_ONLY_SCOPES,
      }).token;
      locations.push(loc);
      tokens.locations[id] = { token: loc.token, readOnlyToken: loc.readOnlyToken };
    });
    tokens.companyId = companyId;
    tokens.agency = tokenStore.addPit({ userType: "Company", companyId, scopes: ALL_SCOPES }).token;
    tokens.clientId = client.clientId;
    tokens.clientSecret = client.clientSecret;
    if (options.seedContacts) for (const loc of locations) seedInto(loc, options.seedContacts, false);
  };
  init();

  const searchable = (locationId: string): GhlContact[] => {
    if (lag <= 0) return store.list(locationId);
    const out: GhlContact[] = [];
    for (const c of store.list(locationId)) {
      const view = indexed.has(c.id) ? indexed.get(c.id) : c;
      if (view) out.push(view);
    }
    for (const [id, view] of indexed) {
      if (view && view.locationId === locationId && !store.find(id)) out.push(view);
    }
    return out;
  };
  const routes = createRoutes({
    store,
    searchable,
    messages,
    statusUpdates,
    conversations,
    newId: () => dataRng.string(20),
    now,
    traceId: () => dataRng.uuid(),
    memberships,
    provider: () => conversationProvider,
    onOutbound: (m, phone) => {
      // With a custom SMS provider enabled, messages sent through GHL go to the provider too.
      if (!providerUrlFor(m.locationId)) return false;
      // sent by an app through the API, not typed by a person: no userId
      providerOutbound(m, phone, null);
      return true;
    },
    emit: (type, locationId, payload) => {
      sender.send(type, locationId, payload);
    },
  });
  const oauthRoutes: OAuthRoute[] = [
    { method: "POST", path: "/oauth/token", kind: "token" },
    { method: "POST", path: "/oauth/locationToken", kind: "locationToken" },
  ];
  const compiled = routes
    .map((r) => ({
      route: r,
      regex: templateRegex(r.path),
      names: [...r.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? ""),
    }))
    .sort((a, b) => literalCount(b.route.path) - literalCount(a.route.path));

  const control: GhlControl = {
    seedContacts(count, opts = {}) {
      const targets = opts.locationId ? [requireLocation(opts.locationId)] : locations;
      const result: SeedResult = { contacts: [], duplicates: [] };
      for (const loc of targets) {
        const r = seedInto(loc, count, opts.webhooks === true);
        result.contacts.push(...r.contacts);
        result.duplicates.push(...r.duplicates);
      }
      return result;
    },
    createContact: (locationId, input) => store.create(requireLocation(locationId).id, input),
    updateContact: (contactId, input) => store.update(contactId, input),
    deleteContact: (contactId) => store.remove(contactId),
    addNote: (contactId, body) => store.addNote(contactId, { body }),
    addTask: (contactId, input) => store.addTask(contactId, { ...input, completed: false }),
    getContact: (contactId) => store.find(contactId),
    listContacts: (locationId) => store.list(locationId),
    setLocationSettings(locationId, settings) {
      const loc = requireLocation(locationId);
      if (settings.allowDuplicates !== undefined) loc.allowDuplicates = settings.allowDuplicates;
      if (settings.duplicatePriority !== undefined) loc.duplicatePriority = [...settings.duplicatePriority];
      return loc;
    },
    issueAuthorizationCode(input = {}) {
      if (input.locationId) requireLocation(input.locationId);
      return tokenStore.issueCode({
        userType: input.locationId ? "Location" : "Company",
        locationId: input.locationId,
        companyId: tokens.companyId,
        scopes: input.scopes ?? ALL_SCOPES,
      });
    },
    advanceClock: (ms) => clock.advance(ms),
    now,
    setWebhookUrl(url) {
      webhookUrl = url;
    },
    webhookDeliveries: () =>
      sender.log.map((d) => ({ ...d, attempts: [...d.attempts], faults: [...d.faults] })),
    async flushWebhooks() {
      sender.releaseHeld();
      await sender.idle();
    },
    webhookKeys: () => signer.keys,
    setSmsProvider(locationId, deliveryUrl) {
      smsProviders.set(requireLocation(locationId).id, deliveryUrl);
    },
    sendProviderMessage(contactId, message, opts = {}) {
      const contact = store.get(contactId);
      if (providerUrlFor(contact.locationId) === null)
        throw new GhlStoreError(400, `no SMS provider is enabled for location ${contact.locationId}`);
      const conversation = conversationFor(
        { conversations, newId: () => dataRng.string(20) },
        contact.id,
        contact.locationId,
      );
      const m: GhlMessage = {
        id: dataRng.string(20),
        locationId: contact.locationId,
        conversationId: conversation.id,
        contactId: contact.id,
        direction: "outbound",
        type: "SMS",
        body: message,
        status: "pending",
        attachments: [...(opts.attachments ?? [])],
        dateAdded: new Date(now()).toISOString(),
        viaProvider: true,
      };
      messages.push(m);
      providerOutbound(m, contact.phone, opts.userId === undefined ? "sandboxUser000000001" : opts.userId);
      sender.send("OutboundMessage", m.locationId, { ...messagePayload(m), source: "app" });
      return m;
    },
    inboundMessages: () => messages.filter((m) => m.direction === "inbound"),
    thread: (contactId) => messages.filter((m) => m.contactId === contactId).map((m) => structuredClone(m)),
    setConversationProvider(provider) {
      conversationProvider = provider ? { ...provider } : null;
    },
    outboundMessages: () => messages.filter((m) => m.direction === "outbound"),
    statusUpdates: () => [...statusUpdates],
    setFaults(patch) {
      faults = mergeFaults(faults, patch);
      return { ...faults };
    },
    faults: () => ({ ...faults }),
    startRateLimitStorm(durationMs) {
      faults = { ...faults, rateLimitStormUntil: now() + durationMs };
    },
    requestLog: () => [...requestLog],
    memberships: () => [...memberships],
    contractViolations: () => [...violations],
    reset: () => {
      clockTimersCancel();
      smsProviders.clear();
      init();
    },
  };
  const clockTimersCancel = (): void => sender.clear();

  /**
   * GHL asks the conversation provider to send `m` (POST to its Delivery URL), with the payload fields of
   * docs/webhook events/ProviderOutboundMessage.md (`userId` only when a person sent it), signed and
   * enveloped (webhookId, timestamp) like every other webhook.
   */
  function providerOutbound(m: GhlMessage, phone: string | null, userId: string | null): void {
    sender.send(
      "ProviderOutboundMessage",
      m.locationId,
      {
        type: "SMS",
        contactId: m.contactId,
        messageId: m.id,
        phone,
        message: m.body,
        attachments: m.attachments,
        userId,
      },
      providerUrlFor(m.locationId) ?? undefined,
    );
  }

  function requireLocation(id: string): GhlLocation {
    const loc = location(id);
    if (!loc) throw new GhlStoreError(400, `Location not found: ${id}`);
    return loc;
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname;
    const method = (req.method ?? "GET").toUpperCase();
    if (path.startsWith("/__sandbox/") || path === "/__sandbox") {
      const raw = await readBody(req);
      await handleControlHttp({
        control,
        method,
        path,
        query: url.searchParams,
        raw,
        res,
        info: () => info(),
      });
      return;
    }
    const injected = await maybeInjectFault(req, res, faults, faultRng, {
      now,
      onFault: (fault) => {
        // A request whose answer is dropped is still handled (and logged) normally below.
        if (fault.kind === "drop-after-processing") return;
        requestLog.push({
          at: now(),
          method,
          path,
          status: fault.kind === "stall" ? 0 : fault.kind === "rate-limit" ? 429 : fault.status,
        });
      },
    });
    if (injected) return;
    const raw = await readBody(req);
    const query = Object.fromEntries(url.searchParams.entries());
    const specMatch = specs?.match(method, path);
    let rateHeaders: Record<string, string> = {};
    const respond = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      if (specMatch && validateResponses) {
        const check = specs?.validateResponse(specMatch.op, status, body);
        if (check && (!check.declared || check.errors.length > 0)) {
          violations.push({
            method,
            path: specMatch.op.path,
            status,
            declared: check.declared,
            errors: check.errors,
          });
        }
      }
      requestLog.push({ at: now(), method, path, status, operation: specMatch?.op.operationId });
      sendJson(res, status, body, { ...rateHeaders, ...headers });
    };
    const fail = (e: HttpError): void => {
      const declared = specMatch?.op.responses ?? [];
      if (e.status === 404 && specMatch && !declared.includes("404")) {
        respond(400, { ...e.body, statusCode: 400 });
        return;
      }
      respond(e.status, e.body);
    };
    try {
      const oauth = oauthRoutes.find((r) => r.method === method && normalise(r.path) === normalise(path));
      const match = oauth ? undefined : findRoute(method, path);
      if (!oauth && !match) {
        respond(404, { statusCode: 404, message: `Cannot ${method} ${path}`, error: "Not Found" });
        return;
      }
      if (oauth?.kind === "token") {
        const form = parseForm(req, raw);
        checkTokenForm(form);
        validateOrThrow(specMatch, { query, path: {}, body: form, hasBody: raw.length > 0 });
        respond(200, tokenStore.exchange(form as Record<string, string>));
        return;
      }
      // Version header (live probes: 401 with these exact messages).
      const version = headerValue(req, "version");
      if (!version) throw new HttpError(401, "version header was not found.", { error: "Unauthorized" });
      if (!ACCEPTED_VERSIONS.includes(version))
        throw new HttpError(401, "version header is invalid", { error: "Unauthorized" });
      const token = authenticate(req);
      const rate = limiter.take(token.locationId ?? token.companyId);
      rateHeaders = rate.headers;
      if (!rate.allowed) {
        respond(
          429,
          { statusCode: 429, message: "Too Many Requests" },
          { "retry-after": String(Math.ceil(rateConfig.burstIntervalMs / 1000)) },
        );
        return;
      }
      if (oauth?.kind === "locationToken") {
        const form = parseForm(req, raw);
        if (token.userType !== "Company")
          throw new HttpError(401, "This route is only for agency (Company) tokens", {
            error: "Unauthorized",
          });
        validateOrThrow(specMatch, { query, path: {}, body: form, hasBody: raw.length > 0 });
        const f = form as Record<string, string>;
        const loc = location(f.locationId ?? "");
        respond(200, tokenStore.locationToken(token, f.companyId ?? "", f.locationId ?? "", loc?.companyId));
        return;
      }
      if (!match) return;
      const { route, params } = match;
      if (!route.userTypes.includes(token.userType)) {
        throw new HttpError(401, "The token is not authorized for this scope.", { error: "Unauthorized" });
      }
      const required = specMatch?.op.scopes.length ? specMatch.op.scopes : route.scopes;
      if (!required.every((s) => hasScope(token.scopes, s))) {
        throw new HttpError(401, "The token is not authorized for this scope.", { error: "Unauthorized" });
      }
      let body: unknown = {};
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw.toString("utf8"));
        } catch (error) {
          throw new HttpError(400, `Unexpected token in JSON body: ${(error as Error).message}`);
        }
      }
      validateOrThrow(specMatch, { query, path: params, body, hasBody: raw.length > 0 });
      const result = route.handler({
        params,
        query,
        body: (body ?? {}) as Record<string, unknown>,
        token,
        location: token.locationId ? location(token.locationId) : undefined,
      });
      respond(result.status, result.body);
    } catch (error) {
      if (error instanceof HttpError) fail(error);
      else if (error instanceof OAuthError)
        respond(error.status, {
          statusCode: error.status,
          message: error.message,
          ...(error.status === 401 ? { error: "Unauthorized" } : {}),
        });
      else if (error instanceof GhlStoreError)
        fail(new HttpError(/not found/i.test(error.message) ? 404 : error.status, error.message));
      else respond(500, { statusCode: 500, message: `Internal server error: ${(error as Error).message}` });
    }
  };

  function validateOrThrow(
    specMatch: ReturnType<SpecSet["match"]>,
    parts: Parameters<SpecSet["validateRequest"]>[1],
  ): void {
    if (!specMatch || !specs) return;
    const messages = specs.validateRequest(specMatch.op, parts);
    if (messages.length > 0) throw new HttpError(422, messages, { error: "Unprocessable Entity" });
  }

  function authenticate(req: IncomingMessage): TokenRecord {
    const header = headerValue(req, "authorization") ?? "";
    const [scheme, value] = header.split(" ");
    const record = scheme?.toLowerCase() === "bearer" && value ? tokenStore.lookup(value) : undefined;
    if (!record)
      throw new HttpError(401, "Invalid token: access token is invalid", { error: "Unauthorized" });
    return record;
  }

  function findRoute(
    method: string,
    path: string,
  ): { route: Route; params: Record<string, string> } | undefined {
    const p = normalise(path);
    for (const c of compiled) {
      if (c.route.method !== method) continue;
      const m = c.regex.exec(p);
      if (!m) continue;
      const params: Record<string, string> = {};
      c.names.forEach((n, i) => {
        params[n] = decodeURIComponent(m[i + 1] ?? "");
      });
      return { route: c.route, params };
    }
    return undefined;
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { statusCode: 500, message: (error as Error).message });
    });
  });
  server.keepAliveTimeout = 1_000;
  const sockets = trackSockets(server);
  const port = await listen(server, options.port ?? 0);
  const baseUrl = `http://127.0.0.1:${port}`;
  const info = () => ({
    url: baseUrl,
    now: now(),
    locations: locations.map((l) => ({ ...l })),
    tokens,
    webhookUrl: webhookUrl ?? null,
    faults,
    keys: signer.keys,
    specsLoaded: specs ? specs.operations.length : 0,
  });

  return {
    url: baseUrl,
    port,
    locations,
    tokens,
    keys: signer.keys,
    clock,
    control,
    close: () =>
      new Promise<void>((resolve) => {
        sender.clear();
        sockets.destroyAll();
        server.close(() => resolve());
      }),
  };
}

function parseForm(req: IncomingMessage, raw: Buffer): Record<string, unknown> {
  const type = headerValue(req, "content-type") ?? "";
  const text = raw.toString("utf8");
  if (type.includes("application/json")) {
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new HttpError(400, "Invalid parameter: body");
    }
  }
  return Object.fromEntries(new URLSearchParams(text).entries());
}

function normalise(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}

function templateRegex(template: string): RegExp {
  const segments = normalise(template).split("/").filter(Boolean);
  return new RegExp(`^/${segments.map((s) => (s.startsWith("{") ? "([^/]+)" : s)).join("/")}$`);
}

function literalCount(template: string): number {
  return template.split("/").filter((s) => s && !s.startsWith("{")).length;
}

export type { ContactInput };
export { contactWebhookPayload };
