// A chat platform and a gateway that do nothing but answer, for measuring the bot's own cost (memory, spawns).
// They never leave the process: no network, no child process, no file.

import type {
  Autofill,
  Chat,
  DmOutcome,
  Gateway,
  GatewayEvent,
  GatewayInfo,
  MessageRef,
  MintedSetupCode,
  NodeDescription,
} from "../../src/core/ports.ts";
import { Secret } from "../../src/core/secret.ts";
import type { ChannelRef, UserRef } from "../../src/core/types.ts";

/** The approvers every no-op channel has: two, as a small team would. */
export const APPROVERS: UserRef[] = [
  { platform: "console", id: "alice", name: "alice" },
  { platform: "console", id: "dave", name: "dave" },
];

/** A console-platform chat that accepts every card and private message and remembers nothing. */
export class NoopChat implements Chat {
  readonly platform = "console" as const;
  readonly commands = { connectNode: "/connect-node", diagnose: "/diagnose" };
  #next = 0;

  async postCard(channel: ChannelRef): Promise<MessageRef> {
    return { platform: "console", chatId: channel.id, messageId: String(++this.#next) };
  }

  async edit(): Promise<void> {}

  async sendDm(user: UserRef): Promise<DmOutcome> {
    return {
      ok: true,
      ref: { platform: "console", chatId: user.id, messageId: String(++this.#next) },
    };
  }

  async approvers(): Promise<UserRef[]> {
    return APPROVERS;
  }

  async gatewayOperators(): Promise<UserRef[]> {
    return [];
  }
}

/** A gateway that can mint (so sessions open with a setup link, the default) and never reports anything. */
export class NoopGateway implements Gateway {
  #minted = 0;

  async info(): Promise<GatewayInfo> {
    return { path: "events", canMint: true };
  }

  async mintSetupCode(): Promise<MintedSetupCode> {
    this.#minted += 1;
    return {
      setupId: `setup-${this.#minted}`,
      code: new Secret(`code-${this.#minted}`),
      expiresAt: Date.now() + 10 * 60_000,
    };
  }

  async approveDevice(): Promise<"done"> {
    return "done";
  }
  async rejectDevice(): Promise<"done"> {
    return "done";
  }
  async approveCapability(): Promise<"done"> {
    return "done";
  }
  async rejectCapability(): Promise<"done"> {
    return "done";
  }

  async autofill(): Promise<Autofill> {
    throw new Error("the no-op gateway has nothing to fill in");
  }
  async listNodes(): Promise<[]> {
    return [];
  }
  async removeNode(): Promise<"alreadyGone"> {
    return "alreadyGone";
  }
  async describeNode(): Promise<NodeDescription | undefined> {
    return undefined;
  }

  watch(_listener: (event: GatewayEvent) => void): () => void {
    return () => {};
  }
}
