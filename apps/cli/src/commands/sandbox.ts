// sandbox: runs the GHL and BulkSMS simulators (@ghl-bulksms/sandbox) until Ctrl-C, and prints the .env
// lines that point the worker and this CLI at them.
import type { Command } from "commander";
import { parseIntOption, withExamples } from "../cli/command.js";
import { CliError } from "../cli/errors.js";
import type { Io } from "../cli/io.js";

interface SandboxOpts {
  ghlPort: number;
  bulksmsPort: number;
  seedContacts: number;
  ghlWebhookUrl?: string;
  bulksmsWebhookUrl?: string;
  json?: boolean;
}

export function registerSandbox(program: Command, io: Io): void {
  const cmd = program
    .command("sandbox")
    .description(
      "Run the local GHL and BulkSMS simulators (Ctrl-C stops them) and print the matching .env lines",
    )
    .option(
      "--ghl-port <n>",
      "GHL simulator port (0 = any free port)",
      parseIntOption("--ghl-port", 0, 65535),
      4010,
    )
    .option(
      "--bulksms-port <n>",
      "BulkSMS simulator port (0 = any free port)",
      parseIntOption("--bulksms-port", 0, 65535),
      4020,
    )
    .option(
      "--seed-contacts <n>",
      "contacts per GHL location",
      parseIntOption("--seed-contacts", 0, 1_000_000),
      50,
    )
    .option("--ghl-webhook-url <url>", "where GHL events are POSTed (e.g. the worker's /webhooks/ghl)")
    .option("--bulksms-webhook-url <url>", "registered as the BulkSMS SENT and RECEIVED webhook")
    .option("--json", "print the connection details as one JSON line")
    .action(async (opts: SandboxOpts) => {
      const { startSandbox } = await import("@ghl-bulksms/sandbox");
      let sandbox: Awaited<ReturnType<typeof startSandbox>>;
      try {
        sandbox = await startSandbox({
          seedContacts: opts.seedContacts,
          ghl: { port: opts.ghlPort },
          bulksms: { port: opts.bulksmsPort },
          webhookTargets: {
            ...(opts.ghlWebhookUrl ? { ghl: opts.ghlWebhookUrl } : {}),
            ...(opts.bulksmsWebhookUrl ? { bulksms: opts.bulksmsWebhookUrl } : {}),
          },
        });
      } catch (e) {
        throw new CliError(`the sandbox did not start: ${(e as Error).message}`, {
          hint: "a port may be in use: choose others with --ghl-port / --bulksms-port (0 = any free port)",
        });
      }
      const credential = sandbox.bulksms.credentials[0];
      const locations = sandbox.ghl.locations.map((l) => ({
        locationId: l.id,
        token: l.token,
        region: l.country,
        timezone: l.timezone,
      }));
      const env = [
        "GHL_BULKSMS_MODE=sandbox",
        `GHL_API_BASE_URL=${sandbox.ghl.url}`,
        `BULKSMS_API_BASE_URL=${sandbox.bulksms.url}`,
        `BULKSMS_TOKEN_ID=${credential?.tokenId ?? ""}`,
        `BULKSMS_TOKEN_SECRET=${credential?.tokenSecret ?? ""}`,
        `GHL_LOCATIONS=${JSON.stringify(locations)}`,
        // commands without --location work on this one (the sandbox has several)
        `GHL_DEFAULT_LOCATION=${locations[0]?.locationId ?? ""}`,
        // the simulator signs its webhooks with its own key: the worker verifies with it (one line, "\n" escapes)
        `GHL_WEBHOOK_PUBLIC_KEY=${sandbox.ghl.control.webhookKeys().ed25519PublicKeyPem.trim().replace(/\n/g, "\\n")}`,
        `# For \`auth login\` with the sandbox's OAuth app instead of the tokens above:`,
        `# GHL_CLIENT_ID=${sandbox.ghl.tokens.clientId}`,
        `# GHL_CLIENT_SECRET=${sandbox.ghl.tokens.clientSecret}`,
      ];
      for (const w of sandbox.warnings) io.err(`warning: ${w}`);
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({ ghl: sandbox.ghl.url, bulksms: sandbox.bulksms.url, locations, bulksmsCredential: credential ?? null, env })}\n`,
        );
      } else {
        // Every line is valid .env syntax, so `ghl-bulksms sandbox > sandbox.env` gives a usable file.
        io.out(`# GHL simulator:     ${sandbox.ghl.url}`);
        io.out(`# BulkSMS simulator: ${sandbox.bulksms.url}`);
        io.out("# Sandbox credentials (fictional, for the simulators only):");
        io.out(env.join("\n"));
        io.err("sandbox running; press Ctrl-C to stop");
      }
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
      await sandbox.close();
      io.err("sandbox stopped");
    });
  withExamples(
    cmd,
    "ghl-bulksms sandbox",
    "ghl-bulksms sandbox --ghl-port 0 --bulksms-port 0 --json",
    "ghl-bulksms sandbox > sandbox.env",
  );
}
