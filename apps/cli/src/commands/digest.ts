// digest preview: the daily digest of a location as the engine would text it (JSON with --json).
import type { Command } from "commander";
import { parseSince, withExamples, withStore } from "../cli/command.js";
import { CliError } from "../cli/errors.js";
import type { Io } from "../cli/io.js";
import { lifecycleConfigOf } from "../cli/lifecycle.js";
import { openEngine, resolveLocation } from "../cli/runtime.js";
import { isoTime, renderPairs } from "../cli/table.js";

export function registerDigest(program: Command, io: Io): void {
  const digest = program
    .command("digest")
    .description("The daily digest SMS (new and updated contacts of the last 24 hours)");
  const preview = digest
    .command("preview")
    .description("Build the digest now (or --at a time) without sending it: text, encoding, parts, counts")
    .option("--location <id>", "location (default: the only one)")
    .option("--at <time>", "end of the 24-hour window (ISO time; default now)")
    .option("--json", "print the digest as JSON")
    .action(async (opts: { location?: string; at?: string; json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (settings, store) => {
        const location = await resolveLocation(settings.config, store, opts.location);
        const { engine } = await openEngine(settings, store, { needSms: false });
        const at = opts.at ? parseSince(opts.at) : undefined;
        const { buildDigest } = await import("@ghl-bulksms/engine");
        const d = await buildDigest(engine.deps, {
          config: await lifecycleConfigOf(settings),
          locationId: location.id,
          ...(at !== undefined ? { at } : {}),
        });
        if (!d) throw new CliError(`unknown location "${location.id}"`);
        if (opts.json) return io.json(d);
        io.out(
          renderPairs([
            ["location", d.locationId],
            ["local date", `${d.localDate} (${d.timeZone})`],
            ["window", `${isoTime(d.windowStart)} .. ${isoTime(d.windowEnd)}`],
            ["new contacts", d.newContacts],
            ["updated contacts", d.updatedContacts],
            ["encoding", d.encoding],
            ["parts", d.parts],
          ]),
        );
        io.out(`--- text ---\n${d.text}\n------------`);
      });
    });
  withExamples(preview, "ghl-bulksms digest preview", "ghl-bulksms digest preview --location abc123 --json");
}
