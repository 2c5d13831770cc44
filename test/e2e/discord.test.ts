// The whole handshake on Discord: the real discord.js Client against the fake Discord, the real flows,
// a real SQLite file with a sealing key, real logs; the OpenClaw side is played by a ScriptedGateway.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { PermissionFlagsBits } from "discord.js";
import { registerCommands } from "../../src/adapters/discord/commands.ts";
import { UnavailableGateway } from "../../src/adapters/openclaw/unavailable.ts";
import { MAX_LOG_BYTES } from "../../src/core/log-tail.ts";
import type { GatewayInfo } from "../../src/core/ports.ts";
import { DiscordDriver, modalInputs, textOf } from "../adapters/discord/driver.ts";
import { FakeDiscord, type FakeUser, type RecordedMessage } from "../fakes/discord/index.ts";
import { NODE_LOG } from "../fixtures/node-logs.ts";
import { liveMarkup, shownText } from "../support/discord-markdown.ts";
import { capabilityRequested, nodeConnected, pairingRequested } from "../support/gateway-events.ts";
import { ScriptedGateway } from "../support/scripted-gateway.ts";
import { type TlsGateway, withTlsGateway } from "../support/tls-gateway.ts";

const TOKEN = "tok_5f2b8c9d0e1a4b3c8d7e6f5a4b3c2d1e";
const EPHEMERAL = 64;

/** No secret in anything someone other than the node operator could see; and the node operator was sent it. */
function assertSecretsPrivate(
  driver: DiscordDriver,
  secrets: string[],
  nodeOperator: FakeUser,
): void {
  assert.ok(secrets.length > 0, "there are secrets to look for");
  const traces = driver.publicTraces(nodeOperator);
  assert.ok(
    traces.some((trace) => trace.where.startsWith("PATCH")),
    "channel edits are searched",
  );
  for (const secret of secrets) {
    for (const trace of traces)
      assert.ok(!trace.text.includes(secret), `a secret leaked into ${trace.where}`);
    assert.ok(
      driver.publicTraces(driver.people.eve).some((trace) => trace.text.includes(secret)),
      "the node operator was sent the secret: the same search with someone else as node operator finds it",
    );
  }
}

/** Whether the first answer to an interaction is (still) visible to the person who acted only. */
function handleIsEphemeral(handle: ReturnType<DiscordDriver["submitModal"]>): boolean {
  return ((handle.originalMessage()?.flags ?? 0) & EPHEMERAL) !== 0;
}

/** A button the bot never made, slipped onto the card, as a forged click would carry it. */
function forgeButton(card: RecordedMessage, customId: string): void {
  card.components.push({
    type: 1,
    components: [{ type: 2, style: 3, label: "Approve", custom_id: customId }],
  } as RecordedMessage["components"][number]);
}

async function shareCredentials(driver: DiscordDriver, tls: TlsGateway): Promise<RecordedMessage> {
  const { carol, bob } = driver.people;
  const card = await driver.card();
  const claim = driver.click(carol, card, "claim");
  assert.equal((await claim.response()).type, 9);
  const checked = await driver.answer(
    driver.submitModal(carol, `cs1:${(await driver.session()).id}:form`, {
      host: tls.host,
      port: String(tls.port),
      fingerprint: tls.fingerprint,
      token: TOKEN,
    }),
  );
  assert.match(checked.text, /Checking the gateway's certificate/);
  return driver.dm(bob, `export OPENCLAW_GATEWAY_TOKEN='${TOKEN}'`);
}

describe("registering the slash commands", () => {
  const fake = new FakeDiscord();
  before(() => fake.start());
  after(() => fake.stop());

  it("registers /connect-node and /diagnose in one server, and globally, with zh-CN localizations", async () => {
    const guild = fake.addGuild();
    const inGuild = await registerCommands({
      token: "fake-token",
      apiUrl: fake.restApi,
      guildId: guild.id,
    });
    const global = await registerCommands({ token: "fake-token", apiUrl: fake.restApi });
    assert.equal(inGuild.applicationId, fake.applicationId, "found from the token");
    assert.deepEqual(
      inGuild.commands.map((c) => c.name),
      ["connect-node", "diagnose", "nodes", "disconnect-node"],
    );
    assert.deepEqual(
      global.commands.map((c) => c.name),
      ["connect-node", "diagnose", "nodes", "disconnect-node"],
    );
    const [guildRegistration, globalRegistration] = fake.commandRegistrations;
    assert.equal(guildRegistration?.guildId, guild.id);
    assert.equal(globalRegistration?.guildId, null);
    const connect = globalRegistration?.commands[0] as Record<string, unknown>;
    assert.deepEqual(connect.contexts, [0], "/connect-node only in servers");
    assert.match(
      String((connect.description_localizations as Record<string, string>)["zh-CN"]),
      /节点/,
    );
    const [name, nodeOperator, reason] = connect.options as Record<string, unknown>[];
    assert.deepEqual(
      [name?.name, name?.type, name?.required, name?.autocomplete, name?.max_length],
      ["name", 3, true, true, 64],
    );
    assert.deepEqual(name?.name_localizations, { "zh-CN": "名称" });
    assert.deepEqual([nodeOperator?.name, nodeOperator?.type], ["node-operator", 6]);
    assert.deepEqual(
      [reason?.name, reason?.type, reason?.required, reason?.max_length],
      ["reason", 3, false, 300],
    );
    assert.deepEqual(reason?.name_localizations, { "zh-CN": "理由" });
    const diagnose = globalRegistration?.commands[1] as Record<string, unknown>;
    assert.deepEqual(diagnose.contexts, [0, 1], "/diagnose in servers and in the bot's DM");
    assert.deepEqual(
      (diagnose.options as Record<string, unknown>[]).map((o) => [o.name, o.type, o.required]),
      [["log", 11, false]],
    );
    assert.deepEqual(fake.unhandled, []);
  });
});

describe("the Discord handshake with a setup link", () => {
  const gateway = new ScriptedGateway({ canMint: true });
  const driver = new DiscordDriver(gateway);
  before(() => driver.start());
  after(() => driver.stop());

  it("goes from /connect-node to connected, approved in the approver's DM, with the link only in the node operator's DM", async () => {
    const { bob, alice, dave, eve } = driver.people;
    const ack = await driver.answer(driver.connectNode(bob, "build-1"));
    assert.ok(ack.ephemeral);
    assert.match(ack.text, /Request opened/);
    await driver.cardShows("Connect node “build-1”");

    const request = await driver.dm(alice, "Approve a new node “build-1”?");
    await driver.dm(dave, "Approve a new node “build-1”?");
    assert.deepEqual(driver.fake.dmsTo(eve.id), [], "eve is no approver: no DM");

    const approved = await driver.answer(driver.click(alice, request, "approveRequest"));
    assert.ok(approved.ephemeral);
    assert.match(approved.text, /Approved\./);
    const link = await driver.dm(bob, "openclaw node run --pair");
    const code = gateway.mintedCodes[0] as string;
    assert.ok(textOf(link).includes(`oc-pair://${code}`));
    assert.match(textOf(link), /```bash\n/);
    assert.match(textOf(link), /```powershell\n/);
    await driver.cardShows("Setup link sent to bob");
    await driver.fake.waitFor(() => driver.fake.customIds(request).length === 0, {
      what: "the approval DM to lose its buttons",
    });

    gateway.emit({ type: "setupCompleted", setupId: "setup-1", deviceId: "dev-1" });
    await driver.dm(bob, "The setup link has been used");
    assert.ok(!textOf(link).includes(code), "the link is taken out of bob's DM");
    gateway.emit(nodeConnected("dev-1", "build-1"));
    const card = await driver.cardShows("✅ Node “build-1” is connected");
    assert.equal(card.embeds[0]?.color, 0x57f287, "green");
    // Every approver's message ends on the same line, with the elapsed time filled in.
    await driver.fake.waitFor(() => /is connected \(\d+ s\)/.test(textOf(request)), {
      what: "the approver's DM to say how long it took",
    });
    assert.deepEqual(driver.fake.customIds(card), [], "a finished card has no buttons");
    assertSecretsPrivate(driver, [code], bob);
    assert.ok(
      driver.fake.requests.some((r) => r.path === "/gateway/bot"),
      "the gateway URL came from DISCORD_API_URL's /gateway/bot",
    );
    assert.deepEqual(driver.fake.unhandled, []);
  });

  it("lists the node to anyone, its id to an approver only, and disconnects it after an ephemeral confirmation", async () => {
    const { bob, alice } = driver.people;
    gateway.nodes = [
      {
        nodeId: "dev-1",
        displayName: "build-1",
        connected: true,
        approved: true,
        remoteIp: "10.9.8.7",
      },
    ];
    const forBob = await driver.answer(driver.slash(bob, "nodes", driver.channel.id));
    assert.ok(forBob.ephemeral);
    assert.match(forBob.text, /build-1/);
    assert.match(forBob.text, /Asked by bob · approved by alice/);
    assert.ok(!forBob.text.includes("dev-1") && !forBob.text.includes("10.9.8.7"), forBob.text);
    const forAlice = await driver.answer(driver.slash(alice, "nodes", driver.channel.id));
    assert.ok(forAlice.ephemeral);
    assert.match(forAlice.text, /dev-1/);
    assert.match(forAlice.text, /10\.9\.8\.7/);

    // The name completes from the gateway's nodes, for an approver; someone else gets no suggestion.
    const typing = (user: typeof bob) =>
      driver.fake
        .autocomplete({
          user,
          channelId: driver.channel.id,
          name: "disconnect-node",
          options: [{ name: "name", type: 3, value: "bu", focused: true }],
        })
        .response();
    assert.deepEqual(
      (await typing(alice)).data?.choices?.map((c) => c.value),
      ["build-1"],
    );
    assert.deepEqual((await typing(bob)).data?.choices ?? [], []);

    const slash = (user: typeof bob) =>
      driver.fake.slashCommand({
        user,
        guildId: driver.guild.id,
        channelId: driver.channel.id,
        name: "disconnect-node",
        options: [{ name: "name", type: 3, value: "build-1" }],
      });
    assert.match((await driver.answer(slash(bob))).text, /Only an approver may disconnect/);
    const asked = slash(alice);
    const confirm = await driver.answer(asked);
    assert.ok(confirm.ephemeral);
    assert.match(confirm.text, /Disconnect node “build-1”\?/);
    assert.match(confirm.text, /dev-1/);
    const message = await driver.fake.waitFor(
      () => {
        const m = asked.originalMessage();
        return m && driver.fake.customIds(m).length > 0 ? m : undefined;
      },
      { what: "the confirmation with its buttons" },
    );
    const done = await driver.answer(driver.click(alice, message, "confirmDisconnect"));
    assert.match(done.text, /was removed from the gateway/);
    assert.ok(gateway.calls.includes("removeNode dev-1"));
    await driver.cardShows("Disconnected by alice");
    const again = await driver.answer(driver.click(alice, message, "confirmDisconnect"));
    assert.match(again.text, /changed since the confirmation/);
    assert.equal(gateway.calls.filter((c) => c === "removeNode dev-1").length, 1);
    assert.deepEqual(driver.fake.unhandled, []);
  });

  it("diagnoses a node log pasted into the /diagnose box, privately", async () => {
    const { bob } = driver.people;
    const command = driver.slash(bob, "diagnose", driver.channel.id);
    const modal = await command.response();
    assert.equal(modal.type, 9);
    assert.deepEqual([...modalInputs(modal.data).keys()], ["log"]);
    const diagnosis = await driver.answer(
      driver.submitModal(bob, String(modal.data?.custom_id), { log: NODE_LOG.fingerprintMismatch }),
    );
    assert.ok(diagnosis.ephemeral);
    assert.match(diagnosis.text, /FINGERPRINT_MISMATCH/);
  });

  it("diagnoses a node log attached to /diagnose as a file, privately", async () => {
    const { bob } = driver.people;
    const file = driver.fake.upload("node.log", NODE_LOG.fingerprintMismatch);
    const diagnosis = await driver.answer(
      driver.fake.slashCommand({
        user: bob,
        guildId: driver.guild.id,
        channelId: driver.channel.id,
        name: "diagnose",
        options: [{ name: "log", type: 11, value: file }],
      }),
    );
    assert.ok(diagnosis.ephemeral);
    assert.match(diagnosis.text, /FINGERPRINT_MISMATCH/);
  });

  it("diagnoses a node log sent to the bot by DM, as text or as a file", async () => {
    const { bob } = driver.people;
    driver.fake.userMessage({ user: bob, content: NODE_LOG.connectionRefused });
    await driver.dm(bob, "CONNECTION_REFUSED");
    driver.fake.userMessage({
      user: bob,
      content: "",
      files: [{ filename: "node.log", text: NODE_LOG.pairingRequired }],
    });
    await driver.dm(bob, "PAIRING_REQUIRED");
  });

  it("answers chit-chat by DM with a short help that names its commands as Discord spells them", async () => {
    const { eve } = driver.people;
    driver.fake.userMessage({ user: eve, content: "hello bot, what do you do?" });
    const help = await driver.dm(eve, "/connect-node <display name>");
    assert.match(textOf(help), /\/diagnose/);
    assert.ok(!driver.fake.dmsTo(eve.id).some((m) => textOf(m).includes("Node log:")));
  });

  it("diagnoses an attached log longer than the cap from its end, downloading no more than the cap", async () => {
    const { bob } = driver.people;
    const filler = `${"x".repeat(99)}\n`.repeat(50_000); // 5 MB
    const command = driver.fake.upload(
      "node.log",
      `${NODE_LOG.connected}\n${filler}${NODE_LOG.fingerprintMismatch}\n`,
    );
    const diagnosis = await driver.answer(
      driver.fake.slashCommand({
        user: bob,
        guildId: driver.guild.id,
        channelId: driver.channel.id,
        name: "diagnose",
        options: [{ name: "log", type: 11, value: command }],
      }),
    );
    assert.match(diagnosis.text, /FINGERPRINT_MISMATCH/);
    assert.match(diagnosis.text, /last 2 MB/);
    driver.fake.userMessage({
      user: bob,
      content: "",
      files: [{ filename: "node.log", text: `${filler}${NODE_LOG.pairingRequired}\n` }],
    });
    await driver.dm(bob, "PAIRING_REQUIRED");
    const served = driver.fake.downloads.slice(-2);
    assert.equal(served.length, 2);
    for (const download of served)
      assert.ok(download.bytes <= MAX_LOG_BYTES + 1, `${download.bytes} bytes downloaded`);
  });

  it("suggests a display name made from the requester's name", async () => {
    const { bob } = driver.people;
    const typing = driver.fake.autocomplete({
      user: bob,
      channelId: driver.channel.id,
      name: "connect-node",
      options: [{ name: "name", type: 3, value: "web", focused: true }],
    });
    const choices = await typing.response();
    assert.equal(choices.type, 8);
    assert.deepEqual(
      choices.data?.choices?.map((c) => c.value),
      ["web", "bob-node"],
    );
  });

  it("sends the link to the node operator named in /connect-node, not to the requester", async () => {
    const { bob, carol, alice } = driver.people;
    await driver.answer(driver.connectNode(bob, "carols-box", { nodeOperator: carol }));
    const request = await driver.dm(alice, "Approve a new node “carols-box”?");
    assert.match(
      textOf(request),
      /bob asks to connect a node named “carols-box”; carol will run it/,
    );
    await driver.answer(driver.click(alice, request, "approveRequest"));
    await driver.dm(carol, "Your setup link for “carols-box”");
    // bob asked: he is told privately that it was approved, and gets no link.
    await driver.dm(bob, "Your request for “carols-box” was approved");
    assert.ok(
      !driver.fake
        .dmsTo(bob.id)
        .some((m) => textOf(m).includes("carols-box") && textOf(m).includes("oc-pair://")),
      "bob gets no link",
    );
  });

  it("shows a display name and a requester's name that are markdown as text in the approval DM", async () => {
    const { alice } = driver.people;
    const requesterName = "[bob](https://evil.example/me)";
    const displayName = "[build-1](https://evil.example/settings/devices)";
    const mallory = driver.fake.addUser({ username: "mallory", globalName: requesterName });
    driver.fake.addMember(driver.guild.id, mallory.id);
    await driver.answer(driver.connectNode(mallory, displayName));
    const request = await driver.fake.waitFor(
      () =>
        driver.fake
          .dmsTo(alice.id)
          .find((m) => textOf(m).includes("evil.example/settings/devices")),
      { what: "the approval DM for the hostile name" },
    );
    const [embed] = request.embeds;
    assert.ok(embed, "the approval DM is an embed");
    const parts = [
      request.content ?? "",
      embed.title ?? "",
      embed.description ?? "",
      ...(embed.fields ?? []).flatMap((field) => [field.name, field.value]),
    ];
    for (const part of parts) assert.deepEqual(liveMarkup(part), [], `live markup in: ${part}`);
    const shown = parts.map(shownText).join("\n");
    assert.ok(shown.includes(`Approve a new node “${displayName}”?`), shown);
    assert.ok(shown.includes(`${requesterName} asks to connect a node named “${displayName}”`));
    const sends = driver.fake
      .allText()
      .split(/\n(?=(?:GET|POST|PUT|PATCH|DELETE) \/|GATEWAY )/)
      .filter((entry) => /^(POST|PATCH) /.test(entry) && entry.includes('"embeds":'));
    assert.ok(sends.length > 0);
    for (const entry of sends)
      assert.ok(
        entry.includes('"allowed_mentions":{"parse":[]}'),
        `every send and edit pings nobody: ${entry.slice(0, 120)}`,
      );
  });
});

describe("a reason and two approvers on Discord", () => {
  const gateway = new ScriptedGateway({ canMint: true });
  const driver = new DiscordDriver(gateway, {
    env: () => ({ CLAWSHAKE_REQUIRE_REASON: "true", CLAWSHAKE_APPROVALS_REQUIRED: "2" }),
  });
  before(() => driver.start());
  after(() => driver.stop());

  it("refuses a request without a reason, shows the reason to approvers, and mints at the second approval", async () => {
    const { bob, alice, dave } = driver.people;
    const refused = await driver.answer(driver.connectNode(bob, "quorum-1"));
    assert.ok(refused.ephemeral);
    assert.match(refused.text, /fill in the reason option of \/connect-node/);
    assert.equal((await driver.app?.store.active())?.length, 0);

    await driver.answer(driver.connectNode(bob, "quorum-1", { reason: "runs the nightly builds" }));
    const card = await driver.cardShows("Connect node “quorum-1”");
    assert.match(textOf(card), /runs the nightly builds/);
    const toAlice = await driver.dm(alice, "Approve a new node “quorum-1”?");
    const toDave = await driver.dm(dave, "Approve a new node “quorum-1”?");
    assert.match(textOf(toAlice), /Reason[\s\S]*runs the nightly builds/);

    const first = await driver.answer(driver.click(alice, toAlice, "approveRequest"));
    assert.match(first.text, /Your approval counts: 1 of 2 approvals/);
    await driver.cardShows("1 of 2 approvals");
    await driver.fake.waitFor(() => /1 of 2 approvals/.test(textOf(toDave)), {
      what: "dave's DM to show one approval in",
    });
    assert.deepEqual(gateway.mintedCodes, []);
    const again = await driver.answer(driver.click(alice, toAlice, "approveRequest"));
    assert.match(again.text, /Already approved by alice/);

    const second = await driver.answer(driver.click(dave, toDave, "approveRequest"));
    assert.match(second.text, /Approved\./);
    await driver.dm(bob, "openclaw node run --pair");
    assert.equal(gateway.mintedCodes.length, 1);
    const told = await driver.dm(bob, "Your request for “quorum-1” was approved");
    assert.match(textOf(told), /alice, dave/);
    assert.deepEqual(driver.fake.unhandled, []);
  });
});

describe("the Discord handshake with the shared token", () => {
  const gateway = new ScriptedGateway({ canMint: false });
  const driver = new DiscordDriver(gateway);
  const tls = withTlsGateway(driver);

  it("refuses, privately, a claim by someone who is not a gateway operator", async () => {
    const { bob, eve } = driver.people;
    await driver.answer(driver.connectNode(bob, "build-2"));
    const card = await driver.cardShows("Waiting for a gateway operator");
    assert.match(
      textOf(card),
      /Setup links are not available: the gateway listens only on its own machine, so a setup link would lead nowhere\./,
    );
    const refused = await driver.answer(driver.click(eve, card, "claim"));
    assert.ok(refused.ephemeral);
    assert.match(refused.text, /You are not allowed to do that here/);
    const session = await driver.session();
    assert.equal(session.stage, "awaitingGatewayOperator");
    assert.equal(session.gatewayOperator, undefined);
  });

  it("tells the gateway operators of the request by DM, with the button to take it", async () => {
    const { carol, alice, eve } = driver.people;
    const asked = await driver.dm(carol, "A gateway operator is needed for “build-2”");
    assert.match(textOf(asked), /bob asks to connect a node named “build-2”/);
    assert.match(textOf(asked), /server “OpenClaw Ops”/);
    assert.ok(driver.fake.customIds(asked).some((id) => id.endsWith(":claim")));
    for (const other of [alice, eve])
      assert.ok(
        !driver.fake.dmsTo(other.id).some((m) => textOf(m).includes("gateway operator is needed")),
        `${other.username} is no gateway operator: not asked`,
      );
  });

  it("lists bad values privately and reopens the form pre-filled, never with the token", async () => {
    const { carol } = driver.people;
    // Taken from the DM: the claim works there as on the card, and the DM then says who took it.
    const asked = await driver.dm(carol, "A gateway operator is needed for “build-2”");
    const claim = driver.click(carol, asked, "claim");
    const modal = await claim.response();
    assert.equal(modal.type, 9, "the modal is the first answer");
    const inputs = modalInputs(modal.data);
    assert.deepEqual([...inputs.keys()], ["host", "port", "fingerprint", "token"]);
    assert.ok([...inputs.values()].every((input) => input.value === undefined));
    assert.equal(inputs.get("token")?.style, 1, "the token is a short text input");
    await driver.cardShows("carol is entering the gateway's details privately");
    await driver.fake.waitFor(() => textOf(asked).includes("carol took this request."), {
      what: "the DM to say carol took the request",
    });
    assert.ok(!driver.fake.customIds(asked).some((id) => id.endsWith(":claim")));

    const rejected = await driver.answer(
      driver.submitModal(carol, String(modal.data?.custom_id), {
        host: "https://gw.example.com/",
        port: "99999",
        fingerprint: "zz:11",
        token: TOKEN,
      }),
    );
    assert.ok(rejected.ephemeral);
    assert.match(rejected.text, /Some values need fixing; nothing was sent/);
    assert.match(rejected.text, /Gateway host: Leave out “https:\/\/”/);
    assert.match(rejected.text, /Port: 99999 is out of range/);
    assert.equal((await driver.session()).stage, "awaitingCredentials");
    await driver.cardShows("carol is entering the gateway's details privately");

    const reopen = driver.click(carol, await driver.card(), "enterCredentials");
    const again = modalInputs((await reopen.response()).data);
    assert.equal(again.get("host")?.value, "https://gw.example.com/");
    assert.equal(again.get("port")?.value, "99999");
    assert.equal(again.get("fingerprint")?.value, "zz:11");
    assert.equal(again.get("token")?.value, undefined, "the token is never pre-filled");
  });

  it("turns “Checking…” into what did not match, says so on the card, and does not offer the refused fingerprint back", async () => {
    const { carol } = driver.people;
    const reopen = driver.click(carol, await driver.card(), "enterCredentials");
    const modal = await reopen.response();
    const submitted = driver.submitModal(carol, String(modal.data?.custom_id), {
      host: tls.host,
      port: String(tls.port),
      fingerprint: "ab".repeat(32),
      token: TOKEN,
    });
    const checking = await driver.answer(submitted);
    assert.ok(checking.ephemeral);
    assert.match(checking.text, /Checking the gateway's certificate/);
    const outcome = await driver.answerShows(submitted, "The gateway check failed");
    assert.match(outcome, /The certificate there is not the one entered/);
    assert.match(outcome, /Entered: abababab…abababab/);
    assert.ok(handleIsEphemeral(submitted), "the outcome stays visible to carol only");
    const card = await driver.cardShows("The gateway check failed, so nothing was sent");
    assert.ok(!textOf(card).includes("abababab"), "the card names no fingerprint");
    assert.ok(
      !driver.fake.dmsTo(carol.id).some((m) => textOf(m).includes("The gateway check failed")),
      "the outcome came in place, not as a separate DM",
    );
    const again = modalInputs(
      (await driver.click(carol, card, "enterCredentials").response()).data,
    );
    assert.equal(again.get("host")?.value, tls.host);
    assert.equal(again.get("port")?.value, String(tls.port));
    assert.equal(
      again.get("fingerprint")?.value,
      undefined,
      "the refused fingerprint is not offered",
    );
  });

  it("checks the certificate at host:port and sends the credentials only to the node operator", async () => {
    const { carol, bob } = driver.people;
    const reopen = driver.click(carol, await driver.card(), "enterCredentials");
    const modal = await reopen.response();
    const submitted = driver.submitModal(carol, String(modal.data?.custom_id), {
      host: tls.host,
      port: String(tls.port),
      fingerprint: tls.fingerprint.toUpperCase().match(/../g)?.join(":") as string,
      token: TOKEN,
    });
    const checked = await driver.answer(submitted);
    assert.match(checked.text, /Checking the gateway's certificate/);
    await driver.answerShows(submitted, "Matched: sent to bob privately");
    const credentials = await driver.dm(bob, `export OPENCLAW_GATEWAY_TOKEN='${TOKEN}'`);
    assert.match(textOf(credentials), /```bash\n/);
    assert.match(textOf(credentials), /```powershell\n/);
    assert.ok(textOf(credentials).includes(`$env:OPENCLAW_GATEWAY_TOKEN = '${TOKEN}'`));
    assert.ok(textOf(credentials).includes(tls.fingerprint));
    await driver.cardShows("Credentials sent to bob");
  });

  it("refuses an approval clicked in the channel and one by a non-approver, and changes nothing", async () => {
    const { alice, eve } = driver.people;
    gateway.emit(
      pairingRequested({
        requestId: "req-1",
        deviceId: "dev-2",
        displayName: "build-2",
        remoteIp: "10.77.0.2",
        platform: "linux",
      }),
    );
    await driver.dm(alice, "Approve device pairing for “build-2”?");
    const before = await driver.session();
    const card = await driver.cardShows("The node asked to pair");
    assert.match(
      JSON.stringify(card.components),
      /"style":5,"label":"Open the WebUI","url":"https:\/\/gw\.example\.com:18789\/settings\/devices"/,
      "a link button to the gateway's Devices page",
    );
    forgeButton(card, `cs1:${before.id}:approveDevice`);
    const inChannel = await driver.answer(
      driver.clickId(alice, card, `cs1:${before.id}:approveDevice`),
    );
    assert.ok(inChannel.ephemeral);
    assert.match(inChannel.text, /Approvals happen in a private message from the bot/);
    const stranger = await driver.answer(
      driver.clickId(eve, card, `cs1:${before.id}:approveDevice`),
    );
    assert.ok(stranger.ephemeral);
    assert.match(stranger.text, /You are not allowed to do that here/);
    assert.equal((await driver.session()).version, before.version);
    assert.ok(!gateway.calls.some((call) => call.startsWith("approveDevice")));
  });

  it("refuses a click on a request that another device's request replaced, and shows the new one as a different device", async () => {
    const { alice } = driver.people;
    const first = await driver.dm(alice, "Approve device pairing for “build-2”?");
    const stale = driver.fake.customIds(first).find((id) => id.split(":")[2] === "approveDevice");
    gateway.emit(
      pairingRequested({
        requestId: "req-3",
        deviceId: "dev-3",
        displayName: "build-2",
        remoteIp: "203.0.113.66",
        platform: "linux",
      }),
    );
    const warning = await driver.dm(alice, "A different device, from 203.0.113.66");
    assert.notEqual(warning.id, first.id, "a new message for the new request");
    await driver.fake.waitFor(() => textOf(first).includes("was replaced by a newer one"), {
      what: "the first message to say it was replaced",
      timeoutMs: 15_000,
    });
    assert.deepEqual(driver.fake.customIds(first), [], "the replaced message has no buttons left");
    // A click from a client that still shows the button as it was drawn is refused, and nothing reaches the gateway.
    forgeButton(first, stale as string);
    const refused = await driver.answer(driver.clickId(alice, first, stale as string));
    assert.ok(refused.ephemeral);
    assert.match(refused.text, /this request was replaced by a newer one/);
    assert.ok(!gateway.calls.some((call) => call.startsWith("approveDevice")));
    // The node's own device asks again: that is what the approvers first saw, and its first message works again.
    gateway.emit(
      pairingRequested({
        requestId: "req-1",
        deviceId: "dev-2",
        displayName: "build-2",
        remoteIp: "10.77.0.2",
        platform: "linux",
      }),
    );
    await driver.fake.waitFor(() => !textOf(first).includes("was replaced"), {
      what: "the first message to show its request as pending again",
      timeoutMs: 15_000,
    });
  });

  it("approves the device once when the approver double-clicks, then asks the node operator to run it again", async () => {
    const { alice, bob } = driver.people;
    const request = await driver.dm(alice, "Approve device pairing for “build-2”?");
    const first = driver.click(alice, request, "approveDevice");
    const second = driver.click(alice, request, "approveDevice");
    const answers = [(await driver.answer(first)).text, (await driver.answer(second)).text].sort();
    assert.match(answers[0] ?? "", /Already approved by alice/);
    assert.match(answers[1] ?? "", /^Approved\.$/m);
    await driver.dm(bob, "The device was approved. The node stays paused");
    assert.deepEqual(
      gateway.calls.filter((call) => call.startsWith("approveDevice")),
      ["approveDevice req-1"],
    );
  });

  it("walks the capability approval to connected and takes the token out of the DM", async () => {
    const { dave, bob } = driver.people;
    gateway.emit(
      capabilityRequested({
        requestId: "cap-1",
        nodeId: "dev-2",
        commands: ["system.run", "file.write"],
      }),
    );
    const capability = await driver.dm(dave, "Approve the commands of “build-2”?");
    assert.match(textOf(capability), /system\.run, file\.write/);
    await driver.answer(driver.click(dave, capability, "approveCapability"));
    await driver.cardShows("Approved. Waiting for the gateway to show the node connected.");
    gateway.emit(nodeConnected("dev-2", "build-2"));
    await driver.cardShows("✅ Node “build-2” is connected");
    await driver.fake.waitFor(() => /is connected \(\d+ s\)/.test(textOf(capability)), {
      what: "the approver's DM to say how long it took",
    });
    await driver.dm(bob, "this message's secret has been removed");
    assert.ok(
      !driver.fake.dmsTo(bob.id).some((m) => textOf(m).includes(TOKEN)),
      "no DM still shows the token",
    );
    assertSecretsPrivate(driver, [TOKEN], bob);
    assert.deepEqual(driver.fake.unhandled, []);
  });
});

describe("a gateway operator whose DMs are closed", () => {
  const gateway = new ScriptedGateway({ canMint: false });
  const driver = new DiscordDriver(gateway, { dmsClosed: ["carol"] });
  const tls = withTlsGateway(driver);

  it("still hears each outcome where “Checking…” was, and the card says when the check failed", async () => {
    const { bob, carol } = driver.people;
    await driver.answer(driver.connectNode(bob, "build-7"));
    const claim = driver.click(
      carol,
      await driver.cardShows("Waiting for a gateway operator"),
      "claim",
    );
    const modal = await claim.response();
    const wrong = driver.submitModal(carol, String(modal.data?.custom_id), {
      host: tls.host,
      port: String(tls.port),
      fingerprint: "cd".repeat(32),
      token: TOKEN,
    });
    assert.match((await driver.answer(wrong)).text, /Checking the gateway's certificate/);
    await driver.answerShows(wrong, "The certificate there is not the one entered");
    await driver.cardShows("The gateway check failed, so nothing was sent");

    // She dismissed the ephemeral "Checking…" meanwhile, so it can no longer be edited: the outcome follows up.
    driver.fake.failNext({
      method: "PATCH",
      path: /^\/webhooks\/\d+\/[^/]+\/messages\/(%40|@)original$/,
      status: 404,
      code: 10008,
      message: "Unknown Message",
    });
    const reopened = await driver.click(carol, await driver.card(), "enterCredentials").response();
    const right = driver.submitModal(carol, String(reopened.data?.custom_id), {
      host: tls.host,
      port: String(tls.port),
      fingerprint: tls.fingerprint,
      token: TOKEN,
    });
    const followUp = await driver.fake.waitFor(
      () =>
        driver.fake.followups.find(
          (f) =>
            f.interactionId === right.id &&
            f.kind === "followup" &&
            JSON.stringify(f.body).includes("Matched: sent to bob privately"),
        ),
      { what: "the outcome as a follow-up", timeoutMs: 15_000 },
    );
    assert.equal(driver.fake.pendingFailures, 0, "the edit was tried first");
    const shown = driver.fake.messages.find((m) => m.id === followUp.messageId);
    assert.ok(((shown?.flags ?? 0) & EPHEMERAL) !== 0, "the follow-up is for carol only");
    await driver.dm(bob, `export OPENCLAW_GATEWAY_TOKEN='${TOKEN}'`);
    const card = await driver.cardShows("Credentials sent to bob");
    assert.ok(!textOf(card).includes("The gateway check failed"), "the card moved on");
    assert.deepEqual(
      driver.fake.dmsTo(carol.id),
      [],
      "carol's DMs are closed: nothing reached her there",
    );
    assertSecretsPrivate(driver, [TOKEN], bob);
  });
});

describe("a demoted approver", () => {
  const gateway = new ScriptedGateway({ canMint: true });
  const driver = new DiscordDriver(gateway);
  before(() => driver.start());
  after(() => driver.stop());

  it("can no longer approve once the approver role is taken away, and is no longer asked", async () => {
    const { bob, alice, dave } = driver.people;
    await driver.answer(driver.connectNode(bob, "build-3"));
    const request = await driver.dm(alice, "Approve a new node “build-3”?");
    driver.fake.setMemberRoles(driver.guild.id, alice.id, []);
    const refused = await driver.answer(driver.click(alice, request, "approveRequest"));
    assert.ok(refused.ephemeral);
    assert.match(refused.text, /You are not allowed to do that here/);
    assert.equal((await driver.session()).stage, "awaitingApproval");
    assert.ok(!gateway.calls.includes("mintSetupCode"));

    await driver.answer(driver.connectNode(bob, "build-4"));
    await driver.dm(dave, "Approve a new node “build-4”?");
    assert.ok(
      !driver.fake.dmsTo(alice.id).some((m) => textOf(m).includes("build-4")),
      "only current approvers are asked",
    );
    const daves = await driver.dm(dave, "Approve a new node “build-3”?");
    await driver.answer(driver.click(dave, daves, "approveRequest"));
    await driver.dm(bob, "Your setup link for “build-3”");
  });
});

describe("a node operator whose DMs are closed", () => {
  const gateway = new ScriptedGateway({ canMint: true });
  const driver = new DiscordDriver(gateway, { dmsClosed: ["bob"] });
  before(() => driver.start());
  after(() => driver.stop());

  it("gets the link through the card's private button, which answers only them", async () => {
    const { bob, alice, eve } = driver.people;
    await driver.answer(driver.connectNode(bob, "build-5"));
    const request = await driver.dm(alice, "Approve a new node “build-5”?");
    await driver.answer(driver.click(alice, request, "approveRequest"));
    const card = await driver.cardShows("bob's private messages are closed");
    assert.match(textOf(card), /Show my credentials/);
    assert.match(textOf(card), /waiting for bob to open it/);
    assert.doesNotMatch(textOf(card), /✅ Setup link sent privately/, "one state at a time");

    const refused = await driver.answer(driver.click(eve, card, "reveal"));
    assert.ok(refused.ephemeral);
    // Configuration cannot make these someone else's: the refusal says whose they are, not "ask an admin".
    assert.match(refused.text, /for bob only/);
    assert.doesNotMatch(refused.text, /configuration/);

    const cancel = await driver.answer(driver.click(eve, card, "cancel"));
    assert.ok(cancel.ephemeral);
    assert.match(cancel.text, /Only bob .*or an approver can cancel/);
    assert.doesNotMatch(cancel.text, /configuration/);

    const reveal = driver.click(bob, card, "reveal");
    const shown = await driver.answer(reveal);
    const code = gateway.mintedCodes[0] as string;
    assert.ok(shown.ephemeral, "only bob sees it");
    assert.ok(shown.text.includes(`oc-pair://${code}`));
    assert.equal(reveal.originalMessage()?.visibleTo, bob.id);
    assert.deepEqual(driver.fake.dmsTo(bob.id), [], "nothing reached bob's closed DMs");
    // Once bob has seen it, the card says so, and no longer that his messages are closed.
    await driver.cardShows("Setup link shown to bob privately");
    assert.doesNotMatch(textOf(card), /closed/);
    assertSecretsPrivate(driver, [code], bob);
  });
});

describe("setup links required, but no gateway the bot can reach", () => {
  const gateway = new UnavailableGateway("CLAWSHAKE_GATEWAY_PATH=none");
  const driver = new DiscordDriver(gateway, { env: () => ({ CLAWSHAKE_MODE: "setup-link" }) });
  before(() => driver.start());
  after(() => driver.stop());

  it("warns at start-up, says so in plain words on the card, and tells the requester and the approver privately", async () => {
    const { bob, alice } = driver.people;
    const warning = readFileSync(driver.logFile, "utf8")
      .split("\n")
      .filter((line) => /"level":40/.test(line) && line.includes("CLAWSHAKE_MODE=setup-link"));
    assert.equal(warning.length, 1, "one warning line names the combination");

    await driver.answer(driver.connectNode(bob, "build-7"));
    const request = await driver.dm(alice, "Approve a new node “build-7”?");
    await driver.answer(driver.click(alice, request, "approveRequest"));
    const card = await driver.cardShows("Stopped:");
    assert.doesNotMatch(textOf(card), /CLAWSHAKE_|OPENCLAW_/);
    assert.match(textOf(card), /no connection to the gateway/);
    await driver.dm(bob, "Setup links cannot be made");
    const detail = await driver.dm(alice, "CLAWSHAKE_GATEWAY_PATH=none");
    assert.ok(detail.isDm);
  });
});

describe("setup links chosen by the bot, and the gateway then refusing one", () => {
  const gateway = new ScriptedGateway({ canMint: true });
  gateway.mintFailure = "device.pair.setupCode: missing scope: operator.pairing";
  const driver = new DiscordDriver(gateway);
  before(() => driver.start());
  after(() => driver.stop());

  it("falls back to the shared token whatever the reason, and the card says why in plain words", async () => {
    const { bob, alice } = driver.people;
    await driver.answer(driver.connectNode(bob, "build-8"));
    const request = await driver.dm(alice, "Approve a new node “build-8”?");
    await driver.answer(driver.click(alice, request, "approveRequest"));
    const card = await driver.cardShows("Waiting for a gateway operator");
    assert.match(textOf(card), /Setup links are not available: /);
    assert.doesNotMatch(textOf(card), /missing scope|operator\.pairing/);
    assert.equal((await driver.session()).mode, "sharedToken");
  });
});

describe("Discord failing on the card", () => {
  const gateway = new ScriptedGateway({ canMint: true });
  const driver = new DiscordDriver(gateway);
  before(() => driver.start());
  after(() => driver.stop());

  it("loses nothing to a 429 and to 500s on the card edit: the session still reaches connected", async () => {
    const { bob, alice } = driver.people;
    await driver.answer(driver.connectNode(bob, "build-6"));
    const card = await driver.cardShows("Waiting for an approver");
    const path = new RegExp(`^/channels/${driver.channel.id}/messages/${card.id}$`);
    driver.fake.failNext({ method: "PATCH", path, status: 429, retryAfterSeconds: 1 });
    driver.fake.failNext({ method: "PATCH", path, status: 500, times: 4 });
    const request = await driver.dm(alice, "Approve a new node “build-6”?");
    await driver.answer(driver.click(alice, request, "approveRequest"));
    await driver.dm(bob, "Your setup link for “build-6”");
    await driver.cardShows("Setup link sent to bob");
    gateway.emit({ type: "setupCompleted", setupId: "setup-1", deviceId: "dev-6" });
    await driver.cardShows("The node used its setup link");
    gateway.emit(nodeConnected("dev-6", "build-6"));
    await driver.cardShows("✅ Node “build-6” is connected");
    const statuses = driver.fake.requests
      .filter((r) => r.method === "PATCH" && path.test(r.path))
      .map((r) => r.status);
    assert.deepEqual(statuses.slice(0, 5), [429, 500, 500, 500, 500]);
    assert.ok(statuses.includes(200));
    assert.match(
      readFileSync(driver.logFile, "utf8"),
      /"status":500,"method":"PATCH".*"discord call failed"/,
    );
  });
});

describe("Discord answers lost on the way back", () => {
  const gateway = new ScriptedGateway({ canMint: true });
  const driver = new DiscordDriver(gateway);
  before(() => driver.start());
  after(() => driver.stop());

  it("posts the card and the approval DM once when Discord created them but every answer failed", async () => {
    const { bob, alice } = driver.people;
    // Each message POST is carried out, then answered 500: discord.js retries, and then the outbox does.
    const posts = /^\/channels\/\d+\/messages$/;
    driver.fake.failNext({
      method: "POST",
      path: posts,
      status: 500,
      afterHandling: true,
      times: 6,
    });
    await driver.answer(driver.connectNode(bob, "build-12"));
    const request = await driver.dm(alice, "Approve a new node “build-12”?");
    await driver.cardShows("Waiting for an approver");
    assert.equal(driver.fake.pendingFailures, 0);
    const lost = driver.fake.requests.filter(
      (r) => r.method === "POST" && posts.test(r.path) && r.status === 500,
    );
    assert.equal(lost.length, 6, "six answers were lost");

    const cards = driver.fake
      .channelMessages(driver.channel.id)
      .filter((m) => textOf(m).includes("build-12"));
    assert.equal(cards.length, 1, "one card");
    const approvals = driver.fake
      .dmsTo(alice.id)
      .filter((m) => textOf(m).includes("Approve a new node “build-12”?"));
    assert.deepEqual(
      approvals.map((m) => m.id),
      [request.id],
      "one approval DM",
    );
    await driver.answer(driver.click(alice, request, "approveRequest"));
    await driver.dm(bob, "Your setup link for “build-12”");
    assert.equal(
      driver.fake.dmsTo(bob.id).filter((m) => textOf(m).includes("Your setup link")).length,
      1,
    );
    assertSecretsPrivate(driver, gateway.mintedCodes, bob);
  });
});

describe("a restart in the middle of a handshake", () => {
  const gateway = new ScriptedGateway({ canMint: false });
  const driver = new DiscordDriver(gateway);
  const tls = withTlsGateway(driver);

  it("keeps the card's buttons working with a new client and app on the same database", async () => {
    const { bob, alice, dave } = driver.people;
    await driver.answer(driver.connectNode(bob, "build-7"));
    await driver.cardShows("Waiting for a gateway operator");
    await driver.stopBot();
    await driver.startBot();

    await shareCredentials(driver, tls);
    gateway.emit(
      pairingRequested({ requestId: "req-7", deviceId: "dev-7", displayName: "build-7" }),
    );
    const device = await driver.dm(alice, "Approve device pairing for “build-7”?");
    await driver.answer(driver.click(alice, device, "approveDevice"));
    await driver.dm(bob, "Run the node again for “build-7”");
    gateway.emit(
      capabilityRequested({ requestId: "cap-7", nodeId: "dev-7", commands: ["system.run"] }),
    );
    const capability = await driver.dm(dave, "Approve the commands of “build-7”?");
    await driver.answer(driver.click(dave, capability, "approveCapability"));
    await driver.cardShows("Approved. Waiting for the gateway to show the node connected.");
    gateway.emit(nodeConnected("dev-7", "build-7"));
    await driver.cardShows("✅ Node “build-7” is connected");
    assert.equal(driver.fake.connectedClients, 1, "the first client logged out");
    assertSecretsPrivate(driver, [TOKEN], bob);
  });
});

describe("the leak guard", () => {
  const gateway = new ScriptedGateway({ canMint: false });
  const driver = new DiscordDriver(gateway, { env: () => ({ DISCORD_LEAK_GUARD: "true" }) });
  const tls = withTlsGateway(driver);

  it("deletes a channel message with the live token and tells the channel to rotate it, without the token", async () => {
    const { bob, eve } = driver.people;
    const identify = driver.fake.gatewayLog.find((entry) => entry.kind === "identify");
    assert.ok(
      identify?.kind === "identify" && (identify.intents & (1 << 15)) !== 0,
      "Message Content intent",
    );
    await driver.answer(driver.connectNode(bob, "build-8"));
    await shareCredentials(driver, tls);

    const harmless = driver.fake.userMessage({
      user: eve,
      channelId: driver.channel.id,
      content: "is the node up yet?",
    });
    const leaked = driver.fake.userMessage({
      user: bob,
      channelId: driver.channel.id,
      content: `carol, is this right? ${TOKEN}`,
    });
    await driver.fake.waitFor(
      () => driver.fake.userMessages.find((m) => m.id === leaked.id)?.deleted,
      { what: "the leaked message to be deleted" },
    );
    const warning = await driver.fake.waitFor(() =>
      driver.fake
        .channelMessages(driver.channel.id)
        .find((m) => textOf(m).includes("A secret was posted here")),
    );
    assert.ok(
      textOf(warning).includes('openclaw config set gateway.auth.token "$(openssl rand -hex 32)"'),
    );
    assert.ok(textOf(warning).includes("openclaw gateway restart"));
    assert.ok(textOf(warning).includes(`<@${bob.id}>`));
    assert.ok(!textOf(warning).includes(TOKEN));
    assert.equal(driver.fake.userMessages.find((m) => m.id === harmless.id)?.deleted, false);
    assertSecretsPrivate(driver, [TOKEN], bob);
  });
});

describe("where a request comes from", () => {
  const driver = new DiscordDriver(new ScriptedGateway({ canMint: true }));
  before(() => driver.start());
  after(() => driver.stop());

  /** A look-alike: a server with the team's name, and someone who shows as “bob” there. */
  async function lookalike() {
    const fake = driver.fake;
    const guild = fake.addGuild({ name: "OpenClaw Ops" });
    const channel = fake.addChannel(guild.id, { name: "ops" });
    const mallory = fake.addUser({ username: "mallory", globalName: "bob" });
    fake.addMember(guild.id, mallory.id);
    await registerCommands({ token: "fake-token", apiUrl: fake.restApi, guildId: guild.id });
    const connect = (name: string) =>
      fake.slashCommand({
        user: mallory,
        guildId: guild.id,
        channelId: channel.id,
        name: "connect-node",
        options: [{ name: "name", type: 3, value: name }],
      });
    return { guild, channel, mallory, connect };
  }

  it("shows the approver the server, the channel and the requester's username, each with its id", async () => {
    const { bob, alice } = driver.people;
    await driver.answer(driver.connectNode(bob, "build-20"));
    const request = await driver.dm(alice, "Approve a new node “build-20”?");
    const text = textOf(request);
    assert.ok(
      text.includes(
        `Asked in: server “OpenClaw Ops” (id ${driver.guild.id}) › #ops (id ${driver.channel.id})`,
      ),
      text,
    );
    assert.ok(text.includes(`Asked by: bob (username bob, id ${bob.id})`), text);
  });

  let other: Awaited<ReturnType<typeof lookalike>>;

  it("refuses /connect-node, privately, in a server where no configured approver is a member, and opens nothing", async () => {
    other = await lookalike();
    const refused = await driver.answer(other.connect("build-21"));
    assert.ok(refused.ephemeral);
    assert.match(
      refused.text,
      /works only in a server where one of the configured approvers is a member/,
    );
    assert.deepEqual(
      driver.fake.channelMessages(other.channel.id).filter((m) => m.via === "channel"),
      [],
      "no card",
    );
    const open = (await driver.app?.store.active()) ?? [];
    assert.deepEqual(
      open.map((s) => s.displayName),
      ["build-20"],
    );
    assert.ok(
      !driver.fake.dmsTo(driver.people.dave.id).some((m) => textOf(m).includes("build-21")),
      "no approver is asked",
    );
  });

  it("does not list the team's nodes in that server either: /nodes needs an approver there as /connect-node does", async () => {
    (driver.gateway as ScriptedGateway).nodes = [
      { nodeId: "dev-31", displayName: "payroll-db", connected: true, approved: true },
    ];
    const refused = await driver.answer(
      driver.fake.slashCommand({
        user: other.mallory,
        guildId: other.guild.id,
        channelId: other.channel.id,
        name: "nodes",
      }),
    );
    assert.ok(refused.ephemeral);
    assert.ok(!refused.text.includes("payroll-db"), refused.text);
    assert.match(
      refused.text,
      /\/nodes works only where one of the configured approvers is a member/,
    );
    (driver.gateway as ScriptedGateway).nodes = [];
  });

  it("accepts it there once an approver is a member, and the approver can tell it from the team's", async () => {
    const { dave } = driver.people;
    driver.fake.addMember(other.guild.id, dave.id);
    const opened = await driver.answer(other.connect("build-22"));
    assert.match(opened.text, /Request opened/);
    const request = await driver.dm(dave, "Approve a new node “build-22”?");
    const text = textOf(request);
    assert.ok(
      text.includes(
        `Asked in: server “OpenClaw Ops” (id ${other.guild.id}) › #ops (id ${other.channel.id})`,
      ),
      text,
    );
    assert.ok(text.includes(`Asked by: bob (username mallory, id ${other.mallory.id})`), text);
  });
});

/** A gateway slow to say what it can do, so opening a session outlasts the deferral delay. */
class SlowGateway extends ScriptedGateway {
  override async info(): Promise<GatewayInfo> {
    await sleep(400);
    return super.info();
  }
}

describe("answering within Discord's 3 seconds, allowed channels, the bot's permissions", () => {
  const driver = new DiscordDriver(new SlowGateway({ canMint: true }), {
    env: (d) => ({ DISCORD_CHANNEL_IDS: d.channel.id }),
    adapter: { deferAfterMs: 50 },
  });
  before(() => driver.start());
  after(() => driver.stop());

  it("refuses /connect-node, privately, where the bot could not post its card, and opens nothing", async () => {
    const { bob } = driver.people;
    const everyone = driver.guild.id;
    const botRole = driver.guild.botRoleId;
    const saved = {
      everyone: driver.fake.rolePermissions(everyone),
      bot: driver.fake.rolePermissions(botRole),
    };
    // View Channel and Send Messages, but no Embed Links: the card could not be shown.
    const bare = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
    driver.fake.setRolePermissions(everyone, bare);
    driver.fake.setRolePermissions(botRole, bare);
    try {
      const refused = await driver.answer(driver.connectNode(bob, "build-11"));
      assert.ok(refused.ephemeral);
      assert.match(
        refused.text,
        /cannot post its card in this channel: give it View Channel, Send Messages and Embed Links/,
      );
      assert.deepEqual(
        driver.fake.channelMessages(driver.channel.id).filter((m) => m.via === "channel"),
        [],
      );
      assert.deepEqual(await driver.app?.store.active(), []);
    } finally {
      driver.fake.setRolePermissions(everyone, saved.everyone);
      driver.fake.setRolePermissions(botRole, saved.bot);
    }
  });

  it("refuses /connect-node, privately, in a channel that is not allowed", async () => {
    const { bob } = driver.people;
    const refused = await driver.answer(
      driver.connectNode(bob, "build-9", { channelId: driver.otherChannel.id }),
    );
    assert.ok(refused.ephemeral);
    assert.ok(
      refused.text.includes(`/connect-node works only in these channels: <#${driver.channel.id}>`),
    );
    assert.deepEqual(
      driver.fake.channelMessages(driver.otherChannel.id).filter((m) => m.via === "channel"),
      [],
    );
  });

  it("refuses /nodes, privately, in a channel that is not allowed, without asking the gateway", async () => {
    const { bob } = driver.people;
    const gateway = driver.gateway as SlowGateway;
    const refused = await driver.answer(driver.slash(bob, "nodes", driver.otherChannel.id));
    assert.ok(refused.ephemeral);
    assert.ok(
      refused.text.includes(`/nodes works only in these channels: <#${driver.channel.id}>`),
    );
    assert.ok(!gateway.calls.includes("listNodes"));
  });

  it("defers, ephemerally, an interaction that takes longer, then fills in the answer", async () => {
    const { bob } = driver.people;
    const opened = driver.connectNode(bob, "build-10");
    const callback = await opened.response();
    assert.equal(callback.type, 5, "deferred");
    assert.equal(callback.data?.flags, EPHEMERAL);
    const answer = await driver.answer(opened);
    assert.match(answer.text, /Request opened/);
    assert.ok(answer.ephemeral);
    await driver.cardShows("Connect node “build-10”");
  });
});
