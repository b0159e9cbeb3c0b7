import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const pkg = fileURLToPath(new URL("..", import.meta.url));

describe("pnpm sandbox (src/cli.ts)", () => {
  it("starts both simulators and prints base URLs, location ids and tokens that work", async () => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--conditions=@ghl-bulksms/source",
        "src/cli.ts",
        "--ghl-port",
        "0",
        "--bulksms-port",
        "0",
        "--seed-contacts",
        "4",
      ],
      {
        cwd: pkg,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    try {
      let out = "";
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no banner in time: ${out}`)), 20_000);
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes("GHL control routes")) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.on("exit", (code) => reject(new Error(`cli exited ${code}: ${out}`)));
      });
      const ghlUrl = /GHL API\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      const bulkUrl = /BulkSMS API\s+(http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(out)?.[1];
      const location = /location (\w{20})/.exec(out)?.[1];
      const token = /^\s+token\s+(pit-[0-9a-f-]{36})/m.exec(out)?.[1];
      expect(ghlUrl && bulkUrl && location && token).toBeTruthy();
      const res = await fetch(`${ghlUrl}/contacts/search`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          version: "2021-07-28",
          "content-type": "application/json",
        },
        body: JSON.stringify({ locationId: location, pageLimit: 10 }),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { total: number }).total).toBe(4);
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("rejects a bad flag value with a message naming it", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--conditions=@ghl-bulksms/source", "src/cli.ts", "--faults", "error=7"],
      {
        cwd: pkg,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let err = "";
    child.stderr.on("data", (c: Buffer) => {
      err += c.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(1);
    expect(err).toMatch(/error=7/);
  });
});
