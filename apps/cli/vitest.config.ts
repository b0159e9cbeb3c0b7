import { sharedConfig } from "../../vitest.shared.ts";

// The CLI's tests run the real CLI as child processes, several per test: on a loaded 2-core machine a test
// can take well over the shared 30 s, so they get 120 s.
export default sharedConfig(import.meta.dirname, {
  globalSetup: ["./test/support/postgres-setup.ts"],
  testTimeout: 120_000,
});
