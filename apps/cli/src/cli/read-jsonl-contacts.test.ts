import { findDuplicates } from "@ghl-bulksms/sync";
import { describe, expect, it } from "vitest";
import { toDedupeContact } from "./read-jsonl-contacts.js";

describe("toDedupeContact", () => {
  it("carries the contact's country, so a UK number written nationally matches in a US export", () => {
    const a = toDedupeContact({
      id: "a",
      firstName: "Megan",
      lastName: "Evans",
      phone: "07400 123456",
      country: "GB",
    });
    const b = toDedupeContact({ id: "b", firstName: "Megan", lastName: "Evans", phone: "+447400123456" });
    expect(a).toMatchObject({ id: "a", country: "GB" });
    if (typeof a === "string" || typeof b === "string") throw new Error("not a contact");
    expect(findDuplicates([a, b], { defaultRegion: "US" }).clusters.map((c) => c.ids)).toEqual([["a", "b"]]);
  });
});
