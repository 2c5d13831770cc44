// Minting a node setup code, the same way over the operator connection and through the CLI.
// The code comes back as a Secret and is never logged; OpenClaw's refusal message is kept to explain why links are off.

import type { z } from "zod";
import type { GatewayInfo, MintedSetupCode } from "../../core/ports.ts";
import { Secret } from "../../core/secret.ts";
import { mintAvailability } from "./config.ts";
import { OpenClawError } from "./errors.ts";
import type { SetupCodeSchema } from "./schemas.ts";

/** What the last attempt to mint said, when OpenClaw refused (a loopback-only gateway). */
export interface MintRefusal {
  refusal?: string;
}

/**
 * Mints a node setup code (`device.pair.setupCode`) through `request`, the connection's or the CLI's, and remembers
 * OpenClaw's own refusal message so `info()` can say why setup links are off.
 */
export async function mintNodeSetupCode(
  request: (
    method: string,
    params: Record<string, unknown>,
  ) => Promise<z.infer<typeof SetupCodeSchema>>,
  state: MintRefusal,
  publicUrl?: string,
): Promise<MintedSetupCode> {
  let minted: z.infer<typeof SetupCodeSchema>;
  try {
    // `publicUrl`: the address nodes reach the gateway at (a reverse proxy, Tailscale Serve); the code carries it.
    minted = await request("device.pair.setupCode", {
      bootstrapProfile: "node",
      includeQr: false,
      ...(publicUrl ? { publicUrl } : {}),
    });
  } catch (error) {
    if (error instanceof OpenClawError && error.kind === "mintRefusedLoopback")
      state.refusal = error.openclawMessage;
    throw error;
  }
  delete state.refusal;
  return {
    setupId: minted.setupId,
    code: new Secret(minted.setupCode),
    expiresAt: minted.expiresAtMs,
  };
}

/**
 * Whether setup links can be minted, for `info()`: not after OpenClaw refused the last attempt, nor when the gateway's
 * config (read beside it, if it is) says it cannot; with OpenClaw's own words, or the config's, for why.
 */
export function mintState(
  state: MintRefusal,
  config: Record<string, unknown> | undefined,
  publicUrl?: string,
): Pick<GatewayInfo, "canMint" | "mintUnavailableReason" | "mintUnavailable"> {
  const availability = mintAvailability(config, publicUrl);
  if (state.refusal === undefined && availability.canMint) return { canMint: true };
  const reason = state.refusal ?? availability.reason;
  const problem = state.refusal !== undefined ? "loopbackOnly" : (availability.problem ?? "other");
  return {
    canMint: false,
    mintUnavailable: problem,
    ...(reason ? { mintUnavailableReason: reason } : {}),
  };
}
