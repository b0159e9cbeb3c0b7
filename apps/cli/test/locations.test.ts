// `locations pending | approve | reject` over a real store in which the worker held unknown locations.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SANDBOX_ENCRYPTION_KEY } from "@ghl-bulksms/config";
import { admitWorkflowLocation } from "@ghl-bulksms/engine";
import { openSqliteStore } from "@ghl-bulksms/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliFromSources } from "./helpers.js";

let dir: string;
let env: Record<string, string>;
const T0 = Date.UTC(2026, 10, 25, 12);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cli-locations-"));
  env = {
    GHL_BULKSMS_MODE: "sandbox",
    GHL_API_BASE_URL: "http://127.0.0.1:9",
    BULKSMS_API_BASE_URL: "http://127.0.0.1:9",
    DATA_DIR: join(dir, "data"),
    UNKNOWN_LOCATIONS: "hold",
    UNKNOWN_LOCATIONS_MAX_PENDING: "2",
  };
  const store = openSqliteStore({
    path: join(dir, "data", "ghl-bulksms.db"),
    encryptionKey: SANDBOX_ENCRYPTION_KEY,
  });
  const opts = { policy: "hold" as const, maxPending: 2, configured: new Set<string>() };
  await admitWorkflowLocation(store, "locA", { ...opts, now: T0 });
  await admitWorkflowLocation(store, "locB", { ...opts, now: T0 + 1000 });
  await admitWorkflowLocation(store, "locA", { ...opts, now: T0 + 2000 });
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("locations", () => {
  it("lists, approves and rejects held locations; refuses ids that are not pending", async () => {
    const list = await runCliFromSources(["locations", "pending", "--json"], { env });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      { locationId: "locA", firstSeenAt: T0, lastSeenAt: T0 + 2000, requests: 2 },
      { locationId: "locB", firstSeenAt: T0 + 1000, lastSeenAt: T0 + 1000, requests: 1 },
    ]);
    const table = await runCliFromSources(["locations", "pending"], { env });
    expect(table.stdout).toMatch(/locA .*2026-11-25T12:00:02/);
    expect(table.stderr).toContain("the list is full (UNKNOWN_LOCATIONS_MAX_PENDING=2)");

    const approve = await runCliFromSources(["locations", "approve", "locA", "--region", "GB"], { env });
    expect(approve.code).toBe(0);
    expect(approve.stdout).toContain("approved location locA");
    const status = await runCliFromSources(["auth", "status", "--json"], { env });
    expect((JSON.parse(status.stdout) as Array<{ locationId: string }>).map((r) => r.locationId)).toContain(
      "locA",
    );

    const again = await runCliFromSources(["locations", "approve", "locA"], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("location locA is not waiting for approval");

    const reject = await runCliFromSources(["locations", "reject", "locB"], { env });
    expect(reject.code).toBe(0);
    const empty = await runCliFromSources(["locations", "pending", "--json"], { env });
    expect(JSON.parse(empty.stdout)).toEqual([]);

    const bad = await runCliFromSources(["locations", "approve", "../x"], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("is not a GHL location id");
  });
});
