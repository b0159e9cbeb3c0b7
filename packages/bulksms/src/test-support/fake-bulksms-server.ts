/**
 * A small BulkSMS look-alike on 127.0.0.1 (port 0) for this package's integration tests. Not exported.
 * It answers like BulkSMS: Basic auth, POST /messages (array body, `deduplication-id` honoured: a repeat
 * returns the first answer and creates nothing), GET /messages with `filter` and `id<` paging, 19-digit
 * ids (optionally as bare JSON numbers), numbers echoed WITHOUT "+", problem-details errors, webhooks
 * CRUD (update = POST /webhooks/{id}), blocked numbers with `min-id`. Faults (5xx bursts, slow answers,
 * dropped connections, empty 400s) are queued with `inject()`.
 * TODO(sandbox): switch these tests to @ghl-bulksms/sandbox once it serves the same behaviour.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type RecordedRequest = {
  method: string;
  path: string;
  rawUrl: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: string;
};
export type Fault = {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  delayMs?: number;
  dropConnection?: boolean;
};

type StoredMessage = Record<string, unknown> & { id: string };

export type FakeBulkSms = {
  baseUrl: string;
  requests: RecordedRequest[];
  /** Messages created by POST /messages (logical sends), newest last. */
  created: StoredMessage[];
  /** Queue faults answered (in order) before normal handling, optionally only for one path. */
  inject(...faults: Fault[]): void;
  /** Adds stored messages (e.g. inbound ones) for listing. */
  seed(messages: StoredMessage[]): void;
  blocked: Array<{ id: number; phoneNumber: string }>;
  webhooks: Array<Record<string, unknown> & { id: number }>;
  close(): Promise<void>;
};

export type FakeOptions = {
  tokenId?: string;
  tokenSecret?: string;
  /** Emit message ids as bare JSON numbers (precision trap for JSON.parse). */
  idsAsNumbers?: boolean;
  /** Page size cap for GET /messages (BulkSMS may return fewer than `limit`). */
  pageSize?: number;
};

export async function startFakeBulkSms(options: FakeOptions = {}): Promise<FakeBulkSms> {
  const tokenId = options.tokenId ?? "TOKEN-ID";
  const tokenSecret = options.tokenSecret ?? "token-secret";
  const expectedAuth = `Basic ${Buffer.from(`${tokenId}:${tokenSecret}`).toString("base64")}`;
  const requests: RecordedRequest[] = [];
  const faults: Fault[] = [];
  const created: StoredMessage[] = [];
  const stored: StoredMessage[] = [];
  const dedup = new Map<string, string>();
  const blocked: Array<{ id: number; phoneNumber: string }> = [];
  const webhooks: Array<Record<string, unknown> & { id: number }> = [];
  let nextId = 9_532_628_338_590_433_000n; // 19 digits, beyond 2^53
  let nextSubmission = 1;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const record: RecordedRequest = {
        method: req.method ?? "GET",
        path: url.pathname.replace(/^\/v1/, ""),
        rawUrl: req.url ?? "",
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(record);
      const fault = faults.shift();
      if (fault !== undefined) {
        const answer = () => {
          if (fault.dropConnection) {
            req.socket.destroy();
            return;
          }
          if (fault.status === undefined) {
            handle(record, res);
            return;
          }
          res.writeHead(fault.status, { "content-type": "application/problem+json", ...fault.headers });
          res.end(fault.body ?? "");
        };
        if (fault.delayMs) setTimeout(answer, fault.delayMs);
        else answer();
        return;
      }
      handle(record, res);
    });
  });

  function send(res: ServerResponse, status: number, body: unknown) {
    let text = body === undefined ? "" : JSON.stringify(body);
    if (options.idsAsNumbers) text = text.replace(/"(id|relatedSentMessageId)":"(\d{16,})"/g, '"$1":$2');
    res.writeHead(status, { "content-type": "application/json" });
    res.end(text);
  }

  function problem(
    res: ServerResponse,
    status: number,
    title: string,
    detail: string,
    type = "https://developer.bulksms.com/json/v1/errors#validation",
  ) {
    send(res, status, { type, title, status, detail });
  }

  function handle(r: RecordedRequest, res: ServerResponse) {
    if (r.headers.authorization !== expectedAuth)
      return problem(
        res,
        401,
        "Unauthorized",
        "bad credentials",
        "https://developer.bulksms.com/json/v1/errors#authentication-failed",
      );
    if (r.method === "POST" && r.path === "/messages") return sendMessages(r, res);
    if (r.method === "GET" && r.path === "/messages") return listMessages(r, res);
    const one = /^\/messages\/(\d+)$/.exec(r.path);
    if (r.method === "GET" && one) {
      const m = [...stored, ...created].find((x) => x.id === one[1]);
      return m
        ? send(res, 200, m)
        : problem(
            res,
            404,
            "Not Found",
            "no such message",
            "https://developer.bulksms.com/json/v1/errors#not-found",
          );
    }
    if (r.method === "GET" && r.path === "/profile") {
      return send(res, 200, {
        id: "1",
        username: "tester",
        credits: { balance: 123.5, limit: 0, isTransferAllowed: false },
        quota: { size: 1000, remaining: 990 },
      });
    }
    if (r.path === "/blocked-numbers") {
      if (r.method === "GET") {
        const min = Number(r.query.get("min-id") ?? "0");
        const limit = Math.min(Number(r.query.get("limit") ?? "10000"), options.pageSize ?? 10000);
        return send(res, 200, blocked.filter((b) => b.id >= min).slice(0, limit));
      }
      const numbers = JSON.parse(r.body) as string[];
      if (!Array.isArray(numbers) || numbers.length > 1000)
        return problem(res, 400, "Bad Request", "at most 1000 numbers");
      for (const n of numbers) {
        const phoneNumber = n.replace(/^\+/, "");
        if (!blocked.some((b) => b.phoneNumber === phoneNumber))
          blocked.push({ id: blocked.length + 1, phoneNumber });
      }
      res.writeHead(200);
      return res.end();
    }
    if (r.path === "/webhooks" && r.method === "GET") return send(res, 200, webhooks);
    if (r.path === "/webhooks" && r.method === "POST") {
      const entry = JSON.parse(r.body) as Record<string, unknown>;
      if (webhooks.some((w) => w.name === entry.name))
        return problem(res, 400, "Bad Request", "name already used");
      void testCall(entry).then((okay) => {
        if (!okay)
          return problem(res, 400, "Bad Request", "webhook URL did not answer the test call with 2xx");
        const hook = { id: webhooks.length + 1, active: true, invokeOption: "ONE", ...entry };
        webhooks.push(hook);
        send(res, 200, hook);
      });
      return;
    }
    const hookMatch = /^\/webhooks\/(\d+)$/.exec(r.path);
    if (hookMatch) {
      const index = webhooks.findIndex((w) => String(w.id) === hookMatch[1]);
      if (index === -1) return problem(res, 404, "Not Found", "no such webhook");
      if (r.method === "POST") {
        const entry = JSON.parse(r.body) as Record<string, unknown>;
        void testCall(entry).then((okay) => {
          if (!okay)
            return problem(res, 400, "Bad Request", "webhook URL did not answer the test call with 2xx");
          const hook = { ...webhooks[index], ...entry, id: webhooks[index]?.id ?? 0 };
          webhooks[index] = hook;
          send(res, 200, hook);
        });
        return;
      }
      if (r.method === "DELETE") {
        webhooks.splice(index, 1);
        res.writeHead(200);
        return res.end();
      }
    }
    problem(res, 404, "Not Found", `no route ${r.method} ${r.path}`);
  }

  /** Like BulkSMS: an active webhook is tested with a POST of `[]` and must answer 2xx. Only 127.0.0.1 URLs are called. */
  async function testCall(entry: Record<string, unknown>): Promise<boolean> {
    if (entry.active === false || typeof entry.url !== "string") return true;
    const url = new URL(entry.url);
    if (url.hostname !== "127.0.0.1") return true;
    try {
      const answer = await fetch(url, {
        method: "POST",
        body: "[]",
        headers: {
          "content-type": "application/json",
          "user-agent": "BulkSMS Invoker",
          "x-bulksms-event": entry.triggerScope === "RECEIVED" ? "incoming-message" : "status-report",
        },
      });
      return answer.status >= 200 && answer.status < 300;
    } catch {
      return false;
    }
  }

  function sendMessages(r: RecordedRequest, res: ServerResponse) {
    const dedupId = r.query.get("deduplication-id");
    if (dedupId !== null) {
      const previous = dedup.get(dedupId);
      if (previous !== undefined) {
        res.writeHead(201, { "content-type": "application/json" });
        return res.end(previous);
      }
    }
    let entries: unknown;
    try {
      entries = JSON.parse(r.body);
    } catch {
      res.writeHead(400);
      return res.end(); // BulkSMS sometimes answers 400 with an EMPTY body
    }
    if (!Array.isArray(entries)) return problem(res, 400, "Bad Request", "body must be an array");
    const out: StoredMessage[] = [];
    const submission = {
      id: `2-${String(nextSubmission++).padStart(20, "0")}`,
      date: "2026-01-01T00:00:00Z",
    };
    for (const entry of entries as Array<Record<string, unknown>>) {
      const to = entry.to as Array<{ address: string }>;
      for (const recipient of to) {
        nextId += 1n;
        const m: StoredMessage = {
          id: nextId.toString(),
          type: "SENT",
          from: "",
          to: recipient.address.replace(/^\+/, ""),
          body: entry.body,
          encoding: entry.encoding ?? "TEXT",
          submission,
          status: { id: "ACCEPTED.null", type: "ACCEPTED", subtype: null },
          userSuppliedId: entry.userSuppliedId ?? null,
          relatedSentMessageId: null,
          numberOfParts: null,
          creditCost: null,
        };
        out.push(m);
        created.push(m);
      }
    }
    let text = JSON.stringify(out);
    if (options.idsAsNumbers) text = text.replace(/"id":"(\d{16,})"/g, '"id":$1');
    if (dedupId !== null) dedup.set(dedupId, text);
    res.writeHead(201, { "content-type": "application/json" });
    res.end(text);
  }

  function listMessages(r: RecordedRequest, res: ServerResponse) {
    const filter = r.query.get("filter") ?? "";
    let all = [...stored, ...created].sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
    for (const clause of filter === "" ? [] : filter.split("&")) {
      const m = /^([a-zA-Z.]+)(<|>|=)(.+)$/.exec(clause);
      if (!m) return problem(res, 400, "Bad Request", `bad filter clause`);
      const [, field, op, value] = m as unknown as [string, string, string, string];
      if (field === "id")
        all = all.filter((x) =>
          op === "<"
            ? BigInt(x.id) < BigInt(value)
            : op === ">"
              ? BigInt(x.id) > BigInt(value)
              : x.id === value,
        );
      else if (field === "type") all = all.filter((x) => x.type === value);
      else if (field === "userSuppliedId") all = all.filter((x) => x.userSuppliedId === value);
      else return problem(res, 400, "Bad Request", `unknown filter field ${field}`);
    }
    const limit = Math.min(Number(r.query.get("limit") ?? "1000"), options.pageSize ?? 1000);
    send(res, 200, all.slice(0, limit));
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    created,
    blocked,
    webhooks,
    inject: (...f) => faults.push(...f),
    seed: (messages) => stored.push(...messages),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
