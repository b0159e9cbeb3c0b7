// PostgreSQL for the multi-worker tests (test/cluster/*, on SQLite and PostgreSQL): TEST_DATABASE_URL,
// else a throwaway cluster; see @ghl-bulksms/store/testing.
import { type ProvidedPostgres, postgresGlobalSetup } from "@ghl-bulksms/store/testing";

declare module "vitest" {
  export interface ProvidedContext {
    postgres: ProvidedPostgres;
  }
}

export default postgresGlobalSetup;
