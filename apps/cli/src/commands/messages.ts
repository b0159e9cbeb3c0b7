// messages list | show: the SMS the engine queued and sent, with their statuses.
import type { MessageRecord, MessageStatus } from "@ghl-bulksms/store";
import type { Command } from "commander";
import { parseIntOption, parseSince, withExamples, withStore } from "../cli/command.js";
import { CliError, usageError } from "../cli/errors.js";
import type { Io } from "../cli/io.js";
import { resolveLocation } from "../cli/runtime.js";
import { isoTime, renderPairs, renderTable } from "../cli/table.js";

const MESSAGE_STATUS_LIST = [
  "QUEUED",
  "ACCEPTED",
  "SCHEDULED",
  "UNKNOWN",
  "SENT",
  "DELIVERED",
  "FAILED",
  "CANCELLED",
] as const;

export function registerMessages(program: Command, io: Io): void {
  const messages = program.command("messages").description("SMS messages: status, attempts, cost");

  const list = messages
    .command("list")
    .description(
      "List recent messages (newest first), a contact's (--contact) or the queued ones that are due (--due)",
    )
    .option("--location <id>", "location (default: the only one)")
    .option("--contact <contactId>", "only this GHL contact")
    .option("--due", "queued messages whose send time has come")
    .option("--status <list>", `comma-separated statuses (${MESSAGE_STATUS_LIST.join(", ")})`)
    .option("--since <time>", 'created since ("2026-11-01", "24h")')
    .option("--limit <n>", "how many", parseIntOption("--limit", 1, 100_000), 50)
    .option("--json", "print as JSON")
    .action(
      async (
        opts: {
          location?: string;
          contact?: string;
          due?: boolean;
          status?: string;
          since?: string;
          limit: number;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        if (opts.contact && opts.due) throw usageError("give --contact or --due, not both");
        const statuses = opts.status ? opts.status.split(",").map((x) => x.trim().toUpperCase()) : undefined;
        const wrong = statuses?.filter((x) => !(MESSAGE_STATUS_LIST as readonly string[]).includes(x)) ?? [];
        if (wrong.length > 0)
          throw usageError(`unknown status ${wrong.join(", ")}`, `use ${MESSAGE_STATUS_LIST.join(", ")}`);
        const since = opts.since ? parseSince(opts.since) : undefined;
        await withStore(cmd, async (settings, store) => {
          const location = await resolveLocation(settings.config, store, opts.location);
          const counts = await store.messages.countByStatus(location.id);
          let rows: MessageRecord[];
          if (opts.contact)
            rows = await store.messages.listForContact(location.id, opts.contact, { limit: opts.limit });
          else if (opts.due)
            rows = await store.messages.listDue({ locationId: location.id, limit: opts.limit });
          else
            rows = await store.messages.list({
              locationId: location.id,
              limit: opts.limit,
              ...(statuses ? { status: statuses as MessageStatus[] } : {}),
              ...(since !== undefined ? { since } : {}),
            });
          if (opts.contact || opts.due) {
            if (statuses) rows = rows.filter((m) => statuses.includes(m.status));
            if (since !== undefined) rows = rows.filter((m) => m.createdAt >= since);
          }
          if (opts.json) return io.json({ location: location.id, counts, messages: rows });
          io.out(
            `Messages of location ${location.id}: ${
              Object.entries(counts)
                .filter(([, n]) => n > 0)
                .map(([st, n]) => `${st} ${n}`)
                .join(", ") || "none"
            }`,
          );
          io.out(
            renderTable(
              ["id", "contact", "to", "status", "subtype", "status at", "attempts", "cost", "key"],
              rows.map((m) => [
                m.id,
                m.contactId,
                m.to,
                m.status,
                m.subtype,
                isoTime(m.statusAt),
                m.attempts,
                m.cost,
                m.key,
              ]),
            ),
          );
        });
      },
    );
  withExamples(
    list,
    "ghl-bulksms messages list --status FAILED --since 24h",
    "ghl-bulksms messages list --contact Abc123",
    "ghl-bulksms messages list --due --json",
  );

  const show = messages
    .command("show <idOrKey>")
    .description("Show one message by its id (18 characters) or its key")
    .option("--json", "print as JSON")
    .action(async (idOrKey: string, opts: { json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (_s, store) => {
        const m = (await store.messages.get(idOrKey)) ?? (await store.messages.getByKey(idOrKey));
        if (!m)
          throw new CliError(`message ${JSON.stringify(idOrKey)} not found`, {
            hint: "find ids with `ghl-bulksms messages list --contact <id>`",
          });
        if (opts.json) return io.json(m);
        io.out(
          renderPairs([
            ["id", m.id],
            ["key", m.key],
            ["location", m.locationId],
            ["contact", m.contactId],
            ["to", m.to],
            ["status", m.status],
            ["subtype", m.subtype],
            ["status at", isoTime(m.statusAt)],
            ["send after", isoTime(m.sendAfter)],
            ["attempts", m.attempts],
            ["provider ids", m.providerIds.join(", ")],
            ["dedup id", m.dedupId],
            ["cost (credits)", m.cost],
            ["error", m.error],
            ["template", m.template],
            ["body", m.body],
            ["created", isoTime(m.createdAt)],
          ]),
        );
      });
    });
  withExamples(
    show,
    "ghl-bulksms messages show Q2xJm0aWk3hT7pYb1c",
    "ghl-bulksms messages show welcome:abc:def --json",
  );
}
