// The gateway through ONE operator WebSocket for all sessions: pairing events as they happen, and the same methods the
// CLI calls. Never logs or puts in an error the gateway token, the device token or a setup code.

import { GatewayClient, type GatewayClientOptions } from "@openclaw/gateway-client";
import type { EventFrame, HelloOk } from "@openclaw/gateway-protocol";
import { z } from "zod";
import type {
  Autofill,
  Gateway,
  GatewayEvent,
  GatewayInfo,
  GatewayNode,
  MintedSetupCode,
  NodeDescription,
} from "../../core/ports.ts";
import type { Secret } from "../../core/secret.ts";
import { type AutofillOptions, autofillFromHost } from "./autofill.ts";
import { devicesPageUrl, readOpenClawConfig } from "./config.ts";
import { isUnknownTarget, OpenClawError, redact } from "./errors.ts";
import { DeviceIdentityStore } from "./identity.ts";
import { type MintRefusal, mintNodeSetupCode, mintState } from "./mint.ts";
import {
  DevicePendingSchema,
  DevicesListSchema,
  NodeDescribeSchema,
  NodePairListSchema,
  NodePendingSchema,
  NodesStatusSchema,
  parseShape,
  ResolvedSchema,
  SetupCodeSchema,
  SetupCompletedSchema,
  SetupStatusSchema,
  ShapeError,
  toGatewayNode,
  toNodeDescription,
  toNodeStatus,
} from "./schemas.ts";
import { PairingTracker } from "./tracker.ts";

/** The scopes the bot asks for: read node status, decide pairing requests, mint setup codes (admin). */
export const OPERATOR_SCOPES = ["operator.read", "operator.pairing", "operator.admin"];

export interface EventGatewayOptions {
  /** `wss://host:port` of the gateway. */
  url: string;
  /** The shared gateway token, used until the gateway has issued the bot's device its own token. */
  token?: Secret;
  /** The gateway certificate's SHA-256 (pins a self-signed certificate). */
  fingerprint?: string;
  /** Where the bot's device identity and device token are kept. */
  dataDir: string;
  /** The gateway's config file, when the bot runs beside it: decides whether setup links can be minted. */
  configPath?: string;
  /** Base URL of the Control UI (default: the gateway's own https URL). */
  webUiBaseUrl?: string;
  /** The gateway's address as nodes reach it, passed as `publicUrl` when minting (CLAWSHAKE_PUBLIC_URL). */
  publicUrl?: string;
  autofill?: AutofillOptions;
  /** How often node status is polled while a session waits for its node. Default 500 ms. */
  statusPollMs?: number;
  /** How long node status is watched after a setup link was redeemed or capabilities approved. Default 3 min. */
  statusWatchMs?: number;
  /** How long to wait before trying again when the gateway stopped the reconnects (pairing, auth). Default 5 s. */
  pausedRetryMs?: number;
  /** Budget of one request, including waiting for the connection. Default 15 s. */
  requestTimeoutMs?: number;
  log?: (level: "debug" | "warn", message: string) => void;
}

/** The operator connection as `clawshake check` reports it. */
export type ConnectionState =
  | { status: "idle" }
  | { status: "connecting" }
  | { status: "connected"; deviceId: string; serverVersion?: string; scopes: string[] }
  | { status: "pairingRequired"; deviceId: string; requestId?: string; message: string }
  | { status: "error"; error: OpenClawError }
  | { status: "stopped" };

interface Watcher {
  listener: (event: GatewayEvent) => void;
  waiting: () => boolean;
}

/** `Gateway` over one `GatewayClient` (role operator): events, approvals, setup codes and node status. */
export class EventGateway implements Gateway {
  readonly #options: EventGatewayOptions;
  readonly #identity: DeviceIdentityStore;
  readonly #tracker = new PairingTracker();
  readonly #watchers = new Set<Watcher>();
  readonly #stateListeners = new Set<() => void>();
  /** Setup codes minted and not yet redeemed, by setupId: their expiry. */
  readonly #setups = new Map<string, number>();
  /** Nodes whose status sessions wait for, by nodeId: until when. */
  readonly #statusWatches = new Map<string, number>();
  #client: GatewayClient | undefined;
  #generation = 0;
  #state: ConnectionState = { status: "idle" };
  #statusTimer: NodeJS.Timeout | undefined;
  #restartTimer: NodeJS.Timeout | undefined;
  #forceStatus = false;
  /** OpenClaw's last refusal to mint (a loopback-only gateway), reported by info(). */
  readonly #mint: MintRefusal = {};

  constructor(options: EventGatewayOptions) {
    this.#options = options;
    this.#identity = new DeviceIdentityStore(options.dataDir);
  }

  /** The bot's own device id on the gateway (what its admin approves once). */
  get deviceId(): string {
    return this.#identity.loadOrCreate().deviceId;
  }

  state(): ConnectionState {
    return this.#state;
  }

  /** Opens the connection (idempotent). Methods and `watch` call it themselves. */
  start(): void {
    if (this.#client || this.#state.status === "stopped") return;
    this.#connect();
  }

  /** Waits until the connection is up or has a definite problem (pairing, auth), at most `timeoutMs`. */
  async ready(timeoutMs = 10_000): Promise<ConnectionState> {
    this.start();
    const settled = () => !["idle", "connecting"].includes(this.#state.status);
    if (!settled()) await this.#waitForState(settled, timeoutMs);
    return this.#state;
  }

  async stop(): Promise<void> {
    this.#generation++;
    this.#setState({ status: "stopped" });
    clearTimeout(this.#restartTimer);
    clearTimeout(this.#statusTimer);
    this.#statusTimer = undefined;
    const client = this.#client;
    this.#client = undefined;
    if (client) await client.stopAndWait({ timeoutMs: 2000 }).catch(() => client.stop());
  }

  async info(): Promise<GatewayInfo> {
    const info: GatewayInfo = {
      path: "events",
      canMint: true,
      webUiUrl: devicesPageUrl(this.#options.webUiBaseUrl ?? this.#options.url),
    };
    let config: Record<string, unknown> | undefined;
    try {
      config = this.#options.configPath
        ? await readOpenClawConfig(this.#options.configPath)
        : undefined;
    } catch (error) {
      this.#log("warn", (error as Error).message);
    }
    // The version the gateway said in its hello (`server.version`), while connected.
    if (this.#state.status === "connected" && this.#state.serverVersion)
      info.version = this.#state.serverVersion;
    return { ...info, ...mintState(this.#mint, config, this.#options.publicUrl) };
  }

  async mintSetupCode(): Promise<MintedSetupCode> {
    const minted = await mintNodeSetupCode(
      (method, params) => this.#request(method, params, SetupCodeSchema),
      this.#mint,
      this.#options.publicUrl,
    );
    this.#setups.set(minted.setupId, minted.expiresAt);
    return minted;
  }

  approveDevice(requestId: string): Promise<"done" | "alreadyDecided"> {
    return this.#decide("device.pair.approve", requestId);
  }

  rejectDevice(requestId: string): Promise<"done" | "alreadyDecided"> {
    return this.#decide("device.pair.reject", requestId);
  }

  approveCapability(requestId: string): Promise<"done" | "alreadyDecided"> {
    return this.#decide("node.pair.approve", requestId);
  }

  rejectCapability(requestId: string): Promise<"done" | "alreadyDecided"> {
    return this.#decide("node.pair.reject", requestId);
  }

  async listNodes(): Promise<GatewayNode[]> {
    return (await this.#request("node.list", {}, NodesStatusSchema)).nodes.map(toGatewayNode);
  }

  /**
   * `device.pair.remove` closes the node's connection (4001 "device removed") and voids its device token; then
   * `node.pair.remove` clears a node pairing kept apart from the device, where there is one.
   */
  async removeNode(nodeId: string): Promise<"done" | "alreadyGone"> {
    const device = await this.#remove("device.pair.remove", { deviceId: nodeId });
    const node = await this.#remove("node.pair.remove", { nodeId });
    return device === "done" || node === "done" ? "done" : "alreadyGone";
  }

  /**
   * `node.describe {nodeId}`, with the commands its pairing holds (`node.pair.list`: see toNodeDescription); the
   * gateway answers `unknown nodeId` (INVALID_REQUEST) for a node it does not know.
   */
  async describeNode(nodeId: string): Promise<NodeDescription | undefined> {
    try {
      const [described, pairing] = await Promise.all([
        this.#request("node.describe", { nodeId }, NodeDescribeSchema),
        this.#request("node.pair.list", {}, NodePairListSchema),
      ]);
      return toNodeDescription(described, pairing);
    } catch (error) {
      if (error instanceof OpenClawError && isUnknownTarget(error)) return undefined;
      throw error;
    }
  }

  autofill(): Promise<Autofill> {
    return autofillFromHost(
      this.#options.autofill ??
        (this.#options.configPath ? { configPath: this.#options.configPath } : {}),
    );
  }

  watch(listener: (event: GatewayEvent) => void, waiting: () => boolean): () => void {
    const watcher: Watcher = { listener, waiting };
    this.#watchers.add(watcher);
    this.start();
    return () => {
      this.#watchers.delete(watcher);
    };
  }

  // -- the connection ---------------------------------------------------------------------------

  #connect(): void {
    // Without a pin the certificate is checked against the trusted CAs, unless NODE_TLS_REJECT_UNAUTHORIZED=0 turned
    // that off for the whole process: then any server would be sent the token. Refuse, and say what pins the gateway.
    if (
      !this.#options.fingerprint &&
      /^wss:/i.test(this.#options.url) &&
      process.env.NODE_TLS_REJECT_UNAUTHORIZED === "0"
    ) {
      this.#setState({
        status: "error",
        error: new OpenClawError({
          type: "config",
          kind: "tlsUntrusted",
          message:
            "NODE_TLS_REJECT_UNAUTHORIZED=0 turns certificate checks off, and the gateway has no pin: not connecting",
          hint: "Set OPENCLAW_GATEWAY_FINGERPRINT to the gateway certificate's SHA-256, or remove NODE_TLS_REJECT_UNAUTHORIZED.",
        }),
      });
      return;
    }
    const generation = ++this.#generation;
    const current = () => generation === this.#generation;
    const identity = this.#identity.loadOrCreate();
    // The shared token only until the gateway issued a device token: then the bot survives a token rotation.
    const sharedToken = this.#identity.hasToken(identity.deviceId, "operator")
      ? undefined
      : this.#options.token;
    const options: GatewayClientOptions = {
      url: this.#options.url,
      role: "operator",
      scopes: OPERATOR_SCOPES,
      clientName: "gateway-client",
      clientDisplayName: "clawshake",
      mode: "backend",
      minProtocol: 4,
      maxProtocol: 4,
      deviceIdentity: identity,
      hostDeps: {
        ...this.#identity.hostDeps(),
        logDebug: (message) => this.#log("debug", message),
      },
      requestTimeoutMs: this.#options.requestTimeoutMs ?? 15_000,
      onHelloOk: (hello) => current() && this.#onHello(hello, identity.deviceId),
      onConnectError: (error) => current() && this.#onConnectError(error, identity.deviceId),
      onReconnectPaused: (paused) => current() && this.#onPaused(paused.reason),
      onClose: (_code, _reason, info) => {
        if (current() && info?.phase === "post-hello") this.#setState({ status: "connecting" });
      },
      onEvent: (frame) => current() && this.#onEvent(frame),
      onGap: () => current() && void this.#resync(),
    };
    if (sharedToken) options.token = sharedToken.reveal();
    if (this.#options.fingerprint) options.tlsFingerprint = this.#options.fingerprint;
    // A known problem stays visible while retrying; it is replaced by the next answer.
    if (this.#state.status !== "pairingRequired" && this.#state.status !== "error") {
      this.#setState({ status: "connecting" });
    }
    try {
      this.#client = new GatewayClient(options);
      this.#client.start();
    } catch (error) {
      this.#setState({ status: "error", error: this.#toError(error, "connect") });
      this.#onPaused("could not start the connection");
    }
  }

  #onHello(hello: HelloOk, deviceId: string): void {
    // The scopes the gateway granted (it strips what the device may not have): `clawshake check` and the tests show them.
    const scopes = Array.isArray(hello.auth?.scopes) ? hello.auth.scopes : [];
    this.#setState({ status: "connected", deviceId, serverVersion: hello.server.version, scopes });
    void this.#resync();
    if (this.#statusWatches.size > 0) this.#scheduleStatusPoll(0);
  }

  #onConnectError(error: Error, deviceId: string): void {
    const details = (error as { details?: { code?: unknown; requestId?: unknown } }).details;
    const message = redact(error.message, this.#secrets());
    if (details?.code === "PAIRING_REQUIRED") {
      const state: ConnectionState = { status: "pairingRequired", deviceId, message };
      if (typeof details.requestId === "string") state.requestId = details.requestId;
      this.#setState(state);
      this.#log("warn", `the gateway has not approved the bot's device yet: ${message}`);
      return;
    }
    this.#setState({ status: "error", error: this.#toError(error, "connect") });
    this.#log("warn", `gateway connection failed: ${message}`);
  }

  /** The client stopped reconnecting (pairing required, credentials refused): try again later with a fresh one. */
  #onPaused(reason: string): void {
    this.#log("debug", `reconnect paused (${redact(reason, this.#secrets())}); retrying later`);
    const client = this.#client;
    this.#client = undefined;
    this.#generation++;
    client?.stop();
    clearTimeout(this.#restartTimer);
    this.#restartTimer = setTimeout(() => {
      if (this.#state.status !== "stopped") this.#connect();
    }, this.#options.pausedRetryMs ?? 5000);
  }

  #setState(state: ConnectionState): void {
    if (this.#state.status === "stopped" && state.status !== "stopped") return;
    this.#state = state;
    for (const listener of [...this.#stateListeners]) listener();
  }

  #waitForState(done: () => boolean, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const check = () => {
        if (!done()) return;
        finish(true);
      };
      const finish = (result: boolean) => {
        clearTimeout(timer);
        this.#stateListeners.delete(check);
        resolve(result);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.#stateListeners.add(check);
      check();
    });
  }

  // -- events -----------------------------------------------------------------------------------

  #onEvent(frame: EventFrame): void {
    const payload: unknown = frame.payload;
    const now = Date.now();
    try {
      switch (frame.event) {
        case "device.pair.requested": {
          const event = this.#tracker.deviceRequested(
            parseShape(DevicePendingSchema, payload, frame.event),
            now,
          );
          if (event) this.#emit(event);
          return;
        }
        case "device.pair.resolved": {
          const resolved = parseShape(ResolvedSchema, payload, frame.event);
          this.#emit(this.#tracker.deviceResolved(resolved.requestId, resolved.decision));
          return;
        }
        case "node.pair.requested":
          this.#emit(
            this.#tracker.capabilityRequested(
              parseShape(NodePendingSchema, payload, frame.event),
              now,
            ),
          );
          return;
        case "node.pair.resolved": {
          const resolved = parseShape(ResolvedSchema, payload, frame.event);
          const nodeId = resolved.nodeId ?? this.#tracker.nodeOfCapability(resolved.requestId);
          if (resolved.decision !== "approved") {
            void this.#capabilityRefused(resolved.requestId, resolved.decision, nodeId);
            return;
          }
          this.#emit(this.#tracker.capabilityResolved(resolved.requestId, resolved.decision));
          if (nodeId) this.#watchNode(nodeId);
          return;
        }
        case "device.pair.setup.completed":
          this.#setupCompleted(parseShape(SetupCompletedSchema, payload, frame.event));
          return;
        case "device.pair.setup.deliveryUncertain":
          this.#setupUncertain(parseShape(SetupCompletedSchema, payload, frame.event).setupId);
          return;
        default:
          return;
      }
    } catch (error) {
      this.#log("warn", `ignored a ${frame.event} event: ${(error as Error).message}`);
    }
  }

  /**
   * A capability request that was not approved: rejected, or replaced by the node's new request (a restart with other
   * commands), which OpenClaw also resolves as "rejected". The pending list tells them apart: the replacement is in it
   * already (one write made both). A replacement is not told (its new request is); if the list cannot be read, it is
   * told as rejected, which ends the request: that fails closed.
   */
  async #capabilityRefused(requestId: string, decision: string, nodeId: string | undefined) {
    try {
      const { pending } = await this.#request("node.pair.list", {}, NodePairListSchema);
      if (this.#tracker.supersededBy(requestId, nodeId, pending)) {
        this.#tracker.capabilitySuperseded(requestId);
        return;
      }
    } catch (error) {
      this.#log(
        "warn",
        `could not tell a replaced capability request from a rejected one: ${(error as Error).message}`,
      );
    }
    this.#emit(this.#tracker.capabilityResolved(requestId, decision));
  }

  #setupCompleted(completion: z.infer<typeof SetupCompletedSchema>): void {
    this.#setups.delete(completion.setupId);
    const event: GatewayEvent = { type: "setupCompleted", setupId: completion.setupId };
    if (completion.deviceId) event.deviceId = completion.deviceId;
    if (completion.deviceName) event.deviceName = completion.deviceName;
    this.#emit(event);
    // A node enrolled by setup code is a node whose id is its device id.
    if (completion.deviceId) this.#watchNode(completion.deviceId);
  }

  #setupUncertain(setupId: string): void {
    this.#setups.delete(setupId);
    this.#emit({ type: "setupDeliveryUncertain", setupId });
  }

  #emit(event: GatewayEvent): void {
    for (const watcher of [...this.#watchers]) {
      try {
        watcher.listener(event);
      } catch (error) {
        this.#log("warn", `a gateway event listener failed: ${(error as Error).message}`);
      }
    }
  }

  #anyWaiting(): boolean {
    return [...this.#watchers].some((watcher) => {
      try {
        return watcher.waiting();
      } catch {
        return false;
      }
    });
  }

  /** After every (re)connect: read the lists again so nothing that happened meanwhile is lost. */
  async #resync(): Promise<void> {
    try {
      const [devices, capabilities, nodes] = await Promise.all([
        this.#request("device.pair.list", {}, DevicesListSchema),
        this.#request("node.pair.list", {}, NodePairListSchema),
        this.#request("node.list", {}, NodesStatusSchema),
      ]);
      const statuses = nodes.nodes.map(toNodeStatus);
      const events = this.#tracker.reconcile(
        {
          devices,
          capabilities: {
            pending: capabilities.pending,
            pairedNodeIds: capabilities.paired.map((node) => node.nodeId),
          },
          nodes: statuses,
        },
        Date.now(),
        true,
      );
      for (const event of events) this.#emit(event);
      const status = this.#tracker.status(statuses, true);
      if (status) this.#emit(status);
      const now = Date.now();
      for (const [setupId, expiresAt] of [...this.#setups]) {
        if (expiresAt < now) {
          this.#setups.delete(setupId);
          continue;
        }
        const status = await this.#request(
          "device.pair.setupStatus",
          { setupId },
          SetupStatusSchema,
        );
        if (status.completion) this.#setupCompleted(status.completion);
        else if (status.deliveryUncertain) this.#setupUncertain(setupId);
      }
    } catch (error) {
      this.#log("warn", `could not re-read the pairing lists: ${(error as Error).message}`);
    }
  }

  // -- node status ------------------------------------------------------------------------------

  #watchNode(nodeId: string): void {
    this.#statusWatches.set(nodeId, Date.now() + (this.#options.statusWatchMs ?? 180_000));
    this.#forceStatus = true;
    this.#scheduleStatusPoll(0);
  }

  #scheduleStatusPoll(delayMs: number): void {
    if (this.#statusTimer || this.#state.status === "stopped") return;
    this.#statusTimer = setTimeout(() => {
      this.#statusTimer = undefined;
      void this.#pollStatus();
    }, delayMs);
  }

  async #pollStatus(): Promise<void> {
    const now = Date.now();
    for (const [nodeId, until] of [...this.#statusWatches])
      if (until < now) this.#statusWatches.delete(nodeId);
    if (!this.#anyWaiting()) this.#statusWatches.clear();
    if (this.#statusWatches.size === 0) return;
    if (this.#state.status === "connected") {
      try {
        const nodes = (await this.#request("node.list", {}, NodesStatusSchema)).nodes.map(
          toNodeStatus,
        );
        const event = this.#tracker.status(nodes, this.#forceStatus);
        this.#forceStatus = false;
        if (event) this.#emit(event);
        for (const node of nodes)
          if (node.approved && node.connected) this.#statusWatches.delete(node.nodeId);
      } catch (error) {
        this.#log("debug", `node status poll failed: ${(error as Error).message}`);
      }
    }
    if (this.#statusWatches.size > 0) this.#scheduleStatusPoll(this.#options.statusPollMs ?? 500);
  }

  // -- requests ---------------------------------------------------------------------------------

  async #decide(method: string, requestId: string): Promise<"done" | "alreadyDecided"> {
    try {
      await this.#request(method, { requestId }, z.unknown());
      return "done";
    } catch (error) {
      // OpenClaw answers `unknown requestId` once a request was approved, rejected or expired elsewhere.
      if (error instanceof OpenClawError && error.kind === "unknownRequest")
        return "alreadyDecided";
      throw error;
    }
  }

  async #remove(method: string, params: object): Promise<"done" | "alreadyGone"> {
    try {
      await this.#request(method, params, z.unknown());
      return "done";
    } catch (error) {
      // OpenClaw answers `unknown deviceId` / `unknown nodeId` for what it does not (or no longer) know.
      if (error instanceof OpenClawError && isUnknownTarget(error)) return "alreadyGone";
      throw error;
    }
  }

  async #request<T>(method: string, params: unknown, schema: z.ZodType<T>): Promise<T> {
    this.start();
    const budget = this.#options.requestTimeoutMs ?? 15_000;
    // Waiting helps while (re)connecting; a device that awaits its admin's approval will not get further in seconds.
    const settled = () => ["connected", "stopped", "pairingRequired"].includes(this.#state.status);
    if (!settled()) await this.#waitForState(settled, budget);
    const client = this.#client;
    if (this.#state.status !== "connected" || !client) throw this.#notConnected(method);
    try {
      return parseShape(schema, await client.request(method, params), method);
    } catch (error) {
      throw this.#toError(error, method);
    }
  }

  #notConnected(method: string): OpenClawError {
    const state = this.#state;
    if (state.status === "error") return state.error;
    if (state.status === "pairingRequired") {
      return new OpenClawError({
        type: "connect",
        code: "PAIRING_REQUIRED",
        kind: "pairingRequired",
        message: state.message,
        command: method,
        hint: `Run \`openclaw devices approve ${state.requestId ?? "<requestId>"}\` on the gateway host once.`,
      });
    }
    return new OpenClawError({
      type: "connect",
      kind: "notConnected",
      message: "not connected",
      command: method,
    });
  }

  #toError(error: unknown, method: string): OpenClawError {
    if (error instanceof OpenClawError) return error;
    const secrets = this.#secrets();
    if (error instanceof ShapeError) {
      return new OpenClawError({
        type: "parse",
        kind: "badOutput",
        message: error.message,
        command: method,
      });
    }
    const shaped = error as {
      name?: string;
      code?: unknown;
      gatewayCode?: unknown;
      message?: string;
    };
    const message = redact(shaped.message ?? String(error), secrets);
    if (shaped.code === "CLIENT_TIMEOUT") {
      return new OpenClawError({ type: "timeout", kind: "timeout", message, command: method });
    }
    if (typeof shaped.gatewayCode === "string") {
      const details = (error as { details?: { code?: unknown } }).details;
      const code = typeof details?.code === "string" ? details.code : shaped.gatewayCode;
      return new OpenClawError({ type: "gateway_request_error", code, message, command: method });
    }
    return new OpenClawError({ type: "transport", message, command: method });
  }

  #secrets(): string[] {
    return this.#options.token ? [this.#options.token.reveal()] : [];
  }

  #log(level: "debug" | "warn", message: string): void {
    this.#options.log?.(level, redact(message, this.#secrets()));
  }
}
