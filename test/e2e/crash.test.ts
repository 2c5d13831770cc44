// The bot is killed (SIGKILL) at every stage of a handshake and restarted on the same SQLite file: the session goes on
// from where it was, the card is shown again, and no private message or approval goes missing or happens twice.
// Each kill comes once the stage's effects are recorded as done. A kill in the instant between a platform accepting a
// message and the store recording it sends that message again on restart: delivery is at least once, never lost, and
// that window is not what these tests measure.
import assert from "node:assert/strict";
import { type ChildProcess, fork } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, describe, it } from "node:test";
import type { GatewayEvent } from "../../src/core/ports.ts";
import { capabilityRequested, nodeConnected, pairingRequested } from "../support/gateway-events.ts";
import { startTlsGateway, type TlsGateway } from "../support/tls-gateway.ts";
import { Progress, waitFor } from "../support/wait.ts";

const TOKEN = "tok_crash_5e4d3c2b1a0f9e8d7c6b";

/** Every bot process started, so none outlives a failing test. */
const lives: BotLife[] = [];

/** One life of the bot process; the test kills it and starts the next on the same data directory. */
class BotLife {
  readonly child: ChildProcess;
  readonly dir: string;
  output = "";
  /** What this life of the bot has done: its terminal and its log. */
  readonly progress: Progress;
  constructor(dir: string, canMint: boolean) {
    this.dir = dir;
    this.progress = new Progress().text(() => this.output).file(join(dir, "clawshake.log"));
    lives.push(this);
    this.child = fork(join(import.meta.dirname, "../support/bot-process.ts"), [], {
      env: {
        ...process.env,
        CLAWSHAKE_DATA_DIR: dir,
        CLAWSHAKE_SEALING_KEY: "22".repeat(32),
        CONSOLE_APPROVERS: "alice,dave",
        CONSOLE_GATEWAY_OPERATORS: "carol",
        BOT_CALLS_FILE: join(dir, "calls.txt"),
        BOT_CAN_MINT: String(canMint),
      },
      stdio: ["pipe", "pipe", "pipe", "ipc"],
    });
    this.child.stdout?.on("data", (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    this.child.stderr?.on("data", (chunk: Buffer) => {
      this.output += chunk.toString();
    });
  }
  async ready(): Promise<this> {
    await waitFor(
      () => this.output.includes("Type /help"),
      "the bot to start",
      () => this.output,
      { progress: () => this.progress.count(), idleMs: 30_000 },
    );
    return this;
  }
  type(...lines: string[]): void {
    for (const line of lines) this.child.stdin?.write(`${line}\n`);
  }
  emit(event: GatewayEvent): void {
    this.child.send({ emit: event });
  }
  async see(text: string): Promise<void> {
    await waitFor(
      () => this.output.includes(text),
      `“${text}”`,
      () => this.output.slice(-2500),
      { progress: () => this.progress.count() },
    );
  }
  /** The number of the newest button with this label in a message shown to `who` (or the channel). */
  button(label: string, who?: string): number {
    const sections = this.output.split(/\n(?=── )/);
    for (const section of sections.reverse()) {
      if (who ? !section.startsWith(`── private to ${who}`) : !section.startsWith("── #team"))
        continue;
      const match = new RegExp(`\\[(\\d+)\\] ${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`).exec(
        section,
      );
      if (match) return Number(match[1]);
    }
    throw new Error(`no button “${label}”${who ? ` for ${who}` : ""}\n${this.output.slice(-2500)}`);
  }
  /** Waits until every effect the bot has queued is recorded as done, so a kill lands between stages. */
  async settled(): Promise<void> {
    await waitFor(
      () => pendingEffects(this.dir) === 0,
      "the outbox to be empty",
      () => this.output.slice(-2500),
      { progress: () => this.progress.count() },
    );
  }
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGKILL");
    await exited;
  }
}

/** The outbox entries not yet done, read from the bot's SQLite file while the bot runs (WAL allows it). */
function pendingEffects(dir: string): number {
  const db = new DatabaseSync(join(dir, "clawshake.sqlite"), { readOnly: true });
  try {
    const row = db.prepare("SELECT count(*) AS n FROM outbox WHERE done = 0").get() as {
      n: number;
    };
    return row.n;
  } finally {
    db.close();
  }
}

/** Counts, across every life of the bot, the first deliveries (not the "(updated)" re-renders) of a private message. */
function deliveries(outputs: string[], who: string, title: string): number {
  return outputs
    .join("\n")
    .split(/\n(?=── )/)
    .filter(
      (s) =>
        s.startsWith(`── private to ${who}\n`) && s.includes(title) && !s.includes("(updated)"),
    ).length;
}

describe("a bot killed at every stage of a handshake", () => {
  const dirs: string[] = [];
  let tls: TlsGateway | undefined;
  after(async () => {
    for (const life of lives) await life.kill();
    await tls?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("finishes a shared-token handshake with exactly one credentials message and one approval of each kind", async () => {
    tls = await startTlsGateway();
    const gw = tls;
    const dir = mkdtempSync(join(tmpdir(), "clawshake-crash-"));
    dirs.push(dir);
    writeFileSync(join(dir, "calls.txt"), "");
    const outputs: string[] = [];
    let bot = await new BotLife(dir, false).ready();
    /** SIGKILL, then a new process on the same files; it must show the card again. */
    const crash = async (expect: string) => {
      await bot.settled();
      await bot.kill();
      outputs.push(bot.output);
      bot = await new BotLife(dir, false).ready();
      await bot.see(expect);
    };

    bot.type("/as bob", "/connect-node crash-1");
    await bot.see("Waiting for a gateway operator");
    await crash("Waiting for a gateway operator");

    bot.type("/as carol", String(bot.button("I'm the gateway operator")));
    await bot.see("Gateway details for “crash-1”");
    bot.type(gw.host, String(gw.port), gw.fingerprint, TOKEN);
    await bot.see("Credentials sent to bob");
    await crash("Credentials sent to bob");

    bot.emit(pairingRequested({ requestId: "req-c1", deviceId: "dev-c1", displayName: "crash-1" }));
    await bot.see("Approve device pairing for “crash-1”?");
    await crash("The node asked to pair");

    bot.type("/as alice", String(bot.button("Approve device", "alice")));
    await bot.see("The device was approved. The node stays paused");
    await crash("must run the node command again");

    bot.emit(
      capabilityRequested({ requestId: "cap-c1", nodeId: "dev-c1", commands: ["system.run"] }),
    );
    await bot.see("Approve the commands of “crash-1”?");
    await crash("The node asks for its commands");

    bot.type("/as dave", String(bot.button("Approve commands", "dave")));
    await bot.see("Waiting for the gateway to show the node connected");
    await crash("Waiting for the gateway to show the node connected");

    bot.emit(nodeConnected("dev-c1", "crash-1"));
    await bot.see("✅ Node “crash-1” is connected");
    await bot.kill();
    outputs.push(bot.output);

    const calls = readFileSync(join(dir, "calls.txt"), "utf8").trim().split("\n");
    assert.deepEqual(calls, ["approveDevice req-c1", "approveCapability cap-c1"]);
    assert.equal(deliveries(outputs, "bob", "Connect your node “crash-1”"), 1);
    assert.equal(deliveries(outputs, "alice", "Approve device pairing"), 1);
    assert.equal(deliveries(outputs, "bob", "Run the node again"), 1);
    const channel = outputs
      .join("\n")
      .split(/\n(?=── )/)
      .filter((s) => s.startsWith("── #team"))
      .join("\n");
    assert.ok(!channel.includes(TOKEN));
    assert.ok(!readFileSync(join(dir, "clawshake.log"), "utf8").includes(TOKEN));
  });

  it("finishes a setup-link handshake with exactly one link minted and sent", async () => {
    const dir = mkdtempSync(join(tmpdir(), "clawshake-crash-"));
    dirs.push(dir);
    writeFileSync(join(dir, "calls.txt"), "");
    const outputs: string[] = [];
    let bot = await new BotLife(dir, true).ready();
    const crash = async (expect: string) => {
      await bot.settled();
      await bot.kill();
      outputs.push(bot.output);
      bot = await new BotLife(dir, true).ready();
      await bot.see(expect);
    };

    bot.type("/as bob", "/connect-node crash-2");
    await bot.see("Approve a new node “crash-2”?");
    await crash("Waiting for an approver to approve this request");

    bot.type("/as alice", String(bot.button("Approve: all commands", "alice")));
    await bot.see("Your setup link for “crash-2”");
    await crash("Setup link sent to bob");

    // The stand-in gateway minted "setup-<n>" and wrote "mintSetupCode <n>".
    const minted = readFileSync(join(dir, "calls.txt"), "utf8").trim().split(" ")[1];
    bot.emit({ type: "setupCompleted", setupId: `setup-${minted}`, deviceId: "dev-c2" });
    await bot.see("The node used its setup link");
    await crash("The node used its setup link");

    bot.emit(nodeConnected("dev-c2", "crash-2"));
    await bot.see("✅ Node “crash-2” is connected");
    await bot.kill();
    outputs.push(bot.output);

    const calls = readFileSync(join(dir, "calls.txt"), "utf8").trim().split("\n");
    assert.equal(calls.length, 1);
    assert.match(calls[0] ?? "", /^mintSetupCode /);
    assert.equal(deliveries(outputs, "bob", "Your setup link for “crash-2”"), 1);
    assert.equal(deliveries(outputs, "alice", "Approve a new node “crash-2”?"), 1);
  });
});
