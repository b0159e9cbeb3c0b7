// optouts list | add | remove | import | export | gateway-blocks | unblock: the local opt-out register,
// changed through the engine (which also queues GHL DND + tag and the BulkSMS blocked number for the
// worker), and the numbers BulkSMS still blocks after the person re-subscribed (engine "gateway blocks").
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import type { OptOutState } from "@ghl-bulksms/store";
import type { Command } from "commander";
import { parseIntOption, parseSince, withExamples, withStore } from "../cli/command.js";
import { csvLine, parseCsv } from "../cli/csv.js";
import { CliError, EXIT_PARTIAL, usageError } from "../cli/errors.js";
import { EXAMPLE_LOCATION_ID, EXAMPLE_PHONE_E164, EXAMPLE_PHONE_NATIONAL } from "../cli/example-values.js";
import type { Io } from "../cli/io.js";
import { createProgress } from "../cli/progress.js";
import { parsePhone } from "../cli/region.js";
import { openEngine, resolveLocation } from "../cli/runtime.js";
import { isoTime, renderTable } from "../cli/table.js";

interface ListOpts {
  location?: string;
  state?: string;
  since?: string;
  limit: number;
  json?: boolean;
}

function stateOf(text: string | undefined): OptOutState | undefined {
  if (text === undefined || text === "") return undefined;
  const t = text.trim().toLowerCase().replace(/[-\s]/g, "_");
  if (["opted_out", "out", "stop", "optout"].includes(t)) return "opted_out";
  if (["opted_in", "in", "start", "optin"].includes(t)) return "opted_in";
  return undefined;
}

export function registerOptOuts(program: Command, io: Io): void {
  const optouts = program
    .command("optouts")
    .description(
      "Opt-outs: list, add, remove, import and export (CSV); gateway blocks after a re-subscribe: list, unblock",
    );

  const list = optouts
    .command("list")
    .description("List the location's opt-out register (latest state per number)")
    .option("--location <id>", "location (default: the only one)")
    .option("--state <state>", "opted_out | opted_in")
    .option("--since <time>", 'only changes since ("2026-11-01", "7d")')
    .option("--limit <n>", "how many", parseIntOption("--limit", 1, 1_000_000), 100)
    .option("--json", "print as JSON")
    .action(async (opts: ListOpts, cmd: Command) => {
      const state = stateOf(opts.state);
      if (opts.state && !state)
        throw usageError(`--state must be opted_out or opted_in (got ${JSON.stringify(opts.state)})`);
      await withStore(cmd, async (settings, store) => {
        const location = await resolveLocation(settings.config, store, opts.location);
        const rows = await store.optOuts.list({
          locationId: location.id,
          limit: opts.limit,
          ...(state ? { state } : {}),
          ...(opts.since ? { since: parseSince(opts.since) } : {}),
        });
        if (opts.json) return io.json(rows);
        io.out(
          renderTable(
            ["phone", "state", "source", "at", "note"],
            rows.map((r) => [r.phoneE164, r.state, r.source, isoTime(r.at), r.note]),
          ),
        );
      });
    });
  withExamples(
    list,
    "ghl-bulksms optouts list",
    "ghl-bulksms optouts list --state opted_out --since 7d --json",
  );

  for (const [name, out] of [
    ["add", true],
    ["remove", false],
  ] as const) {
    const c = optouts
      .command(`${name} <phone>`)
      .description(
        out
          ? "Opt a number out: local register now; GHL DND + tag and BulkSMS block queued for the worker"
          : "Re-subscribe a number (remove its opt-out); GHL DND cleared by the worker",
      )
      .option("--location <id>", "location (default: the only one)")
      .option("--reason <text>", "note kept with the change")
      .option("--json", "print the result as JSON")
      .action(
        async (phone: string, opts: { location?: string; reason?: string; json?: boolean }, cmd: Command) => {
          await withStore(
            cmd,
            async (settings, store) => {
              const location = await resolveLocation(settings.config, store, opts.location);
              const p = await parsePhone(phone, location.region);
              if (!p.ok)
                throw usageError(
                  p.message,
                  `use E.164 (${EXAMPLE_PHONE_E164}) or a national number of the location's region`,
                );
              const { engine } = await openEngine(settings, store, { needSms: false });
              const { operatorOptIn, operatorOptOut } = await import("@ghl-bulksms/engine");
              const input = {
                locationId: location.id,
                phone: p.e164,
                ...(opts.reason ? { reason: opts.reason } : {}),
              };
              const r = out
                ? await operatorOptOut(engine.deps, input)
                : await operatorOptIn(engine.deps, input);
              if (opts.json) return io.json({ phone: p.e164, state: out ? "opted_out" : "opted_in", ...r });
              io.out(
                r.changed
                  ? `${p.e164} ${out ? "opted out" : "re-subscribed"} (${r.contacts.length} matching contact(s)); GHL and BulkSMS updates are queued for the worker`
                  : `${p.e164} was already ${out ? "opted out" : "subscribed"}; nothing changed`,
              );
            },
            { create: true },
          );
        },
      );
    withExamples(
      c,
      `ghl-bulksms optouts ${name} ${EXAMPLE_PHONE_E164}`,
      `ghl-bulksms optouts ${name} "${EXAMPLE_PHONE_NATIONAL}" --location ${EXAMPLE_LOCATION_ID} --reason "asked by phone"`,
    );
  }

  const blocks = optouts
    .command("gateway-blocks")
    .description(
      "List numbers BulkSMS still blocks although the person re-subscribed (START); the send gate refuses them (gateway_blocked)",
    )
    .option("--location <id>", "location (default: the only one)")
    .option("--json", "print as JSON")
    .action(async (opts: { location?: string; json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (settings, store) => {
        const location = await resolveLocation(settings.config, store, opts.location);
        const { engine } = await openEngine(settings, store, { needSms: false });
        const { listGatewayBlocks } = await import("@ghl-bulksms/engine");
        const rows = await listGatewayBlocks(engine.deps, location.id);
        if (opts.json) return io.json(rows);
        if (rows.length === 0) return io.out("no gateway blocks");
        io.out(
          renderTable(
            ["phone", "since", "contacts", "message"],
            rows.map((r) => [r.phone, isoTime(r.since), r.contacts.join(" "), r.messageId]),
          ),
        );
      });
    });
  withExamples(
    blocks,
    "ghl-bulksms optouts gateway-blocks",
    "ghl-bulksms optouts gateway-blocks --location abc123 --json",
  );

  const unblock = optouts
    .command("unblock")
    .description(
      "Clear a number's gateway block: run this after BulkSMS support has lifted the block; texts flow again and the contacts' tasks are completed by the worker",
    )
    .option("--location <id>", "location (default: the default location)")
    .requiredOption("--phone <phone>", "the blocked number (E.164 or national)")
    .option("--reason <text>", "resolution written on the contacts' tasks")
    .option("--json", "print the result as JSON")
    .action(
      async (opts: { location?: string; phone: string; reason?: string; json?: boolean }, cmd: Command) => {
        await withStore(cmd, async (settings, store) => {
          const location = await resolveLocation(settings.config, store, opts.location);
          const p = await parsePhone(opts.phone, location.region);
          if (!p.ok)
            throw usageError(
              p.message,
              `use E.164 (${EXAMPLE_PHONE_E164}) or a national number of the location's region`,
            );
          const { engine } = await openEngine(settings, store, { needSms: false });
          const { clearGatewayBlock } = await import("@ghl-bulksms/engine");
          const cleared = await clearGatewayBlock(engine.deps, {
            locationId: location.id,
            phone: p.e164,
            ...(opts.reason ? { reason: opts.reason } : {}),
          });
          if (!cleared)
            throw new CliError(`${p.e164} has no gateway block in location ${location.id}`, {
              hint: "see `ghl-bulksms optouts gateway-blocks`",
            });
          if (opts.json) return io.json({ phone: p.e164, locationId: location.id, cleared });
          io.out(
            `${p.e164}: gateway block cleared; texts to it are allowed again (the contacts' tasks are completed by the worker)`,
          );
        });
      },
    );
  withExamples(
    unblock,
    `ghl-bulksms optouts unblock --location ${EXAMPLE_LOCATION_ID} --phone ${EXAMPLE_PHONE_E164}`,
    `ghl-bulksms optouts unblock --location ${EXAMPLE_LOCATION_ID} --phone "${EXAMPLE_PHONE_NATIONAL}" --reason "BulkSMS ticket 4711"`,
  );

  const imp = optouts
    .command("import <file.csv>")
    .description(
      "Import opt-outs from CSV: columns phone[,state][,note] (header optional; state defaults to opted_out)",
    )
    .option("--location <id>", "location (default: the only one)")
    .option("--json", "print the result as JSON")
    .action(async (file: string, opts: { location?: string; json?: boolean }, cmd: Command) => {
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (e) {
        throw new CliError(`cannot read ${file}: ${(e as Error).message}`);
      }
      let rows: ReturnType<typeof parseCsv>;
      try {
        rows = parseCsv(text);
      } catch (e) {
        throw new CliError(`${file}: ${(e as Error).message}`);
      }
      if (rows[0] && /phone/i.test(rows[0].fields[0] ?? "")) rows = rows.slice(1);
      const fileHash = createHash("sha256").update(text).digest("hex").slice(0, 12);
      await withStore(
        cmd,
        async (settings, store) => {
          const location = await resolveLocation(settings.config, store, opts.location);
          const { engine } = await openEngine(settings, store, { needSms: false });
          const { applyOptIn, applyOptOut, loadLocation } = await import("@ghl-bulksms/engine");
          const ctx = await loadLocation(engine.deps, location.id);
          if (!ctx) throw new CliError(`unknown location "${location.id}"`);
          const problems: string[] = [];
          let changed = 0;
          let unchanged = 0;
          const bar = createProgress(io, `importing ${file}`, { enabled: !opts.json });
          for (const [i, row] of rows.entries()) {
            bar.update(i, rows.length);
            const [phone = "", stateText, note] = row.fields;
            const state = stateText === undefined || stateText === "" ? "opted_out" : stateOf(stateText);
            if (!state) {
              problems.push(
                `${file}:${row.line}: unknown state ${JSON.stringify(stateText)} (use opted_out or opted_in)`,
              );
              continue;
            }
            const p = await parsePhone(phone, location.region);
            if (!p.ok) {
              problems.push(`${file}:${row.line}: ${p.message}`);
              continue;
            }
            const now = engine.deps.now();
            const why = note && note !== "" ? note : `imported from ${file}`;
            const r = await store.transaction((tx) =>
              state === "opted_out"
                ? applyOptOut(tx, ctx, {
                    phone: p.e164,
                    source: "import",
                    eventKey: `import:${fileHash}:${row.line}`,
                    why,
                    now,
                    setGhlDnd: true,
                    pushBlock: true,
                    confirm: false,
                  })
                : applyOptIn(tx, ctx, {
                    phone: p.e164,
                    source: "import",
                    eventKey: `import:${fileHash}:${row.line}`,
                    why,
                    now,
                    confirm: false,
                  }),
            );
            if (r.changed) changed++;
            else unchanged++;
          }
          bar.done();
          for (const p of problems.slice(0, 50)) io.err(`warning: ${p} (skipped)`);
          if (opts.json)
            io.json({ rows: rows.length, changed, unchanged, skipped: problems.length, problems });
          else
            io.out(
              `imported ${rows.length - problems.length} of ${rows.length} row(s): ${changed} changed, ${unchanged} already so, ${problems.length} skipped`,
            );
          if (problems.length > 0) {
            if (problems.length === rows.length)
              throw new CliError(`no row of ${file} could be imported`, {
                hint: "check the phone column and the location's region",
              });
            io.exitCode = EXIT_PARTIAL;
          }
        },
        { create: true },
      );
    });
  withExamples(
    imp,
    "ghl-bulksms optouts import stops.csv",
    `printf 'phone\\n${EXAMPLE_PHONE_E164}\\n' | ghl-bulksms optouts import /dev/stdin`,
  );

  const exp = optouts
    .command("export")
    .description("Export the opt-out register as CSV (phone,state,source,at,note)")
    .option("--location <id>", "location (default: the only one)")
    .option("--state <state>", "opted_out | opted_in")
    .option("--out <file>", "write to a file instead of stdout")
    .action(async (opts: { location?: string; state?: string; out?: string }, cmd: Command) => {
      const state = stateOf(opts.state);
      if (opts.state && !state)
        throw usageError(`--state must be opted_out or opted_in (got ${JSON.stringify(opts.state)})`);
      await withStore(cmd, async (settings, store) => {
        const location = await resolveLocation(settings.config, store, opts.location);
        const rows = await store.optOuts.list({
          locationId: location.id,
          limit: 10_000_000,
          ...(state ? { state } : {}),
        });
        const text = `${[csvLine(["phone", "state", "source", "at", "note"]), ...rows.map((r) => csvLine([r.phoneE164, r.state, r.source, isoTime(r.at), r.note]))].join("\n")}\n`;
        if (opts.out) {
          writeFileSync(opts.out, text);
          io.err(`wrote ${rows.length} row(s) to ${opts.out}`);
        } else process.stdout.write(text);
      });
    });
  withExamples(
    exp,
    "ghl-bulksms optouts export > optouts.csv",
    "ghl-bulksms optouts export --state opted_out --out stops.csv",
  );
}
