// A small HighLevel look-alike on 127.0.0.1 for integration tests (not exported from the package).
// It speaks just enough of GHL: bearer tokens with expiry, single-use rotating refresh tokens,
// a per-location sliding-window rate limit with X-RateLimit-* headers and 429s, fault injection
// (5xx bursts, slow responses), contacts get/create, and a contacts search that generates ids.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface GhlTestServerOptions {
  now: () => number;
  /** Rate limit per location (default 100 / 10 000 ms like GHL). */
  rateMax?: number;
  rateIntervalMs?: number;
  dailyLimit?: number;
  /** Send Retry-After (seconds) on 429s. */
  retryAfterSeconds?: number | null;
  /** Total contacts the search endpoint pretends to hold per location. */
  searchTotal?: number;
  /** Real ms the /oauth/token endpoint waits before answering (widens race windows). */
  refreshDelayMs?: number;
}

export interface ServerToken {
  locationId: string;
  expiresAt: number;
}

export type Fault = { kind: "status"; status: number; body?: unknown } | { kind: "delay"; ms: number };

export interface GhlTestServer {
  url: string;
  /** Valid access tokens. */
  accessTokens: Map<string, ServerToken>;
  /** Unused refresh tokens -> location. */
  refreshTokens: Map<string, string>;
  /** Faults applied to the next non-OAuth requests, in order. */
  faults: Fault[];
  stats: {
    requests: number;
    refreshRequests: number;
    rejectedRefreshes: number;
    tooManyRequests: number;
    byPath: Map<string, number>;
    searchBodies: Array<{ page?: number; searchAfter?: unknown[]; pageLimit: number }>;
  };
  close(): Promise<void>;
}

const PAGE_WINDOW = 10_000;

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): undefined {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startGhlTestServer(options: GhlTestServerOptions): Promise<GhlTestServer> {
  const rateMax = options.rateMax ?? 100;
  const interval = options.rateIntervalMs ?? 10_000;
  const dailyLimit = options.dailyLimit ?? 200_000;
  const windows = new Map<string, number[]>();
  const daily = new Map<string, number>();
  let seq = 0;
  const state: Omit<GhlTestServer, "url" | "close"> = {
    accessTokens: new Map(),
    refreshTokens: new Map(),
    faults: [],
    stats: {
      requests: 0,
      refreshRequests: 0,
      rejectedRefreshes: 0,
      tooManyRequests: 0,
      byPath: new Map(),
      searchBodies: [],
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<undefined> => {
    const url = new URL(req.url ?? "/", "http://x");
    const body = await readBody(req);
    state.stats.requests++;
    state.stats.byPath.set(url.pathname, (state.stats.byPath.get(url.pathname) ?? 0) + 1);

    if (url.pathname === "/oauth/token") {
      state.stats.refreshRequests++;
      const form = new URLSearchParams(body);
      if (options.refreshDelayMs) await new Promise((r) => setTimeout(r, options.refreshDelayMs));
      const rt = form.get("refresh_token") ?? "";
      const locationId = state.refreshTokens.get(rt);
      if (form.get("grant_type") !== "refresh_token" || locationId === undefined) {
        state.stats.rejectedRefreshes++;
        return send(res, 400, { statusCode: 400, message: "Invalid grant: refresh token is invalid" });
      }
      state.refreshTokens.delete(rt); // single use
      const n = ++seq;
      const access = `at-${n}`;
      const refresh = `rt-${n}`;
      state.accessTokens.set(access, { locationId, expiresAt: options.now() + 86_399_000 });
      state.refreshTokens.set(refresh, locationId);
      return send(res, 200, {
        access_token: access,
        refresh_token: refresh,
        expires_in: 86399,
        token_type: "Bearer",
        userType: "Location",
        locationId,
        userId: "user-1",
      });
    }

    const auth = req.headers.authorization ?? "";
    const token = state.accessTokens.get(auth.replace(/^Bearer /, ""));
    if (!token || token.expiresAt <= options.now()) {
      return send(res, 401, {
        statusCode: 401,
        message: "Invalid token: access token is invalid",
        error: "Unauthorized",
      });
    }
    const expectedVersion = url.pathname.startsWith("/conversations") ? "2021-04-15" : "2021-07-28";
    if (req.headers.version !== expectedVersion) {
      return send(res, 400, { statusCode: 400, message: `Version header must be ${expectedVersion}` });
    }

    // Rate limit (sliding window per location) + headers on every answer.
    const t = options.now();
    const w = (windows.get(token.locationId) ?? []).filter((x) => x > t - interval);
    windows.set(token.locationId, w);
    const usedToday = daily.get(token.locationId) ?? 0;
    const limited = w.length >= rateMax;
    if (!limited) {
      w.push(t);
      daily.set(token.locationId, usedToday + 1);
    }
    const headers: Record<string, string> = {
      "X-RateLimit-Max": String(rateMax),
      "X-RateLimit-Remaining": String(Math.max(0, rateMax - w.length)),
      "X-RateLimit-Interval-Milliseconds": String(interval),
      "X-RateLimit-Limit-Daily": String(dailyLimit),
      "X-RateLimit-Daily-Remaining": String(Math.max(0, dailyLimit - (daily.get(token.locationId) ?? 0))),
    };
    if (limited) {
      state.stats.tooManyRequests++;
      if (options.retryAfterSeconds) headers["Retry-After"] = String(options.retryAfterSeconds);
      return send(res, 429, { statusCode: 429, message: "Too many requests" }, headers);
    }

    const fault = state.faults.shift();
    if (fault?.kind === "status")
      return send(
        res,
        fault.status,
        fault.body ?? { statusCode: fault.status, message: "injected" },
        headers,
      );
    if (fault?.kind === "delay") {
      // Hold the answer for `ms`, or until the client hangs up (a timed-out client closes the socket).
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, fault.ms);
        res.on("close", () => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (res.destroyed || res.writableEnded) return undefined;
    }

    if (req.method === "POST" && url.pathname === "/contacts/search") {
      return search(res, body, headers);
    }
    if (req.method === "POST" && url.pathname === "/contacts/") {
      const input = JSON.parse(body) as Record<string, unknown>;
      return send(res, 201, { contact: { id: `c-${++seq}`, ...input } }, headers);
    }
    const m = /^\/contacts\/([^/]+)$/.exec(url.pathname);
    if (req.method === "GET" && m) {
      return send(
        res,
        200,
        { contact: { id: m[1], locationId: token.locationId }, traceId: `trace-${seq}` },
        headers,
      );
    }
    return send(res, 404, { statusCode: 404, message: `no route ${req.method} ${url.pathname}` }, headers);
  };

  const total = options.searchTotal ?? 0;
  const search = (res: ServerResponse, raw: string, headers: Record<string, string>): undefined => {
    const b = JSON.parse(raw) as {
      page?: number;
      searchAfter?: unknown[];
      pageLimit?: number;
      locationId?: string;
    };
    if (!b.locationId || !b.pageLimit) {
      return send(
        res,
        422,
        { statusCode: 422, message: ["locationId should not be empty", "pageLimit must be a number"] },
        headers,
      );
    }
    if (b.pageLimit > 500)
      return send(
        res,
        422,
        { statusCode: 422, message: ["pageLimit must not be greater than 500"] },
        headers,
      );
    state.stats.searchBodies.push({
      pageLimit: b.pageLimit,
      ...(b.page !== undefined ? { page: b.page } : {}),
      ...(b.searchAfter ? { searchAfter: b.searchAfter } : {}),
    });
    let start: number;
    if (b.searchAfter) {
      if (b.page !== undefined)
        return send(res, 422, { statusCode: 422, message: ["page and searchAfter are exclusive"] }, headers);
      start = Number(b.searchAfter[0]) + 1;
    } else {
      const page = b.page ?? 1;
      if (page * b.pageLimit > PAGE_WINDOW) {
        return send(
          res,
          422,
          { statusCode: 422, message: ["page window exceeded: use searchAfter beyond 10000 records"] },
          headers,
        );
      }
      start = (page - 1) * b.pageLimit;
    }
    const end = Math.min(total, start + b.pageLimit);
    const contacts = [];
    for (let i = start; i < end; i++) {
      contacts.push({ id: `contact-${i}`, locationId: b.locationId, searchAfter: [i, `contact-${i}`] });
    }
    send(res, 200, { contacts, total }, headers);
    return undefined;
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => send(res, 500, { statusCode: 500, message: String(e) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    ...state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
