// A local fake of Discord (REST + gateway) for driving the real discord.js Client in tests, and what it recorded.
// It must never reach the internet, and never report success for a request it does not understand.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { ServedDownload } from "../../support/byte-range.ts";
import { FakeGateway, type GatewayLogEntry, type Redact } from "./gateway.ts";
import { customIdsIn, Intent } from "./http.ts";
import {
  type BuiltInteraction,
  type ClickInput,
  type CommandOption,
  InteractionFactory,
  type ModalSubmitInput,
  type SlashCommandInput,
} from "./interactions.ts";
import { type FailureRule, FakeRest } from "./rest.ts";
import { botDefaultPermissions, everyoneDefaultPermissions, FakeState, nowIso } from "./state.ts";
import type {
  CommandRegistration,
  FakeChannel,
  FakeGuild,
  FakeMember,
  FakeRole,
  FakeUser,
  InteractionFollowup,
  RecordedCallback,
  RecordedMessage,
  RecordedRequest,
  UnhandledRequest,
} from "./types.ts";

export { Permission } from "./state.ts";
export type * from "./types.ts";
export type {
  ClickInput,
  CommandOption,
  FailureRule,
  GatewayLogEntry,
  ModalSubmitInput,
  SlashCommandInput,
};

export interface FakeDiscordOptions {
  applicationId?: string;
  /** Defaults to the application id, as for real bots. */
  botUserId?: string;
  botUsername?: string;
  /** When set, REST and identify with another token are refused (401 / close 4004). */
  token?: string;
  /** Sent in HELLO; discord.js heartbeats at this pace (default 41250, Discord's value). */
  heartbeatIntervalMs?: number;
}

/** A person's interaction in flight: await the bot's answer to it. */
export interface InteractionHandle {
  readonly id: string;
  readonly token: string;
  /** The INTERACTION_CREATE data sent to the bot. */
  readonly payload: Record<string, unknown>;
  /** The first callback the bot posted (type 4 reply, 5 deferred, 6/7 update, 8 choices, 9 modal). */
  response(options?: { timeoutMs?: number }): Promise<RecordedCallback>;
  /** Waits for at least `count` followups/edits/deletes through the interaction webhook. */
  followups(count?: number, options?: { timeoutMs?: number }): Promise<InteractionFollowup[]>;
  /** The message the response created (4, 5) or updated (6, 7), as it is now. */
  originalMessage(): RecordedMessage | undefined;
}

/**
 * A fake Discord on 127.0.0.1 for the real discord.js Client:
 * `new Client({ intents, rest: { api: fake.restApi } })`, then `client.login("any-token")`.
 * People act through `slashCommand`, `clickButton`, `submitModal`, `userMessage`; everything the bot
 * sends is recorded (`messages`, `callbacks`, `allText()`), and failures can be injected with `failNext`.
 */
export class FakeDiscord {
  readonly #state: FakeState;
  readonly #gateway: FakeGateway;
  readonly #rest: FakeRest;
  readonly #interactions: InteractionFactory;
  readonly #server: Server;
  #port = 0;

  constructor(options: FakeDiscordOptions = {}) {
    this.#state = new FakeState(options);
    this.#gateway = new FakeGateway(this.#state, {
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      token: options.token,
    });
    this.#rest = new FakeRest(this.#state, this.#gateway, options.token);
    this.#interactions = new InteractionFactory(this.#state);
    this.#server = createServer((req, res) => {
      this.#rest.handle(req, res).catch((error: Error) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ message: `fake discord: ${error.message}`, code: 0 }));
      });
    });
    this.#server.on("upgrade", this.#gateway.handleUpgrade);
  }

  /** Listens on 127.0.0.1, on a free port. */
  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    this.#port = (this.#server.address() as AddressInfo).port;
    this.#gateway.port = this.#port;
    this.#state.cdnBase = `http://127.0.0.1:${this.#port}/cdn`;
  }

  /** Closes the gateway connections and the HTTP server (destroy the discord.js Client first). */
  async stop(): Promise<void> {
    this.#gateway.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** For `new Client({ rest: { api: fake.restApi } })`; discord.js appends `/v10/...`. */
  get restApi(): string {
    return `http://127.0.0.1:${this.#port}/api`;
  }
  get applicationId(): string {
    return this.#state.applicationId;
  }
  get botUser(): FakeUser {
    return this.#state.bot;
  }

  addGuild(
    input: { id?: string; name?: string; locale?: string; botPermissions?: bigint } = {},
  ): FakeGuild {
    const s = this.#state;
    const id = input.id ?? s.ids.next();
    const guild: FakeGuild = {
      id,
      name: input.name ?? "Fake Guild",
      ownerId: s.ids.next(),
      locale: input.locale ?? "en-US",
      botRoleId: s.ids.next(),
      joinedAt: nowIso(),
    };
    s.guilds.set(id, guild);
    s.roles.set(id, {
      id,
      guildId: id,
      name: "@everyone",
      permissions: everyoneDefaultPermissions,
      position: 0,
      botId: null,
    });
    const botRole = {
      id: guild.botRoleId,
      guildId: id,
      name: s.bot.username,
      position: 1,
      botId: s.bot.id,
    };
    s.roles.set(botRole.id, {
      ...botRole,
      permissions: input.botPermissions ?? botDefaultPermissions,
    });
    s.members.set(s.memberKey(id, s.bot.id), {
      guildId: id,
      userId: s.bot.id,
      roleIds: [botRole.id],
      joinedAt: nowIso(),
    });
    this.#gateway.dispatch("GUILD_CREATE", s.guildCreateJson(guild), Intent.Guilds);
    return guild;
  }

  addChannel(guildId: string, input: { id?: string; name?: string } = {}): FakeChannel {
    this.#guild(guildId);
    const channel: FakeChannel = {
      id: input.id ?? this.#state.ids.next(),
      name: input.name ?? "general",
      type: 0,
      guildId,
      recipientId: null,
      lastMessageId: null,
    };
    this.#state.channels.set(channel.id, channel);
    this.#gateway.dispatch("CHANNEL_CREATE", this.#state.channelJson(channel), Intent.Guilds);
    return channel;
  }

  addUser(input: {
    id?: string;
    username: string;
    globalName?: string;
    locale?: string;
    dmsClosed?: boolean;
  }): FakeUser {
    const user: FakeUser = {
      id: input.id ?? this.#state.ids.next(),
      username: input.username,
      globalName: input.globalName ?? null,
      locale: input.locale ?? "en-US",
      dmsClosed: input.dmsClosed ?? false,
      bot: false,
    };
    this.#state.users.set(user.id, user);
    return user;
  }

  /** Closes or opens a person's DMs (posting to a closed DM gets 403, code 50007). */
  setDmsClosed(userId: string, closed: boolean): void {
    this.#state.user(userId).dmsClosed = closed;
  }

  addRole(guildId: string, input: { id?: string; name: string; permissions?: bigint }): FakeRole {
    this.#guild(guildId);
    const position = this.#state.guildRoles(guildId).length;
    const role: FakeRole = {
      id: input.id ?? this.#state.ids.next(),
      guildId,
      name: input.name,
      permissions: input.permissions ?? 0n,
      position,
      botId: null,
    };
    this.#state.roles.set(role.id, role);
    this.#gateway.dispatch(
      "GUILD_ROLE_CREATE",
      { guild_id: guildId, role: this.#state.roleJson(role) },
      Intent.Guilds,
    );
    return role;
  }

  /** What a role may do. */
  rolePermissions(roleId: string): bigint {
    const role = this.#state.roles.get(roleId);
    if (!role) throw new Error(`fake discord: no role ${roleId}`);
    return role.permissions;
  }

  /** Changes what a role may do (e.g. the bot's role, or @everyone whose id is the guild's), as an admin would. */
  setRolePermissions(roleId: string, permissions: bigint): void {
    const role = this.#state.roles.get(roleId);
    if (!role) throw new Error(`fake discord: no role ${roleId}`);
    role.permissions = permissions;
    this.#gateway.dispatch(
      "GUILD_ROLE_UPDATE",
      { guild_id: role.guildId, role: this.#state.roleJson(role) },
      Intent.Guilds,
    );
  }

  addMember(guildId: string, userId: string, roleIds: string[] = []): FakeMember {
    this.#guild(guildId);
    this.#state.user(userId);
    const member: FakeMember = { guildId, userId, roleIds: [...roleIds], joinedAt: nowIso() };
    this.#state.members.set(this.#state.memberKey(guildId, userId), member);
    this.#gateway.dispatch(
      "GUILD_MEMBER_ADD",
      { ...this.#state.memberJson(member), guild_id: guildId },
      Intent.GuildMembers,
    );
    return member;
  }

  /** Changes a member's roles; later interactions carry the new roles. */
  setMemberRoles(guildId: string, userId: string, roleIds: string[]): void {
    const member = this.#state.member(guildId, userId);
    if (!member) throw new Error(`fake discord: ${userId} is not a member of guild ${guildId}`);
    member.roleIds = [...roleIds];
    this.#gateway.dispatch(
      "GUILD_MEMBER_UPDATE",
      { ...this.#state.memberJson(member), guild_id: guildId },
      Intent.GuildMembers,
    );
  }

  /** A person runs a registered slash command (in a guild channel, or in their DM when no channel is given). */
  slashCommand(input: SlashCommandInput): InteractionHandle {
    return this.#send(this.#interactions.slashCommand(input));
  }

  /** A person clicks a button (or picks from a select menu) on a message the bot sent. */
  clickButton(input: ClickInput): InteractionHandle {
    return this.#send(this.#interactions.click(input));
  }

  /** A person submits a modal the bot showed them (values are checked against the modal's fields). */
  submitModal(input: ModalSubmitInput): InteractionHandle {
    return this.#send(this.#interactions.modalSubmit(input));
  }

  /** A person types into a command option; mark the option being typed with `focused: true`. */
  autocomplete(input: SlashCommandInput): InteractionHandle {
    return this.#send(this.#interactions.slashCommand(input, 4));
  }

  /**
   * A person posts a message (MESSAGE_CREATE). As on Discord, a guild message reaches a bot without the
   * MessageContent intent with empty content unless it mentions the bot.
   */
  /** A file a person attaches to a slash command: pass the returned id as an attachment option's value. */
  upload(filename: string, text: string): string {
    const id = this.#state.ids.next();
    this.#state.uploads.set(id, {
      id,
      filename,
      contentType: "text/plain; charset=utf-8",
      size: Buffer.byteLength(text),
      text,
    });
    return id;
  }

  userMessage(input: {
    user: FakeUser | string;
    channelId?: string;
    content: string;
    /** Files attached to the message (text). */
    files?: Array<{ filename: string; text: string }>;
  }): RecordedMessage {
    const s = this.#state;
    const user = s.user(typeof input.user === "string" ? input.user : input.user.id);
    const channel = input.channelId ? s.channels.get(input.channelId) : s.dmChannelFor(user.id);
    if (!channel) throw new Error(`fake discord: no channel ${input.channelId}`);
    if (channel.guildId && !s.member(channel.guildId, user.id)) {
      throw new Error(`fake discord: ${user.username} is not a member of guild ${channel.guildId}`);
    }
    const message = s.createMessage({
      channel,
      authorId: user.id,
      body: { content: input.content },
      files: (input.files ?? []).map((file) => ({
        id: "",
        filename: file.filename,
        contentType: "text/plain; charset=utf-8",
        size: Buffer.byteLength(file.text),
        text: file.text,
      })),
      via: "user",
    });
    const mentionsBot =
      message.content.includes(`<@${s.bot.id}>`) || message.content.includes(`<@!${s.bot.id}>`);
    const redact: Redact = (data, intents) =>
      channel.guildId && !mentionsBot && (intents & Intent.MessageContent) === 0
        ? { ...(data as object), content: "", embeds: [], attachments: [], components: [] }
        : data;
    const intent = channel.guildId ? Intent.GuildMessages : Intent.DirectMessages;
    this.#gateway.dispatch("MESSAGE_CREATE", s.messageEventJson(message), intent, redact);
    return message;
  }

  /** Every attachment download the fake CDN answered, with the bytes it sent. */
  get downloads(): ServedDownload[] {
    return this.#state.downloads;
  }

  /** Every message the bot created, in order (channel posts, DMs, interaction replies, followups). */
  get messages(): RecordedMessage[] {
    return [...this.#state.messages.values()].filter((m) => m.authorId === this.#state.bot.id);
  }
  /** Messages people posted with `userMessage` (with `deleted` set if the bot deleted them). */
  get userMessages(): RecordedMessage[] {
    return [...this.#state.messages.values()].filter((m) => m.authorId !== this.#state.bot.id);
  }
  channelMessages(channelId: string): RecordedMessage[] {
    return this.messages.filter((m) => m.channelId === channelId);
  }
  dmsTo(userId: string): RecordedMessage[] {
    return this.messages.filter((m) => m.isDm && m.recipientId === userId);
  }
  /** Every interaction callback the bot posted, ephemeral or not. */
  get callbacks(): RecordedCallback[] {
    return [...this.#state.callbacks];
  }
  get followups(): InteractionFollowup[] {
    return [...this.#state.followups];
  }
  /** Payloads of PUT/POST .../commands, global (guildId null) and per guild, with the ids the fake gave. */
  get commandRegistrations(): CommandRegistration[] {
    return [...this.#state.commandRegistrations];
  }
  /** Requests the fake did not understand (answered 404). Assert this is empty. */
  get unhandled(): UnhandledRequest[] {
    return [...this.#state.unhandled];
  }
  /** Every REST request with the status the fake answered. */
  get requests(): RecordedRequest[] {
    return [...this.#state.requests];
  }
  get gatewayLog(): GatewayLogEntry[] {
    return [...this.#gateway.log];
  }
  /** Gateway connections that have identified or resumed. */
  get connectedClients(): number {
    return this.#gateway.connectedCount;
  }

  /** Every custom_id on a message, in order (rows, containers, sections). */
  customIds(message: RecordedMessage): string[] {
    return customIdsIn(this.#state.messages.get(message.id)?.components ?? message.components);
  }

  /** Everything the bot sent (REST bodies incl. files, gateway payloads), for searching leaked secrets. */
  allText(): string {
    return this.#state.texts.join("\n");
  }

  /** Makes the next matching request(s) fail; `path` is matched against e.g. `/channels/123/messages`. */
  failNext(rule: FailureRule): void {
    this.#rest.failures.push({ ...rule, remaining: rule.times ?? 1 });
  }
  /** Injected failures not yet used. */
  get pendingFailures(): number {
    return this.#rest.failures.reduce((sum, rule) => sum + rule.remaining, 0);
  }

  /**
   * Polls until `predicate()` is truthy and returns its value. It gives up when the bot has sent nothing to the fake
   * (REST or gateway) for `timeoutMs` (default 5 s), or after ten times that in all: a slow machine slows the bot, a
   * stuck bot stops talking. Then it throws with what was recorded.
   */
  async waitFor<T>(
    predicate: () => T,
    options: { timeoutMs?: number; what?: string } = {},
  ): Promise<NonNullable<T>> {
    const timeoutMs = options.timeoutMs ?? 5000;
    const started = Date.now();
    const traffic = () => this.#state.texts.length;
    let seen = traffic();
    let movedAt = started;
    for (;;) {
      const value = predicate();
      if (value) return value as NonNullable<T>;
      const now = Date.now();
      if (traffic() !== seen) {
        seen = traffic();
        movedAt = now;
      }
      if (now - movedAt > timeoutMs || now - started > 10 * timeoutMs) {
        throw new Error(
          `fake discord: waited ${now - started} ms (${now - movedAt} ms without a request from the bot) for ${options.what ?? predicate.toString()}\n${this.describe()}`,
        );
      }
      await sleep(10);
    }
  }

  /** Drops the bot's gateway connections; discord.js resumes (or re-identifies if sessions are invalidated). */
  disconnectClients(options: { invalidateSessions?: boolean } = {}): void {
    this.#gateway.disconnectAll({ invalidateSessions: options.invalidateSessions ?? false });
  }

  /** A readable summary of the recorded state, used in timeout errors. */
  describe(): string {
    const line = (m: RecordedMessage) =>
      `  ${m.id} ch=${m.channelId}${m.isDm ? ` dm→${m.recipientId}` : ""} via=${m.via} flags=${m.flags}` +
      `${m.deleted ? " deleted" : ""} ids=[${customIdsIn(m.components).join(",")}] ${JSON.stringify(m.content.slice(0, 120))}`;
    const requests = this.#state.requests
      .slice(-15)
      .map((r) => `  ${r.method} ${r.path} → ${r.status}`);
    return [
      `gateway: ${this.#gateway.connectedCount} connected`,
      `messages (${this.#state.messages.size}):`,
      ...[...this.#state.messages.values()].slice(-20).map(line),
      `callbacks: ${this.#state.callbacks.map((c) => `${c.interactionId}:type${c.type}`).join(" ") || "none"}`,
      `followups: ${this.#state.followups.map((f) => `${f.interactionId}:${f.kind}`).join(" ") || "none"}`,
      `unhandled: ${this.#state.unhandled.map((u) => `${u.method} ${u.path}`).join(" ") || "none"}`,
      "last requests:",
      ...requests,
    ].join("\n");
  }

  #guild(id: string): FakeGuild {
    const guild = this.#state.guilds.get(id);
    if (!guild) throw new Error(`fake discord: no guild ${id}; call addGuild first`);
    return guild;
  }

  #send(built: BuiltInteraction): InteractionHandle {
    const { record, payload } = built;
    if (this.#gateway.sessionCount === 0) {
      throw new Error("fake discord: no bot session on the gateway; await client.login() first");
    }
    this.#gateway.dispatch("INTERACTION_CREATE", payload, 0);
    const state = this.#state;
    return {
      id: record.id,
      token: record.token,
      payload,
      response: (options = {}) =>
        this.waitFor(() => record.callback, {
          ...options,
          what: `a callback to interaction ${record.id}`,
        }),
      followups: (count = 1, options = {}) =>
        this.waitFor(
          () => {
            const found = state.followups.filter((f) => f.interactionId === record.id);
            return found.length >= count ? found : null;
          },
          { ...options, what: `${count} followup(s) to interaction ${record.id}` },
        ),
      originalMessage: () => state.messages.get(record.originalMessageId ?? ""),
    };
  }
}
