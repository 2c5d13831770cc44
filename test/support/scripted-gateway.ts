// A stand-in for the OpenClaw gateway behind the `Gateway` port, for tests of the flows and the chat adapters.
// It records what the bot asked for and lets the test play the gateway's side (requests, resolutions, status).
// The real gateway is tested in test/adapters/openclaw and test/e2e/openclaw against the openclaw package.

import type {
  Autofill,
  Gateway,
  GatewayEvent,
  GatewayInfo,
  GatewayNode,
  MintedSetupCode,
  NodeDescription,
} from "../../src/core/ports.ts";
import { Secret } from "../../src/core/secret.ts";

export class ScriptedGateway implements Gateway {
  readonly calls: string[] = [];
  /** Every setup code minted, in plain text, so tests can search the bot's output for them. */
  readonly mintedCodes: string[] = [];
  canMint: boolean;
  mintFailure: string | undefined;
  autofillValue: Autofill | undefined;
  /** What `listNodes` answers; `removeNode` takes the node out. */
  nodes: GatewayNode[] = [];
  /** The commands `describeNode` reports for a node of `nodes`, by nodeId (none when absent). */
  commands = new Map<string, string[]>();
  #listener: ((event: GatewayEvent) => void) | undefined;
  #decided = new Set<string>();

  constructor(options: { canMint?: boolean } = {}) {
    this.canMint = options.canMint ?? true;
  }

  async info(): Promise<GatewayInfo> {
    return {
      path: "events",
      canMint: this.canMint,
      ...(this.canMint
        ? {}
        : {
            mintUnavailableReason: "Gateway is only bound to loopback.",
            mintUnavailable: "loopbackOnly" as const,
          }),
      webUiUrl: "https://gw.example.com:18789/settings/devices",
    };
  }

  async mintSetupCode(): Promise<MintedSetupCode> {
    this.calls.push("mintSetupCode");
    if (this.mintFailure) throw new Error(this.mintFailure);
    const n = this.mintedCodes.length + 1;
    const code = `eyJ1cmwiOiJ3c3M6Ly9ndy5leGFtcGxlLmNvbToxODc4OSIsImJvb3RzdHJhcFRva2VuIjoic2VjcmV0LSR7bn0ifQ${n}`;
    this.mintedCodes.push(code);
    return { setupId: `setup-${n}`, code: new Secret(code), expiresAt: Date.now() + 600_000 };
  }

  approveDevice(requestId: string) {
    return this.#decide(`approveDevice ${requestId}`, requestId);
  }
  rejectDevice(requestId: string) {
    return this.#decide(`rejectDevice ${requestId}`, requestId);
  }
  approveCapability(requestId: string) {
    return this.#decide(`approveCapability ${requestId}`, requestId);
  }
  rejectCapability(requestId: string) {
    return this.#decide(`rejectCapability ${requestId}`, requestId);
  }

  async autofill(): Promise<Autofill> {
    this.calls.push("autofill");
    if (!this.autofillValue) throw new Error("no gateway config file beside the bot");
    return this.autofillValue;
  }

  async listNodes(): Promise<GatewayNode[]> {
    this.calls.push("listNodes");
    return this.nodes.map((node) => ({ ...node }));
  }

  async removeNode(nodeId: string): Promise<"done" | "alreadyGone"> {
    this.calls.push(`removeNode ${nodeId}`);
    const before = this.nodes.length;
    this.nodes = this.nodes.filter((node) => node.nodeId !== nodeId);
    return this.nodes.length < before ? "done" : "alreadyGone";
  }

  async describeNode(nodeId: string): Promise<NodeDescription | undefined> {
    this.calls.push(`describeNode ${nodeId}`);
    const node = this.nodes.find((candidate) => candidate.nodeId === nodeId);
    if (!node) return undefined;
    const commands = [...new Set(this.commands.get(nodeId) ?? [])].sort();
    return { nodeId, connected: node.connected, commands };
  }

  watch(listener: (event: GatewayEvent) => void): () => void {
    this.#listener = listener;
    return () => {
      this.#listener = undefined;
    };
  }

  /** Whether the bot is watching this gateway (with several instances, only one is). */
  get watching(): boolean {
    return this.#listener !== undefined;
  }

  /** The gateway reports something, as the operator connection would. */
  emit(event: GatewayEvent): void {
    this.#listener?.(event);
  }

  async #decide(call: string, requestId: string): Promise<"done" | "alreadyDecided"> {
    this.calls.push(call);
    if (this.#decided.has(requestId)) return "alreadyDecided";
    this.#decided.add(requestId);
    return "done";
  }
}
