import stringComparison from "string-comparison";

const jw = stringComparison.jaroWinkler;

const NEEDS_PREPARATION = /[\sA-Z]/;
let matchedA = new Uint8Array(64);
let matchedB = new Uint8Array(64);

/**
 * Jaro-Winkler similarity in [0, 1], exactly as string-comparison computes it (match window
 * max(len)/2 - 1, prefix boost of 0.1 per common leading letter, at most 4, above 0.7). Folded name keys
 * (lower-case, no whitespace) take an allocation-free path: dedupe calls this for most compared pairs.
 */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (a === "" || b === "") return 0;
  if (NEEDS_PREPARATION.test(a) || NEEDS_PREPARATION.test(b)) return jw.similarity(a, b);
  const la = a.length;
  const lb = b.length;
  if (matchedA.length < la) matchedA = new Uint8Array(la * 2);
  if (matchedB.length < lb) matchedB = new Uint8Array(lb * 2);
  matchedA.fill(0, 0, la);
  matchedB.fill(0, 0, lb);
  const window = Math.floor(Math.max(la, lb) / 2) - 1;
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const end = Math.min(lb, i + window + 1);
    for (let j = Math.max(0, i - window); j < end; j++) {
      if (matchedB[j] === 0 && a.charCodeAt(i) === b.charCodeAt(j)) {
        matchedA[i] = 1;
        matchedB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (matchedA[i] !== 1) continue;
    while (matchedB[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k++)) transpositions++;
  }
  const t = transpositions / 2;
  let sim = (matches / la + matches / lb + (matches - t) / matches) / 3;
  if (sim > 0.7) {
    let prefix = 0;
    const limit = Math.min(la, lb, 4);
    while (prefix < limit && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
    sim += 0.1 * prefix * (1 - sim);
  }
  return sim;
}

// Common English nickname groups; every name in a group is equivalent for matching.
const NICKNAME_GROUPS: readonly (readonly string[])[] = [
  ["robert", "bob", "bobby", "rob", "robbie", "bert"],
  ["william", "bill", "billy", "will", "willy", "liam"],
  ["richard", "rick", "ricky", "dick", "rich", "richie"],
  ["james", "jim", "jimmy", "jamie"],
  ["john", "jack", "johnny", "jon"],
  ["jonathan", "jon", "jonny"],
  ["michael", "mike", "mikey", "mick", "micky"],
  ["elizabeth", "liz", "lizzie", "beth", "betty", "eliza", "libby", "lisa"],
  ["margaret", "maggie", "meg", "peggy", "marge", "madge"],
  ["katherine", "catherine", "kathryn", "kate", "katie", "kathy", "cathy", "kat", "kitty"],
  ["thomas", "tom", "tommy"],
  ["charles", "charlie", "chuck", "chas"],
  ["christopher", "chris", "kit"],
  ["christine", "christina", "chris", "chrissy", "tina"],
  ["daniel", "dan", "danny"],
  ["david", "dave", "davey"],
  ["edward", "ed", "eddie", "ted", "ned"],
  ["joseph", "joe", "joey"],
  ["anthony", "tony"],
  ["andrew", "andy", "drew"],
  ["alexander", "alex", "sandy", "xander"],
  ["alexandra", "alex", "sandra", "lexi"],
  ["benjamin", "ben", "benny"],
  ["matthew", "matt"],
  ["nicholas", "nick", "nicky"],
  ["patrick", "pat", "paddy"],
  ["patricia", "pat", "patty", "trish"],
  ["peter", "pete"],
  ["samuel", "sam", "sammy"],
  ["samantha", "sam", "sammy"],
  ["stephen", "steven", "steve"],
  ["susan", "sue", "susie", "suzanne"],
  ["timothy", "tim", "timmy"],
  ["jennifer", "jen", "jenny"],
  ["rebecca", "becky", "becca"],
  ["deborah", "debbie", "deb"],
  ["victoria", "vicky", "tori"],
  ["gregory", "greg"],
  ["jeffrey", "jeff"],
  ["kenneth", "ken", "kenny"],
  ["ronald", "ron", "ronnie"],
  ["donald", "don", "donnie"],
  ["lawrence", "larry"],
  ["gerald", "gerry", "jerry"],
  ["frederick", "fred", "freddie"],
  ["henry", "harry", "hank"],
  ["josephine", "jo", "josie"],
  ["joanne", "joanna", "jo"],
  ["abigail", "abby"],
  ["zachary", "zach", "zack"],
];

const NICKNAMES = new Map<string, Set<number>>();
NICKNAME_GROUPS.forEach((group, index) => {
  for (const name of group) {
    const groups = NICKNAMES.get(name) ?? new Set<number>();
    groups.add(index);
    NICKNAMES.set(name, groups);
  }
});

const NO_NAMES: readonly string[] = [];
const VARIANTS = new Map<string, readonly string[]>();
for (const [name, groups] of NICKNAMES) {
  const all = new Set<string>();
  for (const g of groups)
    for (const other of NICKNAME_GROUPS[g] as readonly string[]) if (other !== name) all.add(other);
  VARIANTS.set(name, [...all].sort());
}

/** The other names of every nickname group a folded first name belongs to ("becky" -> rebecca, becca). */
export function nicknamesOf(name: string): readonly string[] {
  return VARIANTS.get(name) ?? NO_NAMES;
}

/** True when two folded first names are known variants of each other ("bob" / "robert"). */
export function areNicknames(a: string, b: string): boolean {
  const ga = NICKNAMES.get(a);
  const gb = NICKNAMES.get(b);
  if (ga === undefined || gb === undefined) return false;
  for (const g of ga) if (gb.has(g)) return true;
  return false;
}

export type NameVerdict = "same" | "different" | "missing";

export interface NameComparison {
  verdict: NameVerdict;
  /** Similarity in [0, 1]; 0 when a name is missing. */
  score: number;
}

function splitKey(key: string): { first: string; last: string } {
  const space = key.indexOf(" ");
  if (space < 0) return { first: key, last: "" };
  return { first: key.slice(0, space), last: key.slice(key.lastIndexOf(" ") + 1) };
}

function firstNameScore(a: string, b: string): number {
  if (a === b) return 1;
  if (areNicknames(a, b)) return 0.95;
  // An initial matches the full name it abbreviates ("j smith" / "john smith").
  if ((a.length === 1 && b.startsWith(a)) || (b.length === 1 && a.startsWith(b))) return 0.9;
  if (isGenderedVariant(a, b)) return 0.5;
  return jaroWinkler(a, b);
}

const VOWELS = new Set(["a", "e", "i", "o", "y"]);

/**
 * "maria"/"mario", "daniel"/"daniela", "louis"/"louise", "paul"/"paula": names that differ only by a
 * final vowel (or add a feminine "a"/"e") are usually different people (siblings, spouses), although
 * Jaro-Winkler rates them > 0.9.
 */
export function isGenderedVariant(a: string, b: string): boolean {
  if (a.length < 3 || b.length < 3) return false;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (long.length === short.length) {
    return (
      short.slice(0, -1) === long.slice(0, -1) &&
      VOWELS.has(short.at(-1) as string) &&
      VOWELS.has(long.at(-1) as string)
    );
  }
  if (long.length !== short.length + 1 || !long.startsWith(short)) return false;
  // "daniel"/"daniela", "paul"/"paula"; "louis"/"louise", "denis"/"denise" (but "katherin"/"katherine" is a typo).
  const added = long.at(-1);
  return added === "a" || (added === "e" && short.endsWith("s"));
}

/**
 * Compare two folded name keys ("first ... last"). First and last names are compared separately so that
 * family members ("john smith" / "mary smith") stay apart although their full names look alike; nicknames,
 * initials, small typos and swapped order ("smith john") count as the same person.
 */
export function compareNames(a: string, b: string, threshold: number): NameComparison {
  if (a === "" || b === "") return { verdict: "missing", score: 0 };
  if (a === b) return { verdict: "same", score: 1 };
  // Canonical order so that the comparison is symmetric whatever the metric's quirks.
  const [p, q] = a < b ? [a, b] : [b, a];
  const x = splitKey(p);
  const y = splitKey(q);
  let score: number;
  if (x.last === "" || y.last === "") {
    // A one-word name may be a first or a last name: compare it with both parts, at a discount.
    const [one, other] = x.last === "" ? [x, y] : [y, x];
    score =
      other.last === ""
        ? firstNameScore(one.first, other.first)
        : Math.max(firstNameScore(one.first, other.first), jaroWinkler(one.first, other.last)) * 0.95;
  } else {
    const direct = Math.min(firstNameScore(x.first, y.first), jaroWinkler(x.last, y.last));
    const swapped = Math.min(firstNameScore(x.first, y.last), jaroWinkler(x.last, y.first)) * 0.98;
    score = Math.max(direct, swapped);
  }
  return { verdict: score >= threshold ? "same" : "different", score };
}
