import { sharedConfig } from "../../vitest.shared.ts";

// One clean copy, one install and one build are shared by the tests of a file: no parallel files here,
// they would compete for the machine's two cores.
export default sharedConfig(import.meta.dirname, { fileParallelism: false });
