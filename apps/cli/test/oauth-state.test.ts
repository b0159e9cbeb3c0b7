// `auth login` (OAuth) run from the sources as an operator would, against the sandbox's GHL: only the
// callback with this login's exact state completes it; stateless or foreign callbacks are refused while the
// CLI keeps waiting, and the state works once.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Sandbox, startSandbox } from "@ghl-bulksms/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_DIR } from "./helpers.js";

let sandbox: Sandbox;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox({ seedContacts: 1, ghl: { port: 0 }, bulksms: { port: 0 } });
  dir = mkdtempSync(join(tmpdir(), "cli-oauth-"));
  const cred = sandbox.bulksms.credentials[0];
  if (!cred) throw new Error("sandbox has no BulkSMS credential");
  env = {
    GHL_BULKSMS_MODE: "sandbox",
    GHL_API_BASE_URL: sandbox.ghl.url,
    BULKSMS_API_BASE_URL: sandbox.bulksms.url,
    BULKSMS_TOKEN_ID: cred.tokenId,
    BULKSMS_TOKEN_SECRET: cred.tokenSecret,
    GHL_CLIENT_ID: sandbox.ghl.tokens.clientId,
    GHL_CLIENT_SECRET: sandbox.ghl.tokens.clientSecret,
    DATA_DIR: join(dir, "data"),
  };
});
afterAll(async () => {
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Login {
  child: ChildProcess;
  url: URL;
  exited: Promise<number | null>;
  stdout: () => string;
  stderr: () => string;
}

/** Starts `auth login` from src/bin.ts (tsx, workspace sources) and waits for the authorize URL. */
async function startLogin(timeoutSeconds: number, extraEnv: Record<string, string> = {}): Promise<Login> {
  const child = spawn(
    process.execPath,
    [
      "--conditions=@ghl-bulksms/source",
      "--import",
      "tsx",
      join(CLI_DIR, "src", "bin.ts"),
      "auth",
      "login",
      "--port",
      "0",
      "--timeout",
      String(timeoutSeconds),
    ],
    { cwd: CLI_DIR, env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...env, ...extraEnv } },
  );
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((r) => child.on("close", (c) => r(c)));
  const url = await new Promise<URL>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no URL printed: ${stderr}`)), 25_000);
    child.stdout?.on("data", (d) => {
      stdout += d;
      const m = /authorize URL: (\S+)/.exec(stdout);
      if (m?.[1]) {
        clearTimeout(t);
        resolve(new URL(m[1]));
      }
    });
  });
  return { child, url, exited, stdout: () => stdout, stderr: () => stderr };
}

describe("auth login: OAuth state", () => {
  it("refuses a stateless and a foreign-state callback, keeps waiting, then logs in with the right one once", async () => {
    const [mine, attackers] = sandbox.ghl.locations;
    if (!mine || !attackers) throw new Error("the sandbox should seed two locations");
    const login = await startLogin(60);
    const redirect = login.url.searchParams.get("redirect_uri") as string;
    const state = login.url.searchParams.get("state") as string;
    expect(state).toMatch(/^[0-9a-f]{32}$/);
    const attackerCode = sandbox.ghl.control.issueAuthorizationCode({ locationId: attackers.id });
    const stateless = await fetch(`${redirect}?code=${encodeURIComponent(attackerCode)}`);
    expect(stateless.status).toBe(400);
    const foreign = await fetch(
      `${redirect}?code=${encodeURIComponent(attackerCode)}&state=${"f".repeat(32)}`,
    );
    expect(foreign.status).toBe(400);
    expect(login.child.exitCode).toBeNull(); // still waiting
    const code = sandbox.ghl.control.issueAuthorizationCode({ locationId: mine.id });
    const res = await fetch(`${redirect}?code=${encodeURIComponent(code)}&state=${state}`);
    expect(res.status).toBe(200);
    expect(await login.exited).toBe(0);
    expect(login.stdout()).toContain(`logged in location ${mine.id}`);
    expect(login.stdout()).not.toContain(attackers.id);
    expect(login.stderr()).toMatch(/refused a callback: refused: this callback carries no state/);
    expect(login.stderr()).toMatch(/refused a callback: refused: this callback's state does not match/);
    expect(login.stderr()).not.toContain(attackerCode);
    // single-use: the same state again finds nobody listening
    await expect(fetch(`${redirect}?code=x&state=${state}`)).rejects.toThrow();
  });

  it("fails cleanly after the timeout when only refused callbacks arrived", async () => {
    const login = await startLogin(2);
    const redirect = login.url.searchParams.get("redirect_uri") as string;
    const stateless = await fetch(`${redirect}?code=someone-elses`);
    expect(stateless.status).toBe(400);
    expect(await login.exited).not.toBe(0);
    expect(login.stderr()).toContain("no callback with this login's state within 2 s");
  });
});

describe("auth login: least privilege", () => {
  it.each([
    ["no provider or thread mode", {}, false],
    ["thread mode", { GHL_SMS_THREAD: "on" }, true],
    ["a default conversation provider", { GHL_PROVIDER_MODE: "default" }, true],
  ])("%s: the conversation scopes are asked for only when needed", async (_name, extra, wanted) => {
    const login = await startLogin(2, extra);
    const scopes = (login.url.searchParams.get("scope") ?? "").split(" ");
    login.child.kill();
    await login.exited;
    expect(scopes).toEqual(expect.arrayContaining(["contacts.readonly", "contacts.write"]));
    const conversation = scopes.filter((s) => s.startsWith("conversations"));
    expect(conversation).toEqual(
      wanted
        ? [
            "conversations.readonly",
            "conversations.write",
            "conversations/message.readonly",
            "conversations/message.write",
          ]
        : [],
    );
  });
});
