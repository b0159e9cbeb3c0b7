// Public API of @ghl-bulksms/config.
export {
  enginePolicy,
  enginePolicyFromEnv,
  lifecyclePolicy,
  lifecyclePolicyFromEnv,
  quietWindow,
} from "./engine-policy.js";
export {
  type AppConfig,
  CONFIRMATION_MODES,
  ConfigError,
  type ConfigIssue,
  type ConfirmationMode,
  type ConversationsConfig,
  DEFAULT_BULKSMS_API_BASE_URL,
  DEFAULT_CONSENT_MAX_AGE_SECONDS,
  DEFAULT_GHL_API_BASE_URL,
  DEFAULT_HELP_WORDS,
  DEFAULT_START_WORDS,
  DEFAULT_STOP_WORDS,
  type GhlOAuthConfig,
  LOCATION_ID_RE,
  type LocationConfig,
  loadConfig,
  needsConversationScopes,
  PROVIDER_MODES,
  PROVIDER_QUIET_HOURS_MODES,
  type ProviderAttachmentsMode,
  type ProviderMode,
  type ProviderQuietHoursMode,
  parseQuietHours,
  type QuietHours,
  SANDBOX_WEBHOOK_SECRET,
  UNKNOWN_SENDERS,
  type UnknownSender,
  type WorkerConfig,
  type WorkerMode,
} from "./env-config.js";
export {
  DEFAULT_ENV_FILE,
  ENV_FILE_VARIABLE,
  EnvFileError,
  type LoadEnvFileOptions,
  loadEnvFile,
} from "./env-file.js";
export {
  DEFAULT_POLICY_FILE,
  type LoadPolicyFileOptions,
  loadPolicyFile,
  POLICY_FILE_VARIABLE,
  type PolicyFile,
  PolicyFileError,
} from "./policy-file.js";
export { SANDBOX_ENCRYPTION_KEY, storeEncryptionKey } from "./sandbox-key.js";
export { digestRecipientProblems, smsRecipientProblem } from "./sms-recipient.js";
export {
  assertSafeVendorUrls,
  isLoopbackUrl,
  SANDBOX_BULKSMS_API_BASE_URL,
  SANDBOX_GHL_API_BASE_URL,
  UnsafeVendorUrlError,
  type VendorUrlConfig,
  vendorUrlIssues,
} from "./vendor-url-guard.js";
export { configIssuesFor, loadWorkerConfig } from "./worker-config.js";
