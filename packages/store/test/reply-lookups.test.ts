// The lookups that keep a reply from an earlier number on its contact: replaced phones, last texted contact.
import { describe, expect, it } from "vitest";
import { fakeClock } from "./helpers.js";
import { describeEachStore, type OpenStore } from "./support/stores.js";

const OLD = "+447700900001";
const NEW = "+447700900002";

async function setup(open: OpenStore) {
  const clock = fakeClock();
  const store = await open({ now: clock.now });
  await store.locations.upsert({ id: "L1" });
  await store.locations.upsert({ id: "L2" });
  return { clock, store };
}

describeEachStore((open) => {
  describe("contacts.findByPreviousPhone", () => {
    it("keeps every number a contact had, newest change first, never a deleted contact", async () => {
      const { clock, store } = await setup(open);
      await store.contacts.upsert({ locationId: "L1", contactId: "ada", phoneE164: OLD });
      await store.contacts.upsert({ locationId: "L1", contactId: "bob", phoneE164: OLD });
      expect(await store.contacts.findByPreviousPhone("L1", OLD)).toEqual([]);
      clock.advance(1000);
      await store.contacts.upsert({ locationId: "L1", contactId: "bob", phoneE164: "+447700900003" });
      clock.advance(1000);
      await store.contacts.upsert({ locationId: "L1", contactId: "ada", phoneE164: NEW });
      // an update that leaves the phone alone records nothing
      await store.contacts.upsert({ locationId: "L1", contactId: "ada", nameKey: "ada" });
      expect((await store.contacts.findByPhone("L1", OLD)).map((c) => c.contactId)).toEqual([]);
      expect((await store.contacts.findByPreviousPhone("L1", OLD)).map((c) => c.contactId)).toEqual([
        "ada",
        "bob",
      ]);
      expect(await store.contacts.findByPreviousPhone("L2", OLD)).toEqual([]);
      await store.contacts.markDeleted("L1", "ada");
      expect((await store.contacts.findByPreviousPhone("L1", OLD)).map((c) => c.contactId)).toEqual(["bob"]);
    });
  });

  describe("messages.lastContactTextedAt", () => {
    it("is the newest message to the number that names a contact, in that location only", async () => {
      const { clock, store } = await setup(open);
      expect(await store.messages.lastContactTextedAt("L1", OLD)).toBeNull();
      await store.messages.create({ key: "a", locationId: "L1", contactId: "ada", to: OLD, body: "hi" });
      clock.advance(1000);
      await store.messages.create({ key: "b", locationId: "L1", contactId: null, to: OLD, body: "help" });
      clock.advance(1000);
      await store.messages.create({ key: "c", locationId: "L2", contactId: "zed", to: OLD, body: "hi" });
      expect(await store.messages.lastContactTextedAt("L1", OLD)).toMatchObject({
        key: "a",
        contactId: "ada",
      });
      clock.advance(1000);
      await store.messages.create({ key: "d", locationId: "L1", contactId: "cy", to: OLD, body: "hi" });
      expect(await store.messages.lastContactTextedAt("L1", OLD)).toMatchObject({ contactId: "cy" });
      expect(await store.messages.lastContactTextedAt("L1", NEW)).toBeNull();
    });
  });
});
