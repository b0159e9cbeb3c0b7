/** The test PostgreSQL harness itself (src/testing/postgres.ts): both ways of getting a server. */
import { existsSync } from "node:fs";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { findPostgresBin, startTestPostgres, startThrowawayPostgres } from "../src/testing/index.js";

describe("test PostgreSQL harness", () => {
  it("starts a throwaway cluster on 127.0.0.1, usable at once, and removes it on stop", async () => {
    const server = await startThrowawayPostgres();
    expect(server.source).toBe("throwaway");
    expect(server.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const { rows } = await client.query<{ addr: string }>("SELECT inet_server_addr()::text AS addr");
    expect(rows[0]!.addr).toMatch(/^127\.0\.0\.1/);
    await client.end();
    await server.stop();
    const after = new pg.Client({ connectionString: server.url, connectionTimeoutMillis: 2000 });
    await expect(after.connect()).rejects.toThrow();
  }, 120_000);

  it("uses TEST_DATABASE_URL when set, and fails clearly (password hidden) when it does not answer", async () => {
    await expect(
      startTestPostgres({ TEST_DATABASE_URL: "postgres://u:hunter2-secret@127.0.0.1:1/db" }),
    ).rejects.toThrow(/TEST_DATABASE_URL=postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/db does not answer/);
    await expect(
      startTestPostgres({ TEST_DATABASE_URL: "postgres://u:hunter2-secret@127.0.0.1:1/db" }),
    ).rejects.not.toThrow(/hunter2/);
  });

  it("finds the server binaries outside PATH too (Debian keeps them in /usr/lib/postgresql/<v>/bin)", () => {
    const found = findPostgresBin("initdb", "");
    if (existsSync("/usr/lib/postgresql"))
      expect(found).toMatch(/^\/usr\/lib\/postgresql\/[\d.]+\/bin\/initdb$/);
    else expect(found).toBeNull();
  });

  it("with neither TEST_DATABASE_URL nor server binaries, fails saying what to install or set", async () => {
    expect(findPostgresBin("pg_ctl", "", [])).toBeNull();
    await expect(startThrowawayPostgres({ pathEnv: "", roots: [] })).rejects.toThrow(
      /TEST_DATABASE_URL is not set and initdb\/pg_ctl were not found .*apt-get install postgresql.*TEST_DATABASE_URL=postgres:\/\//,
    );
  });
});
