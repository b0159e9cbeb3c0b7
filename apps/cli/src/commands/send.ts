// send: one SMS to a number or a contact, through the engine's send gate (opt-out, DND, consent, quiet
// hours) and its message queue (one deduplication id for the message's whole life).
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { ContactRecord } from "@ghl-bulksms/store";
import type { Command } from "commander";
import { withExamples, withStore } from "../cli/command.js";
import { CliError, usageError } from "../cli/errors.js";
import type { Io } from "../cli/io.js";
import { parsePhone } from "../cli/region.js";
import { openEngine, resolveLocation } from "../cli/runtime.js";
import { isoTime, renderPairs } from "../cli/table.js";

interface SendOpts {
  to: string;
  body?: string;
  template?: string;
  location?: string;
  dryRun?: boolean;
  key?: string;
  creditsPerPart: string;
  json?: boolean;
}

const BLOCK_HINTS: Record<string, string> = {
  opted_out:
    "the number opted out; only the person can opt back in (or `ghl-bulksms optouts remove` with their consent)",
  ghl_dnd: "the contact has SMS do-not-disturb in GHL",
  no_consent: "the contact has not consented to SMS",
  contact_deleted: "the contact was deleted in GHL",
  contact_retired: "the contact was retired by a reconciliation",
  location_inactive: "the location is inactive (uninstalled?)",
  invalid_number: "use E.164, e.g. +447700900123",
};

export function registerSend(program: Command, io: Io): void {
  const cmd = program
    .command("send")
    .description(
      "Send one SMS through the send gate (opt-out, DND, consent, quiet hours); --dry-run shows text, encoding, parts, cost",
    )
    .requiredOption("--to <phone|contactId>", "E.164 / national number, or a GHL contact id")
    .option("--body <text>", "the message text")
    .option(
      "--template <text|@file>",
      'a template such as "Hi {{firstName | \\"there\\"}}" (or @file to read it)',
    )
    .option("--location <id>", "location (default: the only one)")
    .option("--dry-run", "render and check only; nothing is queued or sent")
    .option("--key <key>", "idempotency key: sending twice with the same key sends once (default: a new key)")
    .option("--credits-per-part <n>", "credits per SMS part for the cost estimate", "1")
    .option("--json", "print the result as JSON")
    .action(async (opts: SendOpts, command: Command) => {
      if ((opts.body === undefined) === (opts.template === undefined))
        throw usageError("give exactly one of --body or --template");
      const creditsPerPart = Number(opts.creditsPerPart);
      if (!Number.isFinite(creditsPerPart) || creditsPerPart < 0)
        throw usageError("--credits-per-part must be a number >= 0");
      let template = opts.template;
      if (template?.startsWith("@")) {
        try {
          template = readFileSync(template.slice(1), "utf8").replace(/\n$/, "");
        } catch (e) {
          throw new CliError(`cannot read the template file ${template.slice(1)}: ${(e as Error).message}`);
        }
      }
      await withStore(
        command,
        async (settings, store) => {
          const location = await resolveLocation(settings.config, store, opts.location);
          const { engine } = await openEngine(settings, store, [location.id], { needSms: !opts.dryRun });
          const deps = engine.deps;
          const { checkSendGate, queueMessage, sendQueuedMessage } = await import("@ghl-bulksms/engine");
          const { measureSms } = await import("@ghl-bulksms/bulksms");
          const { previewTemplate } = await import("@ghl-bulksms/sync");

          // Who: a phone number, or a contact of the mirror.
          let contact: ContactRecord | null = null;
          let to: string;
          if (/^[+0-9(][0-9 ()+.-]*$/.test(opts.to.trim())) {
            const p = await parsePhone(opts.to, location.region);
            if (!p.ok)
              throw usageError(
                p.message,
                "use E.164 (+447700900123) or a national number of the location's region",
              );
            to = p.e164;
            contact = (await store.contacts.findByPhone(location.id, to))[0] ?? null;
          } else {
            contact = await store.contacts.get(location.id, opts.to);
            if (!contact)
              throw new CliError(
                `contact ${JSON.stringify(opts.to)} is not in the mirror of location ${location.id}`,
                {
                  hint: "run `ghl-bulksms reconcile` to refresh the mirror, or give the phone number with --to",
                },
              );
            if (!contact.phoneE164) throw new CliError(`contact ${opts.to} has no valid phone number`);
            to = contact.phoneE164;
          }

          // What: the body, or the template rendered with the contact's fields.
          const data = { ...((contact?.ghl as Record<string, unknown> | null) ?? {}), phone: to };
          let rendered: { text: string; encoding: string; parts: number; cost: number };
          if (template === undefined)
            rendered = {
              text: opts.body as string,
              ...measureOf(measureSms, opts.body as string, creditsPerPart),
            };
          else {
            const preview = previewTemplate(template, data, {
              measure: (t) => measureSms(t),
              pricePerPart: creditsPerPart,
            });
            if (!preview.ok)
              throw usageError(
                `the template does not render: ${preview.error.message}`,
                'fix the placeholder or give it a fallback: {{firstName | "there"}}',
              );
            rendered = {
              text: preview.text,
              encoding: preview.encoding,
              parts: preview.parts,
              cost: preview.cost,
            };
          }
          if (rendered.text.trim() === "") throw usageError("the message is empty");

          const gate = await checkSendGate(deps, {
            locationId: location.id,
            contactId: contact?.contactId ?? null,
            to,
            purpose: "automated",
          });
          const decision =
            "allow" in gate
              ? "allowed"
              : "defer" in gate
                ? `deferred by quiet hours until ${isoTime(gate.defer)}`
                : `blocked: ${gate.block}${gate.detail ? ` (${gate.detail})` : ""}`;
          const summary = {
            location: location.id,
            to,
            contactId: contact?.contactId ?? null,
            text: rendered.text,
            encoding: rendered.encoding,
            parts: rendered.parts,
            cost: rendered.cost,
            gate: decision,
          };
          if ("block" in gate) {
            if (opts.json) io.json({ ...summary, sent: false });
            throw new CliError(
              `not sent: the send gate blocked it (${gate.block}${gate.detail ? `, ${gate.detail}` : ""})`,
              {
                hint: BLOCK_HINTS[gate.block] ?? "see the send gate reasons in the engine README",
              },
            );
          }
          if (opts.dryRun) {
            if (opts.json) return io.json({ ...summary, dryRun: true });
            io.out(
              renderPairs([
                ["to", to],
                ["contact", summary.contactId],
                ["encoding", rendered.encoding],
                ["parts", rendered.parts],
                ["cost (credits)", rendered.cost],
                ["send gate", decision],
              ]),
            );
            io.out(`--- text ---\n${rendered.text}\n------------\ndry run: nothing was queued or sent`);
            return;
          }

          const now = deps.now();
          const key = opts.key ? `cli:${opts.key}` : `cli:${randomUUID()}`;
          const sendAfter = "defer" in gate ? gate.defer : now;
          const q = await store.transaction((tx) =>
            queueMessage(tx, {
              key,
              locationId: location.id,
              contactId: contact?.contactId ?? null,
              to,
              body: rendered.text,
              sendAfter,
              meta: { purpose: "automated", kind: "operator" },
              template: template ?? null,
            }),
          );
          if (q.created && !("defer" in gate)) {
            const outcome = await sendQueuedMessage(deps, q.message.id);
            if (!outcome.ok)
              io.err(`warning: the first attempt failed (${outcome.error.message}); the worker retries it`);
          }
          const m = (await store.messages.get(q.message.id)) ?? q.message;
          const result = {
            ...summary,
            messageId: m.id,
            key,
            created: q.created,
            status: m.status,
            providerIds: m.providerIds,
            sendAfter: isoTime(m.sendAfter),
          };
          if (opts.json) return io.json(result);
          io.out(
            renderPairs([
              ["message", m.id],
              ["key", key],
              ["to", to],
              ["status", m.status],
              ["parts", rendered.parts],
              ["cost (credits)", rendered.cost],
              ["send gate", decision],
              ["note", q.created ? null : "this key was sent before: nothing new was sent"],
            ]),
          );
          if ("defer" in gate) io.out(`queued: the worker sends it at ${isoTime(gate.defer)} (quiet hours)`);
        },
        { create: true },
      );
    });
  withExamples(
    cmd,
    'ghl-bulksms send --to +447700900123 --body "Your order is ready" --dry-run',
    'ghl-bulksms send --to Abc123ContactId --template "Hi {{firstName | \\"there\\"}}, see you at 3pm"',
    'ghl-bulksms send --to "07700 900123" --body "Hello" --key order-1042',
  );
}

function measureOf(
  measureSms: (text: string) => { encoding: string; parts: number },
  text: string,
  creditsPerPart: number,
): { encoding: string; parts: number; cost: number } {
  const m = measureSms(text);
  return { encoding: m.encoding, parts: m.parts, cost: Math.round(m.parts * creditsPerPart * 1e6) / 1e6 };
}
