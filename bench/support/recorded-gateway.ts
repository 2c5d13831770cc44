// Wraps a Gateway to keep the pairing requests it reports, with the gateway's own timestamp, by display name.
// It passes every call and event through unchanged; it only remembers.

import type {
  Autofill,
  Gateway,
  GatewayEvent,
  GatewayInfo,
  GatewayNode,
  MintedSetupCode,
  NodeDescription,
} from "../../src/core/ports.ts";
import type { PairingRequest } from "../../src/core/types.ts";

export class RecordedGateway implements Gateway {
  readonly inner: Gateway;
  /** The first pairing request reported for each display name, as the gateway stamped it (`seenAt` = its `ts`). */
  readonly pairingRequests = new Map<string, PairingRequest>();

  constructor(inner: Gateway) {
    this.inner = inner;
  }

  info(): Promise<GatewayInfo> {
    return this.inner.info();
  }
  mintSetupCode(): Promise<MintedSetupCode> {
    return this.inner.mintSetupCode();
  }
  approveDevice(requestId: string): Promise<"done" | "alreadyDecided"> {
    return this.inner.approveDevice(requestId);
  }
  rejectDevice(requestId: string): Promise<"done" | "alreadyDecided"> {
    return this.inner.rejectDevice(requestId);
  }
  approveCapability(requestId: string): Promise<"done" | "alreadyDecided"> {
    return this.inner.approveCapability(requestId);
  }
  rejectCapability(requestId: string): Promise<"done" | "alreadyDecided"> {
    return this.inner.rejectCapability(requestId);
  }
  autofill(): Promise<Autofill> {
    return this.inner.autofill();
  }
  listNodes(): Promise<GatewayNode[]> {
    return this.inner.listNodes();
  }
  removeNode(nodeId: string): Promise<"done" | "alreadyGone"> {
    return this.inner.removeNode(nodeId);
  }
  describeNode(nodeId: string): Promise<NodeDescription | undefined> {
    return this.inner.describeNode(nodeId);
  }

  watch(listener: (event: GatewayEvent) => void, waiting: () => boolean): () => void {
    return this.inner.watch((event) => {
      const name = event.type === "devicePairingRequested" ? event.request.displayName : undefined;
      if (event.type === "devicePairingRequested" && name && !this.pairingRequests.has(name))
        this.pairingRequests.set(name, { ...event.request });
      listener(event);
    }, waiting);
  }

  async stop(): Promise<void> {
    await this.inner.stop?.();
  }
}
