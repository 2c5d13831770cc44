// The fake Discord in a process of its own, so that its work does not share the bot's event loop (Discord is remote).
// Driven over IPC by parts/discord.ts; it times each interaction from dispatch to callback and never answers for the bot.

import { registerCommands } from "../../src/adapters/discord/commands.ts";
import {
  FakeDiscord,
  type FakeUser,
  type InteractionHandle,
} from "../../test/fakes/discord/index.ts";

/** What the bot needs to know about the fake server. */
export interface FakeServer {
  restApi: string;
  guildId: string;
  channelId: string;
  approverRoleId: string;
  operatorRoleId: string;
  /** An approver configured by id (as DISCORD_APPROVER_IDS), besides the approver role's members. */
  approverId: string;
}

export type ToFake =
  | { type: "connect"; users: number }
  | { type: "burst"; from: number; count: number; label: string }
  | { type: "stop" };

export type FromFake =
  | { type: "ready"; server: FakeServer }
  | {
      type: "burst";
      label: string;
      /** ms from dispatching INTERACTION_CREATE to receiving the first callback; null when none came. */
      latencies: (number | null)[];
      /** The first callback's type per interaction: 4 a reply, 5 deferred. */
      callbackTypes: (number | null)[];
      unhandled: number;
    }
  | { type: "error"; message: string };

const ANSWER_TIMEOUT_MS = 30_000;

const fake = new FakeDiscord();
const requesters: FakeUser[] = [];
let server: FakeServer | undefined;

function send(message: FromFake): void {
  process.send?.(message);
}

async function setUp(users: number): Promise<FakeServer> {
  await fake.start();
  const guild = fake.addGuild({ name: "OpenClaw Ops" });
  const channel = fake.addChannel(guild.id, { name: "ops" });
  const approverRole = fake.addRole(guild.id, { name: "approvers" });
  const operatorRole = fake.addRole(guild.id, { name: "gateway-operators" });
  const alice = fake.addUser({ username: "alice" });
  const dave = fake.addUser({ username: "dave" });
  const carol = fake.addUser({ username: "carol" });
  fake.addMember(guild.id, alice.id, [approverRole.id]);
  fake.addMember(guild.id, dave.id);
  fake.addMember(guild.id, carol.id, [operatorRole.id]);
  for (let i = 0; i < users; i++) {
    const user = fake.addUser({ username: `requester-${i}` });
    fake.addMember(guild.id, user.id);
    requesters.push(user);
  }
  await registerCommands({ token: "fake-token", apiUrl: fake.restApi, guildId: guild.id });
  return {
    restApi: fake.restApi,
    guildId: guild.id,
    channelId: channel.id,
    approverRoleId: approverRole.id,
    operatorRoleId: operatorRole.id,
    approverId: dave.id,
  };
}

/** `/connect-node` by `count` distinct people at once; waits for every first callback. */
async function burst(from: number, count: number, label: string): Promise<FromFake> {
  const s = server as FakeServer;
  const sent: { handle: InteractionHandle; at: number }[] = [];
  for (let i = from; i < from + count; i++) {
    const user = requesters[i];
    if (!user) throw new Error(`only ${requesters.length} requesters were made`);
    const at = Date.now();
    const handle = fake.slashCommand({
      user,
      guildId: s.guildId,
      channelId: s.channelId,
      name: "connect-node",
      options: [{ name: "name", type: 3, value: `${label}-${i}` }],
    });
    sent.push({ handle, at });
  }
  const byId = () => new Map(fake.callbacks.map((c) => [c.interactionId, c]));
  const deadline = Date.now() + ANSWER_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const callbacks = byId();
    if (sent.every(({ handle }) => callbacks.has(handle.id))) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const callbacks = byId();
  return {
    type: "burst",
    label,
    latencies: sent.map(({ handle, at }) => {
      const callback = callbacks.get(handle.id);
      return callback ? Date.parse(callback.at) - at : null;
    }),
    callbackTypes: sent.map(({ handle }) => callbacks.get(handle.id)?.type ?? null),
    unhandled: fake.unhandled.length,
  };
}

process.on("message", (message: ToFake) => {
  const work = async () => {
    if (message.type === "connect") {
      server = await setUp(message.users);
      send({ type: "ready", server });
    } else if (message.type === "burst") {
      send(await burst(message.from, message.count, message.label));
    } else {
      await fake.stop();
      process.exit(0);
    }
  };
  work().catch((error: unknown) =>
    send({ type: "error", message: (error as Error).stack ?? String(error) }),
  );
});
process.on("disconnect", () => process.exit(0));
