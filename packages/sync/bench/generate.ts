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
  "priya rahul wei mohammed fatima aisha omar li chen sofia lucas mateo valentina hugo chloe noah mia liam zoe"
).split(" ");
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
};
const SYL =
  "ba be bi bo ka ke ko la le li lo ma me mi mo na ne no ra re ri ro sa se si so ta te ti to va ve vi wa we ya yo za".split(
    " ",
  );

function lastName(r: () => number): string {
  // A few very common surnames (about 8% of people, as in the UK), a long tail of generated ones.
  if (r() < 0.08)
    return ["smith", "jones", "williams", "brown", "taylor", "davies", "wilson", "evans", "garcia", "patel"][
      Math.floor(r() * 10)
    ] as string;
  let s = "";
  const n = 2 + Math.floor(r() * 2);
  for (let i = 0; i < n; i++) s += SYL[Math.floor(r() * SYL.length)];
  return s;
}

function typo(s: string, r: () => number): string {
  if (s.length < 4) return s;
  const i = 1 + Math.floor(r() * (s.length - 2));
  return r() < 0.5
    ? s.slice(0, i) + s.slice(i + 1)
    : s.slice(0, i) + (s[i + 1] ?? "") + (s[i] ?? "") + s.slice(i + 2);
}

export interface BenchContact {
  id: string;
  person: number;
  phoneE164: string | null;
  emailNorm: string | null;
  nameKey: string | null;
  createdAt: string;
}

/**
 * `n` contacts for about n/1.12 people: ~8% of people have 1-2 duplicate records (reformatted phone,
 * other email case, nickname or typo), ~4% share a family landline, ~2% use a generic company mailbox, and
 * a few switchboard numbers are shared by hundreds of contacts.
 */
export function generateMirrorContacts(n: number, seed = 42): BenchContact[] {
  const r = rng(seed);
  const out: BenchContact[] = [];
  let person = 0;
  const switchboards = Array.from({ length: 5 }, (_, i) => `+4420794600${String(i).padStart(2, "0")}`);
  let familyPhone: string | null = null;
  while (out.length < n) {
    person++;
    const first = FIRST[Math.floor(r() * FIRST.length)] as string;
    const last = lastName(r);
    let phone: string | null = r() < 0.9 ? `+447${String(100000000 + Math.floor(r() * 899999999))}` : null;
    const x = r();
    if (x < 0.04 && familyPhone !== null)
      phone = familyPhone; // family landline shared with the previous person
    else if (x < 0.045) phone = switchboards[Math.floor(r() * switchboards.length)] as string;
    familyPhone = r() < 0.5 ? phone : null;
    // Personal addresses are unique per person (two people never share a personal mailbox here).
    let email: string | null =
      r() < 0.7 ? `${first}.${last}.${person}@example${Math.floor(r() * 50)}.com` : null;
    if (r() < 0.02) email = `info@company${Math.floor(r() * 2000)}.com`;
    const created = Date.UTC(2018, 0, 1) + Math.floor(r() * 8 * 365 * 86_400_000);
    out.push({
      id: `c${out.length}`,
      person,
      phoneE164: phone,
      emailNorm: email,
      nameKey: `${first} ${last}`,
      createdAt: new Date(created).toISOString(),
    });
    if (r() < 0.08) {
      const copies = 1 + (r() < 0.25 ? 1 : 0);
      for (let k = 0; k < copies && out.length < n; k++) {
        const y = r();
        const dupFirst = y < 0.2 ? (NICK[first] ?? first) : y < 0.35 ? typo(first, r) : first;
        const dupLast = r() < 0.1 ? typo(last, r) : last;
        const keepPhone = r() < 0.8;
        const keepEmail = !keepPhone || r() < 0.5;
        out.push({
          id: `c${out.length}`,
          person,
          phoneE164: keepPhone ? phone : null,
          emailNorm: keepEmail ? email : null,
          nameKey: r() < 0.1 ? null : `${dupFirst} ${dupLast}`,
          createdAt: new Date(created + Math.floor(r() * 1e10)).toISOString(),
        });
      }
    }
  }
  return out;
}

/** Raw input as GHL returns it: national formats, spacing, case — many spellings of the same values. */
export function toRaw(
  c: BenchContact,
  r: () => number,
): { id: string; phone: string | null; email: string | null; name: string | null } {
  let phone: string | null = null;
  if (c.phoneE164 !== null) {
    const national = `0${c.phoneE164.slice(3)}`;
    const f = r();
    phone =
      f < 0.4
        ? c.phoneE164
        : f < 0.7
          ? `${national.slice(0, 5)} ${national.slice(5)}`
          : f < 0.9
            ? `+44 ${national.slice(1, 5)} ${national.slice(5)}`
            : national;
  }
  const email = c.emailNorm === null ? null : r() < 0.2 ? ` ${c.emailNorm.toUpperCase()}` : c.emailNorm;
  return {
    id: c.id,
    phone,
    email,
    name: c.nameKey === null ? null : c.nameKey.replace(/\b\w/g, (m) => m.toUpperCase()),
  };
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
