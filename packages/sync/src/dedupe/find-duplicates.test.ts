import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normaliseEmail } from "../normalise/email.js";
import { nameKeyOf } from "../normalise/name.js";
import { normalisePhone } from "../normalise/phone.js";
import { type DedupeContact, findDuplicates } from "./find-duplicates.js";
import { compareNames } from "./name-similarity.js";

const GB = { defaultRegion: "GB" } as const;

function clustersOf(contacts: DedupeContact[], options = {}): string[][] {
  return findDuplicates(contacts, { ...GB, ...options }).clusters.map((c) => c.ids);
}

describe("findDuplicates: realistic duplicates merge", () => {
  it.each<[string, DedupeContact[]]>([
    [
      "same person, phone formatted differently",
      [
        { id: "a", phone: "020 7946 0958", firstName: "John", lastName: "Smith" },
        { id: "b", phone: "+44 (0)20 7946-0958", firstName: "john", lastName: "SMITH " },
      ],
    ],
    [
      "email case and a typo in the first name",
      [
        { id: "a", email: "John.Smith@Gmail.com", firstName: "Jon", lastName: "Smith" },
        { id: "b", email: " john.smith@gmail.com", firstName: "John", lastName: "Smith" },
      ],
    ],
    [
      "nickname on the same mobile",
      [
        { id: "a", phone: "07911 123456", firstName: "Bob", lastName: "Jones" },
        { id: "b", phone: "+447911123456", firstName: "Robert", lastName: "Jones" },
      ],
    ],
    [
      "typos in both names, same email",
      [
        { id: "a", email: "kjohnson@example.com", firstName: "Katherine", lastName: "Johnson" },
        { id: "b", email: "KJohnson@example.com", firstName: "Katherin", lastName: "Jonson" },
      ],
    ],
    [
      "nameless contact created by an inbound SMS",
      [
        { id: "a", phone: "+447911123456" },
        { id: "b", phone: "07911 123 456", firstName: "Priya", lastName: "Shah" },
      ],
    ],
    [
      "accents and swapped order",
      [
        { id: "a", email: "jgarcia@example.es", name: "García José" },
        { id: "b", email: "jgarcia@example.es", firstName: "Jose", lastName: "Garcia" },
      ],
    ],
    [
      "initial instead of first name",
      [
        { id: "a", phone: "(415) 555-2671", firstName: "J", lastName: "Doe" },
        { id: "b", phone: "+1 415 555 2671", firstName: "Jane", lastName: "Doe" },
      ],
    ],
    [
      "shared mailbox confirmed by the same name",
      [
        { id: "a", email: "info@corner-shop.co.uk", firstName: "Ana", lastName: "Lopez" },
        { id: "b", email: "Info@corner-shop.co.uk", firstName: "Ana", lastName: "López" },
      ],
    ],
  ])("%s", (_label, contacts) => {
    expect(
      clustersOf(contacts, { defaultRegion: contacts.some((c) => c.phone?.includes("415")) ? "US" : "GB" }),
    ).toEqual([contacts.map((c) => c.id).sort()]);
  });

  it("chains evidence: phone joins a-b, email joins b-c", () => {
    const r = findDuplicates(
      [
        { id: "a", phone: "020 7946 0958", firstName: "Sam", lastName: "Lee" },
        {
          id: "b",
          phone: "+442079460958",
          email: "sam.lee@example.com",
          firstName: "Samuel",
          lastName: "Lee",
        },
        { id: "c", email: "SAM.LEE@example.com" },
      ],
      GB,
    );
    expect(r.clusters).toHaveLength(1);
    const [cluster] = r.clusters;
    expect(cluster?.ids).toEqual(["a", "b", "c"]);
    expect(cluster?.evidence.map((e) => [e.a, e.b, e.keys])).toEqual([
      ["a", "b", ["phone", "name"]],
      ["b", "c", ["email"]],
    ]);
    expect(cluster?.survivor).toBe("b"); // most complete
    expect(r.stats).toMatchObject({ contacts: 3, clusters: 1, duplicates: 2 });
  });
});

describe("findDuplicates: hard negatives stay apart", () => {
  it.each<[string, DedupeContact[]]>([
    [
      "family members on one landline",
      [
        { id: "a", phone: "020 7946 0958", firstName: "John", lastName: "Smith" },
        { id: "b", phone: "020 7946 0958", firstName: "Mary", lastName: "Smith" },
        { id: "c", phone: "020 7946 0958", firstName: "Oliver", lastName: "Smith" },
      ],
    ],
    [
      "colleagues on an office phone",
      [
        { id: "a", phone: "+44 20 7946 0000", firstName: "Alice", lastName: "Brown" },
        { id: "b", phone: "020 7946 0000", firstName: "Rahul", lastName: "Patel" },
      ],
    ],
    [
      "siblings whose names differ by one letter",
      [
        { id: "a", phone: "020 7946 0958", firstName: "Maria", lastName: "Garcia" },
        { id: "b", phone: "020 7946 0958", firstName: "Mario", lastName: "Garcia" },
        { id: "c", phone: "020 7946 0958", firstName: "Daniela", lastName: "Garcia" },
        { id: "d", phone: "020 7946 0958", firstName: "Daniel", lastName: "Garcia" },
      ],
    ],
    [
      "a shared info@ mailbox",
      [
        { id: "a", email: "info@acme.com", firstName: "Alice", lastName: "Brown" },
        { id: "b", email: "INFO@acme.com", firstName: "Rahul", lastName: "Patel" },
        { id: "c", email: "info@acme.com" },
      ],
    ],
    [
      "office@ and sales+uk@ are generic too",
      [
        { id: "a", email: "office@firm.com" },
        { id: "b", email: "office@firm.com", firstName: "Tom", lastName: "Hardy" },
        { id: "c", email: "sales+uk@firm.com" },
        { id: "d", email: "sales+uk@firm.com" },
      ],
    ],
    [
      "different people with a common name and no shared key",
      [
        {
          id: "a",
          phone: "+447911123456",
          email: "john.smith@gmail.com",
          firstName: "John",
          lastName: "Smith",
        },
        {
          id: "b",
          phone: "+447911654321",
          email: "jsmith@yahoo.co.uk",
          firstName: "John",
          lastName: "Smith",
        },
      ],
    ],
    [
      "a couple sharing a personal email",
      [
        { id: "a", email: "thejoneses@gmail.com", firstName: "Peter", lastName: "Jones" },
        { id: "b", email: "thejoneses@gmail.com", firstName: "Susan", lastName: "Jones" },
      ],
    ],
    [
      "invalid numbers are never a match",
      [
        { id: "a", phone: "12", firstName: "X" },
        { id: "b", phone: "12", firstName: "X" },
      ],
    ],
  ])("%s", (_label, contacts) => {
    expect(clustersOf(contacts)).toEqual([]);
  });

  it("a switchboard phone is weak: only equal names on it merge", () => {
    const contacts: DedupeContact[] = Array.from({ length: 60 }, (_, i) => ({
      id: `c${String(i).padStart(2, "0")}`,
      phoneE164: "+442079460000",
      nameKey: `person${i} staff`,
    }));
    contacts.push({ id: "x1", phoneE164: "+442079460000", nameKey: "dana white" });
    contacts.push({ id: "x2", phoneE164: "+442079460000", nameKey: "dana white" });
    contacts.push({ id: "x3", phoneE164: "+442079460000", nameKey: null });
    const r = findDuplicates(contacts);
    expect(r.clusters.map((c) => c.ids)).toEqual([["x1", "x2"]]);
    expect(r.clusters[0]?.evidence[0]?.keys).toEqual(["phone", "name"]);
    expect(r.stats.weakBlocks).toBe(1);
    expect(r.stats.pairsCompared).toBe(1); // no all-pairs inside the switchboard
  });

  it("a raised maxBlockSize treats the same phone as personal again", () => {
    const contacts: DedupeContact[] = [
      { id: "a", phoneE164: "+442079460000", nameKey: "dana white" },
      { id: "b", phoneE164: "+442079460000", nameKey: null },
      { id: "c", phoneE164: "+442079460000", nameKey: "dana white" },
    ];
    expect(findDuplicates(contacts, { maxBlockSize: 2 }).clusters.map((c) => c.ids)).toEqual([["a", "c"]]);
    expect(findDuplicates(contacts, { maxBlockSize: 3 }).clusters.map((c) => c.ids)).toEqual([
      ["a", "b", "c"],
    ]);
  });

  it("options choose the keys and the name threshold", () => {
    // "steph"/"stephanie" is a typo-level match at the default Jaro-Winkler threshold, a different first name at 0.99.
    const contacts: DedupeContact[] = [
      { id: "a", phone: "020 7946 0958", email: "a@x.com", firstName: "Steph", lastName: "Smith" },
      { id: "b", phone: "020 7946 0958", email: "a@x.com", firstName: "Stephanie", lastName: "Smith" },
    ];
    expect(clustersOf(contacts)).toEqual([["a", "b"]]);
    expect(clustersOf(contacts, { keys: ["email"] })).toEqual([["a", "b"]]);
    expect(clustersOf(contacts, { nameThreshold: 0.99 })).toEqual([]);
    expect(clustersOf(contacts, { genericMailboxes: ["a"], keys: ["email"], nameThreshold: 0.99 })).toEqual(
      [],
    );
  });

  it("rejects duplicate ids with a clear error", () => {
    expect(() => findDuplicates([{ id: "a" }, { id: "a" }])).toThrow(/contact id "a" appears more than once/);
  });

  it("survivor rules", () => {
    const contacts: DedupeContact[] = [
      {
        id: "new",
        emailNorm: "p@x.com",
        createdAt: "2024-05-01T00:00:00Z",
        updatedAt: "2024-06-01T00:00:00Z",
        filledFields: 9,
      },
      {
        id: "old",
        emailNorm: "p@x.com",
        createdAt: "2020-01-01T00:00:00Z",
        updatedAt: "2021-01-01T00:00:00Z",
        filledFields: 3,
      },
      {
        id: "mid",
        emailNorm: "p@x.com",
        createdAt: "2022-01-01T00:00:00Z",
        updatedAt: "2025-01-01T00:00:00Z",
        filledFields: 9,
      },
    ];
    expect(findDuplicates(contacts).clusters[0]?.survivor).toBe("mid");
    expect(findDuplicates(contacts, { survivor: "oldest" }).clusters[0]?.survivor).toBe("old");
    expect(findDuplicates(contacts, { survivor: "most-recent" }).clusters[0]?.survivor).toBe("mid");
  });
});

describe("compareNames", () => {
  it.each([
    ["john smith", "mary smith", "different"],
    ["bob smith", "robert smith", "same"],
    ["maria garcia", "mario garcia", "different"],
    ["louis martin", "louise martin", "different"],
    ["katherine johnson", "katherin jonson", "same"],
    ["denis roy", "denise roy", "different"],
    ["anne", "anne smith", "same"],
    ["", "anne", "missing"],
  ])("%j vs %j: %s", (a, b, verdict) => {
    expect(compareNames(a, b, 0.88).verdict).toBe(verdict);
  });
});

// --- properties ---------------------------------------------------------------------------------------

const PHONES = [
  "020 7946 0958",
  "+44 20 7946 0958",
  "07911 123456",
  "+447911123456",
  "020 7946 0000",
  "bad",
  null,
];
const EMAILS = ["ana@x.com", "ANA@x.com ", "info@x.com", "bob@y.org", "office@y.org", null];
const FIRST = ["Ana", "Anna", "Bob", "Robert", "Maria", "Mario", "John", null];
const LAST = ["Lopez", "López", "Smith", "Smyth", null];

const contactArb = fc.record({
  phone: fc.constantFrom(...PHONES),
  email: fc.constantFrom(...EMAILS),
  firstName: fc.constantFrom(...FIRST),
  lastName: fc.constantFrom(...LAST),
  createdAt: fc.option(
    fc.integer({ min: 1.5e12, max: 1.8e12 }).map((t) => new Date(t).toISOString()),
    { nil: undefined },
  ),
});
const contactsArb = fc
  .array(contactArb, { maxLength: 40 })
  .map((list) => list.map((c, i): DedupeContact => ({ id: `id${i}`, ...c })));

describe("findDuplicates properties", () => {
  it("puts every contact in exactly one cluster", () => {
    fc.assert(
      fc.property(contactsArb, (contacts) => {
        const r = findDuplicates(contacts, { ...GB, includeSingletons: true });
        const ids = r.clusters.flatMap((c) => c.ids).sort();
        expect(ids).toEqual(contacts.map((c) => c.id).sort());
        for (const c of r.clusters) expect(c.ids).toContain(c.survivor);
      }),
      { numRuns: 200 },
    );
  });

  it("does not depend on input order", () => {
    fc.assert(
      fc.property(
        contactsArb.chain((contacts) =>
          fc.tuple(
            fc.constant(contacts),
            fc.shuffledSubarray(contacts, { minLength: contacts.length, maxLength: contacts.length }),
          ),
        ),
        ([contacts, shuffled]) => {
          expect(findDuplicates(shuffled, GB)).toEqual(findDuplicates(contacts, GB));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("gives the same clusters from raw values and from pre-normalised mirror keys", () => {
    fc.assert(
      fc.property(contactsArb, (contacts) => {
        const mirrored = contacts.map((c): DedupeContact => {
          const p = normalisePhone(c.phone, GB);
          const e = normaliseEmail(c.email);
          return {
            id: c.id,
            phoneE164: p.ok ? p.e164 : null,
            emailNorm: e.ok ? e.email : null,
            nameKey: nameKeyOf(c),
            createdAt: c.createdAt,
          };
        });
        const raw = findDuplicates(contacts, GB);
        const pre = findDuplicates(mirrored, GB);
        expect(pre.clusters).toEqual(raw.clusters);
      }),
      { numRuns: 150 },
    );
  });
});
