import { createPrivateKey, generateKeyPairSync, type KeyObject, randomUUID, sign } from "node:crypto";

export type WebhookSigningScheme = "ed25519" | "rsa-sha256";

/**
 * Signs a webhook body like HighLevel does: Ed25519 (for `x-ghl-signature`) or RSA PKCS#1 v1.5 + SHA-256
 * (for the legacy `x-wh-signature`), base64. The scheme follows the key type unless given.
 */
export function signGhlWebhook(
  body: string | Uint8Array,
  privateKey: KeyObject | string,
  scheme?: WebhookSigningScheme,
): string {
  const key = typeof privateKey === "string" ? createPrivateKey(privateKey) : privateKey;
  const data = typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body);
  const effective = scheme ?? (key.asymmetricKeyType === "ed25519" ? "ed25519" : "rsa-sha256");
  const signature = effective === "ed25519" ? sign(null, data, key) : sign("sha256", data, key);
  return signature.toString("base64");
}

export interface GhlWebhookTestKeys {
  ed25519: { publicKeyPem: string; privateKey: KeyObject };
  rsa: { publicKeyPem: string; privateKey: KeyObject };
  /** Pass to `verifyGhlWebhook(..., { publicKeys })`. */
  publicKeys: { ed25519: string; rsa: string };
}

/** Fresh test keypairs (RSA is 2048-bit to keep tests fast; GHL's real key is 4096-bit). */
export function generateGhlWebhookTestKeys(): GhlWebhookTestKeys {
  const ed = generateKeyPairSync("ed25519");
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const edPem = ed.publicKey.export({ type: "spki", format: "pem" }).toString();
  const rsaPem = rsa.publicKey.export({ type: "spki", format: "pem" }).toString();
  return {
    ed25519: { publicKeyPem: edPem, privateKey: ed.privateKey },
    rsa: { publicKeyPem: rsaPem, privateKey: rsa.privateKey },
    publicKeys: { ed25519: edPem, rsa: rsaPem },
  };
}

export interface SignedWebhook {
  body: string;
  headers: Record<string, string>;
}

/**
 * Builds a delivery as GHL would send it: the JSON body (with `timestamp` and `webhookId` filled in
 * unless given) and the signature header for the chosen scheme.
 */
export function createSignedGhlWebhook(
  payload: Record<string, unknown>,
  keys: Pick<GhlWebhookTestKeys, "ed25519" | "rsa">,
  options: { scheme?: WebhookSigningScheme; now?: number; webhookId?: string } = {},
): SignedWebhook {
  const scheme = options.scheme ?? "ed25519";
  const body = JSON.stringify({
    timestamp: new Date(options.now ?? Date.now()).toISOString(),
    webhookId: options.webhookId ?? randomUUID(),
    ...payload,
  });
  const key = scheme === "ed25519" ? keys.ed25519.privateKey : keys.rsa.privateKey;
  const headerName = scheme === "ed25519" ? "x-ghl-signature" : "x-wh-signature";
  return {
    body,
    headers: { "content-type": "application/json", [headerName]: signGhlWebhook(body, key, scheme) },
  };
}
