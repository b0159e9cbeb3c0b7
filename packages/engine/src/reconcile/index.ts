export {
  type PlannedContact,
  type ReconcileKind,
  type ReconcileOptions,
  type ReconcileProgress,
  type ReconcileResult,
  reconcile,
} from "./reconcile.js";
export type { ReconcileCheckpoint } from "./checkpoint.js";
export { SMS_SYNC_FIELDS } from "./sync-view.js";
export {
  applyMerge,
  type MergePreview,
  type MergeProposal,
  type MergeResult,
  type MergeSnapshot,
  proposeMerges,
  type UndoResult,
  undoMerge,
} from "../merge/merge.js";
export {
  type DigestSettings,
  type FollowUpRule,
  type LifecycleConfig,
  type LifecycleConfigInput,
  LifecycleConfigError,
  type LifecyclePolicy,
  lifecycleConfigSchema,
  lifecycleFor,
  type MergeSettings,
  parseLifecycleConfig,
  type ReconcileSettings,
} from "../automations/config.js";
export { detectFollowUpTriggers, stopFollowUpsForContact } from "../automations/follow-up-triggers.js";
export { type FollowUpStepOutcome, type RunFollowUpsResult, runDueFollowUps } from "../automations/follow-up-runner.js";
export { buildDigest, type Digest, digestDueAt, digestTick, type DigestTickResult } from "../automations/digest.js";
export { type WelcomeDecision, welcomeDiscoveredContact } from "../automations/welcome-under-reconcile.js";
export { previewFollowUpTemplate, type TemplatePreview } from "../automations/template-preview.js";
export {
  createLifecycleJobRegistry,
  enqueueDueLifecycleJobs,
  LIFECYCLE_JOB_NAMES,
  type LifecycleJobCatalog,
  type LifecycleJobName,
  type LifecycleJobRegistry,
  lifecycleJobSchemas,
} from "../automations/jobs.js";
