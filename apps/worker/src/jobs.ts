// The worker's own job catalog. The engine adds its jobs (sends, notes, tasks, ...) to this catalog when
// it plugs in; the registry type then forces a handler for every name.
import { z } from "zod";

export const INBOX_PROCESS_JOB = "inbox.process";

export const inboxProcessPayload = z.object({ inboxId: z.number().int().positive() });

export type WorkerJobCatalog = {
  "inbox.process": z.infer<typeof inboxProcessPayload>;
};
