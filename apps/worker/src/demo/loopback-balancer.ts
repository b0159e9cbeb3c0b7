// A tiny round-robin HTTP balancer on 127.0.0.1 in front of several workers, standing in for the load
// balancer of a real deployment (the simulators deliver every webhook to ONE URL). Each request goes to the
// next worker in turn; a worker that refuses the connection (down, restarting) is skipped and the next one
// tried, like a load balancer's health check would. A request a worker accepted is never re-sent elsewhere
// (a POST is not idempotent for a balancer): if the worker dies mid-request the caller gets 502 and its own
// retry rules apply. All workers refusing: 503.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";

export interface LoopbackBalancer {
  /** The balancer's base URL (http://127.0.0.1:<port>). */
  readonly url: string;
  /** Requests each worker answered, by its index in `targets`. */
  served(): number[];
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "host"]);

type Forwarded = { kind: "answered" } | { kind: "refused" } | { kind: "failed"; error: Error };

function forward(target: URL, req: IncomingMessage, body: Buffer, res: import("node:http").ServerResponse) {
  return new Promise<Forwarded>((resolve) => {
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
    }
    headers["content-length"] = String(body.length);
    const out = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers,
        agent: false,
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on("data", (c: Buffer) => chunks.push(c));
        answer.on("end", () => {
          const h: Record<string, string | string[]> = {};
          for (const [k, v] of Object.entries(answer.headers)) {
            if (v !== undefined && !HOP_BY_HOP.has(k) && k !== "content-length") h[k] = v;
          }
          res.writeHead(answer.statusCode ?? 502, h).end(Buffer.concat(chunks));
          resolve({ kind: "answered" });
        });
        answer.on("error", (error) => resolve({ kind: "failed", error }));
      },
    );
    out.on("error", (error: NodeJS.ErrnoException) => {
      resolve(error.code === "ECONNREFUSED" ? { kind: "refused" } : { kind: "failed", error });
    });
    out.end(body);
  });
}

/** Starts the balancer; `targets()` is read on every request, so restarted workers may change ports. */
export async function startLoopbackBalancer(
  targets: () => readonly string[],
  options: { port?: number } = {},
): Promise<LoopbackBalancer> {
  let next = 0;
  const served: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks);
      const list = targets();
      for (let tried = 0; tried < list.length; tried++) {
        const i = next++ % list.length;
        const target = list[i];
        if (target === undefined) continue;
        const result = await forward(new URL(target), req, body, res);
        if (result.kind === "answered") {
          served[i] = (served[i] ?? 0) + 1;
          return;
        }
        if (result.kind === "failed") {
          if (!res.headersSent) res.writeHead(502).end();
          return;
        }
      }
      res.writeHead(503).end();
    });
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((r) => server.listen(options.port ?? 0, "127.0.0.1", r));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the balancer has no port");
  return {
    url: `http://127.0.0.1:${address.port}`,
    served: () => [...served],
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
