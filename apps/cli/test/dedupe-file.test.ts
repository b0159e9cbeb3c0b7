// dedupe --from-file needs no configuration or credentials: run it in an empty folder with an empty env.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, runCli } from "./helpers.js";

let dir: string;
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "cli-dedupe-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines = [
  {
    id: "a1",
    firstName: "Ann",
    lastName: "Lee",
    phone: "07911 123456",
    email: "ann@example.com",
    dateAdded: "2024-01-01T00:00:00Z",
  },
  {
    id: "a2",
    firstName: "Ann",
    lastName: "Lee",
    phone: "+44 7911 123456",
    dateAdded: "2024-02-01T00:00:00Z",
  },
  { id: "a3", firstName: "Annie", lastName: "Lee", email: "ANN@Example.com" },
  { id: "b1", firstName: "Bob", lastName: "Stone", phone: "+447911123457" },
  { id: "c1", firstName: "Cat", lastName: "Ng", phone: "+447911123458" },
];

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe("dedupe --from-file", () => {
  it("prints clusters with evidence and survivor, singletons left out (--json shape)", async () => {
    const p = file("ok.jsonl", `${lines.map((l) => JSON.stringify(l)).join("\n")}\n\n`);
    const r = await runCli(["dedupe", "--from-file", p, "--region", "GB", "--json"], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).sort()).toEqual(["clusters", "stats"]);
    expect(out.clusters).toHaveLength(1);
    const [c] = out.clusters;
    expect(Object.keys(c).sort()).toEqual(["evidence", "ids", "names", "survivor"]);
    expect(c.names).toEqual({ a1: "Ann Lee", a2: "Ann Lee", a3: "Annie Lee" });
    expect(c.ids).toEqual(["a1", "a2", "a3"]);
    expect(c.survivor).toBe("a1"); // most complete
    expect(c.evidence.length).toBeGreaterThanOrEqual(2);
    expect(c.evidence.flatMap((e: { keys: string[] }) => e.keys)).toEqual(
      expect.arrayContaining(["phone", "email"]),
    );
    expect(out.stats).toMatchObject({ contacts: 5, duplicates: 2, invalidPhones: 0 });
  });

  it("prints a table for humans", async () => {
    const p = file("ok2.jsonl", lines.map((l) => JSON.stringify(l)).join("\n"));
    const r = await runCli(["dedupe", "--from-file", p, "--region", "GB"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/SURVIVOR\s+DUPLICATES\s+EVIDENCE/);
    expect(r.stdout).toMatch(/1\s+Ann Lee \(a1\)\s+Ann Lee \(a2\), Annie Lee \(a3\)/); // names, not only ids
    expect(r.stdout).toContain("5 contacts, 1 clusters, 2 duplicates");
  });

  it("fails on a malformed line naming its line number (exit 1); --skip-invalid skips it (exit 3)", async () => {
    const text = [
      JSON.stringify(lines[0]),
      JSON.stringify(lines[1]),
      "{not json",
      JSON.stringify(lines[3]),
    ].join("\n");
    const p = file("bad.jsonl", text);
    const r = await runCli(["dedupe", "--from-file", p, "--region", "GB"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("bad.jsonl:3: not valid JSON");
    expect(r.stderr).toContain("--skip-invalid");
    expect(r.stdout).toBe("");

    const s = await runCli(["dedupe", "--from-file", p, "--region", "GB", "--skip-invalid", "--json"], {
      cwd: dir,
    });
    expect(s.code).toBe(3);
    expect(s.stderr).toContain("bad.jsonl:3: not valid JSON");
    expect(JSON.parse(s.stdout).clusters[0].ids).toEqual(["a1", "a2"]);
  });

  it("rejects a line without an id and a repeated id with line numbers", async () => {
    const p = file("noid.jsonl", `${JSON.stringify(lines[0])}\n{"firstName":"X"}\n`);
    const r = await runCli(["dedupe", "--from-file", p], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('noid.jsonl:2: has no "id" string');
    const q = file("dup.jsonl", `${JSON.stringify(lines[0])}\n${JSON.stringify(lines[0])}\n`);
    const d = await runCli(["dedupe", "--from-file", q], { cwd: dir });
    expect(d.code).toBe(1);
    expect(d.stderr).toContain('dup.jsonl:2: repeats contact id "a1" (first seen on line 1)');
  });

  it("usage errors exit 2: unknown region, missing file is exit 1", async () => {
    const p = file("r.jsonl", JSON.stringify(lines[0]));
    const r = await runCli(["dedupe", "--from-file", p, "--region", "XX"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown phone region "XX"');
    const m = await runCli(["dedupe", "--from-file", join(dir, "nope.jsonl")], { cwd: dir });
    expect(m.code).toBe(1);
    expect(m.stderr).toContain("file not found");
  });

  it("handles 100k lines in seconds", async () => {
    const n = 100_000;
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      // every 10th contact is a re-typed copy of the one before (national format, other case email)
      const base = i % 10 === 9 ? i - 1 : i;
      const num = String(1_000_000 + base).slice(-6);
      const phone = i % 10 === 9 ? `07911 ${num}` : `+447911${num}`;
      out.push(
        JSON.stringify({
          id: `c${i}`,
          firstName: `Name${base}`,
          lastName: "Smith",
          phone,
          email: i % 10 === 9 ? `USER${base}@EXAMPLE.COM` : `user${base}@example.com`,
          dateAdded: "2024-01-01T00:00:00Z",
        }),
      );
    }
    const p = file("big.jsonl", `${out.join("\n")}\n`);
    const started = Date.now();
    const r = await runCli(["dedupe", "--from-file", p, "--region", "GB", "--json"], {
      cwd: dir,
      timeoutMs: 60_000,
    });
    const elapsed = Date.now() - started;
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.clusters).toHaveLength(n / 10);
    expect(res.stats.contacts).toBe(n);
    expect(elapsed).toBeLessThan(20_000);
  }, 60_000);
});
