// Shared pieces of the fake's REST routes: request/response shapes, Discord-style errors, message-body checks.
// It must never accept a body Discord would refuse: the checks here mirror Discord's own limits.

import type { FakeState } from "./state.ts";
import type { MessageBody, RecordedAttachment, RecordedMessage } from "./types.ts";

/** What the routes need from the gateway: a way to push events to the connected bot. */
export interface Dispatcher {
  dispatch(event: string, data: unknown, requiredIntents: number): void;
  readonly url: string;
}

export interface RestRequest {
  method: string;
  /** The path after `/api/v10`, URL-decoded. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  files: RecordedAttachment[];
}
export interface RestResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
export type Params = Record<"id" | "app" | "token" | "msg" | "user", string>;
export interface Route {
  method: string;
  pattern: RegExp;
  handle: (req: RestRequest, params: Params) => RestResponse;
}

/** `route("GET /channels/:id/messages/:msg", handler)`: each `:name` matches one path segment. */
export function route(spec: string, handle: Route["handle"]): Route {
  const [method = "", path = ""] = spec.split(" ");
  return { method, pattern: new RegExp(`^${path.replace(/:(\w+)/g, "(?<$1>[^/]+)")}$`), handle };
}

export const Intent = {
  Guilds: 1 << 0,
  GuildMembers: 1 << 1,
  GuildMessages: 1 << 9,
  DirectMessages: 1 << 12,
  MessageContent: 1 << 15,
} as const;

export const json = (body: unknown, status = 200): RestResponse => ({ status, body });
export const noContent = (): RestResponse => ({ status: 204 });
export const fail = (
  status: number,
  code: number,
  message: string,
  extra?: object,
): RestResponse => ({
  status,
  body: { message, code, ...extra },
});
export const invalidForm = (field: string, message: string): RestResponse =>
  fail(400, 50035, "Invalid Form Body", {
    errors: { [field]: { _errors: [{ code: "BASE_TYPE_INVALID", message }] } },
  });
export const isResponse = (value: object): value is RestResponse => "status" in value;

/** Every custom_id in a component tree (action rows, containers, sections, labels). */
export function customIdsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) customIdsIn(item, out);
  else if (value && typeof value === "object") {
    const node = value as Record<string, unknown>;
    if (typeof node.custom_id === "string") out.push(node.custom_id);
    for (const key of ["components", "component", "accessory"]) customIdsIn(node[key], out);
  }
  return out;
}

/** Discord's own checks on a message body, so a bot bug shows up as the error Discord would give. */
export function checkMessageBody(
  body: MessageBody,
  files: number,
  creating: boolean,
): RestResponse | null {
  const empty = !body.content && !body.embeds?.length && !body.components?.length && files === 0;
  if (creating && empty) return fail(400, 50006, "Cannot send an empty message");
  if ((body.content?.length ?? 0) > 2000) {
    return invalidForm("content", "Must be 2000 or fewer in length.");
  }
  if ((body.embeds?.length ?? 0) > 10) {
    return invalidForm("embeds", "Must be 10 or fewer in length.");
  }
  const ids = customIdsIn(body.components);
  if (ids.some((id) => id.length > 100)) {
    return invalidForm("components", "custom_id must be 100 or fewer in length.");
  }
  if (new Set(ids).size !== ids.length) {
    return invalidForm("components", "Component custom id cannot be duplicated");
  }
  return null;
}

/** Tells the bot about a message event it can see; ephemeral messages are never dispatched. */
export function announce(
  state: FakeState,
  gateway: Dispatcher,
  event: "MESSAGE_CREATE" | "MESSAGE_UPDATE" | "MESSAGE_DELETE",
  message: RecordedMessage,
): void {
  if (message.ephemeral) return;
  const intent = message.isDm ? Intent.DirectMessages : Intent.GuildMessages;
  const data =
    event === "MESSAGE_DELETE"
      ? {
          id: message.id,
          channel_id: message.channelId,
          ...(message.guildId ? { guild_id: message.guildId } : {}),
        }
      : state.messageEventJson(message);
  gateway.dispatch(event, data, intent);
}
