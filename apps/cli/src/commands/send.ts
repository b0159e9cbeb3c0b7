// send: one SMS to a number or a contact, through the engine's send gate (opt-out, DND, consent, quiet
// hours) and its message queue (one deduplication id for the message's whole life).
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { ContactRecord } from "@ghl-bulksms/store";
import type { Command } from "commander";
import { withExamples, withStore } from "../cli/command.js";
import { whyNoPhone } from "../cli/contact-phone.js";
import { CliError, EXIT_PARTIAL, usageError } from "../cli/errors.js";
import { EXAMPLE_CONTACT_ID, EXAMPLE_PHONE_E164, EXAMPLE_PHONE_NATIONAL } from "../cli/example-values.js";
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
  invalid_number: `use E.164, e.g. ${EXAMPLE_PHONE_E164}`,
  account_blocked:
    "the BulkSMS account blocks this number (a STOP there, our push, its blocked list or a FAILED.BLOCKED report): a text would be refused and still billed",
  gateway_blocked:
    "BulkSMS still blocks this number although the person re-subscribed; ask BulkSMS support to lift the block, then run `ghl-bulksms optouts unblock --location <id> --phone <number>` (see `ghl-bulksms optouts gateway-blocks`)",
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
          const { engine } = await openEngine(settings, store, { needSms: !opts.dryRun });
          const deps = engine.deps;
          const { OperatorSendError, operatorSend, operatorSendDryRun } = await import("@ghl-bulksms/engine");

          // Who: a phone number (and its contact, if the mirror knows it), or a contact of the mirror.
          let contact: ContactRecord | null = null;
          let to: string;
          if (/^[+0-9(][0-9 ()+.-]*$/.test(opts.to.trim())) {
            const p = await parsePhone(opts.to, location.region);
            if (!p.ok)
              throw usageError(
                p.message,
                `use E.164 (${EXAMPLE_PHONE_E164}) or a national number of the location's region`,
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
            if (!contact.phoneE164)
              throw new CliError(
                `contact ${opts.to} has no valid phone number: ${await whyNoPhone(contact.ghl, location.region)}`,
                {
                  hint: "correct the phone in GHL, then `ghl-bulksms reconcile` (or the worker's next run) mirrors it",
                },
              );
            to = contact.phoneE164;
          }

          // The engine's operator send: the same gate, queue and send job as every automated text.
          const key = opts.key ? `cli:${opts.key}` : `cli:${randomUUID()}`;
          const input = {
            locationId: location.id,
            contactId: contact?.contactId ?? null,
            to,
            body: template ?? (opts.body as string),
            key,
            template: template !== undefined,
          };
          let dry: Awaited<ReturnType<typeof operatorSendDryRun>>;
          try {
            dry = await operatorSendDryRun(deps, input);
          } catch (e) {
            if (e instanceof OperatorSendError)
              throw usageError(
                e.message,
                'fix the text; a placeholder can have a fallback: {{firstName | "there"}}',
              );
            throw e;
          }
          const cost = Math.round(dry.measure.parts * creditsPerPart * 1e6) / 1e6;
          const gate = dry.gate;
          const decision =
            "allow" in gate
              ? "allowed"
              : "defer" in gate
                ? `deferred (${gate.reason}${gate.detail ? `: ${gate.detail}` : ""}) until ${isoTime(gate.defer)}`
                : `blocked: ${gate.block}${gate.detail ? ` (${gate.detail})` : ""}`;
          const summary = {
            location: location.id,
            to: dry.to,
            contactId: contact?.contactId ?? null,
            text: dry.body,
            encoding: dry.measure.encoding,
            parts: dry.measure.parts,
            cost,
            gate: decision,
          };
          const blocked = (g: typeof gate) => {
            if (!("block" in g)) return;
            if (opts.json) io.json({ ...summary, sent: false });
            throw new CliError(
              `not sent: the send gate blocked it (${g.block}${g.detail ? `, ${g.detail}` : ""})`,
              {
                hint: BLOCK_HINTS[g.block] ?? "see the send gate reasons in the engine README",
              },
            );
          };
          blocked(gate);
          if (opts.dryRun) {
            if (opts.json) return io.json({ ...summary, dryRun: true });
            io.out(
              renderPairs([
                ["to", dry.to],
                ["contact", summary.contactId],
                ["encoding", summary.encoding],
                ["parts", summary.parts],
                ["cost (credits)", cost],
                ["send gate", decision],
              ]),
            );
            io.out(`--- text ---\n${dry.body}\n------------\ndry run: nothing was queued or sent`);
            return;
          }

          const r = await operatorSend(deps, input);
          if (r.status === "blocked") return blocked(r.gate);
          if (r.status === "dry-run") throw new Error("operatorSend answered a dry run");
          const m = r.message;
          const result = {
            ...summary,
            result: r.status,
            messageId: m.id,
            key,
            created: r.status !== "duplicate",
            status: m.status,
            providerIds: m.providerIds,
            sendAfter: isoTime(m.sendAfter),
            ...(r.status === "failed" ? { error: r.error.message } : {}),
          };
          if (opts.json) io.json(result);
          else
            io.out(
              renderPairs([
                ["message", m.id],
                ["key", key],
                ["to", m.to],
                ["result", r.status],
                ["status", m.status],
                ["parts", summary.parts],
                ["cost (credits)", cost],
                ["send gate", decision],
                ["note", r.status === "duplicate" ? "this key was sent before: nothing new was sent" : null],
              ]),
            );
          if (r.status === "deferred" && !opts.json)
            io.out(
              `queued: the worker sends it at ${isoTime(r.sendAt)} (quiet hours, or GHL could not be read)`,
            );
          if (r.status === "cancelled")
            throw new CliError(
              "not sent: the send gate refused it at the moment of sending (an opt-out landed meanwhile)",
            );
          if (r.status === "failed") {
            if (m.status === "QUEUED") {
              io.err(`warning: the first attempt failed (${r.error.message}); the worker retries it`);
              io.exitCode = EXIT_PARTIAL;
            } else
              throw new CliError(`the send failed: ${r.error.message}`, {
                hint: "see `ghl-bulksms messages show <id>` and `ghl-bulksms doctor` (credits, credentials)",
              });
          }
        },
        { create: true },
      );
    });
  withExamples(
    cmd,
    `ghl-bulksms send --to ${EXAMPLE_PHONE_E164} --body "Your order is ready" --dry-run`,
    `ghl-bulksms send --to ${EXAMPLE_CONTACT_ID} --template "Hi {{firstName | \\"there\\"}}, see you at 3pm"`,
    `ghl-bulksms send --to "${EXAMPLE_PHONE_NATIONAL}" --body "Hello" --key order-1042`,
  );
}
