// The OAuth code flow's local callback: a one-shot HTTP server on 127.0.0.1 that takes exactly one
// authorization code, and only with the exact state this login generated.
//
// While the CLI waits, any web page open in the operator's browser can make the browser request
// http://127.0.0.1:<port>/oauth/callback?code=<someone else's code>. Without a state check (or with one
// that lets a missing state through) that completes the login with an attacker's account. So:
// - a callback without `state`, or with another state, is refused (400, plain text) and the CLI keeps
//   waiting for the right one;
// - the right state is single-use: the first callback that carries it ends the wait (code or error), and
//   any later callback is refused (410), even with the same state;
// - the wait ends after `timeoutMs` with a clear result.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const OAUTH_CALLBACK_PATH = "/oauth/callback";

export type OAuthCallbackResult =
  | { readonly ok: true; readonly code: string }
  | {
      readonly ok: false;
      readonly reason: "timeout" | "denied" | "no_code";
      /** for the operator; never contains a code */
      readonly message: string;
    };

export type OAuthCallbackRefusal = "no_state" | "wrong_state" | "already_used";

export interface OAuthCallbackOptions {
  /** 0 = any free port */
  readonly port: number;
  /** the state sent in the authorize URL; default: 128 random bits */
  readonly state?: string;
  readonly timeoutMs: number;
  /** called for each refused callback (the CLI prints it and keeps waiting) */
  readonly onRefused?: (reason: OAuthCallbackRefusal) => void;
}

export interface OAuthCallback {
  readonly state: string;
  readonly redirectUri: string;
  /** resolves once: the right callback arrived, or the timeout passed; the server is closed by then */
  readonly result: Promise<OAuthCallbackResult>;
  /** stops waiting (idempotent) */
  close(): void;
}

export type StartOAuthCallbackResult =
  | { readonly ok: true; readonly callback: OAuthCallback }
  | { readonly ok: false; readonly error: { readonly code: string; readonly message: string } };

/** New random state: 128 bits, hex. */
export function newOAuthState(): string {
  return randomBytes(16).toString("hex");
}

function sameState(presented: string, expected: string): boolean {
  const a = createHash("sha256").update(presented, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b);
}

function answer(res: ServerResponse, status: number, text: string, html = false): void {
  res
    .writeHead(status, {
      "content-type": html ? "text/html; charset=utf-8" : "text/plain; charset=utf-8",
      "cache-control": "no-store",
      connection: "close",
    })
    .end(text);
}

export const REFUSAL_TEXT: Readonly<Record<OAuthCallbackRefusal, string>> = {
  no_state:
    "refused: this callback carries no state, so it was not started by this login. Use the URL that ghl-bulksms printed.",
  wrong_state:
    "refused: this callback's state does not match this login. Use the URL that ghl-bulksms printed in this run.",
  already_used: "refused: this login already received its callback; start `ghl-bulksms auth login` again.",
};

/** Listens on 127.0.0.1 and waits for the one callback that carries `state`. */
export async function startOAuthCallback(options: OAuthCallbackOptions): Promise<StartOAuthCallbackResult> {
  const state = options.state ?? newOAuthState();
  const server = createServer();
  let settled = false;
  let settle: (r: OAuthCallbackResult) => void = () => {};
  const result = new Promise<OAuthCallbackResult>((resolve) => {
    settle = resolve;
  });
  let timer: NodeJS.Timeout | undefined;
  const close = () => {
    if (timer) clearTimeout(timer);
    server.close();
    server.closeAllConnections?.();
  };
  const finish = (r: OAuthCallbackResult) => {
    if (settled) return;
    settled = true;
    settle(r);
    // let the browser's answer go out first, then stop listening
    setImmediate(close);
  };
  const refuse = (res: ServerResponse, status: number, reason: OAuthCallbackRefusal) => {
    answer(res, status, REFUSAL_TEXT[reason]);
    options.onRefused?.(reason);
  };

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== OAUTH_CALLBACK_PATH) return answer(res, 404, "not found");
    if (settled) return refuse(res, 410, "already_used");
    const presented = url.searchParams.get("state");
    if (presented === null || presented === "") return refuse(res, 400, "no_state");
    if (!sameState(presented, state)) return refuse(res, 400, "wrong_state");
    // The right state: consumed now, whatever the callback says.
    const error = url.searchParams.get("error");
    const code = url.searchParams.get("code");
    if (error !== null) {
      answer(res, 400, "ghl-bulksms: the login was refused. See the terminal.");
      const description = url.searchParams.get("error_description");
      return finish({
        ok: false,
        reason: "denied",
        message: `GHL answered the login with an error: ${error.slice(0, 100)}${description ? ` (${description.slice(0, 200)})` : ""}`,
      });
    }
    if (code === null || code === "") {
      answer(res, 400, "ghl-bulksms: the callback has no code. See the terminal.");
      return finish({ ok: false, reason: "no_code", message: "the callback carried no authorization code" });
    }
    answer(res, 200, "<p>ghl-bulksms: logged in. You can close this tab.</p>", true);
    return finish({ ok: true, code });
  });

  const listening = await new Promise<{ ok: true } | { ok: false; code: string }>((resolve) => {
    server.once("error", (e: NodeJS.ErrnoException) => resolve({ ok: false, code: e.code ?? e.message }));
    server.listen(options.port, "127.0.0.1", () => resolve({ ok: true }));
  });
  if (!listening.ok)
    return {
      ok: false,
      error: {
        code: "listen_failed",
        message: `cannot listen on 127.0.0.1:${options.port}: ${listening.code}`,
      },
    };
  timer = setTimeout(
    () =>
      finish({
        ok: false,
        reason: "timeout",
        message: `no callback with this login's state within ${Math.round(options.timeoutMs / 1000)} s`,
      }),
    options.timeoutMs,
  );
  const port = (server.address() as AddressInfo).port;
  return {
    ok: true,
    callback: {
      state,
      redirectUri: `http://127.0.0.1:${port}${OAUTH_CALLBACK_PATH}`,
      result,
      close: () => {
        if (!settled) {
          settled = true;
          settle({ ok: false, reason: "timeout", message: "stopped waiting for the callback" });
        }
        close();
      },
    },
  };
}
