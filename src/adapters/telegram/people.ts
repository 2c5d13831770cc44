// Who a Telegram user is for clawshake: their name, language and roles, resolved at the moment they act.
// Roles come from the configuration and the group's admins as Telegram reports them now; nothing is cached, and
// anything that cannot be checked counts as "no" (fail closed). Admins count only in the listed groups: anyone can
// create a group and add the bot.

import type { Api } from "grammy";
import type { User } from "grammy/types";
import type { Logger } from "pino";
import { pickLang } from "../../core/i18n/index.ts";
import type { Actor, Lang, UserRef } from "../../core/types.ts";
import { errorFields } from "./errors.ts";

export interface RoleSettings {
  /** The groups whose admins approve (when `approversAreAdmins`); the configuration requires them. */
  chatIds: string[];
  approverIds: string[];
  approversAreAdmins: boolean;
  gatewayOperatorIds: string[];
  defaultLang: Lang;
}

/** "Ada Lovelace", or the username, or the id: what the card calls a person. */
export function displayName(
  user: Pick<User, "id" | "first_name" | "last_name" | "username">,
): string {
  const name = [user.first_name, user.last_name].filter(Boolean).join(" ").trim();
  return name || (user.username ? `@${user.username}` : String(user.id));
}

/** The person's unique handle, "@name", when they have a username (many Telegram users have none). */
export function handleOf(user: Pick<User, "username">): string | undefined {
  return user.username ? `@${user.username}` : undefined;
}

export function userRef(user: Pick<User, "id" | "first_name" | "last_name" | "username">): UserRef {
  return { platform: "telegram", id: String(user.id), name: displayName(user) };
}

export function langOfUser(user: Pick<User, "language_code">, fallback: Lang): Lang {
  return pickLang(user.language_code, fallback);
}

export class Roles {
  readonly #api: Api;
  readonly #settings: RoleSettings;
  readonly #log: Logger;

  constructor(api: Api, settings: RoleSettings, log: Logger) {
    this.#api = api;
    this.#settings = settings;
    this.#log = log;
  }

  /** The person behind an update, with their roles for the session's group (`groupId`) as of now. */
  async actor(user: User, via: Actor["via"], groupId: string | undefined): Promise<Actor> {
    return {
      ...userRef(user),
      lang: langOfUser(user, this.#settings.defaultLang),
      isApprover: await this.isApprover(user.id, groupId),
      isGatewayOperator: this.#settings.gatewayOperatorIds.includes(String(user.id)),
      via,
    };
  }

  /** A configured approver, or (when enabled) an administrator of the session's group, if it is listed, right now. */
  async isApprover(userId: number, groupId: string | undefined): Promise<boolean> {
    if (this.#settings.approverIds.includes(String(userId))) return true;
    if (!this.#adminsApproveIn(groupId)) return false;
    try {
      const member = await this.#api.getChatMember(groupId, userId);
      return member.status === "creator" || member.status === "administrator";
    } catch (error) {
      this.#log.warn(
        { platform: "telegram", chat: groupId, user: userId, ...errorFields(error) },
        "could not check whether a user is a group admin; treating them as no approver",
      );
      return false;
    }
  }

  /** Configured approvers plus, when enabled and the group is listed, the group's human administrators. */
  async approvers(groupId: string): Promise<UserRef[]> {
    const found = new Map<string, UserRef>();
    for (const id of this.#settings.approverIds) found.set(id, await this.#named(groupId, id));
    if (this.#adminsApproveIn(groupId)) {
      try {
        for (const admin of await this.#api.getChatAdministrators(groupId))
          if (!admin.user.is_bot && !found.has(String(admin.user.id)))
            found.set(String(admin.user.id), userRef(admin.user));
      } catch (error) {
        this.#log.warn(
          { platform: "telegram", chat: groupId, ...errorFields(error) },
          "could not list the group's administrators",
        );
      }
    }
    return [...found.values()];
  }

  /** The configured gateway operators, with the names the group knows them by. */
  async gatewayOperators(groupId: string): Promise<UserRef[]> {
    const found: UserRef[] = [];
    for (const id of this.#settings.gatewayOperatorIds) found.push(await this.#named(groupId, id));
    return found;
  }

  /**
   * Whether a configured approver is in the group now (not left, not removed): where no group is listed, the only
   * groups `/connect_node` works in. False when Telegram cannot say.
   */
  async approverIsMember(groupId: string): Promise<boolean> {
    for (const id of this.#settings.approverIds) {
      try {
        const member = await this.#api.getChatMember(groupId, Number(id));
        if (
          member.status === "restricted"
            ? member.is_member
            : !["left", "kicked"].includes(member.status)
        )
          return true;
      } catch (error) {
        this.#log.debug(
          { platform: "telegram", chat: groupId, user: id, ...errorFields(error) },
          "could not check whether an approver is in a group",
        );
      }
    }
    return false;
  }

  /** Group admins approve only in a listed group: anyone can make a group and add the bot. */
  #adminsApproveIn(groupId: string | undefined): groupId is string {
    return (
      this.#settings.approversAreAdmins &&
      groupId !== undefined &&
      /^-\d+$/.test(groupId) &&
      this.#settings.chatIds.includes(groupId)
    );
  }

  /** A configured id with the name the group knows; the id alone when Telegram cannot say. */
  async #named(groupId: string, id: string): Promise<UserRef> {
    try {
      if (/^-\d+$/.test(groupId))
        return userRef((await this.#api.getChatMember(groupId, Number(id))).user);
    } catch {
      // Not a member of that group, or never seen by the bot: the id still reaches them by DM.
    }
    return { platform: "telegram", id, name: id };
  }
}
