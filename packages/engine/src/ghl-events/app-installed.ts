// AppInstall: register the location and mint its token from the agency token (in a job: network).

import { auditVendorWrite } from "../core/audit.js";
import type { EngineDeps } from "../core/deps.js";
import { fromGhlError, type JobOutcome, OK } from "../core/outcome.js";
import { enqueueJob } from "../jobs/catalog.js";

export async function handleAppInstalled(
  deps: EngineDeps,
  event: { locationId?: string | null; companyId?: string | null; companyName?: string | null },
  eventKey: string,
): Promise<JobOutcome> {
  const locationId = event.locationId ?? null;
  if (!locationId) {
    deps.logger.info({ companyId: event.companyId ?? null }, "agency-level install: nothing to register");
    return OK;
  }
  await deps.store.transaction(async (tx) => {
    await tx.locations.upsert({
      id: locationId,
      active: true,
      ...(event.companyName ? { name: event.companyName } : {}),
    });
    if (event.companyId) {
      await enqueueJob(
        tx,
        "ghl.install",
        { locationId, companyId: event.companyId },
        { key: eventKey, locationId, priority: 30 },
      );
    }
  });
  return OK;
}

/** Job "ghl.install": mints the location token (the ghl client saves it in store.tokens, encrypted). */
export async function mintLocationToken(
  deps: EngineDeps,
  input: { locationId: string; companyId: string },
): Promise<JobOutcome> {
  const r = await deps.ghl(input.locationId).oauth.mintLocationToken(input);
  await auditVendorWrite(deps, {
    locationId: input.locationId,
    vendor: "ghl",
    operation: "oauth.locationToken",
    targetId: input.locationId,
    resultStatus: r.ok ? "ok" : `error:${r.error.code}`,
  });
  if (r.ok) return OK;
  if (r.error.code === "wrong_auth") {
    deps.logger.warn(
      { locationId: input.locationId },
      "install: private-integration set-up, no token to mint",
    );
    return OK;
  }
  return fromGhlError(r.error);
}
