// The policy file: `{ "defaultLocation": "id", "engine": EngineConfigInput, "lifecycle": LifecycleConfigInput }` (JSON), read by the
// worker and the CLI alike from `--config <path>`, else GHL_BULKSMS_CONFIG, else ./ghl-bulksms.config.json.
// This package checks the file's shape; the engine validates each section in full (parseEngineConfig,
// parseLifecycleConfig), naming every bad setting by its path.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";
import { LOCATION_ID_RE } from "./env-config.js";
import { digestRecipientProblems } from "./sms-recipient.js";

export const DEFAULT_POLICY_FILE = "ghl-bulksms.config.json";
export const POLICY_FILE_VARIABLE = "GHL_BULKSMS_CONFIG";

export interface PolicyFile {
  /** Absolute path of the file read. */
  readonly path: string;
  /** Where the path came from. */
  readonly source: "option" | "environment" | "default";
  /** The location commands use without `--location` (GHL_DEFAULT_LOCATION wins over it). */
  readonly defaultLocation?: string | undefined;
  /** Input of the engine's parseEngineConfig (undefined = engine defaults). */
  readonly engine: Record<string, unknown> | undefined;
  /** Input of the engine's parseLifecycleConfig (undefined = lifecycle defaults). */
  readonly lifecycle: Record<string, unknown> | undefined;
}

export class PolicyFileError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(`Invalid policy file ${path}: ${message}`);
    this.name = "PolicyFileError";
    this.path = path;
  }
}

const section = z.record(z.string(), z.unknown());
const fileSchema = z.strictObject({
  /** Optional JSON-schema pointer, ignored. */
  $schema: z.string().optional(),
  defaultLocation: z
    .string()
    .regex(LOCATION_ID_RE, "must be a GHL location id (letters, digits, _ and -)")
    .optional(),
  engine: section.optional(),
  lifecycle: section.optional(),
});

export interface LoadPolicyFileOptions {
  /** An explicit path (`--config`): must exist. */
  readonly path?: string | undefined;
  /** Read GHL_BULKSMS_CONFIG from here (an explicit path there must exist too). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Base for relative paths. Default process.cwd(). */
  readonly cwd?: string;
  /** Injected for tests. */
  readonly readFile?: (path: string) => string;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === "ENOENT";
}

/**
 * Reads the policy file. Returns null when no path was given and ./ghl-bulksms.config.json does not exist
 * (no policies: the defaults and the environment apply). Throws PolicyFileError naming the file and the
 * problem: missing explicit file, unreadable file, invalid JSON, unknown top-level key, non-object section,
 * a digest recipient that cannot receive texts (not E.164, invalid, a landline or other non-mobile type).
 */
export function loadPolicyFile(options: LoadPolicyFileOptions = {}): PolicyFile | null {
  const fromEnv = options.env?.[POLICY_FILE_VARIABLE]?.trim();
  const [given, source] =
    options.path !== undefined && options.path.trim() !== ""
      ? [options.path, "option" as const]
      : fromEnv
        ? [fromEnv, "environment" as const]
        : [DEFAULT_POLICY_FILE, "default" as const];
  const path = resolve(options.cwd ?? process.cwd(), given);
  const read = options.readFile ?? ((p: string) => readFileSync(p, "utf8"));
  let text: string;
  try {
    text = read(path);
  } catch (error) {
    if (isMissing(error)) {
      if (source === "default") return null;
      throw new PolicyFileError(
        path,
        source === "environment" ? `not found (named by ${POLICY_FILE_VARIABLE})` : "not found",
      );
    }
    throw new PolicyFileError(path, `cannot be read: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PolicyFileError(path, `is not valid JSON (${(error as Error).message})`);
  }
  const r = fileSchema.safeParse(json);
  if (!r.success) {
    const issues = r.error.issues.map((i) => {
      const where = i.path.length ? i.path.join(".") : "(root)";
      return i.code === "unrecognized_keys"
        ? `${where}: unknown key(s) ${i.keys.map((k) => JSON.stringify(k)).join(", ")} (expected "defaultLocation", "engine" and/or "lifecycle")`
        : `${where}: ${i.message}`;
    });
    throw new PolicyFileError(path, issues.join("; "));
  }
  // Team numbers must be able to receive texts: refused here, naming the entry, not at send time.
  const recipients = digestRecipientProblems(r.data.lifecycle);
  if (recipients.length > 0) throw new PolicyFileError(path, recipients.join("; "));
  return {
    path,
    source,
    ...(r.data.defaultLocation !== undefined ? { defaultLocation: r.data.defaultLocation } : {}),
    engine: r.data.engine,
    lifecycle: r.data.lifecycle,
  };
}
