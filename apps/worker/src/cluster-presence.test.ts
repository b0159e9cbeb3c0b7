import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore, type Store } from "@ghl-bulksms/store";
import { afterEach, describe, expect, it } from "vitest";
import { createClusterPresence } from "./cluster-presence.js";

const KEY_HEX = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

function recorder() {
  const lines: Array<{ level: "warn" | "info"; msg: string; obj: unknown }> = [];
  return {
    lines,
    logger: {
      warn: (obj: unknown, msg?: string) => lines.push({ level: "warn", msg: msg ?? "", obj }),
      info: (obj: unknown, msg?: string) => lines.push({ level: "info", msg: msg ?? "", obj }),
    } as never,
  };
}

let dir: string | null = null;
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

function twoStores(): [Store, Store] {
  dir = mkdtempSync(join(tmpdir(), "presence-"));
  const path = join(dir, "p.db");
  const a = openSqliteStore({ path, encryptionKey: KEY_HEX });
  const b = openSqliteStore({ path, encryptionKey: KEY_HEX });
  stores.push(a, b);
  return [a, b];
}

describe("cluster presence", () => {
  it("a second worker on local GHL budgets is warned about, by name of the setting; a gone one is not", async () => {
    const [a, b] = twoStores();
    let t = 1_000_000;
    const now = () => t;
    const ra = recorder();
    const rb = recorder();
    const pa = createClusterPresence({
      store: a,
      workerId: "w1",
      ghlRateBudget: "local",
      now,
      logger: ra.logger,
    });
    const pb = createClusterPresence({
      store: b,
      workerId: "w2",
      ghlRateBudget: "local",
      now,
      logger: rb.logger,
    });
    expect(await pa.beat()).toEqual([]);
    expect((await pb.beat()).map((p) => p.workerId)).toEqual(["w1"]);
    expect(rb.lines).toHaveLength(1);
    expect(rb.lines[0]).toMatchObject({ level: "warn" });
    expect(rb.lines[0]!.msg).toMatch(/GHL_RATE_BUDGET=shared/);
    expect((await pa.beat()).map((p) => p.workerId)).toEqual(["w2"]);
    expect(ra.lines[0]!.msg).toMatch(/GHL_RATE_BUDGET=shared/);
    await pa.beat(); // the same peers: not repeated
    expect(ra.lines).toHaveLength(1);
    // w2 stops: its row goes; and a worker whose heartbeat is 3 periods old counts as gone
    await pb.stop();
    expect(await pa.beat()).toEqual([]);
    await pb.beat();
    t += 60_000;
    expect(await pa.beat()).toEqual([]);
  });

  it("workers that all share the budget are only listed, not warned about", async () => {
    const [a, b] = twoStores();
    const now = () => 5_000;
    const ra = recorder();
    const pa = createClusterPresence({
      store: a,
      workerId: "w1",
      ghlRateBudget: "shared",
      now,
      logger: ra.logger,
    });
    const pb = createClusterPresence({
      store: b,
      workerId: "w2",
      ghlRateBudget: "shared",
      now,
      logger: recorder().logger,
    });
    await pb.beat();
    await pa.beat();
    expect(ra.lines).toEqual([
      { level: "info", msg: "workers sharing this database", obj: { peers: ["w2"] } },
    ]);
  });
});
