/** RFC-7807 problem details as BulkSMS returns them (`{ type, title, status, detail }`). */
export interface BulkSmsProblem {
  type: string;
  title: string;
  status: number;
  detail?: string;
}

const ERRORS = "https://developer.bulksms.com/json/v1/errors";

export type ProblemKind =
  | "bad-request"
  | "unauthorized"
  | "insufficient-credits"
  | "quota-exceeded"
  | "not-found"
  | "method-not-allowed"
  | "internal-error";

export function problem(kind: ProblemKind, detail?: string): BulkSmsProblem {
  const base = ((): Omit<BulkSmsProblem, "detail"> => {
    switch (kind) {
      case "bad-request":
        return { type: `${ERRORS}#bad-request`, title: "Bad Request", status: 400 };
      case "unauthorized":
        return { type: `${ERRORS}#authentication-failed`, title: "Authentication Failed", status: 401 };
      case "insufficient-credits":
        return { type: `${ERRORS}#insufficient-credits`, title: "Insufficient Credits", status: 403 };
      case "quota-exceeded":
        return { type: `${ERRORS}#quota-exceeded`, title: "Quota Exceeded", status: 403 };
      case "not-found":
        return { type: `${ERRORS}#not-found`, title: "Not Found", status: 404 };
      case "method-not-allowed":
        return { type: `${ERRORS}#method-not-allowed`, title: "Method Not Allowed", status: 405 };
      case "internal-error":
        return { type: `${ERRORS}#internal-error`, title: "Internal Server Error", status: 500 };
      default: {
        const never: never = kind;
        throw new Error(`unknown problem kind ${String(never)}`);
      }
    }
  })();
  return detail === undefined ? base : { ...base, detail };
}

const STATUS_TITLES: Record<number, [string, string]> = {
  429: ["too-many-requests", "Too Many Requests"],
  500: ["internal-error", "Internal Server Error"],
  502: ["bad-gateway", "Bad Gateway"],
  503: ["service-unavailable", "Service Unavailable"],
  504: ["gateway-timeout", "Gateway Timeout"],
};

/** A problem body for an injected fault status (429 or 5xx). */
export function statusProblem(status: number, detail: string): BulkSmsProblem {
  const [slug, title] = STATUS_TITLES[status] ?? ["error", "Error"];
  return { type: `${ERRORS}#${slug}`, title, status, detail };
}

/** Thrown inside request handlers; the router turns it into a problem-details response. */
export class ProblemError extends Error {
  readonly problem: BulkSmsProblem;
  constructor(kind: ProblemKind, detail?: string) {
    super(detail ?? kind);
    this.problem = problem(kind, detail);
  }
}
