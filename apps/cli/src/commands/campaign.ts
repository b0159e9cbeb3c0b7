// campaign: SMS campaigns to a GHL segment (create, preview, schedule, send, status, list, pause, resume,
// cancel). The worker sends them (job runner); these commands plan, inspect and steer.
import type { Campaign } from "@ghl-bulksms/store";
import type { Command } from "commander";
import { parseIntOption, withExamples, withStore } from "../cli/command.js";
import { CliError, EXIT_USAGE, usageError } from "../cli/errors.js";
import type { Io } from "../cli/io.js";
import { openEngine, resolveLocation } from "../cli/runtime.js";
import { isoTime, renderPairs, renderTable } from "../cli/table.js";

/** Example ids (the examples test prepares campaigns with these ids). */
const DRAFT = "cmp_example";
const SCHEDULED = "cmp_scheduled";
const PAUSED = "cmp_paused";

type ControlOutcome =
  | { ok: true; campaign: Campaign }
  | {
      ok: false;
      code: "not_found" | "location_unknown" | "invalid" | "template_invalid" | "wrong_status";
      message: string;
    };

const HINTS: Record<string, string> = {
  not_found: "list the campaigns with `ghl-bulksms campaign list`",
  wrong_status: "see its status with `ghl-bulksms campaign status <id>`",
  invalid: "see `ghl-bulksms campaign create --help`",
  template_invalid: 'write fields as {{firstName}} or with a fallback {{firstName | "there"}}',
  location_unknown: "see `ghl-bulksms locations list`",
};

/** An engine refusal as a CLI error: usage problems exit 2, the rest 1. */
function fail(r: Extract<ControlOutcome, { ok: false }>): never {
  const usage = r.code === "invalid" || r.code === "template_invalid";
  throw new CliError(r.message, { hint: HINTS[r.code] ?? "", ...(usage ? { exitCode: EXIT_USAGE } : {}) });
}

function print(io: Io, json: boolean | undefined, c: Campaign, verb: string): void {
  if (json) io.json(c);
  else io.out(`${verb}: ${c.id} "${c.name}" (${c.status})`);
}

/** --tag vip,gold --all-tags a,b --exclude-tag staff --field <id>=<value> --source x --added-from ... */
interface AudienceOpts {
  tag?: string;
  allTags?: string;
  excludeTag?: string;
  excludeContact?: string;
  field?: string[];
  source?: string;
  addedFrom?: string;
  addedTo?: string;
  audience?: string;
}

const list = (v: string | undefined) =>
  v
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean) ?? [];

function audienceOf(o: AudienceOpts): unknown {
  if (o.audience) {
    try {
      return JSON.parse(o.audience);
    } catch {
      throw usageError("--audience must be JSON", 'e.g. --audience \'{"tags":{"any":["vip"]}}\'');
    }
  }
  const customFields: Record<string, string> = {};
  for (const f of o.field ?? []) {
    const eq = f.indexOf("=");
    if (eq <= 0) throw usageError(`--field must be <fieldId>=<value>, got ${JSON.stringify(f)}`);
    customFields[f.slice(0, eq)] = f.slice(eq + 1);
  }
  const any = list(o.tag);
  const all = list(o.allTags);
  const excludeTags = list(o.excludeTag);
  const excludeIds = list(o.excludeContact);
  return {
    ...(any.length || all.length
      ? { tags: { ...(any.length ? { any } : {}), ...(all.length ? { all } : {}) } }
      : {}),
    ...(Object.keys(customFields).length ? { customFields } : {}),
    ...(o.source ? { source: o.source } : {}),
    ...(o.addedFrom || o.addedTo
      ? {
          dateAdded: {
            ...(o.addedFrom ? { from: o.addedFrom } : {}),
            ...(o.addedTo ? { to: o.addedTo } : {}),
          },
        }
      : {}),
    ...(excludeTags.length || excludeIds.length
      ? {
          exclude: {
            ...(excludeTags.length ? { tags: excludeTags } : {}),
            ...(excludeIds.length ? { contactIds: excludeIds } : {}),
          },
        }
      : {}),
  };
}

function scheduleOf(o: { local?: string; at?: string }): unknown {
  if (o.local && o.at) throw usageError("give --local or --at, not both");
  if (o.local) {
    const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})$/.exec(o.local.trim());
    if (!m) throw usageError(`--local must be YYYY-MM-DDTHH:MM, got ${JSON.stringify(o.local)}`);
    return { kind: "local", date: m[1], time: m[2] };
  }
  if (o.at) {
    const t = Date.parse(o.at);
    if (Number.isNaN(t) || !/(Z|[+-]\d{2}:\d{2})$/.test(o.at))
      throw usageError(`--at must be an ISO time with an offset, got ${JSON.stringify(o.at)}`);
    return { kind: "at", at: t };
  }
  throw usageError("give --local <YYYY-MM-DDTHH:MM> (each recipient's own time zone) or --at <ISO time>");
}

export function registerCampaign(program: Command, io: Io): void {
  const campaign = program
    .command("campaign")
    .description(
      "SMS campaigns to a GHL segment: preview the cost, schedule in each recipient's day, send in batches",
    );

  const create = campaign
    .command("create")
    .description("Create a draft campaign (nothing is sent until it is scheduled or sent)")
    .requiredOption("--name <name>", "a name for the operators")
    .requiredOption("--template <text>", "the text, e.g. 'Hi {{firstName | \"there\"}}, ...'")
    .option("--location <id>", "location (default: the only one)")
    .option("--tag <tags>", "contacts with ANY of these tags (comma-separated)")
    .option("--all-tags <tags>", "contacts with ALL of these tags (comma-separated)")
    .option("--exclude-tag <tags>", "leave out contacts with any of these tags")
    .option("--exclude-contact <ids>", "leave out these contact ids")
    .option("--field <id=value>", "a custom field value (repeatable)", (v: string, prev: string[] = []) => [
      ...prev,
      v,
    ])
    .option("--source <source>", "GHL contact source")
    .option("--added-from <date>", "GHL date added from (ISO date)")
    .option("--added-to <date>", "GHL date added up to (ISO date)")
    .option("--audience <json>", "the whole segment as JSON (instead of the flags above)")
    .option(
      "--batch-size <n>",
      "texts per BulkSMS request (1..4000)",
      parseIntOption("--batch-size", 1, 4000),
    )
    .option("--ghl-tag <tag>", "add this tag to each recipient in GHL once the text is accepted")
    .option("--note", "write a note on each recipient in GHL once the text is accepted")
    .option(
      "--trigger-tag <tag>",
      "also text contacts of the segment who gain this tag later (a trigger campaign)",
    )
    .option("--id <id>", "your own id (creating the same id twice is a no-op)")
    .option("--json", "print the campaign as JSON")
    .action(async (opts: AudienceOpts & Record<string, unknown>, cmd: Command) => {
      await withStore(cmd, async (settings, store) => {
        const location = await resolveLocation(settings.config, store, opts.location as string | undefined);
        const { engine } = await openEngine(settings, store, { needSms: false });
        const { createCampaign } = await import("@ghl-bulksms/engine");
        const r = (await createCampaign(engine.deps, {
          locationId: location.id,
          name: String(opts.name),
          template: String(opts.template),
          audience: audienceOf(opts),
          options: {
            ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize as number } : {}),
            ...(opts.ghlTag ? { tag: String(opts.ghlTag) } : {}),
            ...(opts.note ? { note: true } : {}),
            ...(opts.triggerTag
              ? { trigger: { kind: "tag-added" as const, tag: String(opts.triggerTag) } }
              : {}),
          },
          ...(opts.id ? { id: String(opts.id) } : {}),
        })) as ControlOutcome;
        if (!r.ok) fail(r);
        print(io, opts.json as boolean | undefined, r.campaign, "created");
      });
    });
  withExamples(
    create,
    `ghl-bulksms campaign create --location abc123 --name "Spring sale" --template 'Hi {{firstName | "there"}}, 20% off this week. Reply STOP to opt out.' --tag vip --exclude-tag staff`,
    `ghl-bulksms campaign create --name "Welcome back" --template 'Hello again!' --tag lapsed --ghl-tag got-welcome-back --json`,
  );

  const preview = campaign
    .command("preview <id>")
    .description(
      "Resolve the segment now and show who would get a text and who not (each reason, count, samples), encoding, parts, credits, the balance",
    )
    .option("--json", "print the preview as JSON")
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (settings, store) => {
        const { engine } = await openEngine(settings, store);
        const { previewCampaign } = await import("@ghl-bulksms/engine");
        const r = await previewCampaign(engine.deps, id);
        if (!r.ok)
          throw new CliError(r.message, { hint: r.code === "not_found" ? (HINTS.not_found ?? "") : "" });
        const p = r.preview;
        if (opts.json) return io.json(p);
        io.out(
          renderPairs([
            ["matched in GHL", p.matched],
            ["would be texted", p.eligible],
            ["encoding", `GSM-7 ${p.encoding["GSM-7"]}, UCS-2 ${p.encoding["UCS-2"]}`],
            ["parts per text", p.eligible ? `${p.parts.min}..${p.parts.max}` : "-"],
            ["credits (estimate)", p.credits.total],
            [
              "balance",
              p.balance.known
                ? `${p.balance.credits} credits: ${p.balance.sufficient ? "enough" : `NOT enough, covers ${p.balance.affordableTexts} texts`}`
                : `unknown (${p.balance.error})`,
            ],
            ["BulkSMS requests", p.bulkSmsRequests],
          ]),
        );
        const excluded = Object.entries(p.excluded).filter(([, v]) => v.count > 0);
        if (excluded.length > 0) {
          io.out("\nNot texted:");
          io.out(
            renderTable(
              ["reason", "count", "samples"],
              excluded.map(([reason, v]) => [
                reason,
                v.count,
                v.samples.map((s) => `${s.contactId}${s.phone ? ` ${s.phone}` : ""}`).join(", "),
              ]),
            ),
          );
        }
        for (const s of p.samples)
          io.out(`\n--- ${s.contactId} (${s.encoding}, ${s.parts} part(s)) ---\n${s.text}`);
      });
    });
  withExamples(
    preview,
    `ghl-bulksms campaign preview ${DRAFT}`,
    `ghl-bulksms campaign preview ${DRAFT} --json`,
  );

  const schedule = campaign
    .command("schedule <id>")
    .description(
      "Schedule a draft: --local sends at that time in EACH recipient's own time zone (within quiet hours)",
    )
    .option(
      "--local <YYYY-MM-DDTHH:MM>",
      "local date and time in each recipient's zone (contact's, else location's)",
    )
    .option("--at <iso>", "one instant for everyone, e.g. 2026-12-24T09:00:00Z")
    .option(
      "--throughput <perMinute>",
      "at most this many texts a minute",
      parseIntOption("--throughput", 1, 1_000_000),
    )
    .option("--json", "print the campaign as JSON")
    .action(
      async (id: string, opts: { local?: string; at?: string; throughput?: number; json?: boolean }, cmd) => {
        const when = scheduleOf(opts);
        await withStore(cmd, async (settings, store) => {
          const { engine } = await openEngine(settings, store, { needSms: false });
          const { scheduleCampaign } = await import("@ghl-bulksms/engine");
          const r = (await scheduleCampaign(engine.deps, id, {
            schedule: when,
            ...(opts.throughput !== undefined ? { throughputPerMinute: opts.throughput } : {}),
          })) as ControlOutcome;
          if (!r.ok) fail(r);
          print(io, opts.json, r.campaign, "scheduled");
        });
      },
    );
  withExamples(
    schedule,
    `ghl-bulksms campaign schedule ${DRAFT} --local 2026-12-24T10:00`,
    `ghl-bulksms campaign schedule ${DRAFT} --at 2026-12-24T09:00:00Z --throughput 600 --json`,
  );

  const send = campaign
    .command("send <id>")
    .description(
      "Send a draft now (each recipient inside its sending window); the worker submits the batches",
    )
    .option(
      "--throughput <perMinute>",
      "at most this many texts a minute",
      parseIntOption("--throughput", 1, 1_000_000),
    )
    .option("--json", "print the campaign as JSON")
    .action(async (id: string, opts: { throughput?: number; json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (settings, store) => {
        const { engine } = await openEngine(settings, store, { needSms: false });
        const { sendCampaign } = await import("@ghl-bulksms/engine");
        const r = (await sendCampaign(
          engine.deps,
          id,
          opts.throughput !== undefined ? { throughputPerMinute: opts.throughput } : {},
        )) as ControlOutcome;
        if (!r.ok) fail(r);
        print(io, opts.json, r.campaign, "sending");
      });
    });
  withExamples(
    send,
    `ghl-bulksms campaign send ${DRAFT}`,
    `ghl-bulksms campaign send ${DRAFT} --throughput 1000 --json`,
  );

  const status = campaign
    .command("status <id>")
    .description(
      "A campaign's state, recipients, exclusions, deliveries, failures, replies, opt-outs and batches",
    )
    .option("--json", "print everything as JSON")
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (settings, store) => {
        const { engine } = await openEngine(settings, store, { needSms: false });
        const { campaignStatus } = await import("@ghl-bulksms/engine");
        const s = await campaignStatus(engine.deps, id);
        if (!s) throw new CliError(`no campaign ${id}`, { hint: HINTS.not_found ?? "" });
        if (opts.json) return io.json(s);
        const m = s.counts.messages;
        io.out(
          renderPairs([
            ["campaign", `${s.campaign.id} "${s.campaign.name}"`],
            ["status", s.campaign.status + (s.campaign.error ? ` (${s.campaign.error})` : "")],
            [
              "recipients",
              Object.entries(s.counts.recipients)
                .map(([k, v]) => `${k} ${v}`)
                .join(", "),
            ],
            [
              "excluded",
              Object.entries(s.counts.excluded)
                .map(([k, v]) => `${k} ${v}`)
                .join(", ") || "-",
            ],
            ["delivered", m.DELIVERED],
            ["failed", m.FAILED],
            ["in flight", m.ACCEPTED + m.SCHEDULED + m.SENT + m.UNKNOWN],
            ["replies", s.counts.replied],
            ["opt-outs", s.counts.optedOut],
            ["batches", s.batches.map((b) => `#${b.seq} ${b.state} ${b.size}`).join(", ") || "-"],
            ["credits", s.counts.credits],
          ]),
        );
      });
    });
  withExamples(
    status,
    `ghl-bulksms campaign status ${SCHEDULED}`,
    `ghl-bulksms campaign status ${SCHEDULED} --json`,
  );

  const listCmd = campaign
    .command("list")
    .description("The campaigns, newest first")
    .option("--location <id>", "only this location")
    .option("--json", "print as JSON")
    .action(async (opts: { location?: string; json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (_settings, store) => {
        const rows = await store.campaigns.list(opts.location ? { locationId: opts.location } : {});
        if (opts.json) return io.json(rows);
        if (rows.length === 0) return io.out("no campaigns");
        io.out(
          renderTable(
            ["id", "name", "status", "created"],
            rows.map((c) => [c.id, c.name, c.status, isoTime(c.createdAt)]),
          ),
        );
      });
    });
  withExamples(listCmd, "ghl-bulksms campaign list", "ghl-bulksms campaign list --json");

  const control = (name: "pause" | "resume" | "cancel", description: string, example: string) => {
    const c = campaign
      .command(`${name} <id>`)
      .description(description)
      .option("--json", "print the campaign as JSON")
      .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
        await withStore(cmd, async (settings, store) => {
          const { engine } = await openEngine(settings, store, { needSms: false });
          const api = await import("@ghl-bulksms/engine");
          const fn = { pause: api.pauseCampaign, resume: api.resumeCampaign, cancel: api.cancelCampaign }[
            name
          ];
          const r = (await fn(engine.deps, id)) as ControlOutcome;
          if (!r.ok) fail(r);
          print(
            io,
            opts.json,
            r.campaign,
            name === "pause" ? "paused" : name === "resume" ? "resumed" : "cancelled",
          );
        });
      });
    withExamples(
      c,
      `ghl-bulksms campaign ${name} ${example}`,
      `ghl-bulksms campaign ${name} ${example} --json`,
    );
  };
  control("pause", "Stop sealing new batches (a batch already sealed is still finished)", SCHEDULED);
  control("resume", "Continue a paused campaign", PAUSED);
  control("cancel", "Cancel: remaining recipients are not texted", SCHEDULED);
}
