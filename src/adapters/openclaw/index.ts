// The OpenClaw adapter's public surface: the two ways to reach a gateway, the TLS probe and autofill.
// Re-exports only; nothing here connects or spawns anything at import time.

export { type AutofillOptions, autofillFromHost } from "./autofill.ts";
export { CliGateway, type CliGatewayOptions } from "./cli.ts";
export { mintAvailability, openclawPaths, readOpenClawConfig } from "./config.ts";
export { OpenClawError, type OpenClawErrorKind } from "./errors.ts";
export {
  type ConnectionState,
  EventGateway,
  type EventGatewayOptions,
  OPERATOR_SCOPES,
} from "./events.ts";
export { DeviceIdentityStore } from "./identity.ts";
export { NodeTlsProbe, type TlsProbeOptions } from "./probe.ts";
