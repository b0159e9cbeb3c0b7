export { type EmailResult, normaliseEmail } from "./normalise/email.js";
export { cleanText, nameKeyOf, normaliseName } from "./normalise/name.js";
export { createNormaliser, type Normaliser, type NormaliserOptions } from "./normalise/normaliser.js";
export { normalisePhone, type PhoneFailureReason, type PhoneOptions, type PhoneResult } from "./normalise/phone.js";
export {
  type DedupeContact,
  type DedupeResult,
  type DedupeStats,
  type DuplicateCluster,
  findDuplicates,
  type FindDuplicatesOptions,
  type MatchEvidence,
  type MatchKey,
  type SurvivorRule,
} from "./dedupe/find-duplicates.js";
export { GENERIC_MAILBOXES } from "./dedupe/generic-mailboxes.js";
export { areNicknames, compareNames, jaroWinkler, type NameComparison, type NameVerdict } from "./dedupe/name-similarity.js";
