// The SMS text of a provider message: BulkSMS sends SMS only, so attachments either become links at the
// end of the text (when the location allows it) or fail the message; and the text must fit the parts limit.
import { measureSms } from "@ghl-bulksms/bulksms";
import type { ProviderAttachments } from "../core/config.js";
import type { ProviderStatusReason } from "./provider-status.js";

export type ProviderText = { ok: true; body: string } | { ok: false; reason: ProviderStatusReason };

export function providerText(
  input: { message: string; attachments: readonly string[] },
  policy: { attachments: ProviderAttachments; maxParts: number },
): ProviderText {
  const links = input.attachments.map((a) => a.trim()).filter((a) => a !== "");
  if (links.length > 0 && policy.attachments === "fail")
    return {
      ok: false,
      reason: {
        code: "attachments",
        message: "Not sent: attachments cannot be sent by SMS (send the text without them)",
      },
    };
  const text = input.message.trim();
  const body = [text, ...links].filter((p) => p !== "").join("\n");
  if (body === "") return { ok: false, reason: { code: "empty", message: "Not sent: the message is empty" } };
  const parts = measureSms(body).parts;
  if (parts > policy.maxParts)
    return {
      ok: false,
      reason: {
        code: "too_long",
        message: `Not sent: too long for SMS (${parts} parts, at most ${policy.maxParts})`,
      },
    };
  return { ok: true, body };
}
