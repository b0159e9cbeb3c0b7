import { createServer, type IncomingMessage } from "node:http";
import { createSandboxClock } from "../src/clock.ts";
import { type GhlSimulator, type GhlSimulatorOptions, startGhlSimulator } from "../src/ghl/simulator.ts";

export const T0 = Date.parse("2026-03-01T09:00:00.000Z");

export async function startGhl(options: Partial<GhlSimulatorOptions> = {}): Promise<GhlSimulator> {
  const clock = options.clock ?? createSandboxClock({ start: T0, speed: 1 });
  return startGhlSimulator({ ...options, clock });
}

export interface ApiOptions {
  method?: string;
  token?: string | null;
  version?: string | null;
  body?: unknown;
  form?: Record<string, string>;
}

export interface ApiResult {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON answers loosely
  body: any;
  headers: Headers;
}

export async function api(sim: GhlSimulator, path: string, options: ApiOptions = {}): Promise<ApiResult> {
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? sim.locations[0]?.token : options.token;
  if (token) headers.authorization = `Bearer ${token}`;
  const version =
    options.version === undefined
      ? path.startsWith("/conversations")
        ? "2021-04-15"
        : "2021-07-28"
      : options.version;
  if (version) headers.version = version;
  let body: string | undefined;
  if (options.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(options.form).toString();
  } else if (options.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  const res = await fetch(`${sim.url}${path}`, {
    method: options.method ?? (body ? "POST" : "GET"),
    headers,
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

export interface Received {
  headers: IncomingMessage["headers"];
  raw: Buffer;
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON payloads loosely
  json: any;
}

/** A webhook target answering with `statuses` in turn (the last one repeats). */
export async function startReceiver(statuses: number[] = [200]) {
  const received: Received[] = [];
  let i = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      received.push({ headers: req.headers, raw, json: JSON.parse(raw.toString("utf8")) });
      const status = statuses[Math.min(i++, statuses.length - 1)] ?? 200;
      res.writeHead(status, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
