// The gateway when the bot has no way to reach one (no openclaw binary, no operator connection configured).
// Sessions still work in the shared-token mode; approvals then happen in the WebUI, and nothing is watched.

import type {
  Autofill,
  Gateway,
  GatewayInfo,
  GatewayNode,
  MintedSetupCode,
  NodeDescription,
} from "../../core/ports.ts";
import type { GatewayProblem } from "../../core/types.ts";

export class UnavailableGateway implements Gateway {
  readonly #reason: string;

  constructor(reason: string) {
    this.#reason = reason;
  }

  async info(): Promise<GatewayInfo> {
    return {
      path: "none",
      canMint: false,
      mintUnavailableReason: this.#reason,
      mintUnavailable: "noGateway",
    };
  }

  mintSetupCode(): Promise<MintedSetupCode> {
    return this.#fail();
  }
  approveDevice(): Promise<"done" | "alreadyDecided"> {
    return this.#fail();
  }
  rejectDevice(): Promise<"done" | "alreadyDecided"> {
    return this.#fail();
  }
  approveCapability(): Promise<"done" | "alreadyDecided"> {
    return this.#fail();
  }
  rejectCapability(): Promise<"done" | "alreadyDecided"> {
    return this.#fail();
  }
  autofill(): Promise<Autofill> {
    return this.#fail();
  }
  listNodes(): Promise<GatewayNode[]> {
    return this.#fail();
  }
  removeNode(): Promise<"done" | "alreadyGone"> {
    return this.#fail();
  }
  describeNode(): Promise<NodeDescription | undefined> {
    return this.#fail();
  }

  watch(): () => void {
    return () => {};
  }

  async #fail(): Promise<never> {
    throw new GatewayUnavailableError(`the bot cannot reach the gateway: ${this.#reason}`);
  }
}

/** The bot has no way to the gateway; its message names the setting, so it goes to logs and private notices only. */
export class GatewayUnavailableError extends Error {
  readonly problem: GatewayProblem = "noGateway";
}
