import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/index.js";

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("DATABASE_URL", () => {
  it("is unset by default: the embedded SQLite store in DATA_DIR", () => {
    expect(loadConfig({}).databaseUrl).toBeNull();
    expect(loadConfig({ DATABASE_URL: "  " }).databaseUrl).toBeNull();
  });

  it("selects PostgreSQL with a postgres:// or postgresql:// URL", () => {
    expect(loadConfig({ DATABASE_URL: "postgres://app:pw@db:5432/ghl" }).databaseUrl).toBe(
      "postgres://app:pw@db:5432/ghl",
    );
    expect(loadConfig({ DATABASE_URL: "postgresql://db/ghl?sslmode=require" }).databaseUrl).toBe(
      "postgresql://db/ghl?sslmode=require",
    );
  });

  it("names the variable, and never shows the password, when the value is wrong", () => {
    const sqlite = errorOf({ DATABASE_URL: "./data/other.db" });
    expect(sqlite.message).toMatch(/DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/);
    expect(sqlite.message).toMatch(/unset it to use the embedded SQLite store in DATA_DIR/);
    const mysql = errorOf({ DATABASE_URL: "mysql://root:hunter2@db/x" });
    expect(mysql.message).toMatch(/DATABASE_URL must be a postgres:\/\//);
    expect(mysql.message).not.toContain("hunter2");
    const noDb = errorOf({ DATABASE_URL: "postgres://app:hunter2@db:5432" });
    expect(noDb.message).toMatch(/DATABASE_URL must name a host and a database/);
    expect(noDb.message).toContain("postgres://app:***@db:5432");
    expect(noDb.message).not.toContain("hunter2");
  });
});
