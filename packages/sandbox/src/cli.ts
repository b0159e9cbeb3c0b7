#!/usr/bin/env node
/**
 * `pnpm sandbox`: both simulators on fixed ports, printing what a client needs to connect.
 * This file is the only place in the package that writes to the console.
 */
import { parseArgs } from "node:util";
import { parseFaultSpec } from "./faults.js";
import { GHL_CONTROL_ROUTES } from "./ghl/control-http.js";
import { startSandbox } from "./sandbox.js";

export const DEFAULT_GHL_PORT = 4010;
export const DEFAULT_BULKSMS_PORT = 4020;

const USAGE = `Usage: pnpm sandbox [options]

  --ghl-port N             GHL simulator port (default ${DEFAULT_GHL_PORT}; 0 = any free port)
  --bulksms-port N         BulkSMS simulator port (default ${DEFAULT_BULKSMS_PORT})
  --seed-contacts N        realistic contacts seeded per GHL location (default 50)
  --seed TEXT              seed of every random choice (default ghl-sandbox)
  --clock-speed X          sandbox minutes per real minute (default 1)
  --faults SPEC            faults for both servers, e.g. latency=50,error=0.05,429=0.1,stall=0.01,drop=0.1,dup=0.1,reorder=0.1
  --ghl-faults SPEC        faults for the GHL simulator only
  --bulksms-faults SPEC    faults for the BulkSMS simulator only
  --ghl-webhook-url URL    where GHL webhooks are POSTed
  --bulksms-webhook-url URL  registered as the BulkSMS SENT and RECEIVED webhook
  --provider-delivery-url URL  GHL conversation-provider Delivery URL (ProviderOutboundMessage)
  --search-lag-ms N        GHL search index lag in sandbox ms (default 0)
  --webhook-time real|sandbox  clock that stamps GHL webhook timestamps (default real: what a worker
                           checks its 5-minute window against, even with --clock-speed or clock advances)
  --help
`;

function int(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number >= 0, got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "ghl-port": { type: "string" },
      "bulksms-port": { type: "string" },
      "seed-contacts": { type: "string" },
      seed: { type: "string" },
      "clock-speed": { type: "string" },
      faults: { type: "string" },
      "ghl-faults": { type: "string" },
      "bulksms-faults": { type: "string" },
      "ghl-webhook-url": { type: "string" },
      "bulksms-webhook-url": { type: "string" },
      "provider-delivery-url": { type: "string" },
      "search-lag-ms": { type: "string" },
      "webhook-time": { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const both = values.faults ? parseFaultSpec(values.faults) : {};
  const ghlFaults = { ...both, ...(values["ghl-faults"] ? parseFaultSpec(values["ghl-faults"]) : {}) };
  const bulkFaults = {
    ...both,
    ...(values["bulksms-faults"] ? parseFaultSpec(values["bulksms-faults"]) : {}),
  };
  const webhookTime = values["webhook-time"] ?? "real";
  if (webhookTime !== "real" && webhookTime !== "sandbox")
    throw new Error(`--webhook-time must be "real" or "sandbox", got "${webhookTime}"`);
  const speed = values["clock-speed"] === undefined ? 1 : Number(values["clock-speed"]);
  if (!(speed > 0)) throw new Error(`--clock-speed must be > 0, got "${values["clock-speed"]}"`);
  const sandbox = await startSandbox({
    clockSpeed: speed,
    seedContacts: int("seed-contacts", values["seed-contacts"], 50),
    ghl: {
      port: int("ghl-port", values["ghl-port"], DEFAULT_GHL_PORT),
      seed: values.seed ?? "ghl-sandbox",
      searchLagMs: int("search-lag-ms", values["search-lag-ms"], 0),
      signing: { timestamps: webhookTime },
      ...(values["provider-delivery-url"] ? { providerDeliveryUrl: values["provider-delivery-url"] } : {}),
    },
    bulksms: { port: int("bulksms-port", values["bulksms-port"], DEFAULT_BULKSMS_PORT) },
    faults: { ghl: ghlFaults, bulksms: bulkFaults },
    webhookTargets: { ghl: values["ghl-webhook-url"], bulksms: values["bulksms-webhook-url"] },
  });
  const { ghl, bulksms } = sandbox;
  const lines = [
    "ghl-bulksms sandbox is running (Ctrl-C to stop)",
    "",
    `GHL API       ${ghl.url}`,
    `  OAuth client  client_id=${ghl.tokens.clientId} client_secret=${ghl.tokens.clientSecret}`,
    `  agency token  ${ghl.tokens.agency} (companyId ${ghl.tokens.companyId})`,
    ...ghl.locations.flatMap((l) => [
      `  location ${l.id}  ${l.name}  duplicates ${l.allowDuplicates ? "allowed" : `blocked on ${l.duplicatePriority.join(" > ")}`}`,
      `    token           ${l.token}`,
      `    read-only token ${l.readOnlyToken}`,
      `    contacts        ${ghl.control.listContacts(l.id).length}`,
    ]),
    `  webhooks      ${values["ghl-webhook-url"] ?? "(none: --ghl-webhook-url)"}  Ed25519 public key: ${ghl.url}/__sandbox/webhooks/keys`,
    `  control       ${ghl.url}/__sandbox/state`,
    "",
    `BulkSMS API   ${bulksms.url}`,
    ...bulksms.credentials.map(
      (c) => `  Basic auth    ${c.tokenId}:${c.tokenSecret}  (${c.credits} credits)`,
    ),
    `  webhooks      ${values["bulksms-webhook-url"] ?? "(none: --bulksms-webhook-url)"}`,
    `  control       ${bulksms.origin}/__sandbox/`,
    "",
    `Sandbox clock x${speed}; advance it with POST ${ghl.url}/__sandbox/clock/advance {"ms": N}`,
    `GHL webhook timestamps: ${webhookTime === "real" ? "real time (verify with Date.now)" : "sandbox clock (verify with the sandbox clock)"}`,
    `GHL control routes: ${GHL_CONTROL_ROUTES.length} (GET ${ghl.url}/__sandbox/nope lists them)`,
    ...sandbox.warnings.map((w) => `WARNING: ${w}`),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
