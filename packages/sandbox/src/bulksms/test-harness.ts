/** Helpers for the BulkSMS simulator's own tests: a simulator on a fixed-start clock plus a typed caller. */
import { createSandboxClock, type SandboxClock } from "../clock.js";
import { type BulkSmsSimulator, type BulkSmsSimulatorOptions, startBulkSmsSimulator } from "./simulator.js";

export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

export interface CallResult {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export interface Harness {
  sim: BulkSmsSimulator;
  clock: SandboxClock;
  call(
    method: string,
    path: string,
    body?: unknown,
    init?: { auth?: string | null; raw?: string },
  ): Promise<CallResult>;
  close(): Promise<void>;
}

export function basicAuth(tokenId: string, tokenSecret: string): string {
  return `Basic ${Buffer.from(`${tokenId}:${tokenSecret}`).toString("base64")}`;
}

export async function startHarness(options: BulkSmsSimulatorOptions = {}): Promise<Harness> {
  // A near-frozen clock: virtual time moves only by advance(), so timings in tests are exact.
  const clock = options.clock ?? createSandboxClock({ start: T0, speed: 1e-9 });
  const sim = await startBulkSmsSimulator({ ...options, clock });
  const cred = sim.credentials[0];
  if (!cred) throw new Error("no credential");
  const defaultAuth = basicAuth(cred.tokenId, cred.tokenSecret);
  return {
    sim,
    clock,
    async call(method, path, body, init = {}) {
      const headers: Record<string, string> = {};
      const auth = init.auth === undefined ? defaultAuth : init.auth;
      if (auth !== null) headers.authorization = auth;
      let payload: string | undefined = init.raw;
      if (body !== undefined) {
        headers["content-type"] = "application/json";
        payload = JSON.stringify(body);
      } else if (init.raw !== undefined) headers["content-type"] = "application/json";
      const res = await fetch(`${path.startsWith("/__sandbox") ? sim.origin : sim.url}${path}`, {
        method,
        headers,
        ...(payload !== undefined ? { body: payload } : {}),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text === "" ? undefined : JSON.parse(text);
      } catch {
        parsed = text;
      }
      return { status: res.status, headers: res.headers, body: parsed, text };
    },
    close: () => sim.close(),
  };
}
