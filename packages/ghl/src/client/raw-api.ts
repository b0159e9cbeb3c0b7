import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { GhlResult } from "../core/result.js";
import type { CallSpec } from "../core/transport.js";
import type { paths as ContactsPaths } from "../generated/contacts.js";
import type { paths as ConversationsPaths } from "../generated/conversations.js";
import type { GhlPriority } from "../rate-limit/rate-limiter.js";
import type { Execute } from "./execute.js";

/** openapi-fetch clients typed by the generated paths of our specs (one operation per `call`). */
export interface GhlRawClients {
  contacts: Client<ContactsPaths>;
  conversations: Client<ConversationsPaths>;
}

export interface GhlRawCallOptions {
  /** Location the call is made for: its token authenticates it and its rate-limit budget is used. */
  locationId: string;
  priority?: GhlPriority;
  /**
   * May the call be repeated after an ambiguous failure (timeout, 5xx)? Default: every method but POST.
   * Say false for anything that must not happen twice (a send, an enrolment).
   */
  idempotent?: boolean;
}

/** What an openapi-fetch call resolves to (the parts we read). */
interface RawOutcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * The escape hatch: any operation of our specs, typed by the generated paths, sent through the same
 * transport as the wrappers (bearer token of the location, `Version` header, rate limiter, retries) and
 * answered as a GhlResult. The `Version` header param the types ask for is overwritten by the transport.
 */
export interface GhlRawApi {
  call<T>(
    options: GhlRawCallOptions,
    run: (api: GhlRawClients) => Promise<RawOutcome<T>>,
  ): Promise<GhlResult<T>>;
}

const ONE_REQUEST = "raw.call: run must make exactly one request";

export function createRawApi(deps: { execute: Execute; baseUrl: string }): GhlRawApi {
  return {
    call(options, run) {
      const { locationId } = options;
      if (typeof locationId !== "string" || locationId.trim() === "") {
        throw new TypeError("raw.call: locationId must be a non-empty string");
      }
      // Filled in from the request itself (openapi-fetch hands middleware the path template) before the
      // transport sees it, so errors and logs name the operation, never the concrete URL.
      const spec: CallSpec = {
        operation: "raw (no request made)",
        pathTemplate: "",
        resourceId: locationId,
        auth: "resource",
        priority: options.priority ?? "realtime",
        idempotent: options.idempotent ?? true,
      };
      let requests = 0;
      const describe: Middleware = {
        onRequest({ request, schemaPath }) {
          requests++;
          if (requests > 1) throw new Error(ONE_REQUEST);
          spec.operation = `${request.method} ${schemaPath}`;
          spec.pathTemplate = schemaPath;
          spec.idempotent = options.idempotent ?? request.method !== "POST";
        },
      };
      const result = deps.execute(spec, (fetch) => {
        const contacts = createClient<ContactsPaths>({ baseUrl: deps.baseUrl, fetch });
        const conversations = createClient<ConversationsPaths>({ baseUrl: deps.baseUrl, fetch });
        contacts.use(describe);
        conversations.use(describe);
        return run({ contacts, conversations });
      });
      // A run that makes two requests is a bug in the caller (one result cannot describe both): reject.
      return result.then((r) => {
        if (requests > 1) throw new Error(ONE_REQUEST);
        return r;
      });
    },
  };
}
