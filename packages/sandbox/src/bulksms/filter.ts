/**
 * The `filter` query parameter of GET /messages: clauses `field<op>value` joined by `&` (the vendor's
 * separator, after URL-decoding) or by the word `and`; all clauses must hold.
 */
import { ProblemError } from "./problem.js";
import type { BulkSmsMessage } from "./types.js";

export type FilterOp = "=" | "<" | ">" | "<=" | ">=";
export interface FilterClause {
  field: string;
  op: FilterOp;
  value: string;
}

const FIELDS: Record<string, readonly FilterOp[]> = {
  id: ["=", "<", ">", "<=", ">="],
  type: ["="],
  "submission.id": ["="],
  "status.type": ["="],
  "status.id": ["="],
  "submission.date": ["<", "<=", ">", ">="],
  userSuppliedId: ["="],
};

const CLAUSE = /^([A-Za-z.]+)\s*(<=|>=|=|<|>)\s*(.*)$/;

export function parseFilter(filter: string): FilterClause[] {
  const raw = filter
    .split(/&|\s+and\s+/i)
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (raw.length === 0) throw new ProblemError("bad-request", "The filter must have at least one clause");
  return raw.map((text) => {
    const m = CLAUSE.exec(text);
    if (!m) throw new ProblemError("bad-request", `Invalid filter clause '${text}'`);
    const [, field = "", op = "=", value = ""] = m;
    const ops = FIELDS[field];
    if (!ops) throw new ProblemError("bad-request", `Unknown filter field '${field}'`);
    if (!ops.includes(op as FilterOp)) {
      throw new ProblemError("bad-request", `Operator '${op}' is not supported for filter field '${field}'`);
    }
    if (field === "id" && !/^\d+$/.test(value)) {
      throw new ProblemError("bad-request", `Filter field 'id' needs a positive integer, got '${value}'`);
    }
    if (field === "type" && value !== "SENT" && value !== "RECEIVED") {
      throw new ProblemError("bad-request", `Filter field 'type' must be SENT or RECEIVED, got '${value}'`);
    }
    if (
      field === "status.type" &&
      !["ACCEPTED", "SENT", "DELIVERED", "FAILED", "SCHEDULED", "UNKNOWN"].includes(value)
    ) {
      throw new ProblemError("bad-request", `Invalid value '${value}' for filter field 'status.type'`);
    }
    if (
      field === "submission.date" &&
      !(/(Z|[+-]\d\d:?\d\d)$/.test(value) && Number.isFinite(Date.parse(value)))
    ) {
      throw new ProblemError(
        "bad-request",
        `Filter field 'submission.date' needs a full date-time with an offset, got '${value}'`,
      );
    }
    return { field, op: op as FilterOp, value };
  });
}

function compare(a: bigint | number, b: bigint | number, op: FilterOp): boolean {
  switch (op) {
    case "=":
      return a === b;
    case "<":
      return a < b;
    case ">":
      return a > b;
    case "<=":
      return a <= b;
    case ">=":
      return a >= b;
    default: {
      const never: never = op;
      throw new Error(`unknown operator ${String(never)}`);
    }
  }
}

export function matchesFilter(message: BulkSmsMessage, clauses: readonly FilterClause[]): boolean {
  return clauses.every((c) => {
    switch (c.field) {
      case "id":
        return compare(BigInt(message.id), BigInt(c.value), c.op);
      case "type":
        return message.type === c.value;
      case "submission.id":
        return message.submission.id === c.value;
      case "status.type":
        return message.status.type === c.value;
      case "status.id":
        return message.status.id === c.value;
      case "submission.date":
        return compare(Date.parse(message.submission.date), Date.parse(c.value), c.op);
      case "userSuppliedId":
        return message.type === "SENT" && message.userSuppliedId === c.value;
      default:
        return false;
    }
  });
}
