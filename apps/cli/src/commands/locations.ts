// locations pending | approve | reject: locations named by workflow webhooks that this installation does not
// know, held for approval when the worker runs with UNKNOWN_LOCATIONS=hold (workflow webhooks never register
// a location by themselves).
import {
  approvePendingLocation,
  isPlausibleLocationId,
  listPendingLocations,
  rejectPendingLocation,
} from "@ghl-bulksms/engine";
import type { Command } from "commander";
import { withExamples, withStore } from "../cli/command.js";
import { CliError, usageError } from "../cli/errors.js";
import type { Io } from "../cli/io.js";
import { isKnownRegion } from "../cli/region.js";
import { isoTime, renderTable } from "../cli/table.js";

function checkId(id: string): void {
  if (!isPlausibleLocationId(id))
    throw usageError(`${JSON.stringify(id)} is not a GHL location id (letters, digits, - and _)`);
}

export function registerLocations(program: Command, io: Io): void {
  const locations = program
    .command("locations")
    .description("Locations held for approval after a workflow webhook named them (UNKNOWN_LOCATIONS=hold)");

  const pending = locations
    .command("pending")
    .description("List the locations waiting for approval: first and last time named, how often")
    .option("--json", "print as JSON")
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (settings, store) => {
        const rows = await listPendingLocations(store);
        if (opts.json) return io.json(rows);
        io.out(
          renderTable(
            ["location", "first seen", "last seen", "webhooks"],
            rows.map((r) => [r.locationId, isoTime(r.firstSeenAt), isoTime(r.lastSeenAt), r.requests]),
          ),
        );
        const cap = settings.config.ghl.unknownLocations;
        if (cap.policy === "hold" && rows.length >= cap.maxPending)
          io.err(
            `note: the list is full (UNKNOWN_LOCATIONS_MAX_PENDING=${cap.maxPending}); further unknown locations are refused until you approve or reject some`,
          );
      });
    });
  withExamples(pending, "ghl-bulksms locations pending", "ghl-bulksms locations pending --json");

  const approve = locations
    .command("approve <id>")
    .description("Register a pending location (active); its workflow webhooks are taken from then on")
    .option("--region <CC>", "phone region of the location, e.g. GB")
    .option("--timezone <tz>", "IANA timezone of the location, e.g. Europe/London")
    .option("--json", "print the result as JSON")
    .action(
      async (id: string, opts: { region?: string; timezone?: string; json?: boolean }, cmd: Command) => {
        checkId(id);
        if (opts.region && !(await isKnownRegion(opts.region)))
          throw usageError(
            `unknown phone region ${JSON.stringify(opts.region)}`,
            "use an ISO 3166-1 alpha-2 code",
          );
        await withStore(cmd, async (_settings, store) => {
          const r = await approvePendingLocation(store, id, {
            ...(opts.region ? { region: opts.region.toUpperCase() } : {}),
            ...(opts.timezone ? { timezone: opts.timezone } : {}),
          });
          if (!r.ok) throw new CliError(r.error.message, { hint: "see `ghl-bulksms locations pending`" });
          if (opts.json) return io.json({ locationId: id, approved: true });
          io.out(`approved location ${id}: its workflow webhooks are taken from now on`);
          io.err(
            `hint:  give it credentials to sync: \`ghl-bulksms auth login --location ${id} --token <pit>\`; events refused before the approval were not kept (run \`ghl-bulksms reconcile --location ${id}\` to catch up)`,
          );
        });
      },
    );
  withExamples(approve, "ghl-bulksms locations approve abc123 --region GB --timezone Europe/London");

  const reject = locations
    .command("reject <id>")
    .description("Forget a pending location (a later webhook naming it is held again if there is room)")
    .option("--json", "print the result as JSON")
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      checkId(id);
      await withStore(cmd, async (_settings, store) => {
        if (!(await rejectPendingLocation(store, id)))
          throw new CliError(`location ${id} is not waiting for approval`, {
            hint: "see `ghl-bulksms locations pending`",
          });
        if (opts.json) return io.json({ locationId: id, rejected: true });
        io.out(`rejected location ${id}`);
      });
    });
  withExamples(reject, "ghl-bulksms locations reject abc123");
}
