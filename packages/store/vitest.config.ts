import { sharedConfig } from "../../vitest.shared.ts";

// PostgreSQL for the conformance suite: TEST_DATABASE_URL, or a throwaway cluster (test/global-setup.ts).
export default sharedConfig(import.meta.dirname, { globalSetup: ["./test/global-setup.ts"] });
