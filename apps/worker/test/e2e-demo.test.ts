// `pnpm demo --once` as a user runs it: a child process (node + tsx on the sources), exit code 0 and a JSON
// summary on stdout in which every expectation held; and the proxy set-up (fixed sandbox ports, vendor base
// URLs from the environment) routes the worker's calls through whatever sits at those URLs.
import { spawn } from "node:child_process";
import { createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runDemo } from "./support/run-demo.ts";

const WORKER_DIR = join(import.meta.dirname, "..");

interface Summary {
  ok: boolean;
  passed: number;
  failed: number;
  expectations: Array<{ step: string; expectation: string; observed: string; ok: boolean }>;
}

const FLOWS = [
  "welcome",
  "delivery",
  "failure",
  "reply",
  "provider",
  "help",
  "stop",
  "start",
  "ghl-dnd",
  "retry",
  "quiet-hours",
  "reconcile",
  "merge",
  "follow-up",
  "campaign",
];

describe("pnpm demo --once", () => {
  it("exits 0 with a JSON summary in which every expectation held", async () => {
    const r = await runDemo(["--once"]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as Summary;
    expect(summary.ok).toBe(true);
    expect(summary.failed).toBe(0);
    expect(summary.passed).toBe(summary.expectations.length);
    expect(new Set(summary.expectations.map((e) => e.step))).toEqual(
      new Set(["seed", ...FLOWS, "invariants"]),
    );
    expect(summary.expectations.every((e) => e.ok)).toBe(true);
    // the lifecycle flows (issue 6): each step made its checks, and they name what they saw
    const of = (step: string) => summary.expectations.filter((e) => e.step === step);
    expect(of("reconcile").map((e) => e.expectation)).toEqual([
      "the worker missed both changes (no webhook arrived)",
      "one incremental run, recorded with its counts",
      "Cleo's mirror and SMS profile have her new number",
      "Gil, added minutes ago, gets his welcome once",
    ]);
    expect(of("reconcile")[1]?.observed).toMatch(
      /^run #\d+ succeeded: scanned \d+, created [1-9]\d*, updated [1-9]/,
    );
    expect(of("merge")).toHaveLength(5);
    expect(of("merge")[0]?.observed).toMatch(/evidence phone\+email/);
    expect(of("merge")[1]?.observed).toMatch(/tags \["customer","newsletter"\]; notes carried: 1/);
    expect(of("merge")[2]?.observed).toMatch(/no longer has .*undo log: #\d+ \S+ \(applied\)/);
    expect(of("merge")[3]?.observed).toMatch(/^recreated as \S+ .*1 note\); survivor tags \["customer"\]/);
    expect(of("follow-up").map((e) => e.observed)).toEqual([
      expect.stringMatching(/^#\d+ due \S+, #\d+ due \S+$/),
      "notes with the reply on Cleo: 1",
      expect.stringMatching(/^BulkSMS sent 1 text: "Hi Ada, did you have a chance/),
      "BulkSMS: DELIVERED",
      "texts to Cleo: 0; sequence: stopped (replied)",
    ]);
    // issue 10 point 4: outcomes read from BulkSMS, not submissions: nothing billed to a blocked number
    const observed = (step: string, expectation: RegExp) =>
      of(step).find((e) => expectation.test(e.expectation))?.observed;
    expect(observed("stop", /^no billed confirmation/)).toBe(
      "texts to Ben after STOP: none submitted; credits spent: 0",
    );
    expect(observed("start", /^BulkSMS still blocks Ben/)).toBe(
      "texts to Ben after START: none submitted; unblock tasks: 1",
    );
    expect(observed("invariants", /FAILED\.BLOCKED/)).toBe("0 texts FAILED.BLOCKED (0 credits)");
    // issue 14: the campaign step's preview, batches, STOP mid-campaign and delivery counts
    expect(of("campaign").map((e) => e.observed)).toEqual([
      // the balance is what the earlier steps left (each of their texts costs a credit)
      expect.stringMatching(
        /^3 to text; landline 1, dnd 1, blocked 1; 3 credits \(3 GSM-7\), balance \d+: enough$/,
      ),
      expect.stringMatching(/^2 texts in 1 BulkSMS requests; \+4474001000\d\d texted 0 times$/),
      'status completed; delivered 2, failed 0; excluded {"blocked":1,"dnd":1,"landline":1,"opted_out":1}',
    ]);
    expect(r.stderr).toMatch(/▶ follow-up: Ada and Cleo are tagged quote-sent/);
    // issue 15: every reply in the thread, no stranger lost
    expect(observed("provider", /Ada's reply appears once/)).toMatch(
      /the user's message is there; her reply: SMS inbound "Saturday at 10/,
    );
    expect(observed("provider", /stranger becomes one GHL contact/)).toMatch(
      /^1 contact with \+447400100099 \(source SMS, tags \["sms-inbound-unknown"\]\)/,
    );
    // the live log and the table went to stderr
    expect(r.stderr).toMatch(/▶ stop: Ben texts STOP/);
    expect(r.stderr).toMatch(/\| step +\| expectation +\| observed +\| ok \|/);
  }, 90_000);

  it("runs the sandbox on fixed ports and sends the worker's vendor calls to GHL_API_BASE_URL / BULKSMS_API_BASE_URL", async () => {
    const free = async () => {
      const srv = createServer();
      await new Promise<void>((res) => srv.listen(0, "127.0.0.1", res));
      const { port } = srv.address() as AddressInfo;
      await new Promise<void>((res) => srv.close(() => res()));
      return port;
    };
    const [ghlPort, bulksmsPort] = [await free(), await free()];
    // a recording proxy in front of each simulator
    const seen: string[] = [];
    const proxy = (target: number) =>
      createServer((req: IncomingMessage, res: ServerResponse) => {
        seen.push(`${target === ghlPort ? "ghl" : "bulksms"} ${req.method} ${req.url}`);
        const up = request(
          { host: "127.0.0.1", port: target, method: req.method, path: req.url, headers: req.headers },
          (upRes) => {
            res.writeHead(upRes.statusCode ?? 502, upRes.headers);
            upRes.pipe(res);
          },
        );
        up.on("error", () => {
          res.writeHead(502).end();
        });
        req.pipe(up);
      });
    const ghlProxy = proxy(ghlPort);
    const bulkProxy = proxy(bulksmsPort);
    await new Promise<void>((res) => ghlProxy.listen(0, "127.0.0.1", res));
    await new Promise<void>((res) => bulkProxy.listen(0, "127.0.0.1", res));
    try {
      const r = await runDemo(
        ["--once", "--ghl-port", String(ghlPort), "--bulksms-port", String(bulksmsPort)],
        {
          GHL_API_BASE_URL: `http://127.0.0.1:${(ghlProxy.address() as AddressInfo).port}`,
          BULKSMS_API_BASE_URL: `http://127.0.0.1:${(bulkProxy.address() as AddressInfo).port}/v1`,
        },
      );
      expect(r.code, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as Summary).ok).toBe(true);
      expect(r.stderr).toContain(`GHL simulator      http://127.0.0.1:${ghlPort}`);
      expect(seen.some((l) => /^ghl GET \/contacts\//.test(l))).toBe(true);
      expect(seen.some((l) => /^ghl POST \/contacts\/[^/]+\/notes/.test(l))).toBe(true);
      expect(seen.some((l) => /^bulksms POST \/v1\/messages/.test(l))).toBe(true);
      expect(seen.some((l) => /^bulksms POST \/v1\/blocked-numbers/.test(l))).toBe(true);
    } finally {
      await new Promise<void>((res) => ghlProxy.close(() => res()));
      await new Promise<void>((res) => bulkProxy.close(() => res()));
    }
  }, 90_000);

  it("rejects a bad flag with a usage message and exit code 2", async () => {
    const r = await runDemo(["--ghl-port", "nope"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--ghl-port must be a port number/);
  }, 30_000);
});

describe("pnpm start", () => {
  it("refuses to start against real vendors without credentials, naming what is missing", async () => {
    const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ["--conditions=@ghl-bulksms/source", "--import", "tsx", "scripts/start-live.ts"],
        { cwd: WORKER_DIR, env: { ...env, GHL_BULKSMS_MODE: "sandbox" }, stdio: ["ignore", "pipe", "pipe"] },
      );
      let stderr = "";
      child.stderr.on("data", (c: Buffer) => {
        stderr += c.toString();
      });
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stderr }));
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/refusing to start/);
    for (const v of [
      "GHL_BULKSMS_ENCRYPTION_KEY",
      "BULKSMS_TOKEN_ID",
      "BULKSMS_TOKEN_SECRET",
      "BULKSMS_WEBHOOK_SECRET",
      "PUBLIC_BASE_URL",
      "GHL_LOCATIONS",
    ]) {
      expect(r.stderr).toContain(v);
    }
  }, 30_000);
});
