/**
 * Builds the value of the `filter` query parameter of GET /messages.
 * Clauses are `field<op>value` joined by `&` (logical AND); the whole value is URL-encoded as one query
 * parameter by the caller (`=` -> %3D, `&` -> %26). Values are validated so a value can never inject a
 * clause: anything containing `&`, `=`, `<`, `>` or whitespace is refused with a clear error.
 */
export type MessageFilter = {
  type?: "SENT" | "RECEIVED";
  /** Messages with id < this (page backwards). */
  idBefore?: string;
  /** Messages with id > this (page forwards). */
  idAfter?: string;
  submissionId?: string;
  statusType?: "ACCEPTED" | "SENT" | "DELIVERED" | "FAILED";
  /** e.g. "FAILED.EXPIRED" */
  statusId?: string;
  /** Only SENT messages can match. */
  userSuppliedId?: string;
  submittedAtOrAfter?: Date | string;
  submittedBefore?: Date | string;
};

export function buildMessageFilter(filter: MessageFilter): string | undefined {
  const clauses: string[] = [];
  if (filter.type !== undefined) clauses.push(`type=${oneOf(filter.type, ["SENT", "RECEIVED"], "type")}`);
  if (filter.submissionId !== undefined)
    clauses.push(`submission.id=${safe(filter.submissionId, "submissionId")}`);
  if (filter.statusType !== undefined) {
    clauses.push(
      `status.type=${oneOf(filter.statusType, ["ACCEPTED", "SENT", "DELIVERED", "FAILED"], "statusType")}`,
    );
  }
  if (filter.statusId !== undefined) clauses.push(`status.id=${safe(filter.statusId, "statusId")}`);
  if (filter.userSuppliedId !== undefined)
    clauses.push(`userSuppliedId=${safe(filter.userSuppliedId, "userSuppliedId")}`);
  if (filter.idBefore !== undefined) clauses.push(`id<${numericId(filter.idBefore, "idBefore")}`);
  if (filter.idAfter !== undefined) clauses.push(`id>${numericId(filter.idAfter, "idAfter")}`);
  if (filter.submittedAtOrAfter !== undefined)
    clauses.push(`submission.date>=${isoWithOffset(filter.submittedAtOrAfter, "submittedAtOrAfter")}`);
  if (filter.submittedBefore !== undefined)
    clauses.push(`submission.date<${isoWithOffset(filter.submittedBefore, "submittedBefore")}`);
  return clauses.length === 0 ? undefined : clauses.join("&");
}

function oneOf<T extends string>(value: T, allowed: readonly T[], name: string): T {
  if (!allowed.includes(value)) throw new RangeError(`filter ${name} must be one of ${allowed.join(", ")}`);
  return value;
}

function safe(value: string, name: string): string {
  if (value === "" || /[&=<>\s]/.test(value))
    throw new RangeError(`filter ${name} must be non-empty without & = < > or spaces`);
  return value;
}

function numericId(value: string, name: string): string {
  if (!/^\d{1,30}$/.test(value)) throw new RangeError(`filter ${name} must be a message id made of digits`);
  return value;
}

function isoWithOffset(value: Date | string, name: string): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError(`filter ${name} is an invalid Date`);
    return value.toISOString();
  }
  // BulkSMS rejects date-times without an offset.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw new RangeError(
      `filter ${name} must be an ISO-8601 date-time with an offset (e.g. 2024-05-01T10:00:00Z)`,
    );
  }
  return value;
}
