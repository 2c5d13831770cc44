// Runs clawshake's Telegram adapter, the real grammY bot, against the fake Bot API, with the real flows, a real
// SQLite file sealed with a key, and real logs to a file; the test plays the people and (through the gateway) OpenClaw.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { User } from "grammy/types";
import { pino } from "pino";
import { createLogger } from "../../../src/adapters/log/logger.ts";
import { TelegramChat, telegramOptions } from "../../../src/adapters/telegram/telegram.ts";
import { loadConfig } from "../../../src/config.ts";
import type { Gateway } from "../../../src/core/ports.ts";
import type { Session } from "../../../src/core/types.ts";
import { type App, createStore, startApp } from "../../../src/main.ts";
import {
  type ButtonClick,
  type FakeChat,
  FakeTelegram,
  type RecordedMessage,
} from "../../fakes/telegram/index.ts";
import { SEALING_KEY } from "../../support/console-driver.ts";

/** The people of the tests, with fixed ids so the configuration can name them. */
export const PEOPLE = {
  bob: { id: 5_000_001, first_name: "Bob" }, // asks for the node and runs it
  alice: { id: 5_000_002, first_name: "Alice" }, // approver
  dave: { id: 5_000_003, first_name: "Dave", language_code: "en-GB" }, // approver
  carol: { id: 5_000_004, first_name: "Carol" }, // gateway operator
  eve: { id: 5_000_005, first_name: "Eve" }, // a stranger in the group
  olga: { id: 5_000_006, first_name: "Olga" }, // a group administrator
} as const;

export type Name = keyof typeof PEOPLE;

export interface DriverOptions {
  /** Who has pressed Start in a private chat with the bot (default: everybody but nobody named here). */
  notStarted?: Name[];
  /** The group's administrators (none by default). */
  admins?: Name[];
  /** The group is a forum (a supergroup with topics). */
  forum?: boolean;
  /** The group's id, for settings that name it (TELEGRAM_CHAT_IDS); a fresh one by default. */
  groupId?: number;
  env?: Record<string, string>;
}

const WAIT_MS = 15_000;

export class TelegramDriver {
  readonly dir = mkdtempSync(join(tmpdir(), "clawshake-telegram-"));
  readonly fake = new FakeTelegram();
  readonly gateway: Gateway;
  readonly options: DriverOptions;
  readonly users = {} as Record<Name, User>;
  group!: FakeChat;
  /** How many buttons the test pressed, to check that the bot answered every press. */
  presses = 0;
  chat!: TelegramChat;
  app!: App;
  #running = false;

  constructor(gateway: Gateway, options: DriverOptions = {}) {
    this.gateway = gateway;
    this.options = options;
  }

  get logFile(): string {
    return join(this.dir, "clawshake.log");
  }

  async start(): Promise<this> {
    await this.fake.start();
    for (const [name, person] of Object.entries(PEOPLE) as [Name, (typeof PEOPLE)[Name]][])
      this.users[name] = this.fake.addUser({
        ...person,
        startedBot: !(this.options.notStarted ?? []).includes(name),
      });
    this.group = this.fake.addGroup({
      title: "Ops",
      members: Object.values(this.users).map((u) => u.id),
      admins: (this.options.admins ?? []).map((name) => this.users[name].id),
      ...(this.options.forum ? { forum: true } : {}),
      ...(this.options.groupId ? { id: this.options.groupId } : {}),
    });
    await this.startBot();
    return this;
  }

  /** Starts the app and the Telegram adapter on this driver's SQLite file and the same fake. */
  async startBot(): Promise<void> {
    const config = loadConfig({
      CLAWSHAKE_DATA_DIR: this.dir,
      CLAWSHAKE_SEALING_KEY: SEALING_KEY,
      CLAWSHAKE_LOG_LEVEL: "debug",
      TELEGRAM_BOT_TOKEN: this.fake.token,
      TELEGRAM_API_ROOT: this.fake.apiRoot,
      TELEGRAM_APPROVER_IDS: `${PEOPLE.alice.id},${PEOPLE.dave.id}`,
      TELEGRAM_GATEWAY_OPERATOR_IDS: String(PEOPLE.carol.id),
      ...this.options.env,
    });
    const log = createLogger("debug", pino.destination({ dest: this.logFile, sync: true }));
    const store = await createStore(config);
    this.chat = new TelegramChat(telegramOptions(config), { log, store });
    this.app = await startApp(config, { chats: [this.chat], gateway: this.gateway, log, store });
    await this.chat.start(this.app.handshake);
    this.#running = true;
  }

  /** Stops the bot and closes the app (the store), as a process exit would; the fake keeps everything. */
  async stopBot(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    await this.chat?.stop();
    await this.app?.stop();
  }

  /** Stops the bot before the fake (as grammY needs), then the app, then removes the files. */
  async stop(): Promise<void> {
    await this.stopBot();
    await this.fake.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A person writes in the group. */
  inGroup(name: Name, text: string) {
    return this.fake.userSends({ from: this.users[name], chat: this.group, text });
  }

  /** A person writes in their private chat with the bot. */
  privately(name: Name, text: string) {
    return this.fake.userSends({ from: this.users[name], text });
  }

  /** The newest bot message in the group whose text includes `text`, once there is one. */
  async groupMessage(text: string): Promise<RecordedMessage> {
    return this.fake.waitFor(
      () => this.fake.chatMessages(this.group.id).findLast((m) => m.text.includes(text)),
      { timeoutMs: WAIT_MS, what: `a group message with “${text}”` },
    );
  }

  /** The newest private message from the bot to `name` whose text includes `text`, once there is one. */
  async dm(name: Name, text: string): Promise<RecordedMessage> {
    return this.fake.waitFor(
      () => this.fake.privateMessagesTo(this.users[name].id).findLast((m) => m.text.includes(text)),
      { timeoutMs: WAIT_MS, what: `a private message to ${name} with “${text}”` },
    );
  }

  dms(name: Name): RecordedMessage[] {
    return this.fake.privateMessagesTo(this.users[name].id);
  }

  /** `name` presses the button labelled `label` on `message` as it looks now. */
  press(name: Name, message: RecordedMessage, label: string): ButtonClick {
    const rows = (message.reply_markup?.inline_keyboard ?? []) as {
      text: string;
      callback_data?: string;
    }[][];
    const button = rows.flat().find((b) => b.text === label && b.callback_data);
    if (!button?.callback_data)
      throw new Error(
        `no button “${label}” on message ${message.message_id}: ${JSON.stringify(message.reply_markup)}`,
      );
    this.presses += 1;
    return this.fake.clickButton({ from: this.users[name], message, data: button.callback_data });
  }

  /** The URL of the link button labelled `label` on `message`. */
  linkOf(message: RecordedMessage, label: string): string | undefined {
    const rows = (message.reply_markup?.inline_keyboard ?? []) as {
      text: string;
      url?: string;
    }[][];
    return rows.flat().find((b) => b.text === label)?.url;
  }

  async session(displayName: string): Promise<Session | undefined> {
    const all = await this.app.store.active();
    return all.find((s) => s.displayName === displayName);
  }

  /** Every request the bot made for a group chat (each raw body, before and after edits), for secret searches. */
  groupTraffic(): string {
    return this.fake
      .allText()
      .split("\n")
      .filter((line) => {
        const body = /^\w+ \S* (\{.*\})$/.exec(line)?.[1];
        if (!body) return false;
        const chatId = (JSON.parse(body) as { chat_id?: unknown }).chat_id;
        return Number(chatId) < 0;
      })
      .join("\n");
  }

  /** Log lines at level error or worse: a run of the handshake should have none. */
  loggedErrors(): string[] {
    return readFileSync(this.logFile, "utf8")
      .split("\n")
      .filter((line) => /"level":(50|60)/.test(line));
  }

  /** Where no secret may be: every group message, the log file and the SQLite files. */
  publicTraces(): { group: string; logs: string; database: string } {
    const database = readdirSync(this.dir)
      .filter((name) => name.startsWith("clawshake.sqlite"))
      .map((name) => readFileSync(join(this.dir, name)).toString("latin1"))
      .join("\n");
    return {
      group: this.groupTraffic(),
      logs: readFileSync(this.logFile, "utf8"),
      database,
    };
  }
}
