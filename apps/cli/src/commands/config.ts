// config validate | print: the worker's configuration, as the worker would read it.

import type { Command } from "commander";
import { globalsOf, withExamples } from "../cli/command.js";
import { CliError } from "../cli/errors.js";
import type { Io } from "../cli/io.js";
import { lifecycleConfigOf } from "../cli/lifecycle.js";
import { maskDeep } from "../cli/mask.js";
import { engineConfigOf, storeLabel } from "../cli/runtime.js";
import { loadSettings } from "../cli/settings.js";
import { renderPairs } from "../cli/table.js";

export function registerConfig(program: Command, io: Io): void {
  const config = program
    .command("config")
    .description("Check or show the configuration (the worker's, from env and .env)");

  const validate = config
    .command("validate")
    .description("Validate the environment, the .env file and the engine policy file; names each bad setting")
    .option("--json", "print the result as JSON")
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const settings = await loadSettings(globalsOf(cmd));
      const { parseEngineConfig } = await import("@ghl-bulksms/engine");
      try {
        parseEngineConfig(await engineConfigOf(settings));
      } catch (e) {
        throw new CliError(`${settings.configFile ?? "engine configuration"}: ${(e as Error).message}`, {
          hint: "fix the settings named above",
        });
      }
      await lifecycleConfigOf(settings); // reconcile, merge, follow-ups, digest: names each bad setting
      const summary = {
        ok: true,
        mode: settings.config.mode,
        envFile: settings.envFile,
        configFile: settings.configFile,
        locations: settings.config.ghl.locations.length,
      };
      if (opts.json) io.json(summary);
      else
        io.out(
          `configuration is valid (mode ${summary.mode}, ${summary.locations} configured location(s); ` +
            `env file ${summary.envFile ?? "none"}, policy file ${summary.configFile ?? "none"})`,
        );
    });
  withExamples(
    validate,
    "ghl-bulksms config validate",
    "ghl-bulksms --env-file prod.env config validate --json",
  );

  const print = config
    .command("print")
    .description("Print the effective configuration with every secret masked")
    .option("--json", "print as JSON")
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const settings = await loadSettings(globalsOf(cmd));
      const { parseEngineConfig } = await import("@ghl-bulksms/engine");
      let engine: unknown;
      try {
        engine = parseEngineConfig(await engineConfigOf(settings));
      } catch (e) {
        throw new CliError(`${settings.configFile ?? "engine configuration"}: ${(e as Error).message}`);
      }
      const c = settings.config;
      const masked = maskDeep({
        ...c,
        // the URL may carry a password: shown as postgres://user:***@host/db
        databaseUrl: c.databaseUrl ? storeLabel(c) : null,
        engine,
        envFile: settings.envFile,
        configFile: settings.configFile,
      }) as Record<string, unknown>;
      if (opts.json) {
        io.json(masked);
        return;
      }
      const ghl = masked.ghl as {
        locations: Array<{ locationId: string; privateToken: string | null }>;
        oauth: unknown;
      };
      io.out(
        renderPairs([
          ["mode", c.mode],
          ["env file", settings.envFile],
          ["policy file", settings.configFile],
          ["data dir", c.dataDir],
          ["store", storeLabel(c)],
          ["public base URL", c.publicBaseUrl],
          [
            "encryption key",
            c.encryptionKey ? `set (${c.encryptionKey.length} bytes)` : "not set (sandbox key)",
          ],
          ["GHL API", c.ghl.apiBaseUrl],
          [
            "GHL locations",
            ghl.locations
              .map((l) => `${l.locationId}${l.privateToken ? ` (token ${l.privateToken})` : ""}`)
              .join(", "),
          ],
          ["GHL OAuth app", c.ghl.oauth ? `client ${c.ghl.oauth.clientId}, secret ****` : null],
          ["GHL workflow webhook secret", c.ghl.workflowWebhookSecret ? "set (masked)" : null],
          ["BulkSMS API", c.bulksms.apiBaseUrl],
          ["BulkSMS token id", c.bulksms.tokenId ? "set (masked)" : null],
          ["BulkSMS token secret", c.bulksms.tokenSecret ? "set (masked)" : null],
          ["BulkSMS webhook secret", c.bulksms.webhookSecret ? "set (masked)" : null],
          ["default timezone", c.messaging.defaultTimezone],
          [
            "quiet hours (allowed window)",
            `${fmt(c.messaging.quietHours.startMinute)}-${fmt(c.messaging.quietHours.endMinute)}`,
          ],
          ["stop words", c.messaging.stopWords.join(",")],
          ["BulkSMS stop words", (c.messaging.gatewayStopWords ?? c.messaging.stopWords).join(",")],
          ["STOP / START confirmation", `${c.messaging.stopConfirmation} / ${c.messaging.startConfirmation}`],
          ["GHL consent view max age", `${c.messaging.consentMaxAgeMs / 1000} s`],
          [
            "GHL SMS provider",
            c.provider
              ? `${c.provider.mode} (quiet hours ${c.provider.quietHours}, attachments ${c.provider.attachments})`
              : "off",
          ],
          [
            "GHL conversation provider",
            c.conversations
              ? `${c.conversations.providerMode}${c.conversations.providerId ? ` (id ${c.conversations.providerId})` : ""}`
              : "off",
          ],
          ["texts in the GHL thread", c.conversations?.thread ? "on" : "off"],
          [
            "SMS notes",
            c.conversations?.smsNotes === null || c.conversations === undefined
              ? `auto (${c.conversations?.thread ? "off" : "on"})`
              : c.conversations.smsNotes
                ? "on"
                : "off",
          ],
          [
            "unknown senders",
            c.conversations?.unknownSender ??
              `auto (${c.conversations?.thread ? "create-contact" : "ignore"})`,
          ],
        ]),
      );
    });
  withExamples(print, "ghl-bulksms config print", "ghl-bulksms config print --json | jq .ghl");
}

function fmt(m: number): string {
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}
