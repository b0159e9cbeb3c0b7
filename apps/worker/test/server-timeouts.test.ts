// Slow clients over real sockets: partial headers, a stalled body and idle keep-alive connections are closed
// by the worker's HTTP server within the configured bounds (short ones here), not left open for minutes.
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestServer } from "./fakes.ts";

const HEADERS_TIMEOUT_MS = 400;
const REQUEST_TIMEOUT_MS = 800;
const KEEP_ALIVE_TIMEOUT_MS = 400;
/** Generous: load on the machine may slow things, but Node's defaults (60 s / 300 s / 30 s checks) are far above. */
const CLOSE_WITHIN_MS = 15_000;

const server = buildTestServer({
  options: {
    bulksmsWebhookSecret: "bulksms-secret-0123456789abcdef",
    headersTimeoutMs: HEADERS_TIMEOUT_MS,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: KEEP_ALIVE_TIMEOUT_MS,
  },
});
let port = 0;
beforeAll(async () => {
  const url = await server.listen({ host: "127.0.0.1", port: 0 });
  port = Number(new URL(url).port);
});
afterAll(() => server.close());

interface Watched {
  socket: Socket;
  received: () => string;
  /** ms from connect to close, or null when still open at the deadline */
  closedAfter: Promise<number | null>;
}

function open(firstBytes: string, drip?: string): Promise<Watched> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    let received = "";
    let dripTimer: NodeJS.Timeout | undefined;
    socket.on("data", (d) => {
      received += d;
    });
    socket.once("error", () => {}); // a reset counts as closed
    socket.once("connect", () => {
      const at = Date.now();
      socket.write(firstBytes);
      // a slow-loris client keeps sending a byte now and then
      if (drip) dripTimer = setInterval(() => socket.writable && socket.write(drip), 100);
      const closedAfter = new Promise<number | null>((done) => {
        const deadline = setTimeout(() => {
          clearInterval(dripTimer);
          done(null);
          socket.destroy();
        }, CLOSE_WITHIN_MS);
        socket.once("close", () => {
          clearTimeout(deadline);
          clearInterval(dripTimer);
          done(Date.now() - at);
        });
      });
      resolve({ socket, received: () => received, closedAfter });
    });
    socket.once("error", reject);
  });
}

describe("HTTP timeouts over real sockets", () => {
  it("closes 40 connections that never finish their headers (slow-loris) within the bound", async () => {
    const partial = "POST /webhooks/ghl HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
    const sockets = await Promise.all(Array.from({ length: 40 }, () => open(partial, "X")));
    const closed = await Promise.all(sockets.map((s) => s.closedAfter));
    expect(closed.filter((ms) => ms === null)).toEqual([]); // none left open
    for (const ms of closed) expect(ms).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
    for (const s of sockets) if (s.received()) expect(s.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it("closes a connection whose body stalls (408) within the request timeout", async () => {
    const head =
      "POST /webhooks/bulksms/bulksms-secret-0123456789abcdef HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
      "Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n[";
    const s = await open(head, " ");
    const ms = await s.closedAfter;
    expect(ms).not.toBeNull();
    expect(ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(s.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it("serves a normal request, then closes the idle keep-alive connection", async () => {
    const s = await open("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    const ms = await s.closedAfter;
    expect(s.received()).toMatch(/^HTTP\/1\.1 200/);
    expect(s.received()).toMatch(/keep-alive/i);
    expect(ms).not.toBeNull();
    expect(ms).toBeGreaterThanOrEqual(KEEP_ALIVE_TIMEOUT_MS - 50);
  });

  it("refuses a headers timeout longer than the request timeout", () => {
    expect(() =>
      buildTestServer({
        options: {
          bodyLimitBytes: 1024,
          overloadThreshold: 1,
          headersTimeoutMs: 2000,
          requestTimeoutMs: 1000,
        },
      }),
    ).toThrow(/headers timeout \(2000 ms\) must be > 0 and <= the request timeout \(1000 ms\)/);
  });
});
