/**
 * Deterministic, realistic contact data: common names, messy phone formats, and the duplicates real
 * CRMs contain (same person with the phone typed differently, email case differences, family members
 * sharing a landline, generic info@ mailboxes shared by colleagues). Only reserved fictional number
 * ranges and example.* domains are used.
 */
import type { Rng } from "../rng.js";
import type { ContactInput } from "./contacts-store.js";

export type SeedDuplicateKind = "phone-format" | "email-case" | "shared-landline" | "shared-mailbox";

export interface SeedEntry {
  input: ContactInput;
  /** Sandbox epoch ms at which the contact was created. */
  at: number;
  /** Index of the earlier entry this one duplicates (same person or shared identifier). */
  duplicateOf?: number;
  duplicateKind?: SeedDuplicateKind;
}

const FIRST = [
  "James",
  "Mary",
  "John",
  "Patricia",
  "Robert",
  "Jennifer",
  "Michael",
  "Linda",
  "David",
  "Elizabeth",
  "William",
  "Susan",
  "Sarah",
  "Thomas",
  "Karen",
  "Daniel",
  "Emma",
  "Oliver",
  "Olivia",
  "Amelia",
  "Mohammed",
  "Aisha",
  "Wei",
  "Priya",
  "Sipho",
  "Thandiwe",
  "Liam",
  "Chloe",
  "Jack",
  "Sophie",
];
const LAST = [
  "Smith",
  "Jones",
  "Williams",
  "Brown",
  "Taylor",
  "Davies",
  "Wilson",
  "Evans",
  "Johnson",
  "Roberts",
  "Walker",
  "Wright",
  "Khan",
  "Patel",
  "Nguyen",
  "Dlamini",
  "Naidoo",
  "O'Brien",
  "García",
  "Müller",
];
const COMPANIES = [
  "Acme Plumbing",
  "Bright Dental",
  "Harbour Cafe",
  "Northside Gym",
  "Oak & Ash Joinery",
  "Sunrise Yoga",
];
const DOMAINS = ["example.com", "example.org", "example.net", "mail.example.com"];
const TAGS = ["customer", "newsletter", "vip", "lead", "trade", "sms-opt-in"];

interface CountryPlan {
  country: string;
  mobile(n: number): { e164: string; formats: string[] };
  landline(n: number): { e164: string; formats: string[] };
  timezone: string;
}

const pad = (n: number, width: number): string => String(n).padStart(width, "0");
const GB_AREAS = ["113", "114", "115", "116", "117", "118", "121", "131", "141", "151", "161", "191"];

const PLANS: Record<string, CountryPlan> = {
  GB: {
    country: "GB",
    timezone: "Europe/London",
    mobile(n) {
      // Ofcom drama range 07700 900000-900999, extended for large seeds.
      const sub = n < 1000 ? `900${pad(n, 3)}` : pad(900000 + n, 6);
      return {
        e164: `+447700${sub}`,
        formats: [
          `07700 ${sub}`,
          `07700${sub}`,
          `+44 7700 ${sub}`,
          `+447700${sub}`,
          `0044 7700 ${sub.slice(0, 3)} ${sub.slice(3)}`,
          `07700-${sub.slice(0, 3)}-${sub.slice(3)}`,
          `+44 (0)7700 ${sub}`,
        ],
      };
    },
    landline(n) {
      // Ofcom drama ranges 01xx 496 0000-0999 in several areas.
      const area = GB_AREAS[Math.floor(n / 1000) % GB_AREAS.length] ?? "113";
      const sub = pad(n % 1000, 4);
      return {
        e164: `+44${area}496${sub}`,
        formats: [
          `0${area} 496 ${sub}`,
          `0${area}-496-${sub}`,
          `+44 ${area} 496 ${sub}`,
          `(0${area}) 496 ${sub} ext. ${10 + (n % 80)}`,
        ],
      };
    },
  },
  US: {
    country: "US",
    timezone: "America/New_York",
    mobile(n) {
      // 555-0100..0199 is reserved for fiction in every area code.
      const area = 201 + (n % 700);
      const line = pad(100 + (Math.floor(n / 700) % 100), 4);
      return {
        e164: `+1${area}555${line}`,
        formats: [
          `(${area}) 555-${line}`,
          `${area}-555-${line}`,
          `+1 ${area} 555 ${line}`,
          `+1${area}555${line}`,
          `1-${area}-555-${line}`,
          `${area}.555.${line}`,
        ],
      };
    },
    landline(n) {
      const area = 989 - (n % 80);
      const line = pad(100 + (Math.floor(n / 80) % 100), 4);
      return {
        e164: `+1${area}555${line}`,
        formats: [`(${area}) 555-${line}`, `${area}-555-${line} x${10 + (n % 80)}`, `+1 ${area} 555 ${line}`],
      };
    },
  },
  AU: {
    country: "AU",
    timezone: "Australia/Sydney",
    mobile(n) {
      const sub = String(570006 + n);
      const [a, b] = [sub.slice(0, 3), sub.slice(3)];
      return {
        e164: `+61491${sub}`,
        formats: [`0491 ${a} ${b}`, `0491${sub}`, `+61 491 ${a} ${b}`, `+61491${sub}`],
      };
    },
    landline(n) {
      const sub = pad(n % 10000, 4);
      return {
        e164: `+61255505${sub}`,
        formats: [`(02) 5550 ${sub}`, `02 5550 ${sub}`, `+61 2 5550 ${sub}`],
      };
    },
  },
};

export function seedPlanCountries(): string[] {
  return Object.keys(PLANS);
}

/** Generate `count` contacts for a location in `country` (GB, US or AU; others use GB formats). */
export function generateSeedContacts(rng: Rng, count: number, country: string, now: number): SeedEntry[] {
  const plan = PLANS[country.toUpperCase()] ?? (PLANS.GB as CountryPlan);
  const out: SeedEntry[] = [];
  let mobileSeq = 0;
  let landlineSeq = 0;
  const at = (): number => now - rng.int(1, 365 * 24 * 60) * 60_000;
  const email = (first: string, last: string): string => {
    const local = `${first}.${last}`
      .toLowerCase()
      .normalize("NFD")
      .replace(/[^a-z.]/g, "");
    return `${local}${rng.chance(0.4) ? rng.int(1, 99) : ""}@${rng.pick(DOMAINS)}`;
  };
  for (let i = 0; i < count; i++) {
    const base = out.length > 0 && rng.chance(0.18) ? rng.int(0, out.length - 1) : -1;
    const original = base >= 0 ? out[base] : undefined;
    if (original) {
      const o = original.input;
      const kind = rng.pick<SeedDuplicateKind>([
        "phone-format",
        "email-case",
        "shared-landline",
        "shared-mailbox",
      ]);
      const entry: SeedEntry = {
        input: {},
        at: Math.max(original.at + 60_000, at()),
        duplicateOf: base,
        duplicateKind: kind,
      };
      if (kind === "phone-format" && o.phone) {
        const formats = (original as SeedEntry & { formats?: string[] }).formats ?? [o.phone];
        entry.input = {
          firstName: o.firstName,
          lastName: o.lastName,
          phone: rng.pick(formats.filter((f) => f !== o.phone).concat(o.phone)),
        };
      } else if (kind === "email-case" && o.email) {
        const variants = [
          o.email.toUpperCase(),
          o.email.replace(/^./, (c) => c.toUpperCase()),
          o.email.toLowerCase(),
        ];
        const upper = rng.pick(
          variants
            .filter((v) => v !== o.email)
            .concat(variants.filter((v) => v !== o.email).length ? [] : [o.email]),
        );
        entry.input = { firstName: o.firstName, lastName: o.lastName?.toUpperCase() ?? null, email: upper };
      } else if (
        kind === "shared-landline" &&
        ((original as SeedEntry & { landline?: boolean }).landline || !o.phone)
      ) {
        // Give the original a landline if it has no phone at all, so the pair really shares one.
        if (!o.phone) o.phone = rng.pick(plan.landline(landlineSeq++).formats);
        entry.input = { firstName: rng.pick(FIRST), lastName: o.lastName, phone: o.phone };
      } else {
        const company = o.companyName ?? rng.pick(COMPANIES);
        const mailbox = `info@${company
          .toLowerCase()
          .replace(/[^a-z]+/g, "-")
          .replace(/^-|-$/g, "")}.example.com`;
        o.companyName = company;
        if (!o.email) o.email = mailbox;
        entry.input = {
          firstName: rng.pick(FIRST),
          lastName: rng.pick(LAST),
          companyName: company,
          email: o.email,
        };
        entry.duplicateKind = "shared-mailbox";
      }
      entry.input.source = "seed";
      out.push(entry);
      continue;
    }
    const firstName = rng.pick(FIRST);
    const lastName = rng.pick(LAST);
    const isLandline = rng.chance(0.15);
    const mobile = isLandline ? plan.landline(landlineSeq++) : plan.mobile(mobileSeq++);
    const input: ContactInput = {
      firstName,
      lastName,
      email: rng.chance(0.8) ? email(firstName, lastName) : null,
      phone: rng.chance(0.85) ? rng.pick(mobile.formats) : null,
      country: plan.country,
      timezone: plan.timezone,
      source: "seed",
      tags: TAGS.filter(() => rng.chance(0.2)),
    };
    if (rng.chance(0.15)) input.companyName = rng.pick(COMPANIES);
    if (input.email && rng.chance(0.05))
      input.additionalEmails = [
        `${firstName}.${lastName}.work@example.net`.toLowerCase().replace(/[^a-z.@]/g, ""),
      ];
    if (rng.chance(0.05))
      input.dndSettings = { SMS: { status: "active", message: "Opted out by reply STOP", code: "" } };
    if (rng.chance(0.3))
      input.customFields = [
        { id: "sandboxCustomField0001", field_value: rng.pick(["gold", "silver", "bronze"]) },
      ];
    const entry = {
      input,
      at: at(),
      formats: input.phone ? mobile.formats : undefined,
      landline: isLandline && !!input.phone,
    } as SeedEntry & {
      formats?: string[];
      landline?: boolean;
    };
    out.push(entry);
  }
  return out.map(({ input, at: when, duplicateOf, duplicateKind }) => ({
    input,
    at: when,
    ...(duplicateOf !== undefined ? { duplicateOf, duplicateKind } : {}),
  }));
}
