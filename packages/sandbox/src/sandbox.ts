/**
 * startSandbox: both simulators on one shared sandbox clock.
 */
import {
  type BulkSmsSimulator,
  type BulkSmsSimulatorOptions,
  startBulkSmsSimulator,
} from "./bulksms/index.js";
import { createSandboxClock, type SandboxClock } from "./clock.js";
import type { FaultConfig } from "./faults.js";
import { type GhlSimulator, type GhlSimulatorOptions, startGhlSimulator } from "./ghl/simulator.js";

export interface SandboxOptions {
  /** Options of the GHL simulator (its clock is the shared one). */
  ghl?: Omit<GhlSimulatorOptions, "clock">;
  /** Options of the BulkSMS simulator (its clock is the shared one). */
  bulksms?: Omit<BulkSmsSimulatorOptions, "clock">;
  /** Virtual ms per real ms of the shared clock. Default 1. */
  clockSpeed?: number;
  /** Virtual start time (epoch ms). Default: now. */
  clockStart?: number;
  /** Contacts seeded into every GHL location (overrides ghl.seedContacts). */
  seedContacts?: number;
  /** Faults per server (override ghl.faults / bulksms.faults). */
  faults?: { ghl?: FaultConfig; bulksms?: BulkSmsSimulatorOptions["faults"] };
  /**
   * Webhook targets: GHL events go to `ghl`; for `bulksms` a SENT and a RECEIVED webhook are registered
   * through the BulkSMS API (which test-POSTs `[]` first; a failure lands in `warnings`).
   */
  webhookTargets?: { ghl?: string; bulksms?: string };
}

export interface Sandbox {
  clock: SandboxClock;
  ghl: GhlSimulator;
  bulksms: BulkSmsSimulator;
  /** Problems that did not stop the start (e.g. a BulkSMS webhook target that did not answer). */
  warnings: string[];
  /** Reset both simulators to their start-up state. */
  reset(): void;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const clock = createSandboxClock({ speed: options.clockSpeed, start: options.clockStart });
  const ghl = await startGhlSimulator({
    ...options.ghl,
    clock,
    ...(options.seedContacts !== undefined ? { seedContacts: options.seedContacts } : {}),
    ...(options.faults?.ghl ? { faults: options.faults.ghl } : {}),
    ...(options.webhookTargets?.ghl ? { webhookUrl: options.webhookTargets.ghl } : {}),
  });
  let bulksms: BulkSmsSimulator;
  try {
    bulksms = await startBulkSmsSimulator({
      ...options.bulksms,
      clock,
      ...(options.faults?.bulksms ? { faults: options.faults.bulksms } : {}),
    });
  } catch (error) {
    await ghl.close();
    throw error;
  }
  const warnings: string[] = [];
  if (options.webhookTargets?.bulksms) {
    warnings.push(...(await registerBulkSmsWebhooks(bulksms, options.webhookTargets.bulksms)));
  }
  return {
    clock,
    ghl,
    bulksms,
    warnings,
    reset(): void {
      clock.clear();
      ghl.control.reset();
      bulksms.control.reset();
    },
    async close(): Promise<void> {
      await Promise.all([ghl.close(), bulksms.close()]);
      clock.clear();
    },
  };
}

/** Register SENT and RECEIVED webhooks to `url` with the first BulkSMS credential. Returns warnings. */
export async function registerBulkSmsWebhooks(bulksms: BulkSmsSimulator, url: string): Promise<string[]> {
  const credential = bulksms.credentials[0];
  if (!credential) return ["bulksms: no credential to register webhooks with"];
  const auth = `Basic ${Buffer.from(`${credential.tokenId}:${credential.tokenSecret}`).toString("base64")}`;
  const warnings: string[] = [];
  for (const triggerScope of ["SENT", "RECEIVED"] as const) {
    const res = await fetch(`${bulksms.url}/webhooks`, {
      method: "POST",
      headers: { authorization: auth, "content-type": "application/json" },
      body: JSON.stringify({
        name: `sandbox-${triggerScope.toLowerCase()}`,
        url,
        triggerScope,
        active: true,
        invokeOption: "MANY",
      }),
    });
    if (!res.ok)
      warnings.push(
        `bulksms: registering the ${triggerScope} webhook to ${url} failed: ${res.status} ${await res.text()}`,
      );
  }
  return warnings;
}
