// Public API of @ghl-bulksms/engine.

export {
  type ControlError,
  type ControlResult,
  type CreateCampaignInput,
  cancelCampaign,
  createCampaign,
  pauseCampaign,
  resumeCampaign,
  scheduleCampaign,
  sendCampaign,
} from "./campaigns/campaign-control.js";
export { type CampaignPreview, type PreviewResult, previewCampaign } from "./campaigns/campaign-preview.js";
export {
  type Audience,
  type CampaignOptions,
  type CampaignOptionsInput,
  type CampaignSchedule,
  type CampaignTrigger,
  MAX_BATCH_SIZE,
} from "./campaigns/campaign-spec.js";
export { type CampaignStatusView, campaignStatus } from "./campaigns/campaign-status.js";
export { type CampaignSummary, summarize } from "./campaigns/campaign-summary.js";
export { EXCLUSION_REASONS, type ExclusionReason } from "./campaigns/classify-recipient.js";
export {
  createGhlClientFactory,
  type GhlAuthSource,
  type GhlClientFactory,
  type GhlClientFactoryConfig,
  type GhlClientFactoryOptions,
  isStoredPrivateToken,
  SANDBOX_GHL_TOKEN,
  type StoredPrivateToken,
} from "./clients/ghl-client-factory.js";
export {
  createSharedRateLimiter,
  type SharedRateLimiter,
  type SharedRateLimiterOptions,
} from "./clients/shared-rate-limiter.js";
export { contactConversationId } from "./conversations/contact-conversation.js";
export {
  postToThreadOnce,
  type ThreadMessage,
  type ThreadWriteResult,
  threadMessageBody,
} from "./conversations/thread-message.js";
export { contactForStranger, unknownSenderWriteKey } from "./conversations/unknown-sender.js";
export {
  type ConfirmationMode,
  DEFAULT_HELP_KEYWORDS,
  DEFAULT_OPT_OUT_TAG,
  DEFAULT_START_KEYWORDS,
  DEFAULT_STOP_KEYWORDS,
  DEFAULT_UNKNOWN_SENDER_TAG,
  type EngineConfig,
  EngineConfigError,
  type EngineConfigInput,
  engineConfigSchema,
  type LocationPolicy,
  type LocationPolicyInput,
  type LocationPolicyOverride,
  mappingFor,
  type ProviderAttachments,
  type ProviderQuietHours,
  parseEngineConfig,
  providerAttachmentsSchema,
  providerQuietHoursSchema,
  resolvePolicy,
  smsNotesOn,
  type UnknownSenderMode,
  unknownSenderMode,
} from "./core/config.js";
export { type EngineDeps, ensureLocation, type LocationContext, loadLocation } from "./core/deps.js";
export { type EngineLogger, silentLogger } from "./core/logger.js";
export type { JobContext, JobError, JobOutcome } from "./core/outcome.js";
export { type CreateEngineOptions, createEngine, type Engine, type EngineJobs } from "./engine.js";
export {
  CONSENT_RETRY_MS,
  type ConsentReadFailure,
  type ConsentRefreshResult,
  checkSendGateFresh,
  refreshConsentViews,
  SEARCH_INDEX_LAG_MS,
} from "./gate/consent-view.js";
export { isWithinWindow, nextAllowedTime, type QuietWindow, zonedTimeToUtc } from "./gate/quiet-hours.js";
export {
  DECISION_REASONS,
  type DecisionInput,
  gateDecision,
  recordDecision,
} from "./gate/record-decision.js";
export {
  type BlockReason,
  checkSendGate,
  type DeferReason,
  type GateDecision,
  isConsentViewFresh,
  needsFreshConsent,
  type SendGateInput,
  type SendPurpose,
} from "./gate/send-gate.js";
export { handleAppInstalled, mintLocationToken } from "./ghl-events/app-installed.js";
export { handleAppUninstalled, UNINSTALL_CANCELLED_JOBS } from "./ghl-events/app-uninstalled.js";
export {
  type ContactEventInput,
  type ContactEventType,
  handleContactChanged,
} from "./ghl-events/contact-changed.js";
export { handleContactDeleted } from "./ghl-events/contact-deleted.js";
export {
  dispatchGhlEvent,
  GHL_EVENT_HANDLERS,
  type GhlEventEnvelope,
  ghlEventType,
  HANDLED_GHL_EVENTS,
  type HandledGhlEvent,
} from "./ghl-events/dispatch-ghl-event.js";
export { createInboxHandlers, type InboxHandlers, type InboxItem } from "./inbox-handlers.js";
export {
  ENGINE_JOB_NAMES,
  type EngineJobCatalog,
  type EngineJobName,
  engineJobSchemas,
  enqueueJob,
} from "./jobs/catalog.js";
export { createEngineJobs, type EngineJobDefinition, type EngineJobRegistry } from "./jobs/registry.js";
export { type EngineScheduleOptions, enqueueDueEngineJobs } from "./jobs/schedule.js";
export { registerLocation } from "./location/register-location.js";
export {
  admitWorkflowLocation,
  approvePendingLocation,
  isPlausibleLocationId,
  type LocationAdmission,
  listPendingLocations,
  type PendingLocation,
  rejectPendingLocation,
  UNKNOWN_LOCATION_POLICIES,
  type UnknownLocationPolicy,
} from "./location/unknown-locations.js";
export {
  type AccountBlock,
  type AccountBlockEvidence,
  clearAccountBlock,
  getAccountBlock,
  markAccountBlocked,
} from "./opt-out/account-block.js";
export {
  clearGatewayBlock,
  type GatewayBlock,
  gatewayBlockTaskKey,
  getGatewayBlock,
  isExplicitOptIn,
  listGatewayBlocks,
} from "./opt-out/gateway-block.js";
export { operatorOptIn, operatorOptOut } from "./opt-out/operator-opt.js";
export {
  applyOptIn,
  applyOptOut,
  blockJobKey,
  type OptInInput,
  type OptOutInput,
} from "./opt-out/opt-out-state.js";
export {
  blockedCursorKey,
  type PullBlockedResult,
  pullBlockedNumbers,
} from "./opt-out/pull-blocked-numbers.js";
export {
  handleProviderOutbound,
  isUserTyped,
  type ProviderOutboundPayload,
  parseProviderOutbound,
  providerMessageKey,
  providerPurpose,
} from "./provider/provider-outbound.js";
export {
  type GhlProviderStatus,
  ghlStatusOf,
  PROVIDER_ERROR_TYPE,
  type ProviderStatusReason,
  reportProviderStatus,
  runProviderStatus,
  statusBody,
} from "./provider/provider-status.js";
export { type ProviderText, providerText } from "./provider/provider-text.js";
export * from "./reconcile/index.js";
export { failureTaskKey } from "./sms/message-failed.js";
export {
  OperatorSendError,
  type OperatorSendInput,
  type OperatorSendResult,
  operatorSend,
  operatorSendDryRun,
} from "./sms/operator-send.js";
export { type MessageMeta, queueMessage } from "./sms/queue-message.js";
export { sendQueuedMessage } from "./sms/send-message.js";
export { handleDeliveryReport, STILL_BLOCKED } from "./sms-events/delivery-report.js";
export { handleInboundMessage } from "./sms-events/inbound-message.js";
export { classifyKeyword, type KeywordKind, normaliseKeyword } from "./sms-events/keywords.js";
export { type ReplyContacts, type ReplyMatch, replyContacts } from "./sms-events/reply-contacts.js";
export { hasMarker, refMarker } from "./vendor/ref-marker.js";
export { type SweepBegunWritesResult, sweepBegunVendorWrites } from "./vendor/sweep-begun-writes.js";
export { createNoteOnce, createTaskOnce, type WriteOnceResult } from "./vendor/write-once.js";
export {
  maybeSendWelcome,
  queueWelcomeInTx,
  type WelcomeResult,
  type WelcomeSkipReason,
  welcomeKey,
} from "./welcome/maybe-send-welcome.js";
