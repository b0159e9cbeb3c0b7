// Sandbox mode uses fixed, public tokens and secrets. It must never talk to the real vendors: in sandbox
// mode both vendor base URLs have to be loopback URLs (the local simulators, or a recording proxy on this
// machine). `loadWorkerConfig` applies this check for the worker, the CLI, `doctor` and `config validate`
// alike (moved here from apps/worker/src/vendor-url-guard.ts, which re-exports it).
import type { ConfigIssue } from "./env-config.js";

/** The settings the guard reads (WorkerConfig has this shape). */
export interface VendorUrlConfig {
  readonly mode: "sandbox" | "live";
  readonly ghl: { readonly apiBaseUrl: string };
  readonly bulksms: { readonly apiBaseUrl: string };
}

/** The local simulators' addresses (`ghl-bulksms sandbox` with its default ports). */
export const SANDBOX_GHL_API_BASE_URL = "http://127.0.0.1:4010";
export const SANDBOX_BULKSMS_API_BASE_URL = "http://127.0.0.1:4020/v1";

const HEADLINE =
  "GHL_BULKSMS_MODE is sandbox (the default), which uses public sandbox tokens, but these vendor URLs are not local:";
const ADVICE =
  "Point them at the simulators (`ghl-bulksms sandbox` prints them, `pnpm demo` starts them), or set GHL_BULKSMS_MODE=live with real credentials.";

export class UnsafeVendorUrlError extends Error {
  readonly variables: readonly string[];
  constructor(problems: ReadonlyArray<{ variable: string; url: string }>) {
    super(
      [
        HEADLINE,
        ...problems.map(
          (p) => `  - ${p.variable}=${p.url} is not a loopback URL (127.0.0.1, ::1 or localhost)`,
        ),
        ADVICE,
      ].join("\n"),
    );
    this.name = "UnsafeVendorUrlError";
    this.variables = problems.map((p) => p.variable);
  }
}

/** True for http(s) URLs whose host is localhost, 127.0.0.0/8 or ::1. */
export function isLoopbackUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  const host = url.hostname.toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (host === "[::1]") return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function unsafe(config: VendorUrlConfig): Array<{ variable: string; url: string }> {
  if (config.mode !== "sandbox") return [];
  const problems: Array<{ variable: string; url: string }> = [];
  if (!isLoopbackUrl(config.ghl.apiBaseUrl))
    problems.push({ variable: "GHL_API_BASE_URL", url: config.ghl.apiBaseUrl });
  if (!isLoopbackUrl(config.bulksms.apiBaseUrl))
    problems.push({ variable: "BULKSMS_API_BASE_URL", url: config.bulksms.apiBaseUrl });
  return problems;
}

/** The guard's findings as configuration issues, each naming its variable (empty when safe). */
export function vendorUrlIssues(config: VendorUrlConfig): ConfigIssue[] {
  return unsafe(config).map((p) => ({
    variable: p.variable,
    message: `${p.variable}=${p.url} is not a loopback URL (127.0.0.1, ::1 or localhost), but GHL_BULKSMS_MODE is sandbox (public sandbox tokens); point it at the simulators (e.g. ${p.variable === "GHL_API_BASE_URL" ? SANDBOX_GHL_API_BASE_URL : SANDBOX_BULKSMS_API_BASE_URL}) or set GHL_BULKSMS_MODE=live`,
  }));
}

/** Throws UnsafeVendorUrlError, naming each variable, when sandbox mode points at a non-loopback vendor URL. */
export function assertSafeVendorUrls(config: VendorUrlConfig): void {
  const problems = unsafe(config);
  if (problems.length > 0) throw new UnsafeVendorUrlError(problems);
}
