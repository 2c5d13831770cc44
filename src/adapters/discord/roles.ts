// Who a person is for the core at the moment they act: approver and gateway operator, from configured ids and roles.
// Fails closed and caches no decision: roles are read from the interaction or fetched again for every click.

import type {
  APIInteractionGuildMember,
  Client,
  Guild,
  GuildMember,
  Interaction,
  Message,
  User,
} from "discord.js";
import type { Logger } from "pino";
import type { Actor, Lang, UserRef } from "../../core/types.ts";
import { DiscordCode, errorFields, hasCode } from "./errors.ts";
import type { DiscordOptions } from "./options.ts";

type AnyMember = GuildMember | APIInteractionGuildMember;

/** How long a full member list stays good enough to list a role's members (events keep the cache current). */
const MEMBER_LIST_TTL_MS = 60_000;

export class Roles {
  readonly #client: Client;
  readonly #options: DiscordOptions;
  readonly #log: Logger;
  readonly #listedAt = new Map<string, number>();

  constructor(client: Client, options: DiscordOptions, log: Logger) {
    this.#client = client;
    this.#options = options;
    this.#log = log;
  }

  /** The person behind an interaction or a DM, with their roles as they are right now. */
  async actor(
    source: Pick<Interaction, "user" | "member" | "guildId"> | Message,
    lang: Lang,
  ): Promise<Actor> {
    const user = "author" in source ? source.author : source.user;
    const member = source.member ?? undefined;
    const guildId = source.guildId ?? undefined;
    const [isApprover, isGatewayOperator] = await Promise.all([
      this.#holds(
        user.id,
        this.#options.approverIds,
        this.#options.approverRoleId,
        guildId,
        member,
      ),
      this.#holds(
        user.id,
        this.#options.gatewayOperatorIds,
        this.#options.gatewayOperatorRoleId,
        guildId,
        member,
      ),
    ]);
    return {
      platform: "discord",
      id: user.id,
      name: nameOf(user, member),
      lang,
      isApprover,
      isGatewayOperator,
      via: guildId ? "channel" : "dm",
    };
  }

  /** Approvers to send private messages to: the configured ids, and the approver role's members. */
  approvers(): Promise<UserRef[]> {
    return this.#listed(this.#options.approverIds, this.#options.approverRoleId, "approver");
  }

  /** Gateway operators to tell of a new shared-token request: the configured ids, and the role's members. */
  gatewayOperators(): Promise<UserRef[]> {
    return this.#listed(
      this.#options.gatewayOperatorIds,
      this.#options.gatewayOperatorRoleId,
      "gateway operator",
    );
  }

  async #listed(ids: string[], roleId: string | undefined, what: string): Promise<UserRef[]> {
    const found = new Map<string, UserRef>();
    for (const id of ids) found.set(id, await this.#userRef(id));
    if (roleId) {
      const guild = await this.#guildOf(roleId);
      if (guild) {
        await this.#listMembers(guild);
        for (const member of guild.members.cache.values())
          if (member.roles.cache.has(roleId) && !member.user.bot && !found.has(member.id))
            found.set(member.id, {
              platform: "discord",
              id: member.id,
              name: nameOf(member.user, member),
            });
      } else this.#log.warn({ role: roleId }, `the ${what} role is in no server the bot is in`);
    }
    return [...found.values()];
  }

  /**
   * Whether a configured approver is a member of the server: where no channel is listed, the only servers
   * `/connect-node` works in (anyone can make a server and add the bot). The approver role counts in its own
   * server. False when Discord cannot say.
   */
  async approverIsMember(guildId: string): Promise<boolean> {
    const roleId = this.#options.approverRoleId;
    if (roleId && (await this.#guildOf(roleId))?.id === guildId) return true;
    const guild = this.#client.guilds.cache.get(guildId);
    if (!guild) return false;
    for (const id of this.#options.approverIds) {
      try {
        await guild.members.fetch({ user: id, force: true, cache: false });
        return true;
      } catch (error) {
        if (!hasCode(error, DiscordCode.UnknownMember) && !hasCode(error, DiscordCode.UnknownUser))
          this.#log.warn(
            { ...errorFields(error), guild: guildId },
            "could not check whether an approver is in a server",
          );
      }
    }
    return false;
  }

  async #holds(
    userId: string,
    ids: string[],
    roleId: string | undefined,
    guildId: string | undefined,
    member: AnyMember | undefined,
  ): Promise<boolean> {
    if (ids.includes(userId)) return true;
    if (!roleId) return false;
    const guild = await this.#guildOf(roleId);
    if (!guild) return false;
    // Discord sends the member's current roles with every interaction in its server; elsewhere (a DM) ask again.
    if (member && guildId === guild.id) return rolesOf(member).includes(roleId);
    try {
      const fresh = await guild.members.fetch({ user: userId, force: true, cache: false });
      return fresh.roles.cache.has(roleId);
    } catch (error) {
      if (!hasCode(error, DiscordCode.UnknownMember))
        this.#log.warn({ ...errorFields(error), role: roleId }, "could not read a member's roles");
      return false;
    }
  }

  /** The server a role belongs to (a role id is unique across Discord). */
  async #guildOf(roleId: string): Promise<Guild | undefined> {
    const cached = this.#client.guilds.cache.find((guild) => guild.roles.cache.has(roleId));
    if (cached) return cached;
    for (const guild of this.#client.guilds.cache.values()) {
      const role = await guild.roles.fetch(roleId).catch(() => null);
      if (role) return guild;
    }
    return undefined;
  }

  /**
   * Fills the member cache over the gateway (needs the Server Members intent). Once listed, member
   * events keep the cache current, so the list is asked for again only after a while.
   */
  async #listMembers(guild: Guild): Promise<void> {
    const last = this.#listedAt.get(guild.id) ?? 0;
    if (Date.now() - last < MEMBER_LIST_TTL_MS) return;
    try {
      await guild.members.fetch({ time: 15_000 });
      this.#listedAt.set(guild.id, Date.now());
    } catch (error) {
      this.#log.warn(
        { ...errorFields(error), guild: guild.id },
        "could not list the server's members (is the Server Members intent on?); using those already known",
      );
    }
  }

  async #userRef(id: string): Promise<UserRef> {
    try {
      return { platform: "discord", id, name: nameOf(await this.#client.users.fetch(id)) };
    } catch {
      return { platform: "discord", id, name: id };
    }
  }
}

function rolesOf(member: AnyMember): string[] {
  return Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()];
}

/** The person's unique handle: the username (with its old #discriminator where there still is one), never a nickname. */
export function handleOf(user: Pick<User, "username" | "discriminator">): string {
  return user.discriminator && user.discriminator !== "0"
    ? `${user.username}#${user.discriminator}`
    : user.username;
}

/** The name people see: the server nickname, else the display name, else the username. */
export function nameOf(user: User, member?: GuildMember | { nick?: string | null } | null): string {
  if (member && "displayName" in member) return member.displayName;
  return member?.nick ?? user.globalName ?? user.username;
}
