// Runs the REAL openclaw package for tests: gateways in temp homes, nodes in network namespaces.
// It never leaves a process, namespace or temp dir behind, and never sends traffic beyond loopback and its own namespaces.

import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import { randomBytes, X509Certificate } from "node:crypto";
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { connect as tlsConnect } from "node:tls";
import { stripVTControlCharacters } from "node:util";
import { legacyNodeJson } from "../../src/core/commands.ts";
import { Progress } from "../support/wait.ts";

const HARNESS_DIR = import.meta.dirname;
const ROOT_DIR = join(HARNESS_DIR, "..", "..");

/** The openclaw binary of the harness package (install it with `npm run openclaw:install`). */
export const OPENCLAW_BIN = join(HARNESS_DIR, "node_modules", ".bin", "openclaw");
/** The exact openclaw release the harness package pins. */
export const OPENCLAW_VERSION = "2026.9.6";

/** A running gateway in its own temp HOME, TLS on, token auth. */
export interface Gateway {
  home: string;
  host: string;
  port: number;
  /** `wss://host:port` */
  url: string;
  token: string;
  /** SHA-256 of the gateway's certificate: 64 lowercase hex, no colons. */
  fingerprint: string;
  certPath: string;
  configPath: string;
  /** Runs `openclaw …` as the gateway host's user (same HOME, so the local config authenticates). */
  cli(args: string[], opts?: CliOptions): Promise<CliResult>;
  /** The gateway process's stdout+stderr so far, raw (ANSI colours included), across restarts. */
  logs(): string;
  /** Stops the gateway process and starts it again on the same HOME, port and certificate. */
  restart(): Promise<void>;
  /** Kills the gateway's process group and removes its HOME. Safe to call twice. */
  stop(): Promise<void>;
}

export interface CliOptions {
  /** Appends `--json` (unless present) and parses stdout into `json`; throws if stdout is not JSON. */
  json?: boolean;
  /** Default 60 s. The process group is killed and the call rejects after this. */
  timeoutMs?: number;
}

export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  json?: unknown;
}

/** A network namespace joined to the host by a veth pair on a /30 of 10.77.0.0/16. */
export interface Netns {
  name: string;
  /** The host side of the veth pair: bind a gateway here to make it reachable from the namespace. */
  hostIp: string;
  /** The namespace side: what the gateway sees as the node's remote address. */
  nsIp: string;
  /** Kills what still runs inside, deletes the namespace (and with it the veth pair). */
  destroy(): Promise<void>;
}

/** A running `openclaw …` process (normally `node run`). */
export interface NodeProcess {
  home: string;
  /** stdout+stderr so far, raw. */
  output(): string;
  /**
   * Resolves with the first line (ANSI colours stripped) at or after character offset `from` of
   * `output()` that contains `pattern`. Rejects when the process has printed nothing new for `idleMs`
   * (default 30 s; a line it repeats, numbers and ids aside, is nothing new), after ten times that in all, or when
   * the process exits first: a slow machine slows the node down, a stuck node stops printing new things.
   */
  waitFor(pattern: string | RegExp, idleMs?: number, from?: number): Promise<string>;
  /** The exit code; null when killed by a signal. */
  exited: Promise<number | null>;
  /**
   * Sends `signal` to the process tree: SIGSTOP freezes the node where it is (its timers with it), SIGCONT lets it
   * go on, so a test can decide what happens on the gateway between two of the node's steps.
   */
  signal(signal: "SIGSTOP" | "SIGCONT"): void;
  /** Kills the process group. Removes `home` too if runNode created it, unless `keepHome`. */
  stop(opts?: { keepHome?: boolean }): Promise<void>;
}

export interface StartGatewayOptions {
  /** Default 127.0.0.1 (bind loopback). Any other address means `gateway.bind custom` on that address. */
  bindHost?: string;
  /** Default: a free port on bindHost. */
  port?: number;
  /** Default: 32 random hex digits. */
  token?: string;
  /** How long start-up may go without the gateway printing anything new before it counts as stuck. Default 90 s. */
  startTimeoutMs?: number;
}

export interface RunNodeOptions {
  /** Runs the command inside this namespace (`ip netns exec NAME …`). */
  netns?: Netns;
  /** The node's HOME; default a new temp dir. Pass a previous node's home to re-run the same device. */
  home?: string;
  /** Arguments after `openclaw`, e.g. `["node", "run", "--pair", "oc-pair://…"]`. */
  args: string[];
  /** Added to the environment, e.g. `{ OPENCLAW_GATEWAY_TOKEN: … }`. Inherited OPENCLAW_* variables are dropped. */
  env?: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Cleanup: everything started here is undone on stop, and again (synchronously) at process exit,
// so a failing or interrupted test cannot leak gateways, nodes, namespaces or temp dirs.

const cleanups = new Map<number, () => void>();
let nextCleanupId = 1;

function onExit(cleanup: () => void): () => void {
  const id = nextCleanupId++;
  cleanups.set(id, cleanup);
  return () => cleanups.delete(id);
}

function runAllCleanups(): void {
  for (const [id, cleanup] of [...cleanups].reverse()) {
    cleanups.delete(id);
    try {
      cleanup();
    } catch {
      // Best effort: the rest must still run.
    }
  }
}

process.on("exit", runAllCleanups);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => {
    runAllCleanups();
    process.kill(process.pid, signal);
  });
}

/** A temp dir (mode 700) removed at the latest when the test process exits. */
export function tempHome(prefix = "clawshake-oc-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onExit(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A HOME holding the seed skill's `~/.openclaw/node.json` (method C, retired in current OpenClaw) for this gateway,
 * written by the bot's own `legacyNodeJson`.
 */
export function seedNodeHome(gateway: Gateway, prefix = "clawshake-seed-"): string {
  const home = tempHome(prefix);
  mkdirSync(join(home, ".openclaw"), { mode: 0o700 });
  const nodeJson = legacyNodeJson({
    host: gateway.host,
    port: gateway.port,
    fingerprint: gateway.fingerprint,
    displayName: "Seed Node",
  });
  writeFileSync(join(home, ".openclaw", "node.json"), `${nodeJson}\n`);
  return home;
}

function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// Environment

function isNode24(version: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major > 24 || (major === 24 && minor >= 16);
}

/** The directory of a Node >= 24.16 binary: this process's own, else the root's `node` devDependency. */
function node24Dir(): string {
  if (isNode24(process.versions.node)) return dirname(process.execPath);
  const rootNode = join(ROOT_DIR, "node_modules", "node", "bin");
  if (existsSync(join(rootNode, "node"))) return rootNode;
  throw new Error(
    `openclaw needs Node >= 24.16 and this process runs ${process.versions.node}; run \`npm ci\` in ${ROOT_DIR} to get the root's node@24`,
  );
}

/**
 * The environment for an openclaw process: HOME set, Node 24 first on PATH, no inherited
 * OPENCLAW_* variables (so "no token in the environment" really means none), plus `extra`.
 */
export function openclawEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith("OPENCLAW_") || key.startsWith("NODE_TEST") || key === "NODE_OPTIONS") {
      continue;
    }
    env[key] = value;
  }
  env.HOME = home;
  env.PATH = [node24Dir(), process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin"].join(delimiter);
  return { ...env, ...extra };
}

function assertInstalled(): void {
  if (!existsSync(OPENCLAW_BIN)) {
    throw new Error(
      `openclaw is not installed at ${OPENCLAW_BIN}: run \`npm run openclaw:install\` in ${ROOT_DIR}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Processes

/** Removes ANSI escape sequences (openclaw colours its output even when it is not a terminal). */
export function stripAnsi(text: string): string {
  return stripVTControlCharacters(text);
}

/** Parent pid of every process, read from /proc (Linux), to find what a process started. */
function parentPids(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command name may hold spaces and parentheses: the fields after its last ")" are fixed.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // the process ended while we looked
    }
  }
  return parents;
}

/**
 * Signals the process group of `pid`, and each descendant on its own: openclaw's gateway starts
 * a spawn broker as a group leader of its own, which a group kill alone would miss. Returns the
 * pids it signalled, so that a later call still reaches descendants orphaned in between.
 */
function killTree(pid: number, signal: NodeJS.Signals, known: number[] = []): number[] {
  const parents = parentPids();
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  }
  const signalSafely = (target: number) => {
    try {
      process.kill(target, signal);
    } catch {
      // ESRCH: already gone
    }
  };
  signalSafely(-pid);
  const all = [...new Set([...tree.slice(1), ...known])];
  for (const member of all) signalSafely(member);
  return all;
}

interface Spawned {
  child: ChildProcess;
  output(): string;
  /** Calls `listener` after each chunk of output; returns the unsubscribe function. */
  onOutput(listener: () => void): () => void;
  exited: Promise<number | null>;
  signal(signal: NodeJS.Signals): void;
  kill(): Promise<void>;
}

/** Spawns in its own process group, so that kill() reaches everything the command started. */
function spawnGroup(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Spawned {
  const child = spawn(command, args, {
    env,
    cwd,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    for (const listener of listeners) listener();
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  let alive = true;
  const exited = new Promise<number | null>((resolve) => {
    child.on("error", (error) => {
      output += `\n[harness] spawn failed: ${error.message}\n`;
      alive = false;
      resolve(null);
    });
    // "close" waits for the output pipes, which a leftover helper process could hold open.
    child.on("exit", (code) => setTimeout(() => resolve(code), 1000));
    child.on("close", (code) => resolve(code));
    child.on("exit", () => {
      alive = false;
    });
  });
  let signalled: number[] = [];
  const killGroup = (signal: NodeJS.Signals) => {
    if (child.pid !== undefined) signalled = killTree(child.pid, signal, signalled);
  };
  const forget = onExit(() => killGroup("SIGKILL"));
  const kill = async () => {
    if (alive) {
      killGroup("SIGCONT"); // a frozen process would take SIGTERM only once thawed
      killGroup("SIGTERM");
      const timer = new Promise<"timeout">((resolve) => setTimeout(resolve, 5000, "timeout"));
      if ((await Promise.race([exited, timer])) === "timeout") killGroup("SIGKILL");
      await exited;
    }
    // Helpers of the leader (workers, brokers) may outlive it: the group gets a last SIGKILL.
    killGroup("SIGKILL");
    forget();
  };
  return {
    child,
    output: () => output,
    onOutput: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    exited,
    signal: killGroup,
    kill,
  };
}

function waitForOutput(
  spawned: Spawned,
  pattern: string | RegExp,
  idleMs: number,
  from: number,
): Promise<string> {
  const progress = new Progress().text(spawned.output);
  let kinds = progress.count();
  let ended = false;
  const find = (): string | undefined => {
    const lines = stripAnsi(spawned.output().slice(from)).split("\n");
    // A line still being written could match only in part: wait for its newline (or the exit).
    if (!ended) lines.pop();
    return lines.find((line) =>
      typeof pattern === "string" ? line.includes(pattern) : pattern.test(line),
    );
  };
  return new Promise((resolve, reject) => {
    const fail = (why: string) =>
      done(() =>
        reject(new Error(`${why} waiting for ${String(pattern)}; output:\n${spawned.output()}`)),
      );
    const idle = () => setTimeout(() => fail(`nothing new printed for ${idleMs} ms`), idleMs);
    let timer = idle();
    const overall = setTimeout(() => fail(`timed out after ${10 * idleMs} ms`), 10 * idleMs);
    const check = () => {
      const line = find();
      if (line !== undefined) return done(() => resolve(line));
      const now = progress.count();
      if (now === kinds) return;
      kinds = now;
      clearTimeout(timer);
      timer = idle();
    };
    let settled = false;
    const done = (settle: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(overall);
      unsubscribe();
      settle();
    };
    const unsubscribe = spawned.onOutput(check);
    spawned.exited.then((code) => {
      ended = true;
      check();
      done(() =>
        reject(
          new Error(
            `process exited (${code}) before printing ${String(pattern)}; output:\n${spawned.output()}`,
          ),
        ),
      );
    });
    check();
  });
}

/** Rejects with "`what` timed out after `ms` ms" if `p` has not settled by then. */
export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function runOpenclaw(
  home: string,
  args: string[],
  opts: CliOptions & { env?: Record<string, string> } = {},
): Promise<CliResult> {
  assertInstalled();
  const fullArgs = opts.json && !args.includes("--json") ? [...args, "--json"] : args;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const child = spawn(OPENCLAW_BIN, fullArgs, {
    env: openclawEnv(home, opts.env),
    cwd: home,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const killGroup = () => {
    if (child.pid !== undefined) killTree(child.pid, "SIGKILL");
  };
  const forget = onExit(killGroup);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup();
      reject(
        new Error(
          `openclaw ${fullArgs[0] ?? ""} ${fullArgs[1] ?? ""} timed out after ${timeoutMs} ms; stderr:\n${stderr}`,
        ),
      );
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  }).finally(() => {
    killGroup();
    forget();
  });
  const result: CliResult = { stdout, stderr, exitCode };
  if (opts.json) result.json = parseJsonOutput(stdout, stderr, fullArgs);
  return result;
}

/** openclaw may print a banner or warnings before the JSON: parse from the first `{` or `[` line. */
function parseJsonOutput(stdout: string, stderr: string, args: string[]): unknown {
  const trimmed = stdout.trim();
  const start = trimmed.search(/^[[{]/m);
  try {
    return JSON.parse(start >= 0 ? trimmed.slice(start) : trimmed);
  } catch {
    throw new Error(
      `openclaw ${args.slice(0, 2).join(" ")} did not print JSON; stdout:\n${stdout}\nstderr:\n${stderr}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Gateway

/** A TCP port nothing listens on at `host` right now. */
export async function freePort(host: string): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("could not find a free port"));
      });
    });
  });
}

function canonicalFingerprint(colonHex: string): string {
  return colonHex.replaceAll(":", "").toLowerCase();
}

/** One TLS handshake; resolves with the peer certificate's fingerprint, or undefined on failure. */
function tlsFingerprint(host: string, port: number, timeoutMs = 2000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = tlsConnect({ host, port, rejectUnauthorized: false });
    const finish = (value: string | undefined) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => finish(undefined));
    socket.once("error", () => finish(undefined));
    socket.once("secureConnect", () =>
      finish(canonicalFingerprint(socket.getPeerCertificate().fingerprint256)),
    );
  });
}

/**
 * Starts `openclaw gateway run` in a new temp HOME with TLS on and token auth, and resolves once
 * a TLS handshake to host:port succeeds. The config is written as a file (one `config set` is a
 * whole Node process of ~2-4 s); `gateway.port` is set in it so setup codes carry the right URL.
 */
export async function startGateway(opts: StartGatewayOptions = {}): Promise<Gateway> {
  assertInstalled();
  const host = opts.bindHost ?? "127.0.0.1";
  const loopback = host === "127.0.0.1";
  const port = opts.port ?? (await freePort(host));
  const token = opts.token ?? randomBytes(16).toString("hex");
  const home = mkdtempSync(join(tmpdir(), "clawshake-gw-"));
  const forgetHome = onExit(() => removeDir(home));
  const configDir = join(home, ".openclaw");
  const configPath = join(configDir, "openclaw.json");
  const certPath = join(configDir, "gateway", "tls", "gateway-cert.pem");
  mkdirSync(configDir, { mode: 0o700 });
  const config = {
    gateway: {
      mode: "local",
      port,
      bind: loopback ? "loopback" : "custom",
      ...(loopback ? {} : { customBindHost: host }),
      tls: { enabled: true },
      auth: { mode: "token", token },
    },
    // The default file log is the shared /tmp/openclaw/: keep each gateway's own in its HOME.
    logging: { file: join(home, "openclaw-gateway.jsonl") },
  };
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });

  const bind = config.gateway.bind;
  const startTimeoutMs = opts.startTimeoutMs ?? 90_000;
  let spawned: Spawned;
  try {
    spawned = await runGatewayProcess(home, host, port, bind, startTimeoutMs);
  } catch (error) {
    removeDir(home);
    forgetHome();
    throw error;
  }
  let earlierLogs = "";
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await spawned.kill();
    removeDir(home);
    forgetHome();
  };

  const fingerprint = canonicalFingerprint(
    new X509Certificate(readFileSync(certPath)).fingerprint256,
  );
  // On a loaded machine one handshake can time out although the gateway is fine: try a few times before concluding.
  let handshake: string | undefined;
  for (let attempt = 0; attempt < 5 && handshake === undefined; attempt += 1)
    handshake = await tlsFingerprint(host, port, 10_000);
  if (fingerprint !== handshake) {
    await stop();
    throw new Error(
      `the gateway presented ${handshake} but its cert file says ${fingerprint}: another process owns ${host}:${port}?`,
    );
  }

  return {
    home,
    host,
    port,
    url: `wss://${host}:${port}`,
    token,
    fingerprint,
    certPath,
    configPath,
    cli: (args, cliOpts) => runOpenclaw(home, args, cliOpts),
    logs: () => earlierLogs + spawned.output(),
    restart: async () => {
      if (stopped) throw new Error("restart() after stop()");
      await spawned.kill();
      earlierLogs += spawned.output();
      spawned = await runGatewayProcess(home, host, port, bind, startTimeoutMs);
    },
    stop,
  };
}

/** `openclaw gateway run` in the background; resolves once a TLS handshake to host:port succeeds. */
async function runGatewayProcess(
  home: string,
  host: string,
  port: number,
  bind: string,
  startTimeoutMs: number,
): Promise<Spawned> {
  const spawned = spawnGroup(
    OPENCLAW_BIN,
    ["gateway", "run", "--port", String(port), "--bind", bind],
    openclawEnv(home),
    home,
  );
  // Start-up takes seconds on a quiet machine and minutes on a busy one: it may go on while the gateway prints new
  // things, and fails once it has printed nothing new for startTimeoutMs (or after four times that in all).
  const started = Date.now();
  const progress = new Progress().text(spawned.output);
  let kinds = progress.count();
  let movedAt = started;
  let exitCode: number | null | undefined;
  spawned.exited.then((code) => {
    exitCode = code;
  });
  for (;;) {
    const now = Date.now();
    if (progress.count() !== kinds) {
      kinds = progress.count();
      movedAt = now;
    }
    const stalled = now - movedAt > startTimeoutMs || now - started > 4 * startTimeoutMs;
    if (exitCode !== undefined || stalled) {
      const why =
        exitCode !== undefined
          ? `exited (${exitCode})`
          : `did not accept TLS (nothing new printed for ${now - movedAt} ms, ${now - started} ms in all)`;
      await spawned.kill();
      throw new Error(`openclaw gateway on ${host}:${port} ${why}; its log:\n${spawned.output()}`);
    }
    if ((await tlsFingerprint(host, port)) !== undefined) return spawned;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** What `gateway call device.pair.setupCode` returns (fields the tests use; others kept). */
export interface MintedSetupCode {
  setupId: string;
  setupCode: string;
  gatewayUrl: string;
  expiresAtMs: number;
  [field: string]: unknown;
}

/** Mints a node setup code on the gateway (via the CLI); throws with OpenClaw's JSON on refusal. */
export async function mintSetupCode(gateway: Gateway): Promise<MintedSetupCode> {
  const result = await gateway.cli(
    [
      "gateway",
      "call",
      "device.pair.setupCode",
      "--params",
      JSON.stringify({ bootstrapProfile: "node", includeQr: false }),
      // The CLI's own default (10 s) is too short while several nodes start on a loaded machine.
      "--timeout",
      "60000",
    ],
    { json: true },
  );
  const minted = result.json as Partial<MintedSetupCode> | undefined;
  if (result.exitCode !== 0 || typeof minted?.setupCode !== "string") {
    throw new Error(`device.pair.setupCode refused: ${result.stdout}`);
  }
  return minted as MintedSetupCode;
}

/** `node run` arguments of the shared-token flow (method A) against `gateway`, pinned to its certificate. */
export function sharedTokenNodeArgs(
  gateway: Gateway,
  displayName: string,
  overrides: { host?: string; port?: number; fingerprint?: string; tls?: boolean } = {},
): string[] {
  const args = [
    "node",
    "run",
    "--host",
    overrides.host ?? gateway.host,
    "--port",
    String(overrides.port ?? gateway.port),
  ];
  if (overrides.tls ?? true) {
    args.push("--tls", "--tls-fingerprint", overrides.fingerprint ?? gateway.fingerprint);
  }
  args.push("--display-name", displayName);
  return args;
}

// ---------------------------------------------------------------------------------------------
// Network namespaces

let netnsCounter = 0;

function ip(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("ip", args, { encoding: "utf8" }, (error, stdout, stderr) => {
      if (error) reject(new Error(`ip ${args.join(" ")}: ${stderr.trim() || error.message}`));
      else resolve(stdout);
    });
  });
}

/** A /30 of 10.77.0.0/16 no interface on this host uses yet, starting from one derived from our pid. */
async function freeSubnet(): Promise<{ hostIp: string; nsIp: string }> {
  const used = await ip(["-4", "-o", "addr", "show"]);
  const blocks = 16384;
  const start = (process.pid * 61 + netnsCounter * 7) % blocks;
  for (let i = 0; i < blocks; i++) {
    const block = (start + i) % blocks;
    const base = `10.77.${block >> 6}.`;
    const offset = (block & 63) * 4;
    if (block === 0) continue;
    const inUse = [0, 1, 2, 3].some((k) => used.includes(` ${base}${offset + k}/`));
    if (!inUse) return { hostIp: `${base}${offset + 1}`, nsIp: `${base}${offset + 2}` };
  }
  throw new Error("no free /30 left in 10.77.0.0/16");
}

/**
 * Answers every DNS query with NXDOMAIN. The namespace's resolv.conf points here, so a name
 * lookup inside fails fast and truly ("getaddrinfo ENOTFOUND") and never leaves the host.
 */
async function startNxdomainResolver(hostIp: string): Promise<UdpSocket> {
  const socket = createSocket({ type: "udp4", reuseAddr: true });
  socket.on("message", (query, peer) => {
    if (query.length < 12) return;
    let end = 12;
    while (end < query.length && query[end] !== 0) end += (query[end] ?? 0) + 1;
    end += 5; // the root label's zero byte, QTYPE, QCLASS
    if (end > query.length) return;
    const answer = Buffer.from(query.subarray(0, end));
    const flags = query.readUInt16BE(2);
    // QR=1, opcode and RD copied, RA=1, RCODE=3 (NXDOMAIN)
    answer.writeUInt16BE(0x8000 | (flags & 0x7900) | 0x0080 | 3, 2);
    answer.writeUInt16BE(1, 4);
    answer.writeUInt16BE(0, 6);
    answer.writeUInt16BE(0, 8);
    answer.writeUInt16BE(0, 10);
    socket.send(answer, peer.port, peer.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(53, hostIp, () => resolve());
  });
  socket.unref();
  return socket;
}

function deleteNamespace(name: string): void {
  try {
    const pids = execFileSync("ip", ["netns", "pids", name], { encoding: "utf8" });
    for (const pid of pids.split("\n").filter(Boolean)) process.kill(Number(pid), "SIGKILL");
  } catch {
    // nothing left inside
  }
  try {
    execFileSync("ip", ["netns", "del", name], { stdio: "ignore" });
  } catch {
    // already gone
  }
  removeDir(join("/etc/netns", name));
}

/** False for a pid that is gone or a zombie (a container's init may reap late). */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** Namespaces of harness processes that died without cleaning up (SIGKILL): named after their pid. */
async function removeStaleNamespaces(): Promise<void> {
  for (const line of (await ip(["netns", "list"])).split("\n")) {
    const match = /^clawshake-([0-9a-z]+)-[0-9a-z]+\b/.exec(line);
    if (!match?.[1]) continue;
    const owner = Number.parseInt(match[1], 36);
    if (owner !== process.pid && !isAlive(owner)) {
      deleteNamespace(match[0]);
    }
  }
}

/**
 * Creates a network namespace joined to the host by a veth pair (host side `hostIp`, namespace
 * side `nsIp`, a /30 of 10.77.0.0/16), with `lo` up inside and DNS answered NXDOMAIN by the host
 * side. The namespace has no default route: from inside, only `hostIp` is reachable.
 * Needs root and iproute2; throws (does not skip) otherwise.
 */
export async function createNetns(): Promise<Netns> {
  netnsCounter++;
  const pid = process.pid.toString(36);
  const counter = netnsCounter.toString(36);
  const name = `clawshake-${pid}-${counter}`;
  // Interface names are limited to 15 characters.
  const hostIf = `csh${pid}x${counter}`;
  const nsIf = `csn${pid}x${counter}`;
  try {
    await removeStaleNamespaces();
    await ip(["netns", "add", name]);
  } catch (error) {
    throw new Error(
      `createNetns: \`ip netns add ${name}\` failed: it needs root and iproute2 (${(error as Error).message})`,
    );
  }
  const resolvDir = join("/etc/netns", name);
  const teardown = () => deleteNamespace(name);
  const forget = onExit(teardown);
  let resolver: UdpSocket | undefined;
  try {
    const { hostIp, nsIp } = await freeSubnet();
    await ip(["link", "add", hostIf, "type", "veth", "peer", "name", nsIf]);
    await ip(["link", "set", nsIf, "netns", name]);
    await ip(["addr", "add", `${hostIp}/30`, "dev", hostIf]);
    await ip(["link", "set", hostIf, "up"]);
    await ip(["-n", name, "addr", "add", `${nsIp}/30`, "dev", nsIf]);
    await ip(["-n", name, "link", "set", nsIf, "up"]);
    await ip(["-n", name, "link", "set", "lo", "up"]);
    mkdirSync(resolvDir, { recursive: true });
    writeFileSync(join(resolvDir, "resolv.conf"), `nameserver ${hostIp}\noptions timeout:1\n`);
    resolver = await startNxdomainResolver(hostIp);
    const dns = resolver;
    let destroyed = false;
    return {
      name,
      hostIp,
      nsIp,
      destroy: async () => {
        if (destroyed) return;
        destroyed = true;
        dns.close();
        teardown();
        forget();
      },
    };
  } catch (error) {
    resolver?.close();
    teardown();
    forget();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Nodes

/**
 * Starts `openclaw <args>` (normally `node run …`) in its own process group, inside `netns` when
 * given, with a HOME of its own. Output is collected; `waitFor` watches it.
 */
export function runNode(opts: RunNodeOptions): NodeProcess {
  return runProcess(opts, OPENCLAW_BIN, opts.args);
}

/**
 * Runs a shell script as a node operator would paste it (bash), with `openclaw` on PATH, optionally inside a
 * namespace: the way to run exactly the commands the bot generated.
 */
export function runScript(opts: Omit<RunNodeOptions, "args"> & { script: string }): NodeProcess {
  return runProcess(opts, "bash", ["-c", opts.script]);
}

function runProcess(
  opts: Omit<RunNodeOptions, "args">,
  command: string,
  args: string[],
): NodeProcess {
  assertInstalled();
  const ownHome = opts.home === undefined;
  const home = opts.home ?? tempHome("clawshake-node-");
  const env = openclawEnv(home, opts.env);
  env.PATH = [dirname(OPENCLAW_BIN), env.PATH].join(delimiter);
  const spawned = opts.netns
    ? spawnGroup("ip", ["netns", "exec", opts.netns.name, command, ...args], env, home)
    : spawnGroup(command, args, env, home);
  return {
    home,
    output: spawned.output,
    waitFor: (pattern, idleMs = 30_000, from = 0) => waitForOutput(spawned, pattern, idleMs, from),
    exited: spawned.exited,
    signal: spawned.signal,
    stop: async (stopOpts = {}) => {
      await spawned.kill();
      if (ownHome && !stopOpts.keepHome) removeDir(home);
    },
  };
}
