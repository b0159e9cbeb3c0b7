/**
 * A Vitest globalSetup body: starts PostgreSQL once for the whole run (TEST_DATABASE_URL or a throwaway
 * cluster) and hands its URL to the test files, or the reason it could not, so that PostgreSQL tests fail
 * with that reason while the other tests still run. Use: `export default postgresGlobalSetup` in a
 * globalSetup file, and `inject("postgres")` in tests.
 */
import { startTestPostgres } from "./postgres.js";

export interface ProvidedPostgres {
  url: string | null;
  source: string | null;
  error: string | null;
}

export async function postgresGlobalSetup(project: {
  provide(key: "postgres", value: ProvidedPostgres): void;
}): Promise<() => Promise<void>> {
  try {
    const server = await startTestPostgres();
    project.provide("postgres", { url: server.url, source: server.source, error: null });
    return () => server.stop();
  } catch (error) {
    project.provide("postgres", { url: null, source: null, error: (error as Error).message });
    return async () => {};
  }
}
