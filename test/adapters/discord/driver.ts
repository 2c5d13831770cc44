// Runs the bot as in production (real discord.js Client, flows, SQLite file, sealing key, log file) against the
// fake Discord, and acts as the people in the channel: bob asks, carol runs the gateway, alice and dave approve, eve watches.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { registerCommands } from "../../../src/adapters/discord/commands.ts";
import { DiscordChat } from "../../../src/adapters/discord/discord.ts";
import { type DiscordOptions, discordOptions } from "../../../src/adapters/discord/options.ts";
import { createLogger } from "../../../src/adapters/log/logger.ts";
import { loadConfig } from "../../../src/config.ts";
import type { Gateway } from "../../../src/core/ports.ts";
import type { Session } from "../../../src/core/types.ts";
import { type App, startApp } from "../../../src/main.ts";
import {
  type CallbackData,
  type FakeChannel,
  FakeDiscord,
  type FakeGuild,
  type FakeRole,
  type FakeUser,
  type InteractionHandle,
  type MessageBody,
  type RecordedMessage,
} from "../../fakes/discord/index.ts";
import { shownText, withoutEscapes } from "../../support/discord-markdown.ts";

export const SEALING_KEY = "22".repeat(32);

export interface People {
  bob: FakeUser;
  carol: FakeUser;
  alice: FakeUser;
  dave: FakeUser;
  eve: FakeUser;
}

export interface DriverOptions {
  /** Extra environment for the bot (e.g. DISCORD_LEAK_GUARD), given the server's ids. */
  env?: (driver: DiscordDriver) => Record<string, string>;
  /** Adapter options the environment cannot set (the deferral delay). */
  adapter?: Partial<DiscordOptions>;
  /** People whose DMs are closed. */
  dmsClosed?: (keyof People)[];
}

/**
 * One fake Discord server with #ops: bob (asks for and runs the node), carol (gateway operator by role),
 * alice (approver by role), dave (approver by id), eve (no role). The bot is started with `startBot()`.
 */
export class DiscordDriver {
  readonly fake = new FakeDiscord();
  readonly dir = mkdtempSync(join(tmpdir(), "clawshake-discord-"));
  readonly gateway: Gateway;
  readonly options: DriverOptions;
  guild!: FakeGuild;
  channel!: FakeChannel;
  otherChannel!: FakeChannel;
  approverRole!: FakeRole;
  operatorRole!: FakeRole;
  people!: People;
  chat: DiscordChat | undefined;
  app: App | undefined;
  /** Who made each interaction, by id and by token, to tell whose answers a body belongs to. */
  readonly #actors = new Map<string, string>();

  constructor(gateway: Gateway, options: DriverOptions = {}) {
    this.gateway = gateway;
    this.options = options;
  }

  get logFile(): string {
    return join(this.dir, "clawshake.log");
  }

  async start(): Promise<this> {
    const fake = this.fake;
    await fake.start();
    this.guild = fake.addGuild({ name: "OpenClaw Ops" });
    this.channel = fake.addChannel(this.guild.id, { name: "ops" });
    this.otherChannel = fake.addChannel(this.guild.id, { name: "random" });
    this.approverRole = fake.addRole(this.guild.id, { name: "approvers" });
    this.operatorRole = fake.addRole(this.guild.id, { name: "gateway-operators" });
    const closed = new Set(this.options.dmsClosed ?? []);
    const person = (username: keyof People, locale = "en-US") =>
      fake.addUser({ username, locale, dmsClosed: closed.has(username) });
    this.people = {
      bob: person("bob"),
      carol: person("carol"),
      alice: person("alice"),
      dave: person("dave"),
      eve: person("eve"),
    };
    const { bob, carol, alice, dave, eve } = this.people;
    fake.addMember(this.guild.id, bob.id);
    fake.addMember(this.guild.id, carol.id, [this.operatorRole.id]);
    fake.addMember(this.guild.id, alice.id, [this.approverRole.id]);
    fake.addMember(this.guild.id, dave.id);
    fake.addMember(this.guild.id, eve.id);
    await registerCommands({ token: "fake-token", apiUrl: fake.restApi, guildId: this.guild.id });
    await this.startBot();
    return this;
  }

  /** Starts the app and the Discord adapter on this driver's SQLite file and the same fake. */
  async startBot(): Promise<void> {
    const config = loadConfig({
      CLAWSHAKE_DATA_DIR: this.dir,
      CLAWSHAKE_SEALING_KEY: SEALING_KEY,
      CLAWSHAKE_LOG_LEVEL: "debug",
      CLAWSHAKE_TICK_SECONDS: "1",
      DISCORD_TOKEN: "fake-token",
      DISCORD_API_URL: this.fake.restApi,
      DISCORD_APPROVER_IDS: this.people.dave.id,
      DISCORD_APPROVER_ROLE_ID: this.approverRole.id,
      DISCORD_GATEWAY_OPERATOR_ROLE_ID: this.operatorRole.id,
      ...this.options.env?.(this),
    });
    const log = createLogger("debug", pino.destination({ dest: this.logFile, sync: true }));
    const chat = new DiscordChat(
      {
        ...discordOptions(config),
        // Attachments live on Discord's CDN, which the bot only reads over https; here the fake serves them.
        attachmentOrigin: new URL(this.fake.restApi).origin,
        ...this.options.adapter,
      },
      log,
    );
    const app = await startApp(config, { chats: [chat], gateway: this.gateway, log });
    await chat.start(app.handshake);
    this.chat = chat;
    this.app = app;
  }

  /** Logs the bot out and closes the app (the store), as a process exit would. */
  async stopBot(): Promise<void> {
    await this.chat?.stop();
    await this.app?.stop();
    this.chat = undefined;
    this.app = undefined;
  }

  async stop(): Promise<void> {
    await this.stopBot();
    await this.fake.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  // ── people acting ───────────────────────────────────────────────────────────

  connectNode(
    user: FakeUser,
    name: string,
    extra: { nodeOperator?: FakeUser; channelId?: string; reason?: string; commands?: string } = {},
  ) {
    return this.#remember(
      user,
      this.fake.slashCommand({
        user,
        guildId: this.guild.id,
        channelId: extra.channelId ?? this.channel.id,
        name: "connect-node",
        options: [
          { name: "name", type: 3, value: name },
          ...(extra.nodeOperator
            ? [{ name: "node-operator", type: 6, value: extra.nodeOperator.id }]
            : []),
          ...(extra.reason !== undefined ? [{ name: "reason", type: 3, value: extra.reason }] : []),
          ...(extra.commands !== undefined
            ? [{ name: "commands", type: 3, value: extra.commands }]
            : []),
        ],
      }),
    );
  }

  /**
   * Clicks the button for `action` on a message (the card, a DM); the first of them, or the one whose target is
   * `target` (the request approval's choices of commands).
   */
  click(
    user: FakeUser,
    message: RecordedMessage,
    action: string,
    target?: string,
  ): InteractionHandle {
    // `cs1:<session>:<action>`, or with the target of an approval: `cs1:<session>:<action>:<target>`.
    const customId = this.fake
      .customIds(message)
      .find(
        (id) =>
          id.split(":")[2] === action && (target === undefined || id.split(":")[3] === target),
      );
    if (!customId)
      throw new Error(
        `no “${action}” button on ${message.id}: ${this.fake.customIds(message).join(", ")}`,
      );
    return this.#remember(user, this.fake.clickButton({ user, message, customId }));
  }

  clickId(user: FakeUser, message: RecordedMessage, customId: string): InteractionHandle {
    return this.#remember(user, this.fake.clickButton({ user, message, customId }));
  }

  submitModal(user: FakeUser, customId: string, fields: Record<string, string>): InteractionHandle {
    return this.#remember(user, this.fake.submitModal({ user, customId, fields }));
  }

  slash(user: FakeUser, name: string, channelId?: string): InteractionHandle {
    return this.#remember(
      user,
      this.fake.slashCommand({
        user,
        name,
        ...(channelId ? { guildId: this.guild.id, channelId } : {}),
      }),
    );
  }

  #remember(user: FakeUser, handle: InteractionHandle): InteractionHandle {
    this.#actors.set(handle.id, user.id);
    this.#actors.set(handle.token, user.id);
    return handle;
  }

  // ── what people see ─────────────────────────────────────────────────────────

  /** The session card: the first message the bot posted in #ops. */
  async card(): Promise<RecordedMessage> {
    return this.fake.waitFor(
      () => this.fake.channelMessages(this.channel.id).find((m) => m.via === "channel"),
      { what: "the session card in #ops", timeoutMs: 10_000 },
    );
  }

  /** Waits until the card shows `text`. */
  async cardShows(text: string): Promise<RecordedMessage> {
    const card = await this.card();
    await this.fake.waitFor(() => textOf(card).includes(text), {
      what: `the card to show “${text}”; it shows:\n${textOf(card)}`,
      timeoutMs: 15_000,
    });
    return card;
  }

  /** Waits for a DM to `user` that shows `text`, and returns it. */
  async dm(user: FakeUser, text: string): Promise<RecordedMessage> {
    return this.fake.waitFor(
      () => this.fake.dmsTo(user.id).find((m) => !m.deleted && textOf(m).includes(text)),
      { what: `a DM to ${user.username} showing “${text}”`, timeoutMs: 15_000 },
    );
  }

  /** The text of the first answer to an interaction (an ephemeral reply, or the edit of a deferred one). */
  async answer(
    handle: InteractionHandle,
  ): Promise<{ text: string; ephemeral: boolean; type: number }> {
    const callback = await handle.response({ timeoutMs: 10_000 });
    if (callback.type === 5) {
      const [first] = await handle.followups(1, { timeoutMs: 15_000 });
      return {
        text: bodyText(first?.body),
        ephemeral: handle.originalMessage()?.ephemeral ?? false,
        type: 5,
      };
    }
    return {
      text: callbackText(callback.data),
      ephemeral: ((callback.data?.flags ?? 0) & 64) !== 0,
      type: callback.type,
    };
  }

  /** Waits until the first answer to an interaction, as edited since, shows `text`; returns what it shows. */
  async answerShows(handle: InteractionHandle, text: string): Promise<string> {
    return this.fake.waitFor(
      () => {
        const message = handle.originalMessage();
        const shown = message && !message.deleted ? textOf(message) : "";
        return shown.includes(text) ? shown : undefined;
      },
      {
        what: `the answer to interaction ${handle.id} to show “${text}”; it shows:\n${textOf(handle.originalMessage() as RecordedMessage)}`,
        timeoutMs: 15_000,
      },
    );
  }

  async session(): Promise<Session> {
    const [session] = (await this.app?.store.active()) ?? [];
    if (session) return session;
    throw new Error("no active session");
  }

  /**
   * Every body the bot sent that someone other than `nodeOperator` could see: posts and edits in guild
   * channels and other people's DMs, and answers to other people's interactions. The logs and database too.
   */
  publicTraces(nodeOperator: FakeUser): { where: string; text: string }[] {
    const guildChannels = new Set([this.channel.id, this.otherChannel.id]);
    const othersDms = new Set(
      this.fake.messages
        .filter((m) => m.isDm && m.recipientId !== nodeOperator.id)
        .map((m) => m.channelId),
    );
    const traces: { where: string; text: string }[] = [];
    for (const entry of this.fake
      .allText()
      .split(/\n(?=(?:GET|POST|PUT|PATCH|DELETE) \/|GATEWAY )/)) {
      const [line = ""] = entry.split("\n", 1);
      const channel = /\/channels\/(\d+)\//.exec(line)?.[1];
      const interaction = /\/interactions\/(\d+)\//.exec(line)?.[1];
      const webhook = /\/webhooks\/\d+\/([^/\s?]+)/.exec(line)?.[1];
      const actor = this.#actors.get(interaction ?? webhook ?? "");
      const visibleToOthers =
        (channel !== undefined && (guildChannels.has(channel) || othersDms.has(channel))) ||
        ((interaction !== undefined || webhook !== undefined) && actor !== nodeOperator.id) ||
        line.startsWith("GATEWAY");
      // What people read, too: a secret the renderer escaped (`tok\_…`) is still that secret.
      if (visibleToOthers)
        traces.push({ where: line.slice(0, 80), text: `${entry}\n${withoutEscapes(entry)}` });
    }
    traces.push({ where: "log file", text: readFileSync(this.logFile, "utf8") });
    for (const name of readdirSync(this.dir).filter((n) => n.startsWith("clawshake.sqlite")))
      traces.push({ where: name, text: readFileSync(join(this.dir, name)).toString("latin1") });
    return traces;
  }
}

/** Everything a person sees in a message: content, embed titles, descriptions, fields, button labels. */
export function textOf(message: RecordedMessage): string {
  return bodyText(message);
}

function bodyText(body: MessageBody | RecordedMessage | undefined): string {
  if (!body) return "";
  const parts = [shownText(body.content ?? "")];
  for (const embed of body.embeds ?? []) {
    parts.push(shownText(embed.title ?? ""), shownText(embed.description ?? ""));
    for (const field of embed.fields ?? [])
      parts.push(`${shownText(field.name)}: ${shownText(field.value)}`);
  }
  parts.push(JSON.stringify(body.components ?? []));
  return parts.join("\n");
}

function callbackText(data: CallbackData | undefined): string {
  if (!data) return "";
  return `${data.title ?? ""}\n${bodyText(data as MessageBody)}`;
}

/** The modal's text inputs by custom_id, as shown. */
export function modalInputs(data: CallbackData | undefined): Map<string, Record<string, unknown>> {
  const inputs = new Map<string, Record<string, unknown>>();
  for (const top of (data?.components ?? []) as Record<string, unknown>[]) {
    const input = (top.component ?? (top.components as unknown[] | undefined)?.[0]) as
      | Record<string, unknown>
      | undefined;
    if (input && typeof input.custom_id === "string") inputs.set(input.custom_id, input);
  }
  return inputs;
}
