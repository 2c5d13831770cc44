// The records the fake Discord keeps: people, places, messages, and what the bot sent through each route.
// Plain data only: nothing here may hold a socket, a timer or a reference back to the fake.

import type { APIEmbed, APIMessageTopLevelComponent } from "discord.js";

export interface FakeUser {
  id: string;
  username: string;
  globalName: string | null;
  locale: string;
  dmsClosed: boolean;
  bot: boolean;
}
export interface FakeGuild {
  id: string;
  name: string;
  ownerId: string;
  locale: string;
  botRoleId: string;
  joinedAt: string;
}
export interface FakeChannel {
  id: string;
  name: string;
  /** 0 = GUILD_TEXT, 1 = DM */
  type: 0 | 1;
  guildId: string | null;
  recipientId: string | null;
  lastMessageId: string | null;
}
export interface FakeRole {
  id: string;
  guildId: string;
  name: string;
  permissions: bigint;
  position: number;
  botId: string | null;
}
export interface FakeMember {
  guildId: string;
  userId: string;
  roleIds: string[];
  joinedAt: string;
}

/** A message body as the bot sends it (JSON, or `payload_json` of a multipart request). */
export interface MessageBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIMessageTopLevelComponent[];
  flags?: number;
  attachments?: Array<{ id: string | number; filename?: string; description?: string }>;
  tts?: boolean;
  nonce?: string | number;
  enforce_nonce?: boolean;
  allowed_mentions?: unknown;
  message_reference?: unknown;
}
/** A file the bot uploaded, decoded as UTF-8 so secret searches see it. */
export interface RecordedAttachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  text: string;
}
export interface MessageEdit {
  at: string;
  patch: MessageBody;
  content: string;
  embeds: APIEmbed[];
  components: APIMessageTopLevelComponent[];
  flags: number;
}
/** A message in the fake: written by the bot (`via` channel/interaction/followup) or by a person (`via` user). */
export interface RecordedMessage {
  id: string;
  channelId: string;
  guildId: string | null;
  isDm: boolean;
  /** For DMs: the person the DM channel is with. */
  recipientId: string | null;
  authorId: string;
  content: string;
  embeds: APIEmbed[];
  components: APIMessageTopLevelComponent[];
  flags: number;
  ephemeral: boolean;
  /** For ephemeral messages: the only person who sees it. */
  visibleTo: string | null;
  interactionId: string | null;
  via: "channel" | "interaction" | "followup" | "user";
  attachments: RecordedAttachment[];
  edits: MessageEdit[];
  deleted: boolean;
  createdAt: string;
  /** The nonce it was sent with, if any. */
  nonce: string | number | null;
}
/** The data of an interaction callback; for a modal (type 9) `components` holds the modal layout. */
export interface CallbackData {
  content?: string;
  embeds?: APIEmbed[];
  components?: unknown[];
  flags?: number;
  custom_id?: string;
  title?: string;
  choices?: Array<{ name: string; value: string | number }>;
}
export interface RecordedCallback {
  interactionId: string;
  type: number;
  data: CallbackData | undefined;
  withResponse: boolean;
  at: string;
}
/** What the bot did through the interaction webhook after the first callback. */
export interface InteractionFollowup {
  interactionId: string;
  kind: "followup" | "edit" | "delete";
  messageId: string;
  body: MessageBody | undefined;
  at: string;
}
export interface InteractionRecord {
  id: string;
  token: string;
  /** 2 command, 3 component, 4 autocomplete, 5 modal submit */
  type: number;
  userId: string;
  channelId: string;
  guildId: string | null;
  /** The message a component sits on, or the modal was opened from. */
  sourceMessageId: string | null;
  /** The message the response created (4, 5) or updates (6, 7). */
  originalMessageId: string | null;
  callback: RecordedCallback | null;
}
export interface CommandRegistration {
  guildId: string | null;
  commands: RegisteredCommand[];
}
export interface RegisteredCommand {
  id: string;
  name: string;
  type: number;
  guildId: string | null;
  [field: string]: unknown;
}
export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
  at: string;
}
export interface UnhandledRequest {
  method: string;
  path: string;
  body: unknown;
}
