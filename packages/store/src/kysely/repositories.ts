/** How each repository is built on a Kysely context: one registry for the top level and every transaction. */
import type { LocksRepo, Repositories } from "../types.js";
import type { KyselyContext } from "./context.js";
import { createAuditLogRepo } from "./repos/audit-log.js";
import { createCampaignsRepo } from "./repos/campaigns.js";
import { createContactsRepo } from "./repos/contacts.js";
import { createDecisionsRepo } from "./repos/decisions.js";
import { createDigestsRepo } from "./repos/digests.js";
import { createFollowUpsRepo } from "./repos/follow-ups.js";
import { createInboxRepo } from "./repos/inbox.js";
import { createDeadLettersRepo, createJobsRepo } from "./repos/jobs.js";
import { createLocationsRepo } from "./repos/locations.js";
import { createLocksRepo } from "./repos/locks.js";
import { createMergeUndoRepo } from "./repos/merge-undo.js";
import { createMessagesRepo } from "./repos/messages.js";
import { createOptOutsRepo } from "./repos/opt-outs.js";
import { createRateBudgetRepo } from "./repos/rate-budget.js";
import { createSettingsRepo } from "./repos/settings.js";
import { createSyncRunsRepo } from "./repos/sync-runs.js";
import { createSecretsRepo, createTokensRepo } from "./repos/tokens.js";
import { createVendorWritesRepo } from "./repos/vendor-writes.js";

const REPOSITORIES: {
  readonly [K in keyof Repositories]: (ctx: KyselyContext, locks: () => LocksRepo) => Repositories[K];
} = {
  locks: (ctx) => createLocksRepo(ctx),
  locations: (ctx) => createLocationsRepo(ctx),
  tokens: (ctx, locks) => createTokensRepo(ctx, locks()),
  secrets: (ctx) => createSecretsRepo(ctx),
  contacts: (ctx) => createContactsRepo(ctx),
  messages: (ctx) => createMessagesRepo(ctx),
  inbox: (ctx) => createInboxRepo(ctx),
  jobs: (ctx) => createJobsRepo(ctx),
  deadLetters: (ctx) => createDeadLettersRepo(ctx),
  optOuts: (ctx) => createOptOutsRepo(ctx),
  runs: (ctx) => createSyncRunsRepo(ctx),
  audit: (ctx) => createAuditLogRepo(ctx),
  decisions: (ctx) => createDecisionsRepo(ctx),
  vendorWrites: (ctx) => createVendorWritesRepo(ctx),
  mergeUndo: (ctx) => createMergeUndoRepo(ctx),
  followUps: (ctx) => createFollowUpsRepo(ctx),
  digests: (ctx) => createDigestsRepo(ctx),
  settings: (ctx) => createSettingsRepo(ctx),
  rateBudget: (ctx) => createRateBudgetRepo(ctx),
  campaigns: (ctx) => createCampaignsRepo(ctx),
};

/**
 * Defines every repository on `target` as a getter built on first use, so a transaction pays only for the
 * repositories it touches.
 */
export function defineRepositories<T extends object>(target: T, ctx: KyselyContext): T & Repositories {
  const built: Partial<Record<keyof Repositories, unknown>> = {};
  const self = target as T & Repositories;
  for (const key of Object.keys(REPOSITORIES) as Array<keyof Repositories>) {
    Object.defineProperty(target, key, {
      enumerable: true,
      get() {
        built[key] ??= REPOSITORIES[key](ctx, () => self.locks);
        return built[key];
      },
    });
  }
  return self;
}
