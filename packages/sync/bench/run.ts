// pnpm bench: each case runs in its own child process so that its peak memory (maxRSS) is its own.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createNormaliser, findDuplicates, normalisePhone, planContactSync } from "../src/index.ts";
import {
  type BenchContact,
  generateLocation,
  generateSyncTriples,
  pairQuality,
  rng,
  type TraitQuality,
} from "./generate.ts";

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

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

function quality(contacts: readonly BenchContact[], clusters: { ids: string[] }[]): string {
  const all = pairQuality(contacts, clusters).find((q) => q.trait === "all") as TraitQuality;
  return `pair precision ${pct(all.precision)}, recall ${pct(all.recall)}`;
}

function traitTable(rows: readonly TraitQuality[]): string {
  const lines = ["  trait                        true pairs   recall   pairs found   precision"];
  for (const q of rows)
    lines.push(
      `  ${q.trait.padEnd(28)} ${String(q.truePairs).padStart(10)} ${(q.truePairs ? pct(q.recall) : "-").padStart(8)}` +
        ` ${String(q.predicted).padStart(13)} ${(q.predicted ? pct(q.precision) : "-").padStart(11)}`,
    );
  return lines.join("\n");
}

function dedupe(n: number): void {
  // The mirror's view: pre-normalised keys (phoneE164, emailNorm, nameKey) win over the raw values, and the
  // raw phone as GHL holds it still counts as digits evidence.
  const contacts = generateLocation(n);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = findDuplicates(contacts);
  const ms = performance.now() - t0;
  const cpu = cpuSeconds(c0);
  console.log(
    `findDuplicates ${n.toLocaleString("en-GB")} pre-normalised: ${(ms / 1000).toFixed(2)} s (cpu ${cpu}), ${rate(n, ms)}, ` +
      `${r.stats.clusters.toLocaleString("en-GB")} clusters, ${r.stats.pairsCompared.toLocaleString("en-GB")} pairs compared, ` +
      `${r.stats.weakBlocks} weak blocks, EM ${r.model.iterations} iterations (λ ${r.model.lambda.toFixed(3)}); ` +
      `${quality(contacts, r.clusters)}; ${peak()}`,
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
      // The full path: raw GHL values (per-contact country, national/international forms), a US location.
      const contacts = generateLocation(100_000);
      const raw = contacts.map((c) => ({
        id: c.id,
        phone: c.phone,
        country: c.country,
        email: c.email,
        firstName: c.firstName,
        lastName: c.lastName,
        createdAt: c.createdAt,
      }));
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const normaliser = createNormaliser({ defaultRegion: "US" });
      const result = findDuplicates(raw, { normaliser });
      const ms = performance.now() - t0;
      const s = normaliser.stats();
      console.log(
        `findDuplicates 100,000 raw (US location, 35% UK people): ${(ms / 1000).toFixed(2)} s (cpu ${cpuSeconds(c0)}), ${rate(raw.length, ms)}, ${s.misses.toLocaleString("en-GB")} distinct values ` +
          `normalised (${s.hits.toLocaleString("en-GB")} cache hits), ${result.stats.clusters.toLocaleString("en-GB")} clusters, ` +
          `${result.stats.pairsRefused} matches refused as contradictions; ${quality(contacts, result.clusters)}; ${peak()}`,
      );
      console.log(traitTable(pairQuality(contacts, result.clusters)));
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
