import { type MeasureSmsOptions, measureSms } from "./measure-sms.js";

export type CostEstimateOptions = MeasureSmsOptions & {
  /** Credits charged per SMS part (default 1). Routing group and destination change the real price. */
  creditsPerPart?: number;
  /** Number of recipients (default 1). */
  recipients?: number;
};

export type CostEstimate = {
  partsPerMessage: number;
  recipients: number;
  totalParts: number;
  credits: number;
};

/** Estimated credits: parts per message x recipients x credits per part. An estimate: BulkSMS fills `creditCost` later. */
export function estimateCost(text: string, options: CostEstimateOptions = {}): CostEstimate {
  const creditsPerPart = options.creditsPerPart ?? 1;
  const recipients = options.recipients ?? 1;
  if (!(creditsPerPart >= 0) || !Number.isFinite(creditsPerPart)) {
    throw new RangeError(`creditsPerPart must be a finite number >= 0, got ${creditsPerPart}`);
  }
  if (!Number.isInteger(recipients) || recipients < 0) {
    throw new RangeError(`recipients must be a whole number >= 0, got ${recipients}`);
  }
  const partsPerMessage = measureSms(
    text,
    options.unicode === undefined ? {} : { unicode: options.unicode },
  ).parts;
  const totalParts = partsPerMessage * recipients;
  // Round to 6 decimals to avoid float noise such as 0.30000000000000004.
  const credits = Math.round(totalParts * creditsPerPart * 1e6) / 1e6;
  return { partsPerMessage, recipients, totalParts, credits };
}
