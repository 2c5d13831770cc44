// Drives the console adapter through its standard input, as a person at the terminal would, with the real
// flows, a real SQLite file and real logs; the gateway is whatever the test passes (a ScriptedGateway or the real one).

import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { pino } from "pino";
import { ConsoleChat, type TranscriptLine } from "../../src/adapters/console/console.ts";
import { createLogger } from "../../src/adapters/log/logger.ts";
import { loadConfig } from "../../src/config.ts";
import type { Gateway } from "../../src/core/ports.ts";
import { type App, type Overrides, startApp } from "../../src/main.ts";
import { type Patience, Progress, waitFor } from "./wait.ts";

export const SEALING_KEY = "11".repeat(32);

export class ConsoleDriver {
  readonly dir = mkdtempSync(join(tmpdir(), "clawshake-console-"));
  readonly input = new PassThrough();
  readonly output = new PassThrough();
  screen = "";
  chat!: ConsoleChat;
  app!: App;
  #running: Promise<void> | undefined;

  readonly gateway: Gateway;
  readonly env: Record<string, string>;

  readonly overrides: Overrides;

  constructor(gateway: Gateway, env: Record<string, string> = {}, overrides: Overrides = {}) {
    this.overrides = overrides;
    this.gateway = gateway;
    this.env = env;
    this.output.on("data", (chunk: Buffer) => {
      this.screen += chunk.toString("utf8");
    });
  }

  get logFile(): string {
    return join(this.dir, "clawshake.log");
  }

  async start(): Promise<this> {
    const config = loadConfig({
      CLAWSHAKE_DATA_DIR: this.dir,
      CLAWSHAKE_SEALING_KEY: SEALING_KEY,
      CONSOLE_APPROVERS: "alice,dave",
      CONSOLE_GATEWAY_OPERATORS: "carol",
      CLAWSHAKE_LOG_LEVEL: "debug",
      ...this.env,
    });
    this.chat = new ConsoleChat({
      input: this.input,
      output: this.output,
      approvers: config.env.CONSOLE_APPROVERS,
      gatewayOperators: config.env.CONSOLE_GATEWAY_OPERATORS,
      lang: "en",
    });
    const log = createLogger("debug", pino.destination({ dest: this.logFile, sync: true }));
    this.app = await startApp(config, {
      ...this.overrides,
      chats: [this.chat],
      gateway: this.gateway,
      log,
    });
    this.#running = this.chat.run(this.app.handshake);
    return this;
  }

  type(...lines: string[]): void {
    for (const line of lines) this.input.write(`${line}\n`);
  }

  /**
   * What `see` follows: the screen and the bot's log; a test adds the other parties (a gateway's log, a node's
   * output), so that a wait lasts as long as any of them does something new.
   */
  readonly progress = new Progress().text(() => this.screen).file(this.logFile);

  /** How long `see` waits without progress (and in all); the real gateway needs more than the default. */
  patience: Patience = { idleMs: 15_000 };

  /** Waits until some transcript line satisfies `predicate`; returns it. */
  async see(predicate: (line: TranscriptLine) => boolean, what: string): Promise<TranscriptLine> {
    return waitFor(
      () => this.chat.transcript.find(predicate),
      what,
      () => this.screen.slice(-3000),
      { progress: () => this.progress.count(), ...this.patience },
    );
  }

  async seeText(
    text: string,
    where?: TranscriptLine["where"],
    to?: string,
  ): Promise<TranscriptLine> {
    return this.see(
      (l) => l.text.includes(text) && (!where || l.where === where) && (!to || l.to === to),
      `“${text}”${where ? ` in ${where}` : ""}${to ? ` to ${to}` : ""}`,
    );
  }

  /** The number of the newest button labelled `label` that `where`/`to` shows. */
  button(label: string, where: TranscriptLine["where"], to?: string): number {
    for (const line of [...this.chat.transcript].reverse()) {
      if (line.where !== where || (to && line.to !== to)) continue;
      const match = new RegExp(`\\[(\\d+)\\] ${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`).exec(
        line.text,
      );
      if (match) return Number(match[1]);
    }
    throw new Error(
      `no button “${label}” in ${where}${to ? ` to ${to}` : ""}\n${this.screen.slice(-3000)}`,
    );
  }

  /** What the channel showed, what the logs say, and the database files: where no secret may be. */
  publicTraces(): { channel: string; logs: string; database: string } {
    const channel = this.chat.transcript
      .filter((l) => l.where === "channel" || l.where === "system")
      .map((l) => l.text)
      .join("\n");
    const database = readdirSync(this.dir)
      .filter((name) => name.startsWith("clawshake.sqlite"))
      .map((name) => readFileSync(join(this.dir, name)).toString("latin1"))
      .join("\n");
    return { channel, logs: readFileSync(this.logFile, "utf8"), database };
  }

  /** Stops the bot as a restart would, keeping its data directory (for what reads it afterwards: the CLI). */
  async stopBot(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.input.end();
    await this.#running;
    await this.app.stop();
  }
  #stopped = false;

  async stop(): Promise<void> {
    await this.stopBot();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The code blocks of a console message, in order (the console indents them by four spaces). */
export function codeBlocks(text: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  for (const line of text.split("\n")) {
    if (line.startsWith("    ")) current.push(line.slice(4));
    else if (current.length > 0) {
      blocks.push(`${current.join("\n")}\n`);
      current = [];
    }
  }
  if (current.length > 0) blocks.push(`${current.join("\n")}\n`);
  return blocks;
}
