// Spawns a child script of these tests (bench/budget-child.ts, token-child.ts) in its own Node process (tsx,
// workspace sources) and resolves with the JSON line it prints last.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BudgetChildInput, BudgetChildOutput } from "../../bench/budget-child.js";
import type { TokenChildInput, TokenChildOutput } from "./token-child.js";

const here = dirname(fileURLToPath(import.meta.url));
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

export function runBudgetChild(input: BudgetChildInput): Promise<BudgetChildOutput> {
  return runChild(join(here, "..", "..", "bench", "budget-child.ts"), input);
}

export function runTokenChild(input: TokenChildInput): Promise<TokenChildOutput> {
  return runChild(join(here, "token-child.ts"), input);
}

function runChild<T>(script: string, input: unknown): Promise<T> {
  const child = spawn(
    process.execPath,
    ["--conditions=@ghl-bulksms/source", "--import", tsxLoader, script, JSON.stringify(input)],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve, reject) => {
    child.on("exit", (code) => {
      const line = stdout.trim().split("\n").pop() ?? "";
      if (code !== 0 || line === "") {
        reject(new Error(`${script} exited ${code}: ${stderr.slice(-2000)}`));
        return;
      }
      resolve(JSON.parse(line) as T);
    });
  });
}
