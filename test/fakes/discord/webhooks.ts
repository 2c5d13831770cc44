// REST routes for answering interactions: the callback, then followups and edits through the interaction webhook.
// They must never accept a second callback or a response type Discord refuses for that kind of interaction.

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
import { type FakeState, MessageFlag, nowIso } from "./state.ts";
import type {
  CallbackData,
  FakeChannel,
  InteractionRecord,
  MessageBody,
  RecordedCallback,
  RecordedMessage,
} from "./types.ts";

export function interactionRoutes(state: FakeState, gateway: Dispatcher): Route[] {
  const webhooks = new InteractionWebhooks(state, gateway);
  return [
    route("POST /interactions/:id/:token/callback", (req, p) => webhooks.callback(req, p)),
    route("POST /webhooks/:app/:token", (req, p) => webhooks.followup(req, p)),
    route("GET /webhooks/:app/:token/messages/:msg", (_, p) => webhooks.get(p)),
    route("PATCH /webhooks/:app/:token/messages/:msg", (req, p) => webhooks.edit(req, p)),
    route("DELETE /webhooks/:app/:token/messages/:msg", (_, p) => webhooks.delete(p)),
  ];
}

/** Callback types Discord accepts, by interaction type (2 command, 3 component, 4 autocomplete, 5 modal). */
function allowedCallbacks(interaction: InteractionRecord): number[] {
  const onMessage = interaction.sourceMessageId ? [6, 7] : [];
  const byType: Record<number, number[]> = {
    2: [4, 5, 9, 10, 12],
    3: [4, 5, 6, 7, 9, 10],
    4: [8],
    5: [4, 5, ...onMessage, 10],
  };
  return byType[interaction.type] ?? [];
}

class InteractionWebhooks {
  readonly #state: FakeState;
  readonly #gateway: Dispatcher;
  constructor(state: FakeState, gateway: Dispatcher) {
    this.#state = state;
    this.#gateway = gateway;
  }

  callback(req: RestRequest, p: Params): RestResponse {
    const s = this.#state;
    const interaction = s.interactions.get(p.id);
    if (!interaction || interaction.token !== p.token) {
      return fail(404, 10062, "Unknown interaction");
    }
    if (interaction.callback) return fail(400, 40060, "Interaction has already been acknowledged.");
    const { type, data } = (req.body ?? {}) as { type?: number; data?: CallbackData };
    if (type === undefined || !allowedCallbacks(interaction).includes(type)) {
      return invalidForm(
        "type",
        `Callback type ${type} is not valid for interaction type ${interaction.type}`,
      );
    }
    const body = (data ?? {}) as MessageBody;
    if (type === 4 || type === 7) {
      const invalid = checkMessageBody(body, req.files.length, type === 4);
      if (invalid) return invalid;
    }
    const withResponse = req.query.get("with_response") === "true";
    const callback: RecordedCallback = {
      interactionId: interaction.id,
      type,
      data,
      withResponse,
      at: nowIso(),
    };
    interaction.callback = callback;
    s.callbacks.push(callback);
    if (type === 4 || type === 5) {
      const message = s.createMessage({
        channel: s.channels.get(interaction.channelId) as FakeChannel,
        authorId: s.bot.id,
        // A deferred reply is a loading message until it is edited.
        body: type === 5 ? { flags: (body.flags ?? 0) | MessageFlag.Loading } : body,
        files: type === 5 ? [] : req.files,
        via: "interaction",
        interactionId: interaction.id,
        visibleTo: interaction.userId,
      });
      interaction.originalMessageId = message.id;
      announce(s, this.#gateway, "MESSAGE_CREATE", message);
    } else if (type === 6 || type === 7) {
      interaction.originalMessageId = interaction.sourceMessageId;
      const source = s.messages.get(interaction.sourceMessageId ?? "");
      if (type === 7 && source) {
        s.editMessage(source, body, req.files);
        announce(s, this.#gateway, "MESSAGE_UPDATE", source);
      }
    }
    return withResponse ? this.#callbackResponse(interaction, type) : noContent();
  }

  /** The `?with_response=true` answer: the interaction callback and the message it produced, if any. */
  #callbackResponse(interaction: InteractionRecord, type: number): RestResponse {
    const original = this.#state.messages.get(interaction.originalMessageId ?? "");
    const message = original && [4, 5, 7].includes(type) ? original : undefined;
    return json({
      interaction: {
        id: interaction.id,
        type: interaction.type,
        ...(message
          ? {
              response_message_id: message.id,
              response_message_loading: (message.flags & MessageFlag.Loading) !== 0,
              response_message_ephemeral: message.ephemeral,
            }
          : {}),
      },
      resource: { type, ...(message ? { message: this.#state.messageJson(message) } : {}) },
    });
  }

  followup(req: RestRequest, p: Params): RestResponse {
    const interaction = this.#interaction(p);
    if (isResponse(interaction)) return interaction;
    const body = (req.body ?? {}) as MessageBody;
    const invalid = checkMessageBody(body, req.files.length, true);
    if (invalid) return invalid;
    const s = this.#state;
    const original = s.messages.get(interaction.originalMessageId ?? "");
    if (interaction.callback?.type === 5 && original && original.flags & MessageFlag.Loading) {
      // Discord: a followup right after a deferred reply edits the loading message (its ephemeral state stays).
      s.editMessage(original, body, req.files);
      this.#record(interaction, "followup", original, body);
      announce(s, this.#gateway, "MESSAGE_UPDATE", original);
      return json(s.messageJson(original));
    }
    const message = s.createMessage({
      channel: s.channels.get(interaction.channelId) as FakeChannel,
      authorId: s.bot.id,
      body,
      files: req.files,
      via: "followup",
      interactionId: interaction.id,
      visibleTo: interaction.userId,
    });
    this.#record(interaction, "followup", message, body);
    announce(s, this.#gateway, "MESSAGE_CREATE", message);
    return json(s.messageJson(message));
  }

  get(p: Params): RestResponse {
    const found = this.#message(p);
    return isResponse(found) ? found : json(this.#state.messageJson(found.message));
  }

  edit(req: RestRequest, p: Params): RestResponse {
    const found = this.#message(p);
    if (isResponse(found)) return found;
    const body = (req.body ?? {}) as MessageBody;
    const invalid = checkMessageBody(body, req.files.length, false);
    if (invalid) return invalid;
    this.#state.editMessage(found.message, body, req.files);
    this.#record(found.interaction, "edit", found.message, body);
    announce(this.#state, this.#gateway, "MESSAGE_UPDATE", found.message);
    return json(this.#state.messageJson(found.message));
  }

  delete(p: Params): RestResponse {
    const found = this.#message(p);
    if (isResponse(found)) return found;
    found.message.deleted = true;
    this.#record(found.interaction, "delete", found.message);
    announce(this.#state, this.#gateway, "MESSAGE_DELETE", found.message);
    return noContent();
  }

  /** The interaction behind a webhook token; usable only once the interaction was acknowledged. */
  #interaction(p: Params): InteractionRecord | RestResponse {
    if (p.app !== this.#state.applicationId) return fail(404, 10015, "Unknown Webhook");
    for (const interaction of this.#state.interactions.values()) {
      if (interaction.token !== p.token) continue;
      return interaction.callback ? interaction : fail(404, 10015, "Unknown Webhook");
    }
    return fail(401, 50027, "Invalid Webhook Token");
  }

  /** `@original` or a followup id, belonging to this interaction. */
  #message(p: Params): { interaction: InteractionRecord; message: RecordedMessage } | RestResponse {
    const interaction = this.#interaction(p);
    if (isResponse(interaction)) return interaction;
    const id = p.msg === "@original" ? interaction.originalMessageId : p.msg;
    const message = this.#state.messages.get(id ?? "");
    const ours =
      message?.interactionId === interaction.id || message?.id === interaction.originalMessageId;
    if (!message || !ours || message.deleted) return fail(404, 10008, "Unknown Message");
    return { interaction, message };
  }

  #record(
    interaction: InteractionRecord,
    kind: "followup" | "edit" | "delete",
    message: RecordedMessage,
    body?: MessageBody,
  ): void {
    this.#state.followups.push({
      interactionId: interaction.id,
      kind,
      messageId: message.id,
      body,
      at: nowIso(),
    });
  }
}
