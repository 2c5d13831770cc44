// REST routes for Discord's resources: gateway info, users and DMs, commands, guilds, channels and their messages.
// They must never let the bot do what Discord refuses: closed DMs get 403 50007, others' messages cannot be edited.

import {
  announce,
  checkMessageBody,
  type Dispatcher,
  fail,
  invalidForm,
  isResponse,
  json,
  noContent,
  type Params,
  type RestRequest,
  type RestResponse,
  type Route,
  route,
} from "./http.ts";
import { type FakeState, MessageFlag } from "./state.ts";
import type { FakeGuild, MessageBody, RecordedMessage, RegisteredCommand } from "./types.ts";

/** How long Discord remembers a nonce for enforce_nonce ("the past few minutes"). */
const NONCE_WINDOW_MS = 5 * 60_000;

/** The resource routes, most specific first (`/users/@me` before `/users/:id`). */
export function resourceRoutes(state: FakeState, gateway: Dispatcher): Route[] {
  const commands = new Commands(state);
  const messages = new ChannelMessages(state, gateway);
  return [
    route("GET /gateway/bot", () =>
      json({
        url: gateway.url,
        shards: 1,
        session_start_limit: {
          total: 1000,
          remaining: 999,
          reset_after: 14_400_000,
          max_concurrency: 1,
        },
      }),
    ),
    route("GET /gateway", () => json({ url: gateway.url })),
    route("GET /users/@me", () => json(state.userJson(state.bot))),
    route("POST /users/@me/channels", (req) => openDm(state, req)),
    route("GET /users/:id", (_, p) => {
      const user = state.users.get(p.id);
      return user ? json(state.userJson(user)) : fail(404, 10013, "Unknown User");
    }),
    route("GET /applications/@me", () => application(state)),
    route("GET /applications/:app/commands", (_, p) => commands.list(p, null)),
    route("PUT /applications/:app/commands", (req, p) => commands.set(req, p, null)),
    route("POST /applications/:app/commands", (req, p) => commands.add(req, p, null)),
    route("GET /applications/:app/guilds/:id/commands", (_, p) => commands.list(p, p.id)),
    route("PUT /applications/:app/guilds/:id/commands", (req, p) => commands.set(req, p, p.id)),
    route("POST /applications/:app/guilds/:id/commands", (req, p) => commands.add(req, p, p.id)),
    route("GET /guilds/:id", (_, p) => inGuild(state, p.id, (g) => json(state.guildJson(g)))),
    route("GET /guilds/:id/channels", (_, p) =>
      inGuild(state, p.id, () =>
        json(
          [...state.channels.values()]
            .filter((c) => c.guildId === p.id)
            .map((c) => state.channelJson(c)),
        ),
      ),
    ),
    route("GET /guilds/:id/roles", (_, p) =>
      inGuild(state, p.id, () => json(state.guildRoles(p.id).map((r) => state.roleJson(r)))),
    ),
    route("GET /guilds/:id/members/:user", (_, p) =>
      inGuild(state, p.id, () => {
        const member = state.member(p.id, p.user);
        return member ? json(state.memberJson(member)) : fail(404, 10007, "Unknown Member");
      }),
    ),
    route("GET /channels/:id", (_, p) => {
      const channel = state.channels.get(p.id);
      return channel ? json(state.channelJson(channel)) : fail(404, 10003, "Unknown Channel");
    }),
    route("POST /channels/:id/typing", () => noContent()),
    route("POST /channels/:id/messages", (req, p) => messages.post(req, p)),
    route("GET /channels/:id/messages/:msg", (_, p) => messages.get(p)),
    route("PATCH /channels/:id/messages/:msg", (req, p) => messages.edit(req, p)),
    route("DELETE /channels/:id/messages/:msg", (_, p) => messages.delete(p)),
  ];
}

function inGuild(
  state: FakeState,
  guildId: string,
  then: (guild: FakeGuild) => RestResponse,
): RestResponse {
  const guild = state.guilds.get(guildId);
  return guild ? then(guild) : fail(404, 10004, "Unknown Guild");
}

/** Discord opens (or returns the existing) DM channel; closed DMs only fail when a message is posted. */
function openDm(state: FakeState, req: RestRequest): RestResponse {
  const recipientId = (req.body as { recipient_id?: string } | undefined)?.recipient_id ?? "";
  if (!state.users.has(recipientId)) return fail(400, 50033, "Invalid Recipient(s)");
  return json(state.channelJson(state.dmChannelFor(recipientId)));
}

function application(state: FakeState): RestResponse {
  return json({
    id: state.applicationId,
    name: state.bot.username,
    icon: null,
    description: "",
    bot_public: true,
    bot_require_code_grant: false,
    verify_key: "0".repeat(64),
    flags: 0,
    team: null,
    bot: state.userJson(state.bot),
  });
}

/** Command registration: global or per guild, keeping a command's id when it is registered again by name. */
class Commands {
  readonly #state: FakeState;
  constructor(state: FakeState) {
    this.#state = state;
  }

  list(p: Params, guildId: string | null): RestResponse {
    const scope = this.#scope(p, guildId);
    return typeof scope === "string" ? json(this.#state.commands.get(scope) ?? []) : scope;
  }

  set(req: RestRequest, p: Params, guildId: string | null): RestResponse {
    const scope = this.#scope(p, guildId);
    if (typeof scope !== "string") return scope;
    if (!Array.isArray(req.body)) return invalidForm("_", "Expected an array of commands");
    const commands = (req.body as Array<Record<string, unknown>>).map((c) =>
      this.#toCommand(c, scope),
    );
    this.#state.commands.set(scope, commands);
    this.#state.commandRegistrations.push({ guildId, commands });
    return json(commands);
  }

  add(req: RestRequest, p: Params, guildId: string | null): RestResponse {
    const scope = this.#scope(p, guildId);
    if (typeof scope !== "string") return scope;
    const command = this.#toCommand(req.body as Record<string, unknown>, scope);
    const others = (this.#state.commands.get(scope) ?? []).filter((c) => c.name !== command.name);
    this.#state.commands.set(scope, [...others, command]);
    this.#state.commandRegistrations.push({ guildId, commands: [command] });
    return json(command, 201);
  }

  #scope(p: Params, guildId: string | null): RestResponse | string {
    if (p.app !== this.#state.applicationId) return fail(404, 10002, "Unknown Application");
    if (guildId && !this.#state.guilds.has(guildId)) return fail(404, 10004, "Unknown Guild");
    return guildId ?? "global";
  }

  #toCommand(raw: Record<string, unknown>, scope: string): RegisteredCommand {
    const existing = this.#state.commands.get(scope)?.find((c) => c.name === raw.name);
    const guildId = scope === "global" ? null : scope;
    return {
      type: 1,
      description: "",
      options: [],
      default_member_permissions: null,
      nsfw: false,
      ...raw,
      name: String(raw.name),
      id: existing?.id ?? this.#state.ids.next(),
      application_id: this.#state.applicationId,
      version: this.#state.ids.next(),
      guildId,
      ...(guildId ? { guild_id: guildId } : {}),
    };
  }
}

/** Posting, fetching, editing and deleting messages in guild channels and DMs. */
class ChannelMessages {
  readonly #state: FakeState;
  readonly #gateway: Dispatcher;
  constructor(state: FakeState, gateway: Dispatcher) {
    this.#state = state;
    this.#gateway = gateway;
  }

  post(req: RestRequest, p: Params): RestResponse {
    const channel = this.#state.channels.get(p.id);
    if (!channel) return fail(404, 10003, "Unknown Channel");
    if (channel.type === 1 && this.#state.users.get(channel.recipientId ?? "")?.dmsClosed) {
      return fail(403, 50007, "Cannot send messages to this user");
    }
    const body = (req.body ?? {}) as MessageBody;
    const invalid = checkMessageBody(body, req.files.length, true);
    if (invalid) return invalid;
    // enforce_nonce: a message by the same author with the same nonce in the last few minutes is returned, not repeated.
    if (body.enforce_nonce && body.nonce !== undefined) {
      const since = Date.now() - NONCE_WINDOW_MS;
      const earlier = [...this.#state.messages.values()].find(
        (m) =>
          m.channelId === channel.id &&
          m.authorId === this.#state.bot.id &&
          m.nonce === body.nonce &&
          Date.parse(m.createdAt) >= since,
      );
      if (earlier) return json(this.#state.messageJson(earlier));
    }
    const message = this.#state.createMessage({
      channel,
      authorId: this.#state.bot.id,
      // Only interaction responses can be ephemeral; Discord ignores the flag on channel messages.
      body: { ...body, flags: (body.flags ?? 0) & ~MessageFlag.Ephemeral },
      files: req.files,
      via: "channel",
    });
    announce(this.#state, this.#gateway, "MESSAGE_CREATE", message);
    return json(this.#state.messageJson(message));
  }

  get(p: Params): RestResponse {
    const message = this.#find(p);
    return isResponse(message) ? message : json(this.#state.messageJson(message));
  }

  edit(req: RestRequest, p: Params): RestResponse {
    const message = this.#find(p);
    if (isResponse(message)) return message;
    if (message.authorId !== this.#state.bot.id) {
      return fail(403, 50005, "Cannot edit a message authored by another user");
    }
    const body = (req.body ?? {}) as MessageBody;
    const invalid = checkMessageBody(body, req.files.length, false);
    if (invalid) return invalid;
    this.#state.editMessage(message, body, req.files);
    announce(this.#state, this.#gateway, "MESSAGE_UPDATE", message);
    return json(this.#state.messageJson(message));
  }

  delete(p: Params): RestResponse {
    const message = this.#find(p);
    if (isResponse(message)) return message;
    if (message.isDm && message.authorId !== this.#state.bot.id) {
      return fail(403, 50003, "Cannot execute action on a DM channel");
    }
    message.deleted = true;
    announce(this.#state, this.#gateway, "MESSAGE_DELETE", message);
    return noContent();
  }

  /** Ephemeral messages are not reachable through channel routes, only through the interaction webhook. */
  #find(p: Params): RecordedMessage | RestResponse {
    if (!this.#state.channels.has(p.id)) return fail(404, 10003, "Unknown Channel");
    const message = this.#state.messages.get(p.msg);
    if (!message || message.channelId !== p.id || message.deleted || message.ephemeral) {
      return fail(404, 10008, "Unknown Message");
    }
    return message;
  }
}
