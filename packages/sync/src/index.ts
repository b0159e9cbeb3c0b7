export { applyPlan, type SyncSides } from "./conflict/apply-plan.js";
export {
  type ConsentEvent,
  type ConsentLog,
  type ConsentSource,
  type ConsentStatus,
  consentEquals,
  consentStatus,
  isRestrictive,
  mergeConsent,
  type OptInSource,
  recordConsent,
} from "./conflict/consent.js";
export {
  type ConsentDecision,
  type ConsentRecordSource,
  type ConsentRecordState,
  compareConsentEvents,
  decideConsent,
  isExplicitOptInEvent,
  type TimedConsentEvent,
} from "./conflict/consent-order.js";
export type { DecisionReason, FieldDecision, SyncOperation, SyncPlan } from "./conflict/operations.js";
export { type PlanContactSyncInput, planContactSync } from "./conflict/plan-contact-sync.js";
export { type FieldValue, isEmpty, normaliseTags, type SyncContact, valuesEqual } from "./contact.js";
export {
  COMPARISON_FIELDS,
  type ComparisonField,
  type ComparisonLevel,
} from "./dedupe/comparison-levels.js";
export {
  estimateModel,
  type FieldLevelWeight,
  type MatchModel,
} from "./dedupe/fellegi-sunter.js";
export {
  type DedupeContact,
  type DedupeResult,
  type DedupeStats,
  type DuplicateCluster,
  type FieldEvidence,
  type FindDuplicatesOptions,
  findDuplicates,
  type MatchEvidence,
  type MatchKey,
  type SurvivorRule,
} from "./dedupe/find-duplicates.js";
export { GENERIC_MAILBOXES } from "./dedupe/generic-mailboxes.js";
export {
  areNicknames,
  compareNames,
  jaroWinkler,
  type NameComparison,
  type NameVerdict,
} from "./dedupe/name-similarity.js";
export {
  type ApplyMappingOptions,
  applyMapping,
  type CustomFieldDefinition,
  type MappingError,
  type MappingResult,
  type SmsProfile,
} from "./mapping/apply-mapping.js";
export {
  type GhlContactLike,
  type GhlDndChannel,
  type GhlDndSetting,
  ghlConsentLog,
  ghlSmsDnd,
} from "./mapping/ghl-contact.js";
export {
  type GhlToSyncContactOptions,
  ghlToSyncContact,
  SYNCED_GHL_FIELDS,
} from "./mapping/ghl-to-sync-contact.js";
export {
  type ConfigError,
  type FieldMapping,
  GHL_STANDARD_FIELDS,
  type GhlStandardField,
  type MappingConfig,
  type MappingConfigInput,
  type MappingSource,
  type MappingTransform,
  mappingConfigSchema,
  parseMappingConfig,
} from "./mapping/mapping-config.js";
export { type MergeContact, type MergeFieldChoice, type MergePlan, planMerge } from "./merge/plan-merge.js";
export { type EmailResult, emailMailboxKey, normaliseEmail } from "./normalise/email.js";
export { cleanText, nameKeyOf, normaliseName } from "./normalise/name.js";
export { createNormaliser, type Normaliser, type NormaliserOptions } from "./normalise/normaliser.js";
export {
  normalisePhone,
  type PhoneFailureReason,
  type PhoneOptions,
  type PhoneResult,
  phoneDigits,
} from "./normalise/phone.js";
export {
  DEFAULT_POLICIES,
  type FieldPolicy,
  fieldPolicy,
  mergeVersioned,
  type Side,
  type SyncPolicies,
  type TagPolicy,
  type VersionedValue,
} from "./policies.js";
export { checkPlainText, checkTemplate, type TemplateCheck } from "./template/check-template.js";
export {
  type ParsedTemplate,
  parseTemplate,
  type TemplateError,
  type TemplateErrorKind,
  type TemplatePart,
} from "./template/parse-template.js";
export {
  type PreviewOptions,
  type PreviewResult,
  previewTemplate,
  type SmsMeasure,
  type SmsMeasurement,
} from "./template/preview-template.js";
export {
  DEFAULT_TEMPLATE_FIELDS,
  type RenderOptions,
  type RenderResult,
  renderTemplate,
  type TemplateData,
} from "./template/render-template.js";
