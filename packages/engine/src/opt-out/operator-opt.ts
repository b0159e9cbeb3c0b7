// Operator actions (CLI): opt a number in or out by hand.
import type { EngineDeps } from "../core/deps.js";
import { loadLocation } from "../core/deps.js";
import { applyOptIn, applyOptOut } from "./opt-out-state.js";

export async function operatorOptOut(
  deps: EngineDeps,
  input: { locationId: string; phone: string; reason?: string },
): Promise<{ changed: boolean; contacts: string[] }> {
  const ctx = await loadLocation(deps, input.locationId);
  if (!ctx) throw new Error(`operatorOptOut: location ${input.locationId} is not registered`);
  const now = deps.now();
  return deps.store.transaction((tx) =>
    applyOptOut(tx, ctx, {
      phone: input.phone,
      source: "operator",
      eventKey: `operator-out:${now}`,
      why: input.reason ?? "opted out by an operator",
      now,
      setGhlDnd: true,
      pushBlock: true,
      confirm: false,
    }),
  );
}

/** Re-subscribes a number (an operator's decision; a START keyword does the same by SMS). */
export async function operatorOptIn(
  deps: EngineDeps,
  input: { locationId: string; phone: string; reason?: string },
): Promise<{ changed: boolean; contacts: string[] }> {
  const ctx = await loadLocation(deps, input.locationId);
  if (!ctx) throw new Error(`operatorOptIn: location ${input.locationId} is not registered`);
  const now = deps.now();
  return deps.store.transaction((tx) =>
    applyOptIn(tx, ctx, {
      phone: input.phone,
      source: "operator",
      eventKey: `operator-in:${now}`,
      why: input.reason ?? "re-subscribed by an operator",
      now,
      confirm: false,
    }),
  );
}
