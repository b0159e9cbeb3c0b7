// deploy/compose.postgres.yaml (the README's compose example: PostgreSQL + two workers) cannot be run here
// (no docker), so it is checked as compose would read it: YAML with merge keys, `${VAR:?msg}` and
// `${VAR:-default}` interpolated from an operator's .env, then every worker service's environment loaded
// with the worker's own configuration schema (loadConfig): it must be a valid live configuration on the
// compose file's PostgreSQL service, with the shared GHL budget, a WORKER_ID and a host port of its own.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "@ghl-bulksms/config";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = join(import.meta.dirname, "../../..");
const FILE = join(ROOT, "deploy/compose.postgres.yaml");

/** What an operator's .env holds for it. */
const OPERATOR_ENV: Record<string, string> = {
  POSTGRES_PASSWORD: "s3cret-pg",
  PUBLIC_BASE_URL: "https://sms.example.com",
  GHL_BULKSMS_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
  GHL_CLIENT_ID: "client-id",
  GHL_CLIENT_SECRET: "client-secret",
  BULKSMS_TOKEN_ID: "bulk-id",
  BULKSMS_TOKEN_SECRET: "bulk-secret",
  BULKSMS_WEBHOOK_SECRET: "bulk-webhook-secret-0123456789",
};

/** Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR:?error} (missing -> the error, as compose). */
function interpolate(value: string, env: Record<string, string>, missing: string[]): string {
  return value.replace(
    /\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g,
    (_, name: string, op?: string, arg?: string) => {
      const v = env[name];
      if (v !== undefined && v !== "") return v;
      if (op === "?") missing.push(`${name}: ${arg}`);
      return op === "-" ? (arg ?? "") : "";
    },
  );
}

function deepInterpolate(node: unknown, env: Record<string, string>, missing: string[]): unknown {
  if (typeof node === "string") return interpolate(node, env, missing);
  if (Array.isArray(node)) return node.map((n) => deepInterpolate(n, env, missing));
  if (node !== null && typeof node === "object")
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, deepInterpolate(v, env, missing)]));
  return node;
}

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string | number | boolean>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  profiles?: string[];
  healthcheck?: { test: string[] };
  command?: string[];
  entrypoint?: string[];
}

function load(env: Record<string, string>) {
  const missing: string[] = [];
  const raw = parse(readFileSync(FILE, "utf8"), { merge: true }) as { services: Record<string, Service> };
  const doc = deepInterpolate(raw, env, missing) as { services: Record<string, Service> };
  return { services: doc.services, missing };
}

const envOf = (s: Service): Record<string, string> =>
  Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, String(v)]));

describe("deploy/compose.postgres.yaml", () => {
  const { services, missing } = load(OPERATOR_ENV);
  const workers = Object.entries(services).filter(
    ([, s]) => !s.profiles && envOf(s).DATABASE_URL !== undefined,
  );

  it("has a PostgreSQL service and two workers on it, started after it is healthy", () => {
    expect(missing).toEqual([]);
    expect(services.postgres?.image).toMatch(/^postgres:1[5-9]/);
    expect(services.postgres?.healthcheck?.test).toEqual(["CMD-SHELL", "pg_isready -U ghl -d ghl_bulksms"]);
    expect(workers.map(([name]) => name)).toEqual(["worker-1", "worker-2"]);
    for (const [, s] of workers) {
      expect(s.build).toEqual({ context: "..", dockerfile: "Dockerfile" });
      expect(s.depends_on).toEqual({ postgres: { condition: "service_healthy" } });
    }
  });

  it("each worker's environment is a valid live configuration (the worker's schema) on that database", () => {
    const pg = envOf(services.postgres ?? {});
    const ids = new Set<string>();
    const hostPorts = new Set<string>();
    for (const [name, s] of workers) {
      const config = loadConfig(envOf(s)); // throws, naming every bad variable, if it is not valid
      expect(config.mode, name).toBe("live");
      const url = new URL(config.databaseUrl ?? "");
      expect(url.protocol).toBe("postgres:");
      expect(url.hostname).toBe("postgres"); // the compose service
      expect(url.pathname).toBe(`/${pg.POSTGRES_DB}`);
      expect(decodeURIComponent(url.username)).toBe(pg.POSTGRES_USER);
      expect(decodeURIComponent(url.password)).toBe(pg.POSTGRES_PASSWORD);
      expect(config.cluster.ghlRateBudget, name).toBe("shared");
      expect(config.cluster.workerId, name).toBeTruthy();
      ids.add(config.cluster.workerId ?? "");
      for (const p of s.ports ?? []) hostPorts.add(p.split(":").slice(0, -1).join(":"));
    }
    expect(ids.size).toBe(workers.length);
    expect(hostPorts.size).toBe(workers.length);
  });

  it("sets only variables the configuration reads (each documented in .env.example)", () => {
    // .env.example names every variable the configuration reads (test/env-example.test.ts)
    const documented = readFileSync(join(ROOT, "apps/worker/.env.example"), "utf8");
    for (const [name, s] of Object.entries(services)) {
      if (name === "postgres") continue;
      for (const key of Object.keys(envOf(s)))
        expect(documented, `${name}: ${key}`).toMatch(new RegExp(`^#? ?${key}=`, "m"));
    }
  });

  it("the one-off migrate service runs `ghl-bulksms store migrate --to` the workers' database, from SQLite", () => {
    const migrate = services.migrate;
    expect(migrate?.profiles).toEqual(["migrate"]);
    expect(migrate?.entrypoint).toEqual(["ghl-bulksms"]);
    const env = envOf(migrate ?? {});
    const config = loadConfig(env);
    expect(config.databaseUrl ?? null).toBeNull(); // reads the SQLite store in DATA_DIR
    expect(env.DATA_DIR).toBe("/data");
    expect(migrate?.command).toEqual(["store", "migrate", "--to", envOf(workers[0]?.[1] ?? {}).DATABASE_URL]);
    const cli = readFileSync(join(ROOT, "apps/cli/src/commands/store.ts"), "utf8");
    expect(cli).toContain('.command("migrate")');
    expect(cli).toContain('.requiredOption("--to <url>"');
  });

  it("refuses to start without the secrets (compose's required-variable errors name them)", () => {
    const { missing: without } = load({});
    const names = new Set(without.map((m) => m.split(":")[0]));
    for (const name of Object.keys(OPERATOR_ENV)) expect(names, name).toContain(name);
  });
});
