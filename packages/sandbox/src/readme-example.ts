// The README's usage example, kept here so `pnpm typecheck` compiles it (test/readme-example.test.ts checks
// that the README block and this file stay identical, and runs it).
import { startSandbox } from "@ghl-bulksms/sandbox";

export async function example(): Promise<{ total: number; deliveries: number }> {
  // Ports 0 = any free port; `pnpm sandbox` uses 4010 / 4020.
  const sandbox = await startSandbox({ seedContacts: 20, ghl: { port: 0 }, bulksms: { port: 0 } });
  const { ghl, bulksms } = sandbox;
  const location = ghl.locations[0];
  if (!location) throw new Error("the sandbox starts with at least one location");

  // Call it like GHL: bearer token, Version header, our spec's request shapes.
  const res = await fetch(`${ghl.url}/contacts/search`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${location.token}`,
      version: "2021-07-28",
      "content-type": "application/json",
    },
    body: JSON.stringify({ locationId: location.id, pageLimit: 100 }),
  });
  const { total } = (await res.json()) as { total: number };

  // Act as a person in the GHL UI (fires webhooks), move the shared clock, inject faults.
  const contact = ghl.control.createContact(location.id, { firstName: "Ada", phone: "+447700900123" });
  ghl.control.updateContact(contact.id, { tags: ["vip"] });
  await ghl.control.advanceClock(24 * 3600 * 1000); // tokens expire, rate windows reset
  ghl.control.setFaults({ errorRate: 0.05, script: [{ kind: "status", status: 503 }] });
  await ghl.control.flushWebhooks();
  // ContactCreate, ContactUpdate, ContactTagUpdate: logged with their outcome (no webhookUrl here).
  const deliveries = ghl.control.webhookDeliveries().length;

  // BulkSMS: a reply from a phone, STOP blocks the number.
  bulksms.control.simulateReply({ from: "+447700900123", body: "STOP" });

  await sandbox.close();
  return { total, deliveries };
}
