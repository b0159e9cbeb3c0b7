export {
  type DigestSettings,
  type FollowUpRule,
  type LifecycleConfig,
  LifecycleConfigError,
  type LifecycleConfigInput,
  type LifecyclePolicy,
  lifecycleConfigSchema,
  lifecycleFor,
  type MergeSettings,
  parseLifecycleConfig,
  type ReconcileSettings,
} from "../automations/config.js";
export {
  buildDigest,
  type Digest,
  type DigestTickResult,
  digestDueAt,
  digestTick,
} from "../automations/digest.js";
export {
  type FollowUpStepOutcome,
  type RunFollowUpsResult,
  runDueFollowUps,
} from "../automations/follow-up-runner.js";
export { detectFollowUpTriggers, stopFollowUpsForContact } from "../automations/follow-up-triggers.js";
export {
  createLifecycleJobRegistry,
  enqueueDueLifecycleJobs,
  LIFECYCLE_JOB_NAMES,
  type LifecycleJobCatalog,
  type LifecycleJobName,
  type LifecycleJobRegistry,
  lifecycleJobSchemas,
} from "../automations/jobs.js";
export { previewFollowUpTemplate, type TemplatePreview } from "../automations/template-preview.js";
export { type WelcomeDecision, welcomeDiscoveredContact } from "../automations/welcome-under-reconcile.js";
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
export type { ReconcileCheckpoint } from "./checkpoint.js";
export {
  type PlannedContact,
  type ReconcileKind,
  type ReconcileOptions,
  type ReconcileProgress,
  type ReconcileResult,
  reconcile,
} from "./reconcile.js";
export { SMS_SYNC_FIELDS } from "./sync-view.js";
