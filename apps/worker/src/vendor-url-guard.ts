// The sandbox vendor-URL guard now lives in @ghl-bulksms/config (loadWorkerConfig applies it for the
// worker, the CLI, `doctor` and `config validate` alike); re-exported here for the worker's public API.
export {
  assertSafeVendorUrls,
  isLoopbackUrl,
  UnsafeVendorUrlError,
  type VendorUrlConfig,
} from "@ghl-bulksms/config";
