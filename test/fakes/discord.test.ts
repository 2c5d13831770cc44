// Proves the fake Discord against the real discord.js 14 Client: every behaviour the adapter tests rely on.
// It must never leave a client or server running: each test destroys its client and stops its fake.

import assert from "node:assert/strict";
import { once } from "node:events";
import { describe, it, type TestContext } from "node:test";
import zlib from "node:zlib";
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  DiscordAPIError,
  DiscordjsError,
  Events,
  GatewayIntentBits,
  HTTPError,
  type Interaction,
  LabelBuilder,
  type Message,
  MessageFlags,
  ModalBuilder,
  type TextChannel,
  TextInputBuilder,
  TextInputStyle,
} from "discord.js";
import { WebSocket } from "ws";
import { FakeDiscord, type FakeDiscordOptions } from "./discord/index.ts";

const intents = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.DirectMessages,
];

/** A started fake with one guild, one channel and one member, and a real client logged in and ready. */
async function connectedBot(t: TestContext, options: { fake?: FakeDiscordOptions } = {}) {
  const fake = new FakeDiscord(options.fake);
  await fake.start();
  const guild = fake.addGuild({ name: "OpenClaw Ops" });
  const channel = fake.addChannel(guild.id, { name: "ops" });
  const alice = fake.addUser({ username: "alice", locale: "de" });
  fake.addMember(guild.id, alice.id);
  const client = new Client({ intents, rest: { api: fake.restApi } });
  t.after(async () => {
    await client.destroy();
    await fake.stop();
  });
  // login() resolves on READY; clientReady waits for the GUILD_CREATE of each guild READY listed.
  await Promise.all([
    once(client, Events.ClientReady, { signal: AbortSignal.timeout(10_000) }),
    client.login("fake-token"),
  ]);
  return { fake, client, guild, channel, alice };
}

function nextInteraction(client: Client): Promise<Interaction> {
  return once(client, Events.InteractionCreate, { signal: AbortSignal.timeout(10_000) }).then(
    ([interaction]) => interaction as Interaction,
  );
}

async function registerConnectNode(client: Client, guildId: string): Promise<void> {
  await client.application?.commands.set(
    [
      {
        name: "connect-node",
        description: "Connect a remote node",
        options: [
          { name: "name", description: "Node name", type: 3, required: true, autocomplete: true },
        ],
      },
    ],
    guildId,
  );
}

function textChannel(client: Client, id: string): TextChannel {
  const channel = client.channels.cache.get(id);
  assert.ok(
    channel?.isTextBased() && !channel.isDMBased(),
    "the channel is a cached guild text channel",
  );
  return channel as TextChannel;
}

describe("FakeDiscord with the real discord.js client", () => {
  it("lets the client become ready and see the guild, its channel and itself", async (t) => {
    const { fake, client, guild, channel } = await connectedBot(t);
    assert.equal(client.user?.id, fake.botUser.id);
    assert.equal(client.application?.id, fake.applicationId);
    assert.equal(client.guilds.cache.get(guild.id)?.name, "OpenClaw Ops");
    assert.equal(textChannel(client, channel.id).name, "ops");
    assert.ok(
      client.guilds.cache.get(guild.id)?.members.me,
      "the bot's own member came with GUILD_CREATE",
    );
    const connect = fake.gatewayLog.find((entry) => entry.kind === "connect");
    assert.deepEqual(connect, { kind: "connect", url: "/gateway?v=10&encoding=json" });
    assert.deepEqual(fake.unhandled, []);
  });

  it("records global and guild command registrations and returns them with ids", async (t) => {
    const { fake, client, guild } = await connectedBot(t);
    await registerConnectNode(client, guild.id);
    const global = await client.application?.commands.set([
      { name: "help", description: "How this works" },
    ]);
    assert.equal(global?.first()?.name, "help");
    assert.match(global?.first()?.id ?? "", /^\d{17,19}$/);
    const [guildRegistration, globalRegistration] = fake.commandRegistrations;
    assert.equal(guildRegistration?.guildId, guild.id);
    assert.deepEqual(
      guildRegistration?.commands.map((c) => c.name),
      ["connect-node"],
    );
    assert.equal(globalRegistration?.guildId, null);
    assert.deepEqual(fake.unhandled, []);
  });

  it("delivers a slash command with its option and records an ephemeral reply with flag 64", async (t) => {
    const { fake, client, guild, channel, alice } = await connectedBot(t);
    await registerConnectNode(client, guild.id);
    const arriving = nextInteraction(client);
    const handle = fake.slashCommand({
      user: alice,
      guildId: guild.id,
      channelId: channel.id,
      name: "connect-node",
      options: [{ name: "name", type: 3, value: "My Node" }],
      locale: "en-US",
    });
    const interaction = await arriving;
    assert.ok(interaction.isChatInputCommand());
    assert.equal(interaction.commandName, "connect-node");
    assert.equal(interaction.options.getString("name"), "My Node");
    assert.equal(interaction.user.id, alice.id);
    assert.equal(interaction.locale, "en-US");
    assert.ok(interaction.inCachedGuild());
    assert.equal(interaction.channelId, channel.id);
    await interaction.reply({ content: "only alice sees this", flags: MessageFlags.Ephemeral });

    const callback = await handle.response();
    assert.equal(callback.type, 4);
    assert.equal(callback.data?.flags, 64);
    const reply = handle.originalMessage();
    assert.equal(reply?.content, "only alice sees this");
    assert.equal(reply?.ephemeral, true);
    assert.equal(reply?.visibleTo, alice.id);
    assert.deepEqual(fake.unhandled, []);
  });

  it("records deferReply, then editReply and followUp through the interaction webhook", async (t) => {
    const { fake, client, guild, channel, alice } = await connectedBot(t);
    await registerConnectNode(client, guild.id);
    const arriving = nextInteraction(client);
    const options = [{ name: "name", type: 3, value: "edge-1" }];
    const handle = fake.slashCommand({
      user: alice,
      channelId: channel.id,
      name: "connect-node",
      options,
    });
    const interaction = await arriving;
    assert.ok(interaction.isChatInputCommand());
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    assert.equal((await handle.response()).type, 5);
    assert.equal(
      handle.originalMessage()?.flags,
      64 | 128,
      "a deferred reply is a loading message",
    );

    const edited = await interaction.editReply("pairing request sent");
    const followUp = await interaction.followUp({
      content: "waiting for approval",
      flags: MessageFlags.Ephemeral,
    });
    const followups = await handle.followups(2);
    assert.deepEqual(
      followups.map((f) => f.kind),
      ["edit", "followup"],
    );
    assert.equal(edited.content, "pairing request sent");
    assert.equal(
      handle.originalMessage()?.flags,
      64,
      "the edit ends loading and keeps it ephemeral",
    );
    assert.equal(handle.originalMessage()?.edits.length, 1);
    const created = fake.messages.find((m) => m.id === followUp.id);
    assert.equal(created?.via, "followup");
    assert.equal(created?.ephemeral, true);
  });

  it("turns a followUp right after deferReply into an edit of the loading message, as Discord does", async (t) => {
    const { fake, client, guild, channel, alice } = await connectedBot(t);
    await registerConnectNode(client, guild.id);
    const arriving = nextInteraction(client);
    const handle = fake.slashCommand({ user: alice, channelId: channel.id, name: "connect-node" });
    const interaction = await arriving;
    assert.ok(interaction.isChatInputCommand());
    await interaction.deferReply();
    const followUp = await interaction.followUp({ content: "done", flags: MessageFlags.Ephemeral });
    assert.equal(followUp.id, handle.originalMessage()?.id);
    assert.equal(handle.originalMessage()?.content, "done");
    assert.equal(
      handle.originalMessage()?.ephemeral,
      false,
      "the defer decided visibility, not the followup",
    );
  });

  it("posts and edits a message with buttons, delivers the click, records the modal and delivers its submission", async (t) => {
    const { fake, client, channel, alice } = await connectedBot(t);
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder()
        .setCustomId("approve:1")
        .setLabel("Approve")
        .setStyle(ButtonStyle.Success),
      new ButtonBuilder().setCustomId("deny:1").setLabel("Deny").setStyle(ButtonStyle.Danger),
    );
    const sent = await textChannel(client, channel.id).send({
      content: "Pairing request",
      components: [row],
    });
    await sent.edit({ content: "Pairing request (waiting)" });
    const [posted] = fake.channelMessages(channel.id);
    assert.ok(posted);
    assert.equal(posted.content, "Pairing request (waiting)");
    assert.equal(posted.edits.length, 1);
    assert.deepEqual(fake.customIds(posted), ["approve:1", "deny:1"]);
    const fetched = await textChannel(client, channel.id).messages.fetch({
      message: posted.id,
      force: true,
    });
    assert.equal(fetched.content, "Pairing request (waiting)");

    const clicked = nextInteraction(client);
    const click = fake.clickButton({ user: alice, message: posted, customId: "approve:1" });
    const button = await clicked;
    assert.ok(button.isButton());
    assert.equal(button.customId, "approve:1");
    assert.equal(button.message.id, posted.id);
    const host = new TextInputBuilder().setCustomId("host").setStyle(TextInputStyle.Short);
    await button.showModal(
      new ModalBuilder()
        .setCustomId("gateway-details")
        .setTitle("Gateway")
        .addLabelComponents(new LabelBuilder().setLabel("Host").setTextInputComponent(host)),
    );
    const modal = await click.response();
    assert.equal(modal.type, 9);
    assert.equal(modal.data?.custom_id, "gateway-details");

    const submitted = nextInteraction(client);
    const submit = fake.submitModal({
      user: alice,
      customId: "gateway-details",
      fields: { host: "10.0.0.5" },
    });
    const submission = await submitted;
    assert.ok(submission.isModalSubmit());
    assert.equal(submission.fields.getTextInputValue("host"), "10.0.0.5");
    assert.ok(submission.isFromMessage(), "a modal opened from a button carries that message");
    await submission.update({ content: "Approved", components: [] });
    assert.equal((await submit.response()).type, 7);
    assert.equal(fake.channelMessages(channel.id)[0]?.content, "Approved");
    assert.deepEqual(fake.customIds(posted), []);
    assert.deepEqual(fake.unhandled, []);
  });

  it("accepts the legacy action-row modal layout and refuses fields the modal does not have", async (t) => {
    const { fake, client, channel, alice } = await connectedBot(t);
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId("open").setLabel("Open").setStyle(ButtonStyle.Primary),
    );
    await textChannel(client, channel.id).send({ content: "Setup", components: [row] });
    const [posted] = fake.channelMessages(channel.id);
    assert.ok(posted);
    const clicked = nextInteraction(client);
    const click = fake.clickButton({ user: alice, message: posted, customId: "open" });
    const button = await clicked;
    assert.ok(button.isButton());
    const input = new TextInputBuilder()
      .setCustomId("port")
      .setLabel("Port")
      .setStyle(TextInputStyle.Short);
    await button.showModal(
      new ModalBuilder()
        .setCustomId("legacy")
        .setTitle("Legacy")
        .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(input)),
    );
    await click.response();
    assert.throws(
      () => fake.submitModal({ user: alice, customId: "legacy", fields: { port: "1", host: "x" } }),
      /no field host/,
    );
    assert.throws(
      () => fake.submitModal({ user: alice, customId: "legacy", fields: {} }),
      /requires field "port"/,
    );

    const submitted = nextInteraction(client);
    fake.submitModal({ user: alice, customId: "legacy", fields: { port: "18789" } });
    const submission = await submitted;
    assert.ok(submission.isModalSubmit());
    assert.equal(submission.fields.getTextInputValue("port"), "18789");
  });

  it("refuses clicks a person could not make: missing buttons and other people's ephemeral messages", async (t) => {
    const { fake, client, guild, channel, alice } = await connectedBot(t);
    const bob = fake.addUser({ username: "bob" });
    fake.addMember(guild.id, bob.id);
    await registerConnectNode(client, guild.id);
    const arriving = nextInteraction(client);
    const handle = fake.slashCommand({ user: alice, channelId: channel.id, name: "connect-node" });
    const interaction = await arriving;
    assert.ok(interaction.isChatInputCommand());
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId("mine").setLabel("Mine").setStyle(ButtonStyle.Primary),
    );
    await interaction.reply({
      content: "for alice",
      components: [row],
      flags: MessageFlags.Ephemeral,
    });
    await handle.response();
    const reply = handle.originalMessage();
    assert.ok(reply);
    assert.throws(
      () => fake.clickButton({ user: alice, message: reply, customId: "other" }),
      /no component "other"/,
    );
    assert.throws(
      () => fake.clickButton({ user: bob, message: reply, customId: "mine" }),
      /cannot see ephemeral/,
    );
    assert.throws(
      () => fake.slashCommand({ user: alice, channelId: channel.id, name: "nope" }),
      /no command \/nope/,
    );
  });

  it("answers a callback posted with ?with_response=true with the message it created", async (t) => {
    const { fake, client, guild, channel, alice } = await connectedBot(t);
    await registerConnectNode(client, guild.id);
    const arriving = nextInteraction(client);
    const handle = fake.slashCommand({ user: alice, channelId: channel.id, name: "connect-node" });
    const interaction = await arriving;
    assert.ok(interaction.isChatInputCommand());
    const response = await interaction.reply({ content: "with response", withResponse: true });
    assert.equal(response.resource?.message?.id, handle.originalMessage()?.id);
    assert.equal(response.resource?.message?.content, "with response");
    assert.equal((await handle.response()).withResponse, true);
  });

  it("acknowledges heartbeats, so the client measures its ping", async (t) => {
    const { fake, client } = await connectedBot(t, { fake: { heartbeatIntervalMs: 50 } });
    await fake.waitFor(() => fake.gatewayLog.filter((e) => e.kind === "heartbeat").length >= 2);
    await fake.waitFor(() => client.ws.ping >= 0, { what: "the client to see a heartbeat ACK" });
    assert.ok(
      fake.gatewayLog.some((e) => e.kind === "heartbeat" && e.seq !== null),
      "heartbeats carry the seq",
    );
  });

  it("delivers a click on a button in a DM and records the update of that DM message", async (t) => {
    const { fake, client, alice } = await connectedBot(t);
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId("confirm").setLabel("Confirm").setStyle(ButtonStyle.Success),
    );
    await client.users.send(alice.id, { content: "Is this your node?", components: [row] });
    const [dm] = fake.dmsTo(alice.id);
    assert.ok(dm);
    const clicked = nextInteraction(client);
    const click = fake.clickButton({ user: alice, message: dm, customId: "confirm" });
    const button = await clicked;
    assert.ok(button.isButton());
    assert.equal(button.guildId, null);
    assert.equal(button.member, null);
    assert.equal(button.user.id, alice.id);
    assert.equal(button.message.id, dm.id);
    await button.update({ content: "Confirmed", components: [] });
    assert.equal((await click.response()).type, 7);
    assert.equal(fake.dmsTo(alice.id)[0]?.content, "Confirmed");
    assert.equal(dm.edits.length, 1, "recorded messages are live: they show later edits");
  });

  it("rejects a DM to a person with closed DMs with code 50007 and records DMs to others", async (t) => {
    const { fake, client, alice } = await connectedBot(t);
    const bob = fake.addUser({ username: "bob", dmsClosed: true });
    await assert.rejects(
      client.users.send(bob.id, "hello bob"),
      (error) => error instanceof DiscordAPIError && error.code === 50007 && error.status === 403,
    );
    const dm = await client.users.send(alice.id, "your setup link is ready");
    const [recorded] = fake.dmsTo(alice.id);
    assert.equal(recorded?.id, dm.id);
    assert.equal(recorded?.isDm, true);
    assert.equal(recorded?.recipientId, alice.id);
    assert.equal(recorded?.content, "your setup link is ready");
    assert.deepEqual(fake.dmsTo(bob.id), []);
  });

  it("lets discord.js wait out a 429 with retry-after 1 s and land the message exactly once", async (t) => {
    const { fake, client, channel } = await connectedBot(t);
    fake.failNext({
      method: "POST",
      path: /^\/channels\/\d+\/messages$/,
      status: 429,
      retryAfterSeconds: 1,
    });
    await textChannel(client, channel.id).send("after the rate limit");
    assert.deepEqual(
      fake.channelMessages(channel.id).map((m) => m.content),
      ["after the rate limit"],
    );
    const posts = fake.requests.filter((r) => r.method === "POST" && r.path.endsWith("/messages"));
    assert.deepEqual(
      posts.map((r) => r.status),
      [429, 200],
    );
  });

  it("sees @discordjs/rest retry a 500 three times and then reject with an HTTPError", async (t) => {
    const { fake, client, channel } = await connectedBot(t);
    const path = /^\/channels\/\d+\/messages$/;
    fake.failNext({ method: "POST", path, status: 500 });
    await textChannel(client, channel.id).send("after one 500");
    fake.failNext({ method: "POST", path, status: 500, times: 4 });
    await assert.rejects(
      textChannel(client, channel.id).send("never lands"),
      (error) => error instanceof HTTPError && error.status === 500,
    );
    assert.deepEqual(
      fake.channelMessages(channel.id).map((m) => m.content),
      ["after one 500"],
    );
    const statuses = fake.requests
      .filter((r) => r.method === "POST" && path.test(r.path))
      .map((r) => r.status);
    assert.deepEqual(statuses, [500, 200, 500, 500, 500, 500]);
  });

  it("surfaces an injected 403 as a DiscordAPIError with the given code", async (t) => {
    const { fake, client, channel } = await connectedBot(t);
    fake.failNext({
      path: /^\/channels\/\d+\/messages$/,
      status: 403,
      code: 50001,
      message: "Missing Access",
    });
    await assert.rejects(
      textChannel(client, channel.id).send("nope"),
      (error) => error instanceof DiscordAPIError && error.code === 50001,
    );
  });

  it("resumes after the connection drops and replays an interaction sent during the outage", async (t) => {
    const { fake, client, guild, channel, alice } = await connectedBot(t);
    await registerConnectNode(client, guild.id);
    fake.disconnectClients();
    const arriving = nextInteraction(client);
    const handle = fake.slashCommand({ user: alice, channelId: channel.id, name: "connect-node" });
    const interaction = await arriving;
    assert.ok(interaction.isChatInputCommand());
    await interaction.reply("still here");
    assert.equal((await handle.response()).type, 4);
    const resume = fake.gatewayLog.find((entry) => entry.kind === "resume");
    assert.equal(resume?.kind === "resume" && resume.accepted, true);
    assert.ok(
      fake.gatewayLog.some((e) => e.kind === "connect" && e.url.startsWith("/gateway/resume?")),
    );
  });

  it("re-identifies when the session was invalidated, and still receives interactions", async (t) => {
    const { fake, client, guild, channel, alice } = await connectedBot(t);
    await registerConnectNode(client, guild.id);
    fake.disconnectClients({ invalidateSessions: true });
    await fake.waitFor(() => fake.gatewayLog.filter((e) => e.kind === "identify").length === 2, {
      timeoutMs: 8000,
    });
    const arriving = nextInteraction(client);
    fake.slashCommand({ user: alice, channelId: channel.id, name: "connect-node" });
    assert.ok((await arriving).isChatInputCommand());
  });

  it("puts ephemeral replies and DMs into allText, so secret searches are meaningful", async (t) => {
    const { fake, client, guild, channel, alice } = await connectedBot(t);
    await registerConnectNode(client, guild.id);
    const arriving = nextInteraction(client);
    fake.slashCommand({ user: alice, channelId: channel.id, name: "connect-node" });
    const interaction = await arriving;
    assert.ok(interaction.isChatInputCommand());
    await interaction.reply({ content: "ephemeral-canary-7f3a", flags: MessageFlags.Ephemeral });
    await client.users.send(alice.id, {
      content: "dm-canary-91bc",
      files: [{ attachment: Buffer.from("file-canary-c0de"), name: "setup.txt" }],
    });
    const text = fake.allText();
    assert.ok(text.includes("ephemeral-canary-7f3a"));
    assert.ok(text.includes("dm-canary-91bc"));
    assert.ok(text.includes("file-canary-c0de"), "uploaded files are searched too");
    assert.equal(fake.dmsTo(alice.id)[0]?.attachments[0]?.text, "file-canary-c0de");
  });

  it("hides guild message content from a bot without the MessageContent intent unless it is mentioned", async (t) => {
    const { fake, client, channel, alice } = await connectedBot(t);
    const messages: Message[] = [];
    client.on(Events.MessageCreate, (message) => {
      if (!message.author.bot) messages.push(message);
    });
    const plain = fake.userMessage({ user: alice, channelId: channel.id, content: "token abc123" });
    fake.userMessage({
      user: alice,
      channelId: channel.id,
      content: `<@${fake.botUser.id}> hello`,
    });
    await fake.waitFor(() => messages.length === 2);
    assert.equal(messages[0]?.content, "");
    assert.equal(messages[1]?.content, `<@${fake.botUser.id}> hello`);
    await messages[0]?.delete();
    assert.equal(fake.userMessages.find((m) => m.id === plain.id)?.deleted, true);
  });

  it("answers autocomplete with the choices the bot responds with", async (t) => {
    const { fake, client, guild, channel, alice } = await connectedBot(t);
    await registerConnectNode(client, guild.id);
    const arriving = nextInteraction(client);
    const options = [{ name: "name", type: 3, value: "ed", focused: true }];
    const handle = fake.autocomplete({
      user: alice,
      channelId: channel.id,
      name: "connect-node",
      options,
    });
    const interaction = await arriving;
    assert.ok(interaction.isAutocomplete());
    assert.equal(interaction.options.getFocused(), "ed");
    await interaction.respond([{ name: "edge-1", value: "edge-1" }]);
    const callback = await handle.response();
    assert.equal(callback.type, 8);
    assert.deepEqual(callback.data?.choices, [{ name: "edge-1", value: "edge-1" }]);
  });

  it("carries a member's current roles, set later, in the next interaction", async (t) => {
    const { fake, client, guild, channel, alice } = await connectedBot(t);
    await registerConnectNode(client, guild.id);
    const approvers = fake.addRole(guild.id, { name: "approvers" });
    fake.setMemberRoles(guild.id, alice.id, [approvers.id]);
    const arriving = nextInteraction(client);
    fake.slashCommand({ user: alice, channelId: channel.id, name: "connect-node" });
    const interaction = await arriving;
    assert.ok(interaction.inCachedGuild());
    assert.ok(interaction.member.roles.cache.has(approvers.id));
    fake.setMemberRoles(guild.id, alice.id, []);
    const fetched = await interaction.guild.members.fetch({ user: alice.id, force: true });
    assert.equal(
      fetched.roles.cache.has(approvers.id),
      false,
      "GET /guilds/:id/members/:id has the new roles",
    );
  });

  it("delivers a command in a DM with the user instead of a member", async (t) => {
    const { fake, client, alice } = await connectedBot(t);
    await client.application?.commands.set([{ name: "help", description: "How this works" }]);
    const arriving = nextInteraction(client);
    const handle = fake.slashCommand({ user: alice, name: "help" });
    const interaction = await arriving;
    assert.equal(interaction.guildId, null);
    assert.equal(interaction.user.id, alice.id);
    assert.equal(interaction.member, null);
    assert.ok(interaction.isChatInputCommand());
    await interaction.reply("here is how");
    assert.equal(handle.originalMessage()?.isDm, true);
    assert.equal(handle.originalMessage()?.recipientId, alice.id);
  });

  it("answers unknown routes with 404 and records them in unhandled", async (t) => {
    const { fake, client } = await connectedBot(t);
    await assert.rejects(
      client.rest.get("/voice/regions"),
      (error) => error instanceof DiscordAPIError && error.status === 404,
    );
    assert.deepEqual(
      fake.unhandled.map((u) => `${u.method} ${u.path}`),
      ["GET /voice/regions"],
    );
  });

  it("refuses a login with the wrong token when the fake is given one", async (t) => {
    const fake = new FakeDiscord({ token: "right-token" });
    await fake.start();
    const client = new Client({ intents, rest: { api: fake.restApi } });
    t.after(async () => {
      await client.destroy();
      await fake.stop();
    });
    await assert.rejects(
      client.login("wrong-token"),
      (error) => error instanceof DiscordjsError && error.code === "TokenInvalid",
    );
  });

  it("compresses gateway payloads as one zlib stream when a client asks for zlib-stream", async (t) => {
    const fake = new FakeDiscord();
    await fake.start();
    fake.addGuild();
    const ws = new WebSocket(
      `${fake.restApi.replace("http", "ws").replace("/api", "")}/gateway?v=10&encoding=json&compress=zlib-stream`,
    );
    t.after(async () => {
      ws.terminate();
      await fake.stop();
    });
    const frames: Buffer[] = [];
    ws.on("message", (data: Buffer) => frames.push(data));
    await fake.waitFor(() => frames.length === 1);
    ws.send(JSON.stringify({ op: 2, d: { token: "t", intents: 1, properties: {} } }));
    await fake.waitFor(() => frames.length === 3);
    assert.ok(frames.every((frame) => frame.subarray(-4).equals(Buffer.from([0, 0, 255, 255]))));
    const text = zlib
      .inflateSync(Buffer.concat(frames), { finishFlush: zlib.constants.Z_SYNC_FLUSH })
      .toString();
    assert.match(text, /^\{"op":10,/);
    assert.match(text, /"t":"READY"/);
    assert.match(text, /"t":"GUILD_CREATE"/);
  });
});
