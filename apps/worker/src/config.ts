// The configuration schema moved to @ghl-bulksms/config (shared with the CLI). Re-exported here so the
// worker's imports keep working; new code should import from "@ghl-bulksms/config".
export {
  ConfigError,
  type ConfigIssue,
  DEFAULT_BULKSMS_API_BASE_URL,
  DEFAULT_GHL_API_BASE_URL,
  DEFAULT_HELP_WORDS,
  DEFAULT_START_WORDS,
  DEFAULT_STOP_WORDS,
  type GhlOAuthConfig,
  type LocationConfig,
  loadConfig,
  parseQuietHours,
  type QuietHours,
  SANDBOX_WEBHOOK_SECRET,
  type WorkerConfig,
  type WorkerMode,
} from "@ghl-bulksms/config";
