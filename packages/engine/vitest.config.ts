import { sharedConfig } from "../../vitest.shared.ts";

// PostgreSQL for the multi-worker tests (test/cluster/*): TEST_DATABASE_URL, or a throwaway cluster.
export default sharedConfig(import.meta.dirname, { globalSetup: ["./test/support/postgres-setup.ts"] });
