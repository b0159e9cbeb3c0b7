/**
 * A tiny HTTP receiver on 127.0.0.1 for tests and demos: records every POST (headers, parsed JSON body)
 * and answers with a status chosen per request (default 200). `hang` holds the request unanswered.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** Status the receiver answered with ("hang" when it held the request). */
  answered: number | "hang";
}

export interface WebhookReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Choose the answer for each request; `[]` test POSTs get 200 unless `answerTestPosts` is false. */
  respond(fn: (req: { path: string; body: unknown }) => number | "hang"): void;
  answerTestPosts: boolean;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  let responder: (req: { path: string; body: unknown }) => number | "hang" = () => 200;
  const hanging = new Set<ServerResponse>();
  const receiver: WebhookReceiver = {
    url: "",
    requests: [],
    respond(fn) {
      responder = fn;
    },
    answerTestPosts: true,
    async close() {
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      const path = req.url ?? "/";
      const isTest = Array.isArray(body) && body.length === 0 && receiver.answerTestPosts;
      const answer = isTest ? 200 : responder({ path, body });
      receiver.requests.push({ path, headers: req.headers, body, answered: answer });
      if (answer === "hang") {
        hanging.add(res);
        return;
      }
      res.writeHead(answer, { "Content-Type": "text/plain" });
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return receiver;
}
