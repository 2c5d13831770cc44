// The fake Discord's memory (people, guilds, channels, messages, what the bot sent) and the API payloads built from it.
// It never touches the network; the REST routes and the gateway read and write it.

import { randomBytes } from "node:crypto";
import type {
  APIGuild,
  APIGuildMember,
  APIMessage,
  APIRole,
  APIUser,
  GatewayGuildCreateDispatchData,
  GuildMemberFlags,
  GuildSystemChannelFlags,
  RoleFlags,
  UserFlags,
} from "discord.js";
import type { ServedDownload } from "../../support/byte-range.ts";
import type {
  CommandRegistration,
  FakeChannel,
  FakeGuild,
  FakeMember,
  FakeRole,
  FakeUser,
  InteractionFollowup,
  InteractionRecord,
  MessageBody,
  RecordedAttachment,
  RecordedCallback,
  RecordedMessage,
  RecordedRequest,
  RegisteredCommand,
  UnhandledRequest,
} from "./types.ts";

/** Permission bits the fake hands out (bigint, as Discord serialises them to strings). */
export const Permission = {
  Administrator: 1n << 3n,
  AddReactions: 1n << 6n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  UseApplicationCommands: 1n << 31n,
  SendMessagesInThreads: 1n << 38n,
} as const;

const P = Permission;
export const everyoneDefaultPermissions =
  P.ViewChannel |
  P.SendMessages |
  P.EmbedLinks |
  P.AttachFiles |
  P.ReadMessageHistory |
  P.AddReactions |
  P.UseApplicationCommands |
  P.SendMessagesInThreads;
export const botDefaultPermissions = everyoneDefaultPermissions | P.ManageMessages;

/** Message flag bits the fake looks at. */
export const MessageFlag = { Ephemeral: 64, Loading: 128 } as const;

const discordEpoch = 1420070400000n;

/** Makes Discord-shaped snowflakes (17 to 19 digits), increasing, so @discordjs/rest buckets them right. */
export class Snowflakes {
  #increment = 0n;
  next(): string {
    this.#increment = (this.#increment + 1n) & 0xfffn;
    return (
      ((BigInt(Date.now()) - discordEpoch) << 22n) |
      (1n << 17n) |
      this.#increment
    ).toString();
  }
}

export const nowIso = (): string => new Date().toISOString();
export const newToken = (prefix: string): string =>
  `${prefix}.${randomBytes(24).toString("base64url")}`;

/** Everything the fake knows. Public fields are read by FakeDiscord's getters and by rest.ts/gateway.ts. */
export class FakeState {
  readonly ids = new Snowflakes();
  readonly applicationId: string;
  readonly bot: FakeUser;
  readonly users = new Map<string, FakeUser>();
  readonly guilds = new Map<string, FakeGuild>();
  readonly channels = new Map<string, FakeChannel>();
  readonly roles = new Map<string, FakeRole>();
  readonly members = new Map<string, FakeMember>();
  readonly messages = new Map<string, RecordedMessage>();
  readonly interactions = new Map<string, InteractionRecord>();
  readonly callbacks: RecordedCallback[] = [];
  readonly followups: InteractionFollowup[] = [];
  readonly commandRegistrations: CommandRegistration[] = [];
  /** Current commands per scope: "global" or a guild id. */
  readonly commands = new Map<string, RegisteredCommand[]>();
  readonly requests: RecordedRequest[] = [];
  readonly unhandled: UnhandledRequest[] = [];
  readonly texts: string[] = [];
  /** Files people attached to a slash command (an attachment option), by id. */
  readonly uploads = new Map<string, RecordedAttachment>();
  /** Every attachment download the CDN answered, with the bytes it sent. */
  readonly downloads: ServedDownload[] = [];
  /** Where attachments are served: the fake's own HTTP server once it listens (Discord: its CDN). */
  cdnBase = "https://cdn.discordapp.invalid";

  constructor(options: { applicationId?: string; botUserId?: string; botUsername?: string }) {
    this.applicationId = options.applicationId ?? this.ids.next();
    const botId = options.botUserId ?? this.applicationId;
    this.bot = {
      id: botId,
      username: options.botUsername ?? "clawshake",
      globalName: null,
      locale: "en-US",
      dmsClosed: false,
      bot: true,
    };
    this.users.set(botId, this.bot);
  }

  /** An attachment as Discord describes it, with a URL the fake serves its bytes at. */
  attachmentJson(file: RecordedAttachment, folder: string) {
    const url = `${this.cdnBase}/attachments/${folder}/${file.id}/${encodeURIComponent(file.filename)}`;
    return {
      id: file.id,
      filename: file.filename,
      size: file.size,
      content_type: file.contentType,
      url,
      proxy_url: url,
    };
  }

  /** A file by its id: uploaded with a command, or attached to any message. */
  attachment(id: string): RecordedAttachment | undefined {
    const upload = this.uploads.get(id);
    if (upload) return upload;
    for (const message of this.messages.values())
      for (const file of message.attachments) if (file.id === id) return file;
    return undefined;
  }

  memberKey(guildId: string, userId: string): string {
    return `${guildId}:${userId}`;
  }
  member(guildId: string, userId: string): FakeMember | undefined {
    return this.members.get(this.memberKey(guildId, userId));
  }
  user(id: string): FakeUser {
    const user = this.users.get(id);
    if (!user) throw new Error(`fake discord: no user ${id}; call addUser first`);
    return user;
  }
  guildRoles(guildId: string): FakeRole[] {
    return [...this.roles.values()].filter((role) => role.guildId === guildId);
  }

  /** The DM channel between the bot and a person; Discord keeps one per person. */
  dmChannelFor(userId: string): FakeChannel {
    for (const channel of this.channels.values()) {
      if (channel.type === 1 && channel.recipientId === userId) return channel;
    }
    const channel: FakeChannel = {
      id: this.ids.next(),
      name: "",
      type: 1,
      guildId: null,
      recipientId: userId,
      lastMessageId: null,
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  permissionsOf(guildId: string, userId: string): bigint {
    const member = this.member(guildId, userId);
    let bits = this.roles.get(guildId)?.permissions ?? 0n;
    for (const roleId of member?.roleIds ?? []) bits |= this.roles.get(roleId)?.permissions ?? 0n;
    return bits;
  }

  userJson(user: FakeUser): APIUser {
    return {
      id: user.id,
      username: user.username,
      discriminator: "0",
      global_name: user.globalName,
      avatar: null,
      ...(user.bot ? { bot: true } : {}),
      public_flags: 0 as UserFlags,
    };
  }

  memberJson(member: FakeMember): APIGuildMember & { user: APIUser } {
    return {
      user: this.userJson(this.user(member.userId)),
      nick: null,
      avatar: null,
      banner: null,
      roles: [...member.roleIds],
      joined_at: member.joinedAt,
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0 as GuildMemberFlags,
      pending: false,
      communication_disabled_until: null,
    };
  }

  roleJson(role: FakeRole): APIRole {
    return {
      id: role.id,
      name: role.name,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position: role.position,
      permissions: role.permissions.toString(),
      managed: role.botId !== null,
      mentionable: false,
      flags: 0 as RoleFlags,
      ...(role.botId ? { tags: { bot_id: role.botId } } : {}),
    };
  }

  /** A channel object as REST and interactions return it. */
  channelJson(channel: FakeChannel): Record<string, unknown> {
    if (channel.type === 1) {
      const recipient = this.user(channel.recipientId ?? "");
      return {
        id: channel.id,
        type: 1,
        last_message_id: channel.lastMessageId,
        flags: 0,
        recipients: [this.userJson(recipient)],
      };
    }
    return {
      id: channel.id,
      type: 0,
      guild_id: channel.guildId,
      name: channel.name,
      position: 0,
      permission_overwrites: [],
      parent_id: null,
      topic: null,
      nsfw: false,
      last_message_id: channel.lastMessageId,
      rate_limit_per_user: 0,
      flags: 0,
    };
  }

  guildJson(guild: FakeGuild): APIGuild {
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: guild.ownerId,
      region: "",
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: this.guildRoles(guild.id).map((role) => this.roleJson(role)),
      emojis: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0 as GuildSystemChannelFlags,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      preferred_locale: guild.locale as APIGuild["preferred_locale"],
      public_updates_channel_id: null,
      nsfw_level: 0,
      stickers: [],
      premium_progress_bar_enabled: false,
      hub_type: null,
      safety_alerts_channel_id: null,
      incidents_data: null,
    };
  }

  /** GUILD_CREATE carries the channels and, without privileged intents, only the bot's own member. */
  guildCreateJson(guild: FakeGuild): GatewayGuildCreateDispatchData {
    const channels = [...this.channels.values()].filter((c) => c.guildId === guild.id);
    const botMember = this.member(guild.id, this.bot.id);
    return {
      ...this.guildJson(guild),
      joined_at: guild.joinedAt,
      large: false,
      unavailable: false,
      member_count: [...this.members.values()].filter((m) => m.guildId === guild.id).length,
      voice_states: [],
      members: botMember ? [this.memberJson(botMember)] : [],
      channels: channels.map((c) =>
        this.channelJson(c),
      ) as unknown as GatewayGuildCreateDispatchData["channels"],
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  messageJson(message: RecordedMessage): APIMessage {
    const interaction = message.interactionId
      ? this.interactions.get(message.interactionId)
      : undefined;
    const mentions = [...message.content.matchAll(/<@!?(\d+)>/g)]
      .map((match) => this.users.get(match[1] ?? ""))
      .filter((user): user is FakeUser => user !== undefined)
      .map((user) => this.userJson(user));
    return {
      id: message.id,
      channel_id: message.channelId,
      author: this.userJson(this.user(message.authorId)),
      content: message.content,
      timestamp: message.createdAt,
      edited_timestamp: message.edits.at(-1)?.at ?? null,
      tts: false,
      mention_everyone: false,
      mentions,
      mention_roles: [],
      attachments: message.attachments.map((file) => this.attachmentJson(file, message.channelId)),
      embeds: message.embeds,
      components: message.components,
      pinned: false,
      type: interaction?.type === 2 && message.via === "interaction" ? 20 : 0,
      flags: message.flags,
      ...(interaction
        ? {
            webhook_id: this.applicationId,
            application_id: this.applicationId,
            interaction_metadata: {
              id: interaction.id,
              type: interaction.type,
              user: this.userJson(this.user(interaction.userId)),
              authorizing_integration_owners: { 0: interaction.guildId ?? "0" },
            } as APIMessage["interaction_metadata"],
          }
        : {}),
    };
  }

  /** MESSAGE_CREATE/UPDATE data: the message plus guild_id, the author's member and the channel type. */
  messageEventJson(message: RecordedMessage): Record<string, unknown> {
    const member = message.guildId ? this.member(message.guildId, message.authorId) : undefined;
    const memberJson: Partial<ReturnType<FakeState["memberJson"]>> = member
      ? this.memberJson(member)
      : {};
    delete memberJson.user;
    return {
      ...this.messageJson(message),
      channel_type: message.isDm ? 1 : 0,
      ...(message.guildId ? { guild_id: message.guildId } : {}),
      ...(member ? { member: memberJson } : {}),
    };
  }

  createMessage(input: {
    channel: FakeChannel;
    authorId: string;
    body: MessageBody;
    files: RecordedAttachment[];
    via: RecordedMessage["via"];
    interactionId?: string | null;
    visibleTo?: string | null;
  }): RecordedMessage {
    const { channel, body } = input;
    const flags = body.flags ?? 0;
    const ephemeral = (flags & MessageFlag.Ephemeral) !== 0;
    const message: RecordedMessage = {
      id: this.ids.next(),
      channelId: channel.id,
      guildId: channel.guildId,
      isDm: channel.type === 1,
      recipientId: channel.recipientId,
      authorId: input.authorId,
      content: body.content ?? "",
      embeds: body.embeds ?? [],
      components: body.components ?? [],
      flags,
      ephemeral,
      visibleTo: ephemeral ? (input.visibleTo ?? null) : null,
      interactionId: input.interactionId ?? null,
      via: input.via,
      attachments: input.files.map((file) => ({ ...file, id: this.ids.next() })),
      edits: [],
      deleted: false,
      createdAt: nowIso(),
      nonce: body.nonce ?? null,
    };
    this.messages.set(message.id, message);
    channel.lastMessageId = message.id;
    return message;
  }

  /** PATCH semantics: fields present in the body replace the old ones; history is kept in `edits`. */
  editMessage(message: RecordedMessage, patch: MessageBody, files: RecordedAttachment[]): void {
    if (patch.content !== undefined) message.content = patch.content ?? "";
    if (patch.embeds !== undefined) message.embeds = patch.embeds ?? [];
    if (patch.components !== undefined) message.components = patch.components ?? [];
    if (patch.flags !== undefined) {
      // The ephemeral state of an existing message cannot change.
      message.flags =
        (patch.flags & ~MessageFlag.Ephemeral) | (message.flags & MessageFlag.Ephemeral);
    }
    // Any edit of a deferred reply ends its loading state.
    message.flags &= ~MessageFlag.Loading;
    if (patch.attachments !== undefined) {
      const kept = new Set(patch.attachments.map((a) => String(a.id)));
      message.attachments = message.attachments.filter((a) => kept.has(a.id));
    }
    message.attachments.push(...files.map((file) => ({ ...file, id: this.ids.next() })));
    message.edits.push({
      at: nowIso(),
      patch,
      content: message.content,
      embeds: message.embeds,
      components: message.components,
      flags: message.flags,
    });
  }
}
