// The whole handshake on Telegram: the real grammY bot against the fake Bot API, real flows, SQLite and logs.
// The test plays the people in the group and their private chats, and OpenClaw through the scripted gateway.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { MAX_LOG_BYTES } from "../../src/core/log-tail.ts";
import { type Name, PEOPLE, TelegramDriver } from "../adapters/telegram/driver.ts";
import { NODE_LOG } from "../fixtures/node-logs.ts";
import { capabilityRequested, nodeConnected, pairingRequested } from "../support/gateway-events.ts";
import { ScriptedGateway } from "../support/scripted-gateway.ts";
import { withTlsGateway } from "../support/tls-gateway.ts";

const TOKEN = "tok_7d1e4c2b9a8f3e6d5c4b3a2f1e0d9c8b";

function assertNoSecret(driver: TelegramDriver, secrets: string[]): void {
  for (const secret of secrets)
    for (const [where, text] of Object.entries(driver.publicTraces()))
      assert.ok(!text.includes(secret), `a secret leaked into the ${where}`);
}

/** Presses a button and returns the bot's answer to the press (its alert or toast). */
async function pressAndRead(
  driver: TelegramDriver,
  name: Name,
  message: Parameters<TelegramDriver["press"]>[1],
  label: string,
) {
  return driver.press(name, message, label).answered();
}

describe("Telegram: the handshake with a setup link", () => {
  const gateway = new ScriptedGateway({ canMint: true });
  const driver = new TelegramDriver(gateway);
  before(() => driver.start());
  after(() => driver.stop());

  it("sets the command menus for groups and private chats, in English and Chinese", () => {
    const menus = driver.fake.commands.map((c) => [
      c.scope.type,
      c.language_code,
      c.commands.map((x) => x.command).join(","),
    ]);
    assert.deepEqual(menus, [
      ["all_group_chats", "", "connect_node,nodes,help"],
      ["all_private_chats", "", "start,diagnose,nodes,disconnect_node,help"],
      ["all_group_chats", "zh", "connect_node,nodes,help"],
      ["all_private_chats", "zh", "start,diagnose,nodes,disconnect_node,help"],
    ]);
  });

  it("posts the card once although Telegram answers the first try with 429 (auto-retry)", async () => {
    driver.fake.failNext({ method: "sendMessage", status: 429, retryAfter: 1 });
    driver.inGroup("bob", "/connect_node build-1");
    await driver.groupMessage("Connect node “build-1”");
    await driver.chat.settled();
    const sends = driver.fake.requests.filter((r) => r.method === "sendMessage");
    assert.deepEqual(
      sends.slice(0, 2).map((r) => r.status),
      [429, 200],
    );
    assert.equal(
      driver.fake.chatMessages(driver.group.id).filter((m) => m.text.includes("build-1")).length,
      1,
    );
  });

  it("goes from /connect_node to connected with the approval and the link in private chats", async () => {
    const request = await driver.dm("alice", "Approve a new node “build-1”?");
    await driver.dm("dave", "Approve a new node “build-1”?");

    const answer = await pressAndRead(driver, "alice", request, "Approve: all commands");
    // Success is a brief toast; only a refusal stays on screen as an alert until dismissed.
    assert.deepEqual([answer.text, answer.show_alert], ["Approved.", false]);
    const linkDm = await driver.dm("bob", "openclaw node run --pair");
    const code = gateway.mintedCodes[0] as string;
    assert.ok(linkDm.text.includes(`oc-pair://${code}`), "the node operator gets the setup link");
    assert.match(linkDm.rawText, /<pre><code class="language-bash">/);
    await driver.groupMessage("Setup link sent to Bob");

    gateway.emit({ type: "setupCompleted", setupId: "setup-1", deviceId: "dev-1" });
    await driver.dm("bob", "The setup link has been used");
    gateway.emit(nodeConnected("dev-1", "build-1"));
    const card = await driver.groupMessage("✅ Node “build-1” is connected");
    assert.equal(card.reply_markup, undefined, "a finished card has no buttons");
    assert.ok(
      driver.fake.allText().includes(code),
      "the code did go to the node operator's private chat",
    );
    assertNoSecret(driver, [code]);
    assert.deepEqual(driver.loggedErrors(), []);
  });

  it("lists the node in the group without its id, gives an approver the details privately, and disconnects it after a private confirmation", async () => {
    gateway.nodes = [
      {
        nodeId: "dev-1",
        displayName: "build-1",
        connected: true,
        approved: true,
        remoteIp: "10.9.8.7",
      },
    ];
    driver.inGroup("bob", "/nodes");
    const listed = await driver.groupMessage("Nodes on the gateway (1)");
    assert.match(listed.text, /build-1/);
    assert.match(listed.text, /Asked by Bob · approved by Alice/);
    assert.ok(!listed.text.includes("dev-1") && !listed.text.includes("10.9.8.7"), listed.text);
    driver.inGroup("alice", "/nodes");
    const details = await driver.dm("alice", "Node id (device id): dev-1");
    assert.match(details.text, /10\.9\.8\.7/);
    assert.ok(!driver.groupTraffic().includes("dev-1"), "no device id in the group");

    driver.inGroup("bob", "/disconnect_node build-1");
    await driver.dm("bob", "Only an approver may disconnect a node.");
    driver.inGroup("alice", "/disconnect_node build-1");
    const confirm = await driver.dm("alice", "Disconnect node “build-1”?");
    assert.match(confirm.text, /dev-1/);
    // The node is replaced under the same name before the click: the confirmation no longer stands for it.
    gateway.nodes = [{ nodeId: "dev-9", displayName: "build-1", connected: true, approved: true }];
    const refused = await pressAndRead(driver, "alice", confirm, "Disconnect");
    assert.equal(refused.show_alert, true);
    assert.match(refused.text ?? "", /changed since the confirmation/);
    assert.ok(!gateway.calls.some((c) => c.startsWith("removeNode")), "nothing removed");

    gateway.nodes = [
      {
        nodeId: "dev-1",
        displayName: "build-1",
        connected: true,
        approved: true,
        remoteIp: "10.9.8.7",
      },
    ];
    const done = await pressAndRead(driver, "alice", confirm, "Disconnect");
    assert.match(done.text ?? "", /was removed from the gateway/);
    assert.ok(gateway.calls.includes("removeNode dev-1"));
    await driver.groupMessage("Disconnected by Alice");
    assert.deepEqual(driver.loggedErrors(), []);
  });

  it("names its commands as Telegram spells them: /connect_node without a name hints /connect_node", async () => {
    driver.inGroup("bob", "/connect_node");
    const hint = await driver.groupMessage("Give the node a display name");
    assert.match(hint.text, /e\.g\. \/connect_node build-server-1/);
    assert.ok(!hint.text.includes("/connect-node"), hint.text);
  });

  it("answers chit-chat in a private chat with a short help, not a diagnosis", async () => {
    driver.privately("eve", "hi, what can you do?");
    const help = await driver.dm("eve", "/diagnose");
    assert.match(help.text, /\/connect_node <display name>/);
    assert.ok(!driver.dms("eve").some((m) => m.text.includes("Node log:")));
    // What looks like the node's output is still diagnosed without /diagnose first.
    driver.privately("eve", NODE_LOG.tokenMismatch);
    await driver.dm("eve", "Node log: TOKEN_MISMATCH");
  });

  it("takes /connect-node typed by habit as /connect_node", async () => {
    driver.inGroup("bob", "/connect-node build-habit");
    await driver.groupMessage("Connect node “build-habit”");
  });

  it("answers /start with a welcome, and /help in the group and in private", async () => {
    await driver.fake.userStartsBot(driver.users.eve).processed();
    await driver.dm("eve", "you can now receive approvals");
    driver.inGroup("eve", "/help");
    await driver.groupMessage("/connect_node <display name> opens a request here");
    driver.privately("eve", "/help");
    await driver.dm("eve", "/diagnose: paste a node's log");
  });

  it("speaks Chinese to someone whose Telegram app is in Chinese", async () => {
    const li = driver.fake.addUser({ first_name: "Li", language_code: "zh-hans" });
    await driver.fake.userStartsBot(li).processed();
    await driver.fake.waitFor(() =>
      driver.fake.privateMessagesTo(li.id).some((m) => m.text.includes("你已启动 clawshake")),
    );
  });
});

describe("Telegram: the handshake with the shared token", () => {
  const gateway = new ScriptedGateway({ canMint: false });
  const driver = new TelegramDriver(gateway);
  let card: Awaited<ReturnType<TelegramDriver["groupMessage"]>>;
  const tls = withTlsGateway(driver);

  it("refuses the gateway operator role to someone not configured, with an alert, changing nothing", async () => {
    driver.inGroup("bob", "/connect_node build-2");
    card = await driver.groupMessage("Connect node “build-2”");
    await driver.chat.settled();
    const edits = card.edits.length;
    const answer = await pressAndRead(driver, "eve", card, "I'm the gateway operator");
    assert.equal(answer.show_alert, true);
    assert.match(answer.text ?? "", /You are not allowed to do that here/);
    await driver.chat.settled();
    assert.equal(card.edits.length, edits);
    assert.equal((await driver.session("build-2"))?.stage, "awaitingGatewayOperator");
    assert.equal(driver.dms("eve").length, 0);
  });

  it("tells the configured gateway operator of the request privately, with the button to take it", async () => {
    const asked = await driver.dm("carol", "A gateway operator is needed for “build-2”");
    assert.match(
      JSON.stringify(asked.reply_markup),
      /"text":"I'm the gateway operator","callback_data"/,
      "a button that claims, not a link",
    );
    assert.ok(!driver.dms("alice").some((m) => m.text.includes("gateway operator is needed")));
  });

  it("asks the gateway operator privately, field by field, refusing a bad fingerprint with the fix", async () => {
    const answer = await pressAndRead(driver, "carol", card, "I'm the gateway operator");
    assert.equal(answer.text, "Sent to you in your private chat with the bot.");
    await driver.dm("carol", "1/4 · Gateway host");
    driver.privately("carol", tls.host);
    await driver.dm("carol", "2/4 · Port");
    driver.privately("carol", String(tls.port));
    await driver.dm("carol", "3/4 · TLS fingerprint");
    driver.privately("carol", "zz:not-a-fingerprint");
    await driver.dm("carol", "A fingerprint has only hex digits");
    // A well-formed fingerprint, but not the gateway's: the check refuses it below.
    driver.privately("carol", "ab".repeat(32));
    await driver.dm("carol", "4/4 · Gateway token");
  });

  it("turns “Checking…” into what did not match, says so on the card, and offers Keep buttons but not the refused fingerprint", async () => {
    driver.privately("carol", TOKEN);
    const checking = await driver.dm("carol", "Checking the gateway's certificate");
    await driver.fake.waitFor(() => checking.text.includes("The gateway check failed"), {
      what: "the “Checking…” message to become the outcome",
    });
    assert.match(checking.text, /The certificate there is not the one entered/);
    await driver.groupMessage("The gateway check failed, so nothing was sent");
    assert.ok(!driver.groupTraffic().includes("abababab"), "the card names no fingerprint");
    assert.equal(
      driver.dms("carol").filter((m) => m.text.includes("The gateway check failed")).length,
      1,
      "the outcome came in place, not as a second message",
    );

    driver.press("carol", checking, "Enter gateway details");
    const host = await driver.dm("carol", `Current value: ${tls.host}`);
    await driver.press("carol", host, "Keep").answered();
    const port = await driver.dm("carol", `Current value: ${tls.port}`);
    await driver.press("carol", port, "Keep").answered();
    const fingerprint = await driver.dm("carol", "3/4 · TLS fingerprint");
    assert.ok(!fingerprint.text.includes("abab"), "the refused fingerprint is not offered back");
    assert.equal(fingerprint.reply_markup, undefined, "nothing to keep");
    assert.equal(host.reply_markup, undefined, "an answered question loses its Keep button");
    const colons = tls.fingerprint.toUpperCase().match(/../g)?.join(":") as string;
    driver.privately("carol", colons);
    await driver.fake.waitFor(
      () => driver.dms("carol").filter((m) => m.text.includes("4/4 · Gateway token")).length === 2,
      { what: "the token question again" },
    );
  });

  it("deletes the message that carried the token and says so, then sends the credentials to the node operator only", async () => {
    const typed = driver.privately("carol", TOKEN);
    await driver.dm("carol", "I read the token and deleted your message");
    const outcome = await driver.dm("carol", "Matched: sent to Bob privately");
    assert.ok(outcome.edits.length > 0, "the “Checking…” message became the outcome");
    assert.ok(
      driver.fake.deletedMessages.some(
        (d) => d.chatId === PEOPLE.carol.id && d.message_id === typed.payload.message_id,
      ),
    );
    const credentials = await driver.dm("bob", `export OPENCLAW_GATEWAY_TOKEN='${TOKEN}'`);
    assert.ok(credentials.text.includes(tls.fingerprint));
    await driver.groupMessage("Credentials sent to Bob");
  });

  it("walks device pairing and the node's commands through approvals in private chats to connected", async () => {
    gateway.emit(
      pairingRequested({
        requestId: "req-1",
        deviceId: "dev-2",
        displayName: "build-2",
        remoteIp: "10.77.0.2",
        platform: "linux",
      }),
    );
    const pairing = await driver.dm("alice", "Approve device pairing for “build-2”?");
    const answer = await pressAndRead(driver, "alice", pairing, "Approve device");
    assert.equal(answer.text, "Approved.");
    await driver.dm("bob", "The device was approved. The node stays paused");
    assert.ok(gateway.calls.includes("approveDevice req-1"));

    gateway.emit(
      capabilityRequested({
        requestId: "cap-1",
        nodeId: "dev-2",
        commands: ["system.run", "file.write"],
      }),
    );
    const capability = await driver.dm("dave", "Approve the commands of “build-2”?");
    assert.ok(capability.text.includes("system.run, file.write"));
    await pressAndRead(driver, "dave", capability, "Approve commands");
    await driver.groupMessage("Approved. Waiting for the gateway to show the node connected.");
    gateway.emit(nodeConnected("dev-2", "build-2"));
    await driver.groupMessage("✅ Node “build-2” is connected");
    await driver.dm("bob", "this message's secret has been removed");
    assert.ok(driver.fake.allText().includes(TOKEN), "the token did go to the node operator");
    assertNoSecret(driver, [TOKEN]);
    assert.deepEqual(driver.loggedErrors(), []);
    assert.equal(driver.fake.callbackAnswers.length, driver.presses, "every press is answered");
  });

  it("diagnoses a log pasted after /diagnose, one sent with it, and one sent as a file", async () => {
    driver.privately("bob", "/diagnose");
    await driver.dm("bob", "Paste the node's log here");
    driver.privately("bob", NODE_LOG.fingerprintMismatch);
    await driver.dm("bob", "FINGERPRINT_MISMATCH");

    driver.privately("bob", `/diagnose ${NODE_LOG.tokenMismatch}`);
    await driver.dm("bob", "TOKEN_MISMATCH");

    driver.fake.userSendsDocument({
      from: driver.users.bob,
      fileName: "node.log",
      content: `starting\n${NODE_LOG.connectionRefused}\n`,
    });
    await driver.dm("bob", "CONNECTION_REFUSED");
  });

  it("diagnoses a log file longer than the cap from its end, downloading no more than the cap", async () => {
    const filler = `${"x".repeat(99)}\n`.repeat(50_000); // 5 MB
    driver.fake.userSendsDocument({
      from: driver.users.bob,
      fileName: "node.log",
      content: `${NODE_LOG.connected}\n${filler}${NODE_LOG.tokenMissing}\n`,
    });
    const diagnosis = await driver.dm("bob", "TOKEN_MISSING");
    assert.match(diagnosis.text, /last 2 MB/);
    const served = driver.fake.downloads.at(-1);
    assert.ok(served && served.bytes <= MAX_LOG_BYTES + 1, `${served?.bytes} bytes downloaded`);
  });
});

describe("Telegram: a node operator who never started the bot", () => {
  const gateway = new ScriptedGateway({ canMint: true });
  const driver = new TelegramDriver(gateway, { notStarted: ["bob"] });
  before(() => driver.start());
  after(() => driver.stop());

  it("gets a deep-link button on the card that delivers the link privately, once, and only to them", async () => {
    driver.inGroup("bob", "/connect_node build-4");
    const request = await driver.dm("alice", "Approve a new node “build-4”?");
    await pressAndRead(driver, "alice", request, "Approve: all commands");
    const card = await driver.groupMessage("private messages are closed");
    assert.doesNotMatch(
      card.text,
      /\bhere\b/,
      "the button opens a private chat: nothing is shown here",
    );
    assert.match(card.text, /waiting for Bob to open it/);
    assert.doesNotMatch(card.text, /✅ Setup link sent privately/, "one state at a time");
    const url = await driver.fake.waitFor(() => driver.linkOf(card, "Show my credentials"));
    const payload = new URL(url).searchParams.get("start") as string;
    assert.equal(new URL(url).origin + new URL(url).pathname, "https://t.me/clawshake_bot");
    assert.ok(payload.length <= 64 && /^[A-Za-z0-9_-]+$/.test(payload));

    await driver.fake.userStartsBot(driver.users.eve, payload).processed();
    // Someone else's link: told whose it is, not that it "no longer works" nor to ask for configuration.
    const notYours = await driver.dm("eve", "This is for Bob only");
    assert.doesNotMatch(notYours.text, /configuration/);
    const cancel = await pressAndRead(driver, "eve", card, "Cancel");
    assert.equal(cancel.show_alert, true, "a refusal stays until dismissed");
    assert.match(cancel.text ?? "", /Only Bob or an approver can cancel this request/);

    await driver.fake.userStartsBot(driver.users.bob, payload).processed();
    const linkDm = await driver.dm("bob", "openclaw node run --pair");
    const code = gateway.mintedCodes[0] as string;
    assert.ok(linkDm.text.includes(code));
    // The card no longer says bob's messages are closed: he has opened the chat and seen the link.
    await driver.fake.waitFor(() => card.text.includes("Setup link shown to Bob privately"));
    assert.doesNotMatch(card.text, /closed/);
    // One delivery; with the checks in each of its three scripts it may take more than one Telegram message (4096).
    const delivered = driver.dms("bob").filter((m) => m.text.includes(code)).length;

    await driver.fake.userStartsBot(driver.users.bob, payload).processed();
    await driver.dm("bob", "This link no longer works");
    assert.equal(
      driver.dms("bob").filter((m) => m.text.includes(code)).length,
      delivered,
      "not delivered again",
    );
    assert.equal(driver.dms("eve").filter((m) => m.text.includes(code)).length, 0);
    const fresh = await driver.fake.waitFor(() => {
      const now = driver.linkOf(card, "Show my credentials");
      return now !== url && now;
    });
    assert.notEqual(new URL(fresh).searchParams.get("start"), payload);

    // The delivered link is redacted like any private message once the node used it.
    gateway.emit({ type: "setupCompleted", setupId: "setup-1", deviceId: "dev-4" });
    await driver.fake.waitFor(() => linkDm.text.includes("The setup link has been used"));
    assertNoSecret(driver, [code]);
  });
});

describe("Telegram: group administrators as approvers", () => {
  const gateway = new ScriptedGateway({ canMint: true });
  const driver = new TelegramDriver(gateway, {
    admins: ["olga"],
    groupId: -1_001_234_500_001,
    env: {
      TELEGRAM_APPROVER_IDS: "",
      TELEGRAM_APPROVERS_ARE_ADMINS: "true",
      TELEGRAM_CHAT_IDS: "-1001234500001",
    },
  });
  before(() => driver.start());
  after(() => driver.stop());

  it("asks the group's admins, and checks the role again at the click", async () => {
    driver.inGroup("bob", "/connect_node build-3");
    const request = await driver.dm("olga", "Approve a new node “build-3”?");
    assert.equal(driver.dms("alice").length, 0, "configured ids are not used here");

    driver.fake.setAdmins(driver.group.id, []);
    const refused = await pressAndRead(driver, "olga", request, "Approve: all commands");
    assert.match(refused.text ?? "", /You are not allowed to do that here/);
    await driver.chat.settled();
    assert.ok(!gateway.calls.includes("mintSetupCode"));
    assert.equal((await driver.session("build-3"))?.stage, "awaitingApproval");

    driver.fake.setAdmins(driver.group.id, [PEOPLE.olga.id]);
    const approved = await pressAndRead(driver, "olga", request, "Approve: all commands");
    assert.equal(approved.text, "Approved.");
    await driver.dm("bob", "openclaw node run --pair");
  });

  it("ignores a press in another listed group that names this group's session (forged callback data)", async () => {
    const { bob, eve } = driver.users;
    driver.inGroup("bob", "/connect_node build-13");
    await driver.dm("olga", "Approve a new node “build-13”?");
    const target = await driver.session("build-13");
    assert.ok(target);
    // eve is an admin of the team's other listed group, where bob's card for another node shows a Cancel button.
    await driver.stopBot();
    driver.options.env = {
      ...driver.options.env,
      TELEGRAM_CHAT_IDS: `${driver.group.id},${OTHER_GROUP}`,
    };
    await driver.startBot();
    const other = driver.fake.addGroup({
      id: OTHER_GROUP,
      title: "Ops 2",
      members: [bob.id, eve.id],
      admins: [eve.id],
    });
    driver.fake.userSends({ from: bob, chat: other, text: "/connect_node build-14" });
    const card = await driver.fake.waitFor(
      () =>
        driver.fake.messages.find(
          (m) =>
            m.chatId === OTHER_GROUP && m.text.includes("build-14") && m.reply_markup !== undefined,
        ),
      { what: "the card in the other group" },
    );
    const forged = driver.fake.clickButton({
      from: eve,
      message: card,
      data: `${target.id}:xx`,
      forged: true,
    });
    const answer = await forged.answered();
    assert.equal(answer.show_alert, true);
    await driver.chat.settled();
    assert.equal((await driver.session("build-13"))?.stage, "awaitingApproval", "not cancelled");
  });
});

const OTHER_GROUP = -1_001_234_500_002;

describe("Telegram: group administrators approve only in the listed groups", () => {
  const gateway = new ScriptedGateway({ canMint: true });
  const STRANGERS = -1_002_000_000_001;
  const driver = new TelegramDriver(gateway, {
    env: {
      TELEGRAM_APPROVER_IDS: "",
      TELEGRAM_APPROVERS_ARE_ADMINS: "true",
      TELEGRAM_CHAT_IDS: String(STRANGERS),
    },
  });
  before(() => driver.start());
  after(() => driver.stop());

  it("refuses an admin of a group that is no longer listed, even on a request they were asked about, and mints nothing", async () => {
    const { bob, eve } = driver.users;
    const theirs = driver.fake.addGroup({
      id: STRANGERS,
      title: "Ops",
      members: [bob.id, eve.id],
      admins: [eve.id],
    });
    driver.fake.userSends({ from: bob, chat: theirs, text: "/connect_node build-12" });
    const request = await driver.dm("eve", "Approve a new node “build-12”?");

    // The team lists only its own group from now on; the request from the other group is still pending.
    await driver.stopBot();
    driver.options.env = { ...driver.options.env, TELEGRAM_CHAT_IDS: String(driver.group.id) };
    await driver.startBot();
    const refused = await pressAndRead(driver, "eve", request, "Approve: all commands");
    assert.match(refused.text ?? "", /You are not allowed to do that here/);
    await driver.chat.settled();
    assert.ok(!gateway.calls.includes("mintSetupCode"), "no setup link minted");
    assert.equal(driver.dms("bob").filter((m) => m.text.includes("oc-pair://")).length, 0);
    assert.equal((await driver.session("build-12"))?.stage, "awaitingApproval");
    assert.deepEqual(
      await driver.chat.approvers({ platform: "telegram", id: String(STRANGERS) }),
      [],
      "its admins are asked about nothing either",
    );
  });
});

describe("Telegram: with no TELEGRAM_CHAT_IDS, only groups an approver is in", () => {
  const gateway = new ScriptedGateway({ canMint: true });
  const driver = new TelegramDriver(gateway);
  before(() => driver.start());
  after(() => driver.stop());

  it("refuses /connect_node, privately, in a group none of the approvers is in, and opens nothing", async () => {
    const { eve } = driver.users;
    const lookalike = driver.fake.addGroup({ title: "Ops", members: [eve.id], admins: [eve.id] });
    driver.fake.userSends({ from: eve, chat: lookalike, text: "/connect_node build-13" });
    await driver.dm(
      "eve",
      "works only in a group where one of the configured approvers is a member",
    );
    await driver.chat.settled();
    assert.equal(await driver.session("build-13"), undefined);
    assert.deepEqual(driver.dms("alice"), [], "no approver is asked");
    assert.deepEqual(driver.fake.chatMessages(lookalike.id), [], "nothing is posted in that group");
  });

  it("lists the team's nodes neither in a stranger's group nor to a stranger privately", async () => {
    const { eve } = driver.users;
    gateway.nodes = [
      { nodeId: "dev-31", displayName: "payroll-db", connected: true, approved: true },
    ];
    const own = driver.fake.addGroup({ title: "Ops", members: [eve.id], admins: [eve.id] });
    driver.fake.userSends({ from: eve, chat: own, text: "/nodes" });
    await driver.fake.waitFor(() =>
      driver.fake.chatMessages(own.id).find((m) => m.text.includes("/nodes works only")),
    );
    driver.privately("eve", "/nodes");
    await driver.dm("eve", "/nodes answers approvers only");
    await driver.chat.settled();
    const seen = [...driver.fake.chatMessages(own.id), ...driver.dms("eve")].map((m) => m.text);
    assert.ok(!seen.some((text) => text.includes("payroll-db")), seen.join("\n"));
    // An approver still reads them privately.
    driver.privately("alice", "/nodes");
    await driver.dm("alice", "payroll-db");
    gateway.nodes = [];
  });

  it("accepts it where an approver is a member, and shows the approver which group and whom", async () => {
    const mallory = driver.fake.addUser({
      first_name: "Bob",
      username: "mallory",
      startedBot: true,
    });
    const lookalike = driver.fake.addGroup({
      title: "Ops",
      members: [mallory.id, driver.users.alice.id],
      admins: [mallory.id],
    });
    driver.fake.userSends({ from: mallory, chat: lookalike, text: "/connect_node build-14" });
    const request = await driver.dm("alice", "Approve a new node “build-14”?");
    assert.ok(
      request.text.includes(`Asked in: group “Ops” (id ${lookalike.id})`),
      `the group and its id, not just its title:\n${request.text}`,
    );
    assert.ok(request.text.includes(`Asked by: Bob (username @mallory, id ${mallory.id})`));
    assert.ok(!request.text.includes(String(driver.group.id)), "not the team's group");
  });
});

describe("Telegram: where and for whom", () => {
  const gateway = new ScriptedGateway({ canMint: false });
  const driver = new TelegramDriver(gateway, { notStarted: ["carol"] });
  before(() => driver.start());
  after(() => driver.stop());

  it("opens the form once a gateway operator who never started the bot presses Start", async () => {
    driver.inGroup("bob", "/connect_node build-5");
    const card = await driver.groupMessage("Connect node “build-5”");
    const answer = await pressAndRead(driver, "carol", card, "I'm the gateway operator");
    assert.match(answer.text ?? "", /press Start/);
    assert.equal(answer.url, "https://t.me/clawshake_bot?start=resume");
    await driver.fake.userStartsBot(driver.users.carol, "resume").processed();
    await driver.dm("carol", "1/4 · Gateway host");
  });

  it("answers /connect_node in a private chat with where to use it", async () => {
    driver.privately("bob", "/connect_node build-6");
    await driver.dm("bob", "Use /connect_node <display name> in your team's group");
  });
});

describe("Telegram: a restart while the gateway operator is typing", () => {
  const gateway = new ScriptedGateway({ canMint: false });
  const driver = new TelegramDriver(gateway);
  const tls = withTlsGateway(driver);

  it("deletes what was typed into the lost form, asks again from the first question, and finishes", async () => {
    driver.inGroup("bob", "/connect_node build-9");
    const card = await driver.groupMessage("Connect node “build-9”");
    await pressAndRead(driver, "carol", card, "I'm the gateway operator");
    await driver.dm("carol", "1/4 · Gateway host");
    driver.privately("carol", tls.host);
    await driver.dm("carol", "2/4 · Port");
    await driver.stopBot();
    await driver.startBot();

    // Carol goes on where she was; the bot no longer knows the form, and the text might have been the token.
    const typed = driver.privately("carol", String(tls.port));
    await driver.dm("carol", "The bot restarted while you were entering the gateway details");
    assert.ok(
      driver.fake.deletedMessages.some(
        (d) => d.chatId === PEOPLE.carol.id && d.message_id === typed.payload.message_id,
      ),
    );
    await driver.fake.waitFor(
      () => driver.dms("carol").filter((m) => m.text.includes("1/4 · Gateway host")).length === 2,
      { what: "the first question again" },
    );
    driver.privately("carol", tls.host);
    await driver.dm("carol", "2/4 · Port");
    driver.privately("carol", String(tls.port));
    await driver.dm("carol", "3/4 · TLS fingerprint");
    driver.privately("carol", tls.fingerprint);
    await driver.dm("carol", "4/4 · Gateway token");
    driver.privately("carol", TOKEN);
    await driver.dm("bob", `export OPENCLAW_GATEWAY_TOKEN='${TOKEN}'`);
    assert.equal(
      driver.dms("carol").filter((m) => /diagnos|UNKNOWN/i.test(m.text)).length,
      0,
      "nothing she typed was taken for a node log",
    );
    assertNoSecret(driver, [TOKEN]);
  });
});

describe("Telegram: a group with topics", () => {
  const gateway = new ScriptedGateway({ canMint: true });
  const driver = new TelegramDriver(gateway, { forum: true });
  before(() => driver.start());
  after(() => driver.stop());

  it("posts the card in the topic /connect_node was typed in, and keeps it there to connected", async () => {
    const { bob } = driver.users;
    driver.fake.userSends({
      from: bob,
      chat: driver.group,
      text: "/connect_node build-8",
      topic: 77,
      topicName: "Deploys",
    });
    const card = await driver.groupMessage("Connect node “build-8”");
    assert.equal(card.thread, 77, "the card is in the topic, not in General");
    const request = await driver.dm("alice", "Approve a new node “build-8”?");
    assert.ok(
      request.text.includes(
        `Asked in: group “Ops” (id ${driver.group.id}) › topic “Deploys” (id 77)`,
      ),
      request.text,
    );
    await pressAndRead(driver, "alice", request, "Approve: all commands");
    await driver.dm("bob", "Your setup link for “build-8”");
    gateway.emit({ type: "setupCompleted", setupId: "setup-1", deviceId: "dev-8" });
    await driver.groupMessage("The node used its setup link");
    gateway.emit(nodeConnected("dev-8", "build-8"));
    await driver.groupMessage("✅ Node “build-8” is connected");
    const cards = driver.fake
      .chatMessages(driver.group.id)
      .filter((m) => m.text.includes("build-8"));
    assert.deepEqual(
      cards.map((m) => m.thread),
      [77],
      "one card, edited in place in its topic",
    );
    assertNoSecret(driver, gateway.mintedCodes);

    driver.fake.userSends({ from: bob, chat: driver.group, text: "/help", topic: 78 });
    const help = await driver.groupMessage("/connect_node");
    assert.equal(help.thread, 78);
  });
});

describe("Telegram: TELEGRAM_CHAT_IDS", () => {
  const gateway = new ScriptedGateway({ canMint: true });
  const driver = new TelegramDriver(gateway, { env: { TELEGRAM_CHAT_IDS: "-1009999999999" } });
  before(() => driver.start());
  after(() => driver.stop());

  it("refuses /connect_node in a group that is not listed, and opens nothing", async () => {
    driver.inGroup("bob", "/connect_node build-7");
    await driver.groupMessage("/connect_node is not enabled in this group.");
    await driver.chat.settled();
    assert.equal(await driver.session("build-7"), undefined);
    assert.equal(driver.dms("alice").length, 0);
  });
});

describe("Telegram: a reason after the name", () => {
  const gateway = new ScriptedGateway({ canMint: true });
  const driver = new TelegramDriver(gateway, { env: { CLAWSHAKE_REQUIRE_REASON: "true" } });
  before(() => driver.start());
  after(() => driver.stop());

  it("refuses a request without one, takes it on the next line or after “ -- ”, and shows it to the approvers", async () => {
    driver.inGroup("bob", "/connect_node build 7");
    const hint = await driver.groupMessage("Say why the node is needed");
    assert.match(hint.text, /\/connect_node build-server-1 -- runs the nightly builds/);
    assert.equal(await driver.session("build 7"), undefined);

    driver.inGroup("bob", "/connect_node build 7\nruns the nightly builds");
    const card = await driver.groupMessage("Connect node “build 7”");
    assert.match(card.text, /Reason: runs the nightly builds/);
    const request = await driver.dm("alice", "Approve a new node “build 7”?");
    assert.match(request.text, /runs the nightly builds/);
    assert.equal((await driver.session("build 7"))?.reason, "runs the nightly builds");

    driver.inGroup("bob", "/connect_node build-8 -- tests the ARM images");
    await driver.groupMessage("Connect node “build-8”");
    assert.equal((await driver.session("build-8"))?.reason, "tests the ARM images");

    await pressAndRead(driver, "alice", request, "Approve: all commands");
    await driver.dm("bob", "openclaw node run --pair");
    await driver.dm("bob", "Your request for “build 7” was approved");
    assert.deepEqual(driver.loggedErrors(), []);
  });
});
