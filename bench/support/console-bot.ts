// The bot with the console adapter, driven through its input as people would, with each line it shows time-stamped.
// Production settings (info logs to a file, SQLite with a sealing key); it never reads the time from anywhere but the moment a line is shown.

import { join } from "node:path";
import { PassThrough } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { pino } from "pino";
import { ConsoleChat, type TranscriptLine } from "../../src/adapters/console/console.ts";
import { createLogger } from "../../src/adapters/log/logger.ts";
import { loadConfig } from "../../src/config.ts";
import type { Gateway } from "../../src/core/ports.ts";
import { type App, startApp } from "../../src/main.ts";
import { removeDir, tempDir } from "./cleanup.ts";

/** A line the console showed, and when (Date.now(), the clock the gateway's timestamps use too). */
export interface ShownLine {
  at: number;
  line: TranscriptLine;
}

export class ConsoleBot {
  readonly dir = tempDir("clawshake-bench-console-");
  readonly input = new PassThrough();
  readonly output = new PassThrough();
  readonly shown: ShownLine[] = [];
  readonly gateway: Gateway;
  readonly env: Record<string, string>;
  chat!: ConsoleChat;
  app!: App;
  #running: Promise<void> | undefined;

  constructor(gateway: Gateway, env: Record<string, string> = {}) {
    this.gateway = gateway;
    this.env = env;
    this.output.resume();
  }

  async start(): Promise<this> {
    const config = loadConfig({
      CLAWSHAKE_DATA_DIR: this.dir,
      CLAWSHAKE_SEALING_KEY: "77".repeat(32),
      CONSOLE_APPROVERS: "alice,dave",
      CONSOLE_GATEWAY_OPERATORS: "carol",
      ...this.env,
    });
    this.chat = new ConsoleChat({
      input: this.input,
      output: this.output,
      approvers: config.env.CONSOLE_APPROVERS,
      gatewayOperators: config.env.CONSOLE_GATEWAY_OPERATORS,
      lang: "en",
    });
    // The console pushes each line to its transcript the moment it shows it: stamping the push times the card.
    const transcript = this.chat.transcript;
    const push = transcript.push.bind(transcript);
    transcript.push = (...lines: TranscriptLine[]) => {
      const at = Date.now();
      for (const line of lines) this.shown.push({ at, line });
      return push(...lines);
    };
    const log = createLogger(
      config.env.CLAWSHAKE_LOG_LEVEL,
      pino.destination({ dest: join(this.dir, "clawshake.log"), sync: false }),
    );
    this.app = await startApp(config, { chats: [this.chat], gateway: this.gateway, log });
    this.#running = this.chat.run(this.app.handshake);
    return this;
  }

  type(...lines: string[]): void {
    for (const line of lines) this.input.write(`${line}\n`);
  }

  /** The first line from `from` on that satisfies `predicate`, with the time it was shown. */
  async see(
    predicate: (line: TranscriptLine) => boolean,
    what: string,
    timeoutMs = 90_000,
    from = 0,
  ): Promise<ShownLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.shown.slice(from).find((s) => predicate(s.line));
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await sleep(10);
    }
  }

  /** The number of the newest button labelled `label` shown in `where` (to `to`). */
  button(label: string, where: TranscriptLine["where"], to?: string): number {
    const pattern = new RegExp(`\\[(\\d+)\\] ${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`);
    for (const { line } of [...this.shown].reverse()) {
      if (line.where !== where || (to && line.to !== to)) continue;
      const match = pattern.exec(line.text);
      if (match) return Number(match[1]);
    }
    throw new Error(`no button “${label}” in ${where}${to ? ` to ${to}` : ""}`);
  }

  async stop(): Promise<void> {
    this.input.end();
    await this.#running;
    await this.app?.stop();
    removeDir(this.dir);
  }
}
