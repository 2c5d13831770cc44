// The gateway through the `openclaw` CLI (`… --json`), for hosts where the operator connection is not an option.
// One process at a time (each is ~2 s and ~225 MB), one shared poller for all sessions, and never a token in argv or a log.

import { execa } from "execa";
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
import {
  configValue,
  devicesPageUrl,
  gatewayLocalHost,
  gatewayPort,
  openclawPaths,
  readOpenClawConfig,
} from "./config.ts";
import { classify, formatCommand, isUnknownTarget, OpenClawError, redact } from "./errors.ts";
import { type MintRefusal, mintNodeSetupCode, mintState } from "./mint.ts";
import {
  CliFailureSchema,
  type DevicesList,
  DevicesListSchema,
  NodeDescribeSchema,
  NodePairListSchema,
  NodesPendingSchema,
  NodesStatusSchema,
  parseShape,
  SetupCodeSchema,
  SetupStatusSchema,
  ShapeError,
  toGatewayNode,
  toNodeDescription,
  toNodeStatus,
} from "./schemas.ts";
import { PairingTracker } from "./tracker.ts";

export interface CliGatewayOptions {
  /** The openclaw binary (a path, or a name on PATH). Default `openclaw`. */
  bin?: string;
  /**
   * Where every call's environment is taken from (default `process.env`), through `openclawChildEnv`: only what
   * openclaw needs. OpenClaw needs Node >= 24.16 first on its PATH.
   */
  env?: NodeJS.ProcessEnv;
  /** A gateway other than the local config's (`OPENCLAW_GATEWAY_URL`); it then needs `token` too. */
  url?: string;
  /** Passed as `OPENCLAW_GATEWAY_TOKEN` in the environment, never on the command line (where `ps` shows it). */
  token?: Secret;
  /** Per call. Default 30 s. */
  timeoutMs?: number;
  /** Pause between two polling rounds while a session waits. Default 3 s. */
  pollIntervalMs?: number;
  /** The gateway's config file (default as OpenClaw resolves it): decides whether setup links can be minted. */
  configPath?: string;
  webUiBaseUrl?: string;
  /** The gateway's address as nodes reach it, passed as `publicUrl` when minting (CLAWSHAKE_PUBLIC_URL). */
  publicUrl?: string;
  autofill?: AutofillOptions;
  log?: (level: "debug" | "warn", message: string) => void;
}

interface Watcher {
  listener: (event: GatewayEvent) => void;
  waiting: () => boolean;
}

/**
 * What an `openclaw` process gets from the bot's environment: what it needs to run and find its state, nothing more.
 * Never the bot's own secrets (chat tokens, the sealing key, the store's URL), nor anything that changes how Node runs
 * or trusts: NODE_OPTIONS (could load code), NODE_TLS_REJECT_UNAUTHORIZED (turns certificate checks off), proxy
 * variables (may carry a password; openclaw's gateway WebSocket does not use them). NODE_EXTRA_CA_CERTS is kept: a path,
 * and how a gateway behind a private CA is verified.
 */
const CHILD_ENV_NAMES = new Set([
  "PATH",
  "HOME",
  "LANG",
  "LANGUAGE",
  "TZ",
  "TMPDIR",
  "TMP",
  "TEMP",
  "NODE_EXTRA_CA_CERTS",
  // Windows: what Node and a .cmd shim need to start at all.
  "SYSTEMROOT",
  "WINDIR",
  "COMSPEC",
  "PATHEXT",
  "USERPROFILE",
  "APPDATA",
  "LOCALAPPDATA",
]);

export function openclawChildEnv(source: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined) continue;
    // Windows names are case-insensitive (`Path`, `SystemRoot`).
    const upper = name.toUpperCase();
    if (CHILD_ENV_NAMES.has(upper) || upper.startsWith("LC_") || name.startsWith("OPENCLAW_"))
      env[name] = value;
  }
  return env;
}

/** How long the version `openclaw --version` printed is trusted before it is asked again (an upgrade). */
const VERSION_TTL_MS = 10 * 60_000;

/** The version in `openclaw --version` output: `OpenClaw 2026.9.6 (eb377ac)` gives 2026.9.6. */
export function parseOpenClawVersion(stdout: string): string | undefined {
  return /(?:^|\s)OpenClaw\s+v?([0-9][0-9A-Za-z.+-]*)/m.exec(stdout)?.[1];
}

/** Where `--json` output starts: openclaw may print warnings or a banner before it. */
export function parseJsonOutput(stdout: string): unknown {
  const text = stdout.trim();
  if (text === "") return undefined;
  const start = text.search(/^[[{]/m);
  return JSON.parse(start >= 0 ? text.slice(start) : text);
}

/** `Gateway` over `openclaw … --json`, polled by one shared poller while any session waits. */
export class CliGateway implements Gateway {
  readonly #options: CliGatewayOptions;
  readonly #bin: string;
  readonly #tracker = new PairingTracker();
  readonly #watchers = new Set<Watcher>();
  readonly #setups = new Map<string, number>();
  /** Devices paired through a setup code that a completion (or the first look) accounts for. */
  readonly #redemptionsSeen = new Set<string>();
  /** How many rounds asked about a device that no completion explained yet. */
  readonly #unexplainedLooks = new Map<string, number>();
  #firstLook = true;
  #queue: Promise<unknown> = Promise.resolve();
  #pollTimer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  #stopped = false;
  #forceStatus = false;
  /** OpenClaw's last refusal to mint (a loopback-only gateway), reported by info(). */
  readonly #mint: MintRefusal = {};
  #version: { at: number; version: Promise<string | undefined> } | undefined;

  constructor(options: CliGatewayOptions = {}) {
    this.#options = options;
    this.#bin = options.bin ?? "openclaw";
  }

  async info(): Promise<GatewayInfo> {
    const info: GatewayInfo = { path: "cli", canMint: true };
    // A remote gateway's config is not on this host; only its answers tell.
    const config = this.#options.url ? undefined : await this.#localConfig();
    const base =
      this.#options.webUiBaseUrl ??
      this.#options.url ??
      (config
        ? `${configValue(config, "gateway.tls.enabled") === true ? "https" : "http"}://${gatewayLocalHost(config)}:${gatewayPort(config)}`
        : undefined);
    if (base) {
      const webUiUrl = devicesPageUrl(base);
      if (webUiUrl) info.webUiUrl = webUiUrl;
    }
    const version = await this.#gatewayVersion();
    if (version) info.version = version;
    return { ...info, ...mintState(this.#mint, config, this.#options.publicUrl) };
  }

  async mintSetupCode(): Promise<MintedSetupCode> {
    const minted = await mintNodeSetupCode(
      (method, params) => this.call(method, params, SetupCodeSchema),
      this.#mint,
      this.#options.publicUrl,
    );
    this.#setups.set(minted.setupId, minted.expiresAt);
    return minted;
  }

  approveDevice(requestId: string): Promise<"done" | "alreadyDecided"> {
    return this.#decide(["devices", "approve"], requestId);
  }

  rejectDevice(requestId: string): Promise<"done" | "alreadyDecided"> {
    return this.#decide(["devices", "reject"], requestId);
  }

  approveCapability(requestId: string): Promise<"done" | "alreadyDecided"> {
    return this.#decide(["nodes", "approve"], requestId);
  }

  rejectCapability(requestId: string): Promise<"done" | "alreadyDecided"> {
    return this.#decide(["nodes", "reject"], requestId);
  }

  async listNodes(): Promise<GatewayNode[]> {
    return (await this.nodesStatus()).nodes.map(toGatewayNode);
  }

  /** `openclaw devices remove <deviceId>` (a headless node's id is its device id): measured to disconnect the node. */
  async removeNode(nodeId: string): Promise<"done" | "alreadyGone"> {
    if (!/^[A-Za-z0-9][A-Za-z0-9._:-]*$/.test(nodeId)) {
      throw new OpenClawError({
        type: "argument",
        message: "not a node id",
        command: "devices remove",
      });
    }
    try {
      await this.#run(["devices", "remove", nodeId], z.unknown());
      this.#forceStatus = true;
      return "done";
    } catch (error) {
      if (error instanceof OpenClawError && isUnknownTarget(error)) return "alreadyGone";
      throw error;
    }
  }

  /**
   * `openclaw nodes describe --node <id> --json`. Measured on 2026.9.6: an unknown node fails with `unknown node: <id>
   * (known: …)`. `--node` also matches names and addresses, so an answer about another node counts as unknown too.
   * With the commands its pairing holds (`gateway call node.pair.list`: see toNodeDescription).
   */
  async describeNode(nodeId: string): Promise<NodeDescription | undefined> {
    if (!/^[A-Za-z0-9][A-Za-z0-9._:-]*$/.test(nodeId)) {
      throw new OpenClawError({
        type: "argument",
        message: "not a node id",
        command: "nodes describe",
      });
    }
    try {
      const described = await this.#run(
        ["nodes", "describe", "--node", nodeId],
        NodeDescribeSchema,
      );
      if (described.nodeId !== nodeId) return undefined;
      return toNodeDescription(
        described,
        await this.call("node.pair.list", {}, NodePairListSchema),
      );
    } catch (error) {
      if (error instanceof OpenClawError && isUnknownTarget(error)) return undefined;
      throw error;
    }
  }

  autofill(): Promise<Autofill> {
    return autofillFromHost(
      this.#options.autofill ?? {
        ...(this.#options.configPath ? { configPath: this.#options.configPath } : {}),
        ...(this.#options.env ? { env: this.#options.env } : {}),
      },
    );
  }

  watch(listener: (event: GatewayEvent) => void, waiting: () => boolean): () => void {
    const watcher: Watcher = { listener, waiting };
    this.#watchers.add(watcher);
    this.#stopped = false;
    this.#schedulePoll(0);
    return () => {
      this.#watchers.delete(watcher);
      if (this.#watchers.size === 0) {
        clearTimeout(this.#pollTimer);
        this.#pollTimer = undefined;
      }
    };
  }

  /** Stops polling and waits for the round in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#pollTimer);
    this.#pollTimer = undefined;
    await this.#polling;
    await this.#queue;
  }

  // -- the commands -----------------------------------------------------------------------------

  /** `openclaw devices list --json`: first-stage requests and paired devices. */
  devicesList(): Promise<z.infer<typeof DevicesListSchema>> {
    return this.#run(["devices", "list"], DevicesListSchema);
  }

  /** `openclaw nodes pending --json`: second-stage (capability) requests. */
  nodesPending(): Promise<z.infer<typeof NodesPendingSchema>> {
    return this.#run(["nodes", "pending"], NodesPendingSchema);
  }

  /** `openclaw nodes status --json` (the gateway's `node.list`). */
  nodesStatus(): Promise<z.infer<typeof NodesStatusSchema>> {
    return this.#run(["nodes", "status"], NodesStatusSchema);
  }

  /** `openclaw gateway call <method> --params <json> --json`. */
  call<T>(method: string, params: Record<string, unknown>, schema: z.ZodType<T>): Promise<T> {
    return this.#run(["gateway", "call", method, "--params", JSON.stringify(params)], schema);
  }

  /**
   * Decides with the dedicated commands (`devices approve`, `nodes approve`, …): they pick the scopes an approval needs,
   * which a plain `gateway call device.pair.approve` lacks (measured: "device pairing approval denied").
   */
  async #decide(command: [string, string], requestId: string): Promise<"done" | "alreadyDecided"> {
    // A request id is OpenClaw's UUID; anything else must not reach the command line as an option.
    if (!/^[A-Za-z0-9][A-Za-z0-9._:-]*$/.test(requestId)) {
      throw new OpenClawError({
        type: "argument",
        message: "not a request id",
        command: command.join(" "),
      });
    }
    try {
      await this.#run([...command, requestId], z.unknown());
      this.#forceStatus = true;
      return "done";
    } catch (error) {
      // OpenClaw answers "unknown requestId" once a request was approved, rejected or expired elsewhere.
      if (error instanceof OpenClawError && error.kind === "unknownRequest")
        return "alreadyDecided";
      throw error;
    }
  }

  /**
   * The gateway's version as the openclaw beside it says (`openclaw --version`), cached for a while. Not for a remote
   * gateway (`url`): the CLI on this host need not be the gateway's version, and a wrong one would stop every node.
   */
  #gatewayVersion(): Promise<string | undefined> {
    if (this.#options.url) return Promise.resolve(undefined);
    const now = Date.now();
    if (this.#version && now - this.#version.at < VERSION_TTL_MS) return this.#version.version;
    const run = this.#queue.then(() =>
      execa(this.#bin, ["--version"], {
        env: openclawChildEnv(this.#options.env ?? process.env),
        extendEnv: false,
        reject: false,
        stdin: "ignore",
        timeout: this.#options.timeoutMs ?? 30_000,
        forceKillAfterDelay: 2000,
      }),
    );
    this.#queue = run.catch(() => undefined);
    const version = run.then(
      (result) =>
        result.exitCode === 0 && typeof result.stdout === "string"
          ? parseOpenClawVersion(result.stdout)
          : undefined,
      () => undefined,
    );
    this.#version = { at: now, version };
    return version;
  }

  /** Queues the call behind the one running: never two openclaw processes at once. */
  #run<T>(args: string[], schema: z.ZodType<T>): Promise<T> {
    const run = this.#queue.then(() => this.#exec(args, schema));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #exec<T>(args: string[], schema: z.ZodType<T>): Promise<T> {
    const fullArgs = [...args, "--json"];
    const secrets = this.#secrets();
    const command = formatCommand(this.#bin, fullArgs, secrets);
    const env = openclawChildEnv(this.#options.env ?? process.env);
    if (this.#options.url) env.OPENCLAW_GATEWAY_URL = this.#options.url;
    if (this.#options.token) env.OPENCLAW_GATEWAY_TOKEN = this.#options.token.reveal();
    const started = Date.now();
    const result = await execa(this.#bin, fullArgs, {
      env,
      extendEnv: false,
      reject: false,
      stdin: "ignore",
      timeout: this.#options.timeoutMs ?? 30_000,
      forceKillAfterDelay: 2000,
      stripFinalNewline: true,
    });
    this.#log(
      "debug",
      `${command} → exit ${result.exitCode ?? "none"} in ${Date.now() - started} ms`,
    );
    const stdout = typeof result.stdout === "string" ? result.stdout : "";
    const stderr = typeof result.stderr === "string" ? result.stderr : "";
    const exitCode = result.exitCode;
    const base = { command, ...(exitCode === undefined ? {} : { exitCode }) };
    if (result.code === "ENOENT" || result.code === "EACCES") {
      throw new OpenClawError({
        type: "spawn",
        kind: "binaryNotFound",
        code: result.code,
        message: `cannot run ${this.#bin} (${result.code})`,
        ...base,
      });
    }
    if (result.timedOut) {
      throw new OpenClawError({
        type: "timeout",
        kind: "timeout",
        message: "no answer in time",
        ...base,
      });
    }
    let json: unknown;
    try {
      json = parseJsonOutput(stdout);
    } catch {
      json = undefined;
    }
    const failure = CliFailureSchema.safeParse(json);
    if (failure.success) {
      const error = failure.data.error;
      const message = redact(error.message, secrets);
      const code = error.code === undefined ? undefined : String(error.code);
      throw new OpenClawError({ type: error.type, message, ...(code ? { code } : {}), ...base });
    }
    if (result.failed || json === undefined) {
      const said = redact(
        (stderr || stdout || result.shortMessage || "no output")
          .trim()
          .split("\n")
          .slice(-3)
          .join(" "),
        secrets,
      );
      throw new OpenClawError({
        type: json === undefined && !result.failed ? "parse" : "cli_error",
        kind:
          json === undefined && !result.failed
            ? "badOutput"
            : classify({ type: "cli_error", message: said }),
        message: said,
        ...base,
      });
    }
    try {
      return parseShape(schema, json, command);
    } catch (error) {
      if (error instanceof ShapeError) {
        throw new OpenClawError({
          type: "parse",
          kind: "badOutput",
          message: error.message,
          ...base,
        });
      }
      throw error;
    }
  }

  // -- the shared poller ------------------------------------------------------------------------

  #schedulePoll(delayMs: number): void {
    if (this.#stopped || this.#pollTimer || this.#polling || this.#watchers.size === 0) return;
    this.#pollTimer = setTimeout(() => {
      this.#pollTimer = undefined;
      this.#polling = this.#pollRound().finally(() => {
        this.#polling = undefined;
        this.#schedulePoll(this.#options.pollIntervalMs ?? 3000);
      });
    }, delayMs);
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

  /** One look at the gateway (three or more processes, one after the other), diffed against the previous look. */
  async #pollRound(): Promise<void> {
    if (!this.#anyWaiting()) return;
    try {
      // Pairing requests and redeemed setup links are told as soon as `devices list` shows them, before the two
      // slower looks at capabilities and node status: a person waiting on a card waits one process, not three.
      const devices = await this.devicesList();
      const paired = [
        ...this.#tracker.reconcile({ devices }, Date.now(), false),
        ...(await this.#setupCompletions(devices, Date.now())),
      ];
      for (const event of paired) this.#emit(event);
      const pending = await this.nodesPending();
      const nodes = (await this.nodesStatus()).nodes.map(toNodeStatus);
      const approvals = this.#tracker.reconcile(
        { capabilities: { pending }, nodes },
        Date.now(),
        false,
      );
      // Sessions read node status only after the step before it: so it comes last, and again after any step.
      const force =
        this.#forceStatus ||
        [...paired, ...approvals].some(
          (event) =>
            event.type === "setupCompleted" ||
            event.type === "capabilityResolved" ||
            event.type === "deviceResolved",
        );
      this.#forceStatus = false;
      const status = this.#tracker.status(nodes, force);
      for (const event of [...approvals, ...(status ? [status] : [])]) this.#emit(event);
    } catch (error) {
      this.#log("warn", `polling the gateway failed: ${(error as Error).message}`);
    }
  }

  /**
   * The setup links redeemed since the last look. A redeemed code leaves a device paired "via bootstrap", so each
   * waiting link is asked about (one process each) only when such a device appears that no completion explains yet:
   * a round with nothing new costs no process, however many links wait.
   */
  async #setupCompletions(devices: DevicesList, now: number): Promise<GatewayEvent[]> {
    for (const [setupId, expiresAt] of this.#setups)
      if (expiresAt < now) this.#setups.delete(setupId);
    const redeemed = devices.paired
      .filter((device) => device.approvedVia === "bootstrap")
      .map((device) => ({
        deviceId: device.deviceId,
        key: `${device.deviceId}@${device.approvedAtMs ?? ""}`,
      }));
    const unexplained = redeemed.filter((device) => !this.#redemptionsSeen.has(device.key));
    const firstLook = this.#firstLook;
    this.#firstLook = false;
    if (this.#setups.size === 0 || unexplained.length === 0) {
      for (const device of unexplained) this.#redemptionsSeen.add(device.key);
      return [];
    }
    const completions: GatewayEvent[] = [];
    for (const setupId of [...this.#setups.keys()]) {
      const status = await this.call("device.pair.setupStatus", { setupId }, SetupStatusSchema);
      if (status.deliveryUncertain && !status.completion) {
        this.#setups.delete(setupId);
        completions.push({ type: "setupDeliveryUncertain", setupId });
        continue;
      }
      if (!status.completion) continue;
      this.#setups.delete(setupId);
      const completed: GatewayEvent = { type: "setupCompleted", setupId };
      if (status.completion.deviceId) completed.deviceId = status.completion.deviceId;
      if (status.completion.deviceName) completed.deviceName = status.completion.deviceName;
      completions.push(completed);
    }
    // A device that no completion explains may be a link redeemed a moment before its completion is recorded, so it
    // is asked about once more next round; after that it was redeemed from a link minted elsewhere, and is left be.
    // Devices already there at the first look are history, not news.
    const explained = new Set(
      completions.map((event) => (event.type === "setupCompleted" ? event.deviceId : "")),
    );
    for (const device of unexplained) {
      const looks = (this.#unexplainedLooks.get(device.key) ?? 0) + 1;
      if (firstLook || looks >= 2 || explained.has(device.deviceId)) {
        this.#redemptionsSeen.add(device.key);
        this.#unexplainedLooks.delete(device.key);
      } else this.#unexplainedLooks.set(device.key, looks);
    }
    return completions;
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

  async #localConfig(): Promise<Record<string, unknown> | undefined> {
    const paths = openclawPaths({
      ...(this.#options.configPath ? { configPath: this.#options.configPath } : {}),
      ...(this.#options.env ? { env: this.#options.env } : {}),
    });
    try {
      return await readOpenClawConfig(paths.configPath);
    } catch (error) {
      this.#log("warn", (error as Error).message);
      return undefined;
    }
  }

  #secrets(): string[] {
    return this.#options.token ? [this.#options.token.reveal()] : [];
  }

  #log(level: "debug" | "warn", message: string): void {
    this.#options.log?.(level, redact(message, this.#secrets()));
  }
}
