// pnpm bench: each case runs in its own child process so that its peak memory (maxRSS) is its own.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createNormaliser, findDuplicates, normalisePhone, planContactSync } from "../src/index.ts";
import { type BenchContact, generateMirrorContacts, generateSyncTriples, rng, toRaw } from "./generate.ts";

const CASES = ["normalise", "dedupe-100k", "dedupe-1m", "dedupe-raw-100k", "plan-100k"] as const;
type Case = (typeof CASES)[number];

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const peak = (): string =>
  `peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}, heap ${mb(process.memoryUsage().heapUsed)}`;
const cpuSeconds = (start: NodeJS.CpuUsage): string => {
  const u = process.cpuUsage(start);
  return `${((u.user + u.system) / 1e6).toFixed(2)} s`;
};
const rate = (n: number, ms: number): string => `${Math.round((n / ms) * 1000).toLocaleString("en-GB")}/s`;

function quality(contacts: readonly BenchContact[], clusters: { ids: string[] }[]): string {
  const person = new Map(contacts.map((c) => [c.id, c.person]));
  const perPerson = new Map<number, number>();
  for (const c of contacts) perPerson.set(c.person, (perPerson.get(c.person) ?? 0) + 1);
  let truePairs = 0;
  for (const k of perPerson.values()) truePairs += (k * (k - 1)) / 2;
  let predicted = 0;
  let correct = 0;
  for (const cl of clusters) {
    const counts = new Map<number, number>();
    for (const id of cl.ids)
      counts.set(person.get(id) as number, (counts.get(person.get(id) as number) ?? 0) + 1);
    predicted += (cl.ids.length * (cl.ids.length - 1)) / 2;
    for (const k of counts.values()) correct += (k * (k - 1)) / 2;
  }
  return `pair precision ${((correct / Math.max(predicted, 1)) * 100).toFixed(2)}%, recall ${((correct / Math.max(truePairs, 1)) * 100).toFixed(2)}%`;
}

function dedupe(n: number): void {
  const contacts = generateMirrorContacts(n);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = findDuplicates(contacts);
  const ms = performance.now() - t0;
  const cpu = cpuSeconds(c0);
  console.log(
    `findDuplicates ${n.toLocaleString("en-GB")} pre-normalised: ${(ms / 1000).toFixed(2)} s (cpu ${cpu}), ${rate(n, ms)}, ` +
      `${r.stats.clusters.toLocaleString("en-GB")} clusters, ${r.stats.pairsCompared.toLocaleString("en-GB")} pairs compared, ` +
      `${r.stats.weakBlocks} weak blocks; ${quality(contacts, r.clusters)}; ${peak()}`,
  );
}

function run(c: Case): void {
  switch (c) {
    case "normalise": {
      const r = rng(1);
      const raws = Array.from({ length: 20_000 }, () => {
        const digits = String(100000000 + Math.floor(r() * 899999999));
        return r() < 0.5 ? `07${digits.slice(0, 3)} ${digits.slice(3)}` : `+44 7${digits}`;
      });
      for (const raw of raws.slice(0, 500)) normalisePhone(raw, { defaultRegion: "GB" }); // warm-up
      let t0 = performance.now();
      let valid = 0;
      for (const raw of raws) if (normalisePhone(raw, { defaultRegion: "GB" }).ok) valid++;
      const perNumber = ((performance.now() - t0) * 1000) / raws.length;
      const n = createNormaliser({ defaultRegion: "GB" });
      for (const raw of raws) n.phone(raw);
      t0 = performance.now();
      for (let k = 0; k < 10; k++) for (const raw of raws) n.phone(raw);
      const cached = ((performance.now() - t0) * 1000) / (raws.length * 10);
      console.log(
        `normalisePhone: ${perNumber.toFixed(1)} µs/number (${raws.length.toLocaleString("en-GB")} numbers, ${valid} valid); ` +
          `memoised repeat: ${cached.toFixed(3)} µs/number`,
      );
      return;
    }
    case "dedupe-100k":
      dedupe(100_000);
      return;
    case "dedupe-1m":
      dedupe(1_000_000);
      return;
    case "dedupe-raw-100k": {
      const mirror = generateMirrorContacts(100_000);
      const r = rng(3);
      const raw = mirror.map((c) => toRaw(c, r));
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const normaliser = createNormaliser({ defaultRegion: "GB" });
      const result = findDuplicates(raw, { normaliser });
      const ms = performance.now() - t0;
      const s = normaliser.stats();
      console.log(
        `findDuplicates 100,000 raw: ${(ms / 1000).toFixed(2)} s (cpu ${cpuSeconds(c0)}), ${rate(raw.length, ms)}, ${s.misses.toLocaleString("en-GB")} distinct values ` +
          `normalised (${s.hits.toLocaleString("en-GB")} cache hits), ${result.stats.clusters.toLocaleString("en-GB")} clusters; ` +
          `${quality(mirror, result.clusters)}; ${peak()}`,
      );
      return;
    }
    case "plan-100k": {
      const triples = generateSyncTriples(100_000);
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      let ops = 0;
      for (const t of triples)
        ops += planContactSync({ ...t, now: "2026-03-01T00:00:00.000Z" }).operations.length;
      const ms = performance.now() - t0;
      console.log(
        `planContactSync 100,000 contacts: ${(ms / 1000).toFixed(2)} s (cpu ${cpuSeconds(c0)}), ${rate(triples.length, ms)}, ${ops.toLocaleString("en-GB")} operations; ${peak()}`,
      );
      return;
    }
    default: {
      const never: never = c;
      throw new Error(`unknown case ${String(never)}`);
    }
  }
}

const arg = process.argv[2];
if (arg !== undefined) {
  if (!(CASES as readonly string[]).includes(arg))
    throw new Error(`unknown bench case "${arg}"; one of ${CASES.join(", ")}`);
  run(arg as Case);
} else {
  const { loadavg, cpus } = await import("node:os");
  console.log(
    `@ghl-bulksms/sync bench — node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0]?.toFixed(1)} ` +
      "(wall times suffer when other work shares the cores; cpu times less so)",
  );
  for (const c of CASES) {
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), c], {
      stdio: "inherit",
    });
    if (child.status !== 0) process.exitCode = 1;
  }
}
