// PostgreSQL for the worker tests that use it (DATABASE_URL=postgres://...): TEST_DATABASE_URL,
// else a throwaway cluster; see @ghl-bulksms/store/testing.
import { type ProvidedPostgres, postgresGlobalSetup } from "@ghl-bulksms/store/testing";

declare module "vitest" {
  export interface ProvidedContext {
    postgres: ProvidedPostgres;
  }
}

export default postgresGlobalSetup;
