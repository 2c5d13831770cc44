// Builds INTERACTION_CREATE payloads as Discord sends them: slash commands, component clicks, modal submits, autocomplete.
// It must never let a test do what a person cannot: unregistered commands, missing buttons, fields a modal lacks.

import { customIdsIn } from "./http.ts";
import { botDefaultPermissions, type FakeState, newToken } from "./state.ts";
import type {
  FakeChannel,
  FakeUser,
  InteractionRecord,
  RecordedMessage,
  RegisteredCommand,
} from "./types.ts";

/** A person, or their user id. */
export type Actor = FakeUser | string;

/** A slash command option as Discord sends it (type 3 string, 4 integer, 5 boolean, 6 user, 1 subcommand…). */
export interface CommandOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  focused?: boolean;
  options?: CommandOption[];
}
export interface SlashCommandInput {
  user: Actor;
  /** Omit both channelId and guildId for a command in the person's DM with the bot. */
  channelId?: string;
  guildId?: string;
  name: string;
  options?: CommandOption[];
  locale?: string;
}
export interface ClickInput {
  user: Actor;
  message: RecordedMessage;
  customId: string;
  /** For select menus: the chosen values. */
  values?: string[];
  locale?: string;
}
export interface ModalSubmitInput {
  user: Actor;
  customId: string;
  /** Text inputs by custom_id (string), select menus (string[]). */
  fields: Record<string, string | string[]>;
  /** Defaults to the channel the modal was shown in. */
  channelId?: string;
  /** Defaults to the message whose button opened the modal. */
  message?: RecordedMessage;
  locale?: string;
}

export interface BuiltInteraction {
  record: InteractionRecord;
  payload: Record<string, unknown>;
}

type Node = Record<string, unknown>;
const selectTypes = new Set([3, 5, 6, 7, 8]);

export class InteractionFactory {
  readonly #state: FakeState;

  constructor(state: FakeState) {
    this.#state = state;
  }

  slashCommand(input: SlashCommandInput, type: 2 | 4 = 2): BuiltInteraction {
    const user = this.#user(input.user);
    const channel = this.#channelFor(user, input.channelId, input.guildId);
    const command = this.#command(input.name, channel.guildId);
    const options = input.options ?? [];
    const data = {
      id: command.id,
      name: command.name,
      type: 1,
      ...(options.length ? { options } : {}),
      ...(command.guildId ? { guild_id: command.guildId } : {}),
      ...this.#resolved(options, channel.guildId),
    };
    return this.#build(type, user, channel, data, input.locale, null);
  }

  click(input: ClickInput): BuiltInteraction {
    const user = this.#user(input.user);
    const message = input.message;
    const current = this.#state.messages.get(message.id);
    if (!current || current.deleted) throw new Error(`fake discord: message ${message.id} is gone`);
    if (current.ephemeral && current.visibleTo !== user.id) {
      throw new Error(`fake discord: ${user.username} cannot see ephemeral message ${message.id}`);
    }
    const component = findComponent(current.components, input.customId);
    if (!component) {
      const ids = customIdsIn(current.components).join(", ") || "none";
      throw new Error(
        `fake discord: message ${message.id} has no component "${input.customId}" (it has: ${ids})`,
      );
    }
    if (component.disabled === true) {
      throw new Error(`fake discord: "${input.customId}" is disabled`);
    }
    const channel = this.#channel(current.channelId);
    if (channel.guildId) this.#requireMember(channel.guildId, user);
    const componentType = Number(component.type);
    const data = {
      custom_id: input.customId,
      component_type: componentType,
      ...(selectTypes.has(componentType) ? { values: input.values ?? [] } : {}),
    };
    return this.#build(3, user, channel, data, input.locale, current);
  }

  modalSubmit(input: ModalSubmitInput): BuiltInteraction {
    const user = this.#user(input.user);
    const shown = this.#shownModal(input.customId, user.id);
    const channelId = input.channelId ?? shown?.interaction.channelId;
    if (!channelId) {
      throw new Error(
        `fake discord: no modal "${input.customId}" was shown to ${user.username}; pass channelId`,
      );
    }
    const channel = this.#channel(channelId);
    if (channel.guildId) this.#requireMember(channel.guildId, user);
    const layout = shown?.layout ?? defaultLayout(input.fields);
    const data = {
      custom_id: input.customId,
      components: submission(layout, input.fields, input.customId),
    };
    const sourceId = input.message?.id ?? shown?.interaction.sourceMessageId ?? null;
    const source = sourceId ? (this.#state.messages.get(sourceId) ?? null) : null;
    return this.#build(5, user, channel, data, input.locale, source);
  }

  #build(
    type: number,
    user: FakeUser,
    channel: FakeChannel,
    data: object,
    locale: string | undefined,
    source: RecordedMessage | null,
  ): BuiltInteraction {
    const s = this.#state;
    const guild = channel.guildId ? s.guilds.get(channel.guildId) : undefined;
    const record: InteractionRecord = {
      id: s.ids.next(),
      token: newToken("fake-interaction"),
      type,
      userId: user.id,
      channelId: channel.id,
      guildId: guild?.id ?? null,
      sourceMessageId: source?.id ?? null,
      originalMessageId: null,
      callback: null,
    };
    s.interactions.set(record.id, record);
    const member = guild ? s.member(guild.id, user.id) : undefined;
    const permissions = guild ? s.permissionsOf(guild.id, user.id).toString() : undefined;
    const payload: Record<string, unknown> = {
      id: record.id,
      application_id: s.applicationId,
      type,
      token: record.token,
      version: 1,
      data,
      channel_id: channel.id,
      channel: { ...s.channelJson(channel), ...(permissions ? { permissions } : {}) },
      locale: locale ?? user.locale,
      app_permissions: (guild
        ? s.permissionsOf(guild.id, s.bot.id)
        : botDefaultPermissions
      ).toString(),
      entitlements: [],
      authorizing_integration_owners: { 0: guild?.id ?? "0" },
      context: guild ? 0 : 1,
      attachment_size_limit: 10_485_760,
      ...(guild && member
        ? {
            guild_id: guild.id,
            guild: { id: guild.id, locale: guild.locale, features: [] },
            guild_locale: guild.locale,
            member: { ...s.memberJson(member), permissions },
          }
        : { user: s.userJson(user) }),
      ...(source ? { message: s.messageJson(source) } : {}),
    };
    return { record, payload };
  }

  #user(actor: Actor): FakeUser {
    return this.#state.user(typeof actor === "string" ? actor : actor.id);
  }

  #channel(id: string): FakeChannel {
    const channel = this.#state.channels.get(id);
    if (!channel) throw new Error(`fake discord: no channel ${id}; call addChannel first`);
    return channel;
  }

  #requireMember(guildId: string, user: FakeUser): void {
    if (!this.#state.member(guildId, user.id)) {
      throw new Error(
        `fake discord: ${user.username} is not a member of guild ${guildId}; call addMember first`,
      );
    }
  }

  #channelFor(
    user: FakeUser,
    channelId: string | undefined,
    guildId: string | undefined,
  ): FakeChannel {
    if (!channelId) {
      if (guildId) throw new Error("fake discord: a command in a guild needs a channelId");
      return this.#state.dmChannelFor(user.id);
    }
    const channel = this.#channel(channelId);
    if (guildId && channel.guildId !== guildId) {
      throw new Error(`fake discord: channel ${channelId} is not in guild ${guildId}`);
    }
    if (channel.guildId) this.#requireMember(channel.guildId, user);
    else if (channel.recipientId !== user.id) {
      throw new Error(
        `fake discord: channel ${channelId} is not ${user.username}'s DM with the bot`,
      );
    }
    return channel;
  }

  #command(name: string, guildId: string | null): RegisteredCommand {
    const scopes = guildId ? [guildId, "global"] : ["global"];
    for (const scope of scopes) {
      const found = this.#state.commands.get(scope)?.find((c) => c.name === name);
      if (found) return found;
    }
    const known = scopes
      .flatMap((scope) => this.#state.commands.get(scope) ?? [])
      .map((c) => c.name);
    throw new Error(
      `fake discord: no command /${name} is registered for ${guildId ? `guild ${guildId} or globally` : "DMs (global)"}` +
        ` (registered: ${known.join(", ") || "none"}); has the bot registered its commands yet?`,
    );
  }

  /** `data.resolved` for user, channel, role and attachment options, as Discord adds it. */
  #resolved(options: CommandOption[], guildId: string | null): object {
    const s = this.#state;
    const flat = (list: CommandOption[]): CommandOption[] =>
      list.flatMap((o) => [o, ...flat(o.options ?? [])]);
    const resolved: Record<string, Record<string, unknown>> = {};
    const add = (kind: string, id: string, value: unknown) => {
      resolved[kind] = { ...resolved[kind], [id]: value };
    };
    for (const option of flat(options)) {
      const id = String(option.value);
      const user = s.users.get(id);
      const member = guildId ? s.member(guildId, id) : undefined;
      if ((option.type === 6 || option.type === 9) && user) add("users", id, s.userJson(user));
      if ((option.type === 6 || option.type === 9) && member) {
        const { user: _user, ...rest } = s.memberJson(member);
        add("members", id, {
          ...rest,
          permissions: s.permissionsOf(member.guildId, id).toString(),
        });
      }
      const role = s.roles.get(id);
      if ((option.type === 8 || option.type === 9) && role) add("roles", id, s.roleJson(role));
      const upload = s.uploads.get(id);
      if (option.type === 11 && upload) add("attachments", id, s.attachmentJson(upload, "uploads"));
      const channel = s.channels.get(id);
      if (option.type === 7 && channel) {
        add("channels", id, { ...s.channelJson(channel), permissions: "0" });
      }
    }
    return Object.keys(resolved).length ? { resolved } : {};
  }

  /** The latest modal (callback type 9) with this custom_id shown to this person. */
  #shownModal(
    customId: string,
    userId: string,
  ): { interaction: InteractionRecord; layout: Node[] } | null {
    for (const callback of [...this.#state.callbacks].reverse()) {
      const interaction = this.#state.interactions.get(callback.interactionId);
      if (
        callback.type !== 9 ||
        callback.data?.custom_id !== customId ||
        interaction?.userId !== userId
      )
        continue;
      return { interaction, layout: (callback.data.components ?? []) as Node[] };
    }
    return null;
  }
}

/** The component with this custom_id, searched through rows, containers, sections and labels. */
export function findComponent(tree: unknown, customId: string): Node | null {
  if (Array.isArray(tree)) {
    for (const item of tree) {
      const found = findComponent(item, customId);
      if (found) return found;
    }
    return null;
  }
  if (!tree || typeof tree !== "object") return null;
  const node = tree as Node;
  if (node.custom_id === customId) return node;
  for (const key of ["components", "component", "accessory"]) {
    const found = findComponent(node[key], customId);
    if (found) return found;
  }
  return null;
}

/** Without a recorded modal: one Label (type 18) per field, the current layout discord.js 14 builds. */
function defaultLayout(fields: Record<string, string | string[]>): Node[] {
  return Object.entries(fields).map(([customId, value]) => ({
    type: 18,
    component: { type: Array.isArray(value) ? 3 : 4, custom_id: customId },
  }));
}

/**
 * What Discord sends back for a modal: the shown layout (ActionRow of TextInput, or Label, or TextDisplay)
 * with the person's values filled in, component ids numbered in tree order when the bot set none.
 */
function submission(
  layout: Node[],
  fields: Record<string, string | string[]>,
  modalId: string,
): Node[] {
  let nextId = 1;
  const used = new Set<string>();
  const idOf = (node: Node) => (typeof node.id === "number" ? node.id : nextId++);
  const input = (node: Node): Node => {
    const id = idOf(node);
    const customId = String(node.custom_id);
    const given = fields[customId];
    used.add(customId);
    if (given === undefined && node.required !== false) {
      throw new Error(`fake discord: modal "${modalId}" requires field "${customId}"`);
    }
    if (node.type === 4) {
      const value = typeof given === "string" ? given : "";
      const min = typeof node.min_length === "number" && given !== undefined ? node.min_length : 0;
      const max = typeof node.max_length === "number" ? node.max_length : 4000;
      if (value.length < min || value.length > max) {
        throw new Error(`fake discord: "${customId}" must be ${min} to ${max} characters long`);
      }
      return { type: 4, id, custom_id: customId, value };
    }
    const values = given === undefined ? [] : Array.isArray(given) ? given : [given];
    return { type: node.type, id, custom_id: customId, values };
  };
  const submitted = layout.map((top): Node => {
    const id = idOf(top);
    if (top.type === 1) {
      return { type: 1, id, components: ((top.components ?? []) as Node[]).map(input) };
    }
    if (top.type === 18) return { type: 18, id, component: input(top.component as Node) };
    return { type: top.type, id };
  });
  const unknown = Object.keys(fields).filter((key) => !used.has(key));
  if (unknown.length) {
    throw new Error(`fake discord: modal "${modalId}" has no field ${unknown.join(", ")}`);
  }
  return submitted;
}
