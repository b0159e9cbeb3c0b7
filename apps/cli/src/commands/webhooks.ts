// webhooks register | list: the BulkSMS webhooks (SENT status reports, RECEIVED replies) pointing at the
// worker; for GHL, explains where its webhooks are configured (they cannot be registered through the API).
import type { Command } from "commander";
import { globalsOf, withExamples } from "../cli/command.js";
import { CliError, usageError } from "../cli/errors.js";
import type { Io } from "../cli/io.js";
import { bulkSmsClient } from "../cli/runtime.js";
import { loadSettings } from "../cli/settings.js";
import { renderTable } from "../cli/table.js";

function hide(url: string, secrets: ReadonlyArray<string | null>): string {
  let out = url;
  for (const s of secrets) if (s) out = out.split(s).join("****");
  return out.replace(/([?&]secret=)[^&]+/, "$1****");
}

export function ghlWebhookHelp(base: string | null): string {
  const b = base ?? "https://<PUBLIC_BASE_URL>";
  return [
    "GHL webhooks are not registered through the API:",
    `  - Marketplace app: in the app's settings (Advanced Settings > Webhooks) set the URL to ${b}/webhooks/ghl`,
    "    and subscribe to ContactCreate, ContactUpdate, ContactDelete, ContactDndUpdate, ContactTagUpdate,",
    "    AppInstall and AppUninstall. GHL signs them; the worker verifies the signature.",
    `  - Private integration token: create GHL workflows (Contact Created / Changed / Tag Added / DND changed)`,
    `    with a "Webhook" action POSTing to ${b}/webhooks/ghl-workflow/<GHL_WORKFLOW_WEBHOOK_SECRET>.`,
  ].join("\n");
}

export function registerWebhooks(program: Command, io: Io): void {
  const webhooks = program
    .command("webhooks")
    .description("BulkSMS webhooks pointing at the worker (and how to set up GHL's)");

  const register = webhooks
    .command("register")
    .description(
      "Create or update the BulkSMS SENT and RECEIVED webhooks to <public URL>/webhooks/bulksms/<secret>",
    )
    .option("--url <publicBaseUrl>", "the worker's public https address (default PUBLIC_BASE_URL)")
    .option("--json", "print the result as JSON")
    .action(async (opts: { url?: string; json?: boolean }, cmd: Command) => {
      const settings = await loadSettings(globalsOf(cmd));
      const base = (opts.url ?? settings.config.publicBaseUrl ?? "").replace(/\/+$/, "");
      if (!base)
        throw new CliError("no public address for the worker", {
          hint: "set PUBLIC_BASE_URL in .env or pass --url https://sync.example.com",
        });
      try {
        new URL(base);
      } catch {
        throw usageError(`--url is not a URL: ${JSON.stringify(base)}`);
      }
      const secret = settings.config.bulksms.webhookSecret;
      if (!secret)
        throw new CliError("BULKSMS_WEBHOOK_SECRET is not set", {
          hint: "set it (>= 16 URL-safe characters) in .env, e.g. with `ghl-bulksms init`",
        });
      const sms = await bulkSmsClient(settings.config);
      const r = await sms.ensureWebhooks({ baseUrl: `${base}/webhooks/bulksms/${secret}`, secret });
      if (!r.ok)
        throw new CliError(
          `BulkSMS refused the webhooks: ${r.error.title} (${r.error.code}${r.error.status ? `, HTTP ${r.error.status}` : ""})`,
          {
            hint: "BulkSMS test-POSTs to the URL when a webhook is saved: the worker must be running and reachable there",
          },
        );
      if (opts.json) {
        io.json({ changes: r.data.changes, sent: r.data.sent.id, received: r.data.received.id });
        return;
      }
      io.out(
        renderTable(
          ["scope", "action", "id", "url"],
          r.data.changes.map((c) => {
            const w = c.scope === "SENT" ? r.data.sent : r.data.received;
            return [c.scope, c.action, w.id, hide(w.url, [secret])];
          }),
        ),
      );
      io.out(ghlWebhookHelp(base));
    });
  withExamples(
    register,
    "ghl-bulksms webhooks register",
    "ghl-bulksms webhooks register --url https://sync.example.com",
  );

  const list = webhooks
    .command("list")
    .description("List the BulkSMS account's webhooks (secrets masked)")
    .option("--json", "print as JSON")
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const settings = await loadSettings(globalsOf(cmd));
      const sms = await bulkSmsClient(settings.config);
      const r = await sms.listWebhooks();
      if (!r.ok)
        throw new CliError(`cannot list BulkSMS webhooks: ${r.error.title} (${r.error.code})`, {
          hint: "check BULKSMS_TOKEN_ID / BULKSMS_TOKEN_SECRET and BULKSMS_API_BASE_URL",
        });
      const secret = settings.config.bulksms.webhookSecret;
      const rows = r.data.map((w) => ({ ...w, url: hide(w.url, [secret]) }));
      if (opts.json) return io.json(rows);
      io.out(
        renderTable(
          ["id", "name", "scope", "active", "url"],
          rows.map((w) => [w.id, w.name, w.triggerScope, w.active, w.url]),
        ),
      );
      io.out(ghlWebhookHelp(settings.config.publicBaseUrl));
    });
  withExamples(list, "ghl-bulksms webhooks list", "ghl-bulksms webhooks list --json");
}
