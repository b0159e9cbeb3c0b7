// Deterministic generators of realistic contact data for the benchmarks.
import type { SyncContact } from "../src/index.ts";

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = (
  "james mary robert patricia john jennifer michael linda david elizabeth william barbara richard susan joseph jessica " +
  "thomas sarah charles karen christopher lisa daniel nancy matthew betty anthony margaret mark sandra donald ashley " +
  "steven kimberly paul emily andrew donna joshua michelle kenneth carol kevin amanda brian dorothy george melissa " +
  "timothy deborah ronald stephanie edward rebecca jason sharon jeffrey laura ryan cynthia jacob kathleen gary amy " +
  "nicholas angela eric shirley jonathan anna stephen brenda larry pamela justin emma scott nicole brandon helen " +
  "benjamin samantha samuel katherine gregory christine alexander debra frank rachel patrick carolyn raymond janet " +
  "jack catherine dennis maria jerry heather tyler diane aaron ruth jose julie adam olivia nathan joyce henry virginia " +
  "priya rahul wei mohammed fatima aisha omar li chen sofia lucas mateo valentina hugo chloe noah mia liam zoe " +
  "mario daniela paula louis louise denis denise julian juliana erica"
).split(" ");
// Nicknames a duplicate may carry (and the full forms they stand for).
const NICK: Record<string, string> = {
  robert: "bob",
  william: "bill",
  james: "jim",
  michael: "mike",
  elizabeth: "liz",
  katherine: "kate",
  thomas: "tom",
  richard: "rick",
  joseph: "joe",
  daniel: "dan",
  christopher: "chris",
  matthew: "matt",
  jennifer: "jenny",
  patricia: "trish",
  margaret: "maggie",
  anthony: "tony",
  samuel: "sam",
  rebecca: "becky",
  kenneth: "ken",
  edward: "ted",
};
/** Relatives whose names differ by one letter (siblings, spouses): hard negatives on a family line. */
const GENDERED: readonly [string, string][] = [
  ["maria", "mario"],
  ["daniel", "daniela"],
  ["louis", "louise"],
  ["paul", "paula"],
  ["denis", "denise"],
  ["julian", "juliana"],
  ["eric", "erica"],
];
const SYL =
  "ba be bi bo ka ke ko la le li lo ma me mi mo na ne no ra re ri ro sa se si so ta te ti to va ve vi wa we ya yo za".split(
    " ",
  );
const COMMON_LAST = [
  "smith",
  "jones",
  "williams",
  "brown",
  "taylor",
  "davies",
  "wilson",
  "evans",
  "garcia",
  "patel",
];
const US_AREA = [212, 213, 305, 404, 415, 617, 646, 702, 718, 303, 206, 919];
const GB_MOBILE = ["7400", "7401", "7500", "7501", "7800", "7801", "7300", "7100"];
const MAIL_DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "hotmail.co.uk", "example.org"];

function pick<T>(list: readonly T[], r: () => number): T {
  return list[Math.floor(r() * list.length)] as T;
}

function lastName(r: () => number): string {
  // A few very common surnames (about 8% of people), a long tail of generated ones.
  if (r() < 0.08) return pick(COMMON_LAST, r);
  let s = "";
  const n = 2 + Math.floor(r() * 2);
  for (let i = 0; i < n; i++) s += pick(SYL, r);
  return s;
}

function typo(s: string, r: () => number): string {
  if (s.length < 4) return s;
  const i = 1 + Math.floor(r() * (s.length - 2));
  return r() < 0.5
    ? s.slice(0, i) + s.slice(i + 1)
    : s.slice(0, i) + (s[i + 1] ?? "") + (s[i] ?? "") + s.slice(i + 2);
}

function digits(n: number, r: () => number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += String(Math.floor(r() * 10));
  return s;
}

/** A valid mobile (GB) or a valid number (US, exchange 200-999 without 555) in E.164. */
function phoneFor(country: "US" | "GB", r: () => number): string {
  if (country === "GB") return `+44${pick(GB_MOBILE, r)}${digits(6, r)}`;
  let exchange = 200 + Math.floor(r() * 800);
  if (exchange === 555 || exchange % 100 === 11) exchange += 1;
  return `+1${pick(US_AREA, r)}${exchange}${digits(4, r)}`;
}

function landlineFor(country: "US" | "GB", r: () => number): string {
  return country === "GB" ? `+44161${digits(7, r)}` : phoneFor("US", r);
}

/** The national written form: "07400 123456", "(212) 736-5000". */
function national(e164: string): string {
  if (e164.startsWith("+44")) {
    const n = `0${e164.slice(3)}`;
    return `${n.slice(0, 5)} ${n.slice(5)}`;
  }
  const n = e164.slice(2);
  return `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`;
}

/** An international written form: "+44 7400 123456", "+1 212-736-5000". */
function international(e164: string): string {
  if (e164.startsWith("+44")) return `+44 ${e164.slice(3, 7)} ${e164.slice(7)}`;
  return `+1 ${e164.slice(2, 5)}-${e164.slice(5, 8)}-${e164.slice(8)}`;
}

/** Trait names, for precision and recall per trait in the bench and the quality test. */
export const DUPLICATE_TRAITS = [
  "same-phone-format",
  "reformatted-phone",
  "foreign-national-phone",
  "international-without-plus",
  "unparseable-same-raw",
  "same-email",
  "email-case",
  "plus-addressing",
  "same-name",
  "nickname",
  "first-name-typo",
  "last-name-typo",
  "initial",
  "nameless",
  "swapped-names",
] as const;
export const NEGATIVE_TRAITS = [
  "household-landline",
  "relatives-one-letter-apart",
  "household-email",
  "office-line",
  "switchboard",
  "shared-mailbox",
] as const;
export type Trait = (typeof DUPLICATE_TRAITS)[number] | (typeof NEGATIVE_TRAITS)[number];

export interface BenchContact {
  id: string;
  /** Ground truth: records of one person share this number. */
  person: number;
  /** What makes this record hard: its duplicate traits, and the hard-negative groups it belongs to. */
  traits: Trait[];
  /** GHL `country` (null when the form did not ask). */
  country: string | null;
  /** The phone as written in GHL. */
  phone: string | null;
  /** The E.164 the mirror stores (read in the contact's country, then the location's region), or null. */
  phoneE164: string | null;
  email: string | null;
  emailNorm: string | null;
  firstName: string | null;
  lastName: string | null;
  nameKey: string | null;
  createdAt: string;
}

interface Person {
  person: number;
  country: "US" | "GB";
  countryKnown: boolean;
  phone: string | null;
  /** A number no numbering plan accepts, written the same way in every record of the person. */
  rawPhone: string | null;
  email: string | null;
  first: string;
  last: string;
  traits: Trait[];
}

export interface GenerateOptions {
  /** The location's region. Default "US". */
  region?: "US" | "GB";
  /** Share of people from the other country. Default 0.35. */
  foreignShare?: number;
  /** Share of people with 1-2 duplicate records. Default 0.1. */
  duplicateShare?: number;
}

/**
 * `n` GHL contacts of one location whose people come from two countries (default: a US location with 35%
 * UK people), with ground truth. About 10% of people have 1-2 duplicate records; each duplicate keeps the
 * phone or the email of its person (in another written form: national / international / without "+" /
 * foreign national with the contact's country / an unparseable number written the same way; e-mail case
 * or plus-addressing) and may change the name (nickname, typo, initial, swapped order, no name). Hard
 * negatives: households on one landline (some with names one letter apart, some sharing one e-mail),
 * small offices on one line, switchboards shared by hundreds, and info@-style mailboxes.
 * A duplicate that keeps neither the phone nor the email is not generated: nothing but a name would link
 * it, and a name alone never merges.
 */
export function generateLocation(n: number, seed = 42, options: GenerateOptions = {}): BenchContact[] {
  const r = rng(seed);
  const region = options.region ?? "US";
  const other = region === "US" ? "GB" : "US";
  const foreignShare = options.foreignShare ?? 0.35;
  const duplicateShare = options.duplicateShare ?? 0.1;
  const out: BenchContact[] = [];
  const switchboards = Array.from({ length: 4 }, () => landlineFor(region, r));
  let household: {
    phone: string;
    last: string;
    email: string | null;
    first: string;
    country: "US" | "GB";
  } | null = null;
  let office: { phone: string; left: number; mailbox: string | null; country: "US" | "GB" } | null = null;
  const firstsOn = new Map<string, Set<string>>();
  let person = 0;
  let seq = 0;
  const id = (): string => `c${seq++}`;
  const created = (): number => Date.UTC(2018, 0, 1) + Math.floor(r() * 8 * 365 * 86_400_000);

  const push = (p: Person, record: Partial<BenchContact> & { traits: Trait[] }, at: number): void => {
    const phoneE164 = record.phoneE164 !== undefined ? record.phoneE164 : p.phone;
    const email = record.email !== undefined ? record.email : p.email;
    const firstName = record.firstName !== undefined ? record.firstName : cap(p.first);
    const lastName = record.lastName !== undefined ? record.lastName : cap(p.last);
    const nameKey =
      firstName === null && lastName === null
        ? null
        : `${firstName ?? ""} ${lastName ?? ""}`.trim().toLowerCase();
    out.push({
      id: id(),
      person: p.person,
      traits: record.traits,
      country: record.country !== undefined ? record.country : p.countryKnown ? p.country : null,
      phone: record.phone !== undefined ? record.phone : writtenPhone(p, region, r),
      phoneE164,
      email,
      emailNorm: email === null ? null : email.trim().toLowerCase(),
      firstName,
      lastName,
      nameKey,
      createdAt: new Date(at).toISOString(),
    });
  };

  while (out.length < n) {
    person++;
    let country: "US" | "GB" = r() < foreignShare ? other : region;
    let first = pick(FIRST, r);
    let last = lastName(r);
    const traits: Trait[] = [];
    let phone: string | null = r() < 0.92 ? phoneFor(country, r) : null;
    let rawPhone: string | null = null;
    let email: string | null = r() < 0.75 ? `${first}.${last}${person}@${pick(MAIL_DOMAINS, r)}` : null;
    const x = r();
    if (x < 0.06 && household !== null) {
      // Joins the previous person's household: their landline, usually their surname.
      traits.push("household-landline");
      phone = household.phone;
      country = household.country;
      if (r() < 0.9) last = household.last;
      // Relatives never share a first name here: a father and son "Jr." are the same record by every
      // field a contact has, and no one can tell them apart.
      const taken: ReadonlySet<string> = firstsOn.get(household.phone) ?? new Set<string>();
      const pair = GENDERED.find((g) => g.includes(household?.first as string));
      const partner = pair === undefined ? undefined : household.first === pair[0] ? pair[1] : pair[0];
      if (partner !== undefined && !taken.has(partner) && r() < 0.5) {
        first = partner;
        traits.push("relatives-one-letter-apart");
      }
      while (taken.has(first)) first = pick(FIRST, r);
      if (household.email !== null && r() < 0.3) {
        email = household.email;
        traits.push("household-email");
      }
    } else if (x < 0.1) {
      if (office === null || office.left <= 0)
        office = {
          phone: landlineFor(country, r),
          country,
          left: 3 + Math.floor(r() * 10),
          mailbox: r() < 0.5 ? `info@company${person}.com` : null,
        };
      office.left--;
      phone = office.phone;
      country = office.country;
      traits.push("office-line");
      if (office.mailbox !== null) {
        email = office.mailbox;
        traits.push("shared-mailbox");
      }
    } else if (x < 0.105) {
      phone = pick(switchboards, r);
      country = region;
      traits.push("switchboard");
    } else if (x < 0.115) {
      // A number that no numbering plan accepts (a digit missing), written the same way everywhere.
      rawPhone = national(phoneFor(country, r)).slice(0, -1);
      phone = null;
    }
    household =
      r() < 0.3 && phone !== null
        ? {
            phone,
            last,
            first,
            country,
            email: email !== null && r() < 0.4 ? `the${last}s${person}@${pick(MAIL_DOMAINS, r)}` : null,
          }
        : null;
    if (household?.email) email = household.email;
    if (phone !== null && (traits.includes("household-landline") || household !== null)) {
      const names = firstsOn.get(phone) ?? new Set<string>();
      names.add(first);
      firstsOn.set(phone, names);
    }
    const p: Person = {
      person,
      country,
      countryKnown: r() < 0.85,
      phone,
      rawPhone,
      email,
      first,
      last,
      traits,
    };
    const at = created();
    push(p, { traits: [...traits] }, at);
    if (r() >= duplicateShare || (phone === null && rawPhone === null && email === null)) continue;
    const copies = 1 + (r() < 0.25 ? 1 : 0);
    for (let k = 0; k < copies && out.length < n; k++)
      push(p, duplicateOf(p, region, r), at + Math.floor(r() * 1e10));
  }
  return out;
}

/** How the person's own record writes the phone: E.164 or national (international when the country is unknown). */
function writtenPhone(p: Person, region: string, r: () => number): string | null {
  if (p.rawPhone !== null) return p.rawPhone;
  if (p.phone === null) return null;
  const foreign = p.country !== region;
  if (r() < 0.5) return p.phone;
  return foreign && !p.countryKnown ? international(p.phone) : national(p.phone);
}

function cap(s: string): string {
  return s.replace(/\b\w/g, (m) => m.toUpperCase());
}

function duplicateOf(
  p: Person,
  region: string,
  r: () => number,
): Partial<BenchContact> & { traits: Trait[] } {
  const traits: Trait[] = [...p.traits];
  const hasPhone = p.phone !== null || p.rawPhone !== null;
  const keepPhone = hasPhone && (p.email === null || r() < 0.8);
  const keepEmail = p.email !== null && (!keepPhone || r() < 0.5);
  const record: Partial<BenchContact> & { traits: Trait[] } = { traits };
  if (!keepPhone) {
    record.phone = null;
    record.phoneE164 = null;
  } else if (p.rawPhone !== null) {
    record.phone = p.rawPhone;
    traits.push("unparseable-same-raw");
  } else {
    const e164 = p.phone as string;
    const foreign = !e164.startsWith(region === "US" ? "+1" : "+44");
    const f = r();
    if (f < 0.3) {
      record.phone = e164;
      traits.push("same-phone-format");
    } else if (f < 0.6 || (f < 0.8 && !foreign)) {
      record.phone = r() < 0.5 ? international(e164) : foreign ? e164 : national(e164);
      traits.push("reformatted-phone");
    } else if (f < 0.8) {
      // A UK number written nationally in a US location (or the reverse): the contact's country says which.
      record.phone = national(e164);
      record.country = foreign ? (e164.startsWith("+44") ? "GB" : "US") : null;
      traits.push("foreign-national-phone");
    } else {
      const digitsOnly = e164.slice(1);
      record.phone = r() < 0.5 ? `00${digitsOnly}` : digitsOnly.replace(/^(1|44)/, "$1 ");
      if (e164.startsWith("+1") && region === "GB") record.phone = `1 ${digitsOnly.slice(1)}`;
      traits.push("international-without-plus");
    }
  }
  if (!keepEmail) {
    record.email = null;
  } else {
    const e = p.email as string;
    const f = r();
    if (f < 0.5) {
      record.email = e;
      traits.push("same-email");
    } else if (f < 0.8) {
      record.email = r() < 0.5 ? e.toUpperCase() : e.replace(/^\w/, (m) => m.toUpperCase());
      traits.push("email-case");
    } else {
      const at = e.indexOf("@");
      record.email =
        e.endsWith("@gmail.com") && r() < 0.5
          ? `${e.slice(0, at).replaceAll(".", "")}@gmail.com`
          : `${e.slice(0, at)}+${pick(["news", "crm", "promo"], r)}${e.slice(at)}`;
      traits.push("plus-addressing");
    }
  }
  const y = r();
  const first = p.first;
  const last = p.last;
  if (y < 0.45) traits.push("same-name");
  else if (y < 0.6 && NICK[first] !== undefined) {
    record.firstName = cap(NICK[first] as string);
    traits.push("nickname");
  } else if (y < 0.7) {
    record.firstName = cap(typo(first, r));
    traits.push("first-name-typo");
  } else if (y < 0.78) {
    record.lastName = cap(typo(last, r));
    traits.push("last-name-typo");
  } else if (y < 0.85) {
    record.firstName = first.slice(0, 1).toUpperCase();
    traits.push("initial");
  } else if (y < 0.93) {
    record.firstName = null;
    record.lastName = null;
    traits.push("nameless");
  } else {
    record.firstName = r() < 0.5 ? last.toUpperCase() : cap(last);
    record.lastName = cap(first);
    traits.push("swapped-names");
  }
  return record;
}

/** Pair quality per trait: recall over the true pairs, precision over the predicted pairs touching the trait. */
export interface TraitQuality {
  trait: Trait | "all";
  truePairs: number;
  found: number;
  predicted: number;
  correct: number;
  recall: number;
  precision: number;
}

/** Pair precision and recall, overall and per trait, of clusters found in generated contacts. */
export function pairQuality(
  contacts: readonly BenchContact[],
  clusters: readonly { ids: readonly string[] }[],
): TraitQuality[] {
  const index = new Map(contacts.map((c, i) => [c.id, i]));
  const cluster = new Int32Array(contacts.length).fill(-1);
  clusters.forEach((c, k) => {
    for (const id of c.ids) cluster[index.get(id) as number] = k;
  });
  const stats = new Map<string, { truePairs: number; found: number; predicted: number; correct: number }>();
  const bump = (trait: string, key: "truePairs" | "found" | "predicted" | "correct"): void => {
    let s = stats.get(trait);
    if (s === undefined) {
      s = { truePairs: 0, found: 0, predicted: 0, correct: 0 };
      stats.set(trait, s);
    }
    s[key]++;
  };
  const traitsOfPair = (a: BenchContact, b: BenchContact): Set<string> =>
    new Set(["all", ...a.traits, ...b.traits]);
  // True pairs: the records of one person.
  const byPerson = new Map<number, number[]>();
  contacts.forEach((c, i) => {
    const list = byPerson.get(c.person);
    if (list === undefined) byPerson.set(c.person, [i]);
    else list.push(i);
  });
  for (const members of byPerson.values()) {
    for (let x = 0; x < members.length; x++)
      for (let y = x + 1; y < members.length; y++) {
        const a = contacts[members[x] as number] as BenchContact;
        const b = contacts[members[y] as number] as BenchContact;
        const same =
          cluster[members[x] as number] !== -1 &&
          cluster[members[x] as number] === cluster[members[y] as number];
        // A true pair is described by the later record's duplicate traits (the original has none).
        for (const t of new Set(["all", ...b.traits])) {
          bump(t, "truePairs");
          if (same) bump(t, "found");
        }
        void a;
      }
  }
  for (const c of clusters) {
    const ids = c.ids.map((id) => index.get(id) as number);
    for (let x = 0; x < ids.length; x++)
      for (let y = x + 1; y < ids.length; y++) {
        const a = contacts[ids[x] as number] as BenchContact;
        const b = contacts[ids[y] as number] as BenchContact;
        for (const t of traitsOfPair(a, b)) {
          bump(t, "predicted");
          if (a.person === b.person) bump(t, "correct");
        }
      }
  }
  const order = ["all", ...DUPLICATE_TRAITS, ...NEGATIVE_TRAITS];
  return [...stats.entries()]
    .sort((x, y) => order.indexOf(x[0]) - order.indexOf(y[0]))
    .map(([trait, s]) => ({
      trait: trait as Trait | "all",
      ...s,
      recall: s.truePairs === 0 ? 1 : s.found / s.truePairs,
      precision: s.predicted === 0 ? 1 : s.correct / s.predicted,
    }));
}

const FIELD_NAMES = ["firstName", "lastName", "email", "locale", "timezone", "cf.plan"];
const TIMES = ["2025-01-01T00:00:00.000Z", "2025-06-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z"];

/** GHL record, local record and base for conflict planning: most unchanged, some changed on one or both sides. */
export function generateSyncTriples(
  n: number,
  seed = 7,
): { ghl: SyncContact; local: SyncContact; base: SyncContact }[] {
  const r = rng(seed);
  const out: { ghl: SyncContact; local: SyncContact; base: SyncContact }[] = [];
  for (let i = 0; i < n; i++) {
    const fields: Record<string, string> = {};
    for (const f of FIELD_NAMES) fields[f] = `${f}-${Math.floor(r() * 1000)}`;
    const base: SyncContact = {
      id: `g${i}`,
      fields,
      tags: ["customer", r() < 0.5 ? "vip" : "news"],
      consent: {},
    };
    const ghl: SyncContact = {
      ...base,
      fields: { ...fields },
      tags: [...base.tags],
      updatedAt: TIMES[Math.floor(r() * 3)],
    };
    const local: SyncContact = {
      ...base,
      fields: { ...fields },
      tags: [...base.tags],
      updatedAt: TIMES[Math.floor(r() * 3)],
    };
    const x = r();
    if (x < 0.3) (ghl.fields as Record<string, string>).firstName = "Changed";
    else if (x < 0.5) (local.fields as Record<string, string>).locale = "es";
    else if (x < 0.6) {
      (ghl.fields as Record<string, string>).email = "a@x.com";
      (local.fields as Record<string, string>).email = "b@x.com";
    }
    if (r() < 0.1) ghl.tags = [...ghl.tags, "webinar"];
    if (r() < 0.05) local.consent = { optOut: { at: TIMES[2] as string, source: "sms-stop" } };
    out.push({ ghl, local, base });
  }
  return out;
}
