// Least privilege on Discord and Telegram: the real discord.js and grammY bots against the fakes, the flows, SQLite,
// and OpenClaw through the scripted gateway. The requester names commands, the approver's button grants them, the
// node operator's command carries them, and a node that holds more once connected is taken off the gateway again.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DiscordDriver, textOf } from "../adapters/discord/driver.ts";
import { TelegramDriver } from "../adapters/telegram/driver.ts";
import { nodeConnected } from "../support/gateway-events.ts";
import { ScriptedGateway } from "../support/scripted-gateway.ts";

/** The node `nodeId` uses its link and connects; the gateway will then report it with these commands. */
async function connects(
  driver: DiscordDriver,
  gateway: ScriptedGateway,
  nodeId: string,
  name: string,
  commands: string[],
) {
  gateway.nodes.push({ nodeId, displayName: name, connected: true, approved: true });
  gateway.commands.set(nodeId, commands);
  gateway.emit({
    type: "setupCompleted",
    setupId: `setup-${gateway.mintedCodes.length}`,
    deviceId: nodeId,
  });
  await driver.fake.waitFor(
    () =>
      driver.fake
        .dmsTo(driver.people.bob.id)
        .find((m) => textOf(m).includes(`“${name}”`) && textOf(m).includes("has been used")),
    { what: `bob's link message for ${name} to say it was used` },
  );
  gateway.emit(nodeConnected(nodeId, name));
}

describe("Discord: the approver grants the commands the requester named", () => {
  const gateway = new ScriptedGateway({ canMint: true });
  const driver = new DiscordDriver(gateway);
  before(() => driver.start());
  after(() => driver.stop());

  it("offers the named commands first, carries them in the command, and shows what the gateway granted", async () => {
    const { bob, alice } = driver.people;
    await driver.answer(
      driver.connectNode(bob, "grant-1", { commands: "system.which, fs.listDir" }),
    );
    const request = await driver.dm(alice, "Approve a new node “grant-1”?");
    assert.match(textOf(request), /Commands asked for[\s\S]*fs\.listDir, system\.which/);
    const targets = driver.fake
      .customIds(request)
      .filter((id) => id.split(":")[2] === "approveRequest")
      .map((id) => id.split(":")[3]);
    assert.deepEqual(targets, ["asked", "safe", "all"]);

    await driver.answer(driver.click(alice, request, "approveRequest", "asked"));
    const link = await driver.dm(bob, "openclaw node run --pair");
    assert.match(textOf(link), /--commands='fs\.listDir,system\.which'/);
    assert.match(textOf(link), /This link is for: only fs\.listDir, system\.which/);
    await driver.cardShows("only fs.listDir, system.which");

    await connects(driver, gateway, "dev-g1", "grant-1", ["system.which"]);
    const card = await driver.cardShows("✅ Node “grant-1” is connected");
    assert.match(textOf(card), /Granted by the gateway[\s\S]*system\.which/);
    assert.ok(gateway.calls.includes("describeNode dev-g1"));
    assert.ok(!gateway.calls.includes("removeNode dev-g1"));
  });

  it("takes a node that connected with more off the gateway, and tells the approvers and the node operator", async () => {
    const { bob, alice } = driver.people;
    await driver.answer(driver.connectNode(bob, "grant-2"));
    const request = await driver.dm(alice, "Approve a new node “grant-2”?");
    await driver.answer(driver.click(alice, request, "approveRequest", "safe"));
    const link = await driver.dm(bob, "--commands=");
    assert.ok(!/system\.run[,']/.test(textOf(link)), "no program-running command in the link");

    await connects(driver, gateway, "dev-g2", "grant-2", ["system.run", "system.which"]);
    await driver.fake.waitFor(
      () =>
        driver.fake
          .channelMessages(driver.channel.id)
          .find(
            (m) =>
              textOf(m).includes("“grant-2”") &&
              textOf(m).includes("took it off the gateway again"),
          ),
      { what: "the card of grant-2 to say it was removed again" },
    );
    assert.ok(gateway.calls.includes("removeNode dev-g2"));
    const told = await driver.dm(alice, "“grant-2” was taken off the gateway");
    assert.match(textOf(told), /nobody approved: system\.run/);
    await driver.dm(bob, "“grant-2” was taken off the gateway");
    assert.ok(
      !driver.fake
        .channelMessages(driver.channel.id)
        .some((m) => textOf(m).includes("✅ Node “grant-2” is connected")),
      "grant-2's card never turned green",
    );
  });

  it("still reads, and takes off the gateway, a node that redeemed its link when the session is cancelled before it connected", async () => {
    const { bob, alice } = driver.people;
    await driver.answer(driver.connectNode(bob, "grant-3"));
    const request = await driver.dm(alice, "Approve a new node “grant-3”?");
    await driver.answer(driver.click(alice, request, "approveRequest", "safe"));
    await driver.dm(bob, "“grant-3”");
    // Started without its --commands, the node is paired with everything; it is stopped before it connects.
    gateway.nodes.push({
      nodeId: "dev-g3",
      displayName: "grant-3",
      connected: false,
      approved: true,
    });
    gateway.commands.set("dev-g3", ["system.run", "system.which"]);
    gateway.emit({
      type: "setupCompleted",
      setupId: `setup-${gateway.mintedCodes.length}`,
      deviceId: "dev-g3",
    });
    const card = await driver.fake.waitFor(
      () =>
        driver.fake
          .channelMessages(driver.channel.id)
          .find((m) => m.via === "channel" && textOf(m).includes("“grant-3”")),
      { what: "the card of grant-3" },
    );
    await driver.fake.waitFor(
      () =>
        driver.fake
          .dmsTo(bob.id)
          .find((m) => textOf(m).includes("“grant-3”") && textOf(m).includes("has been used")),
      { what: "bob's link message for grant-3 to say it was used" },
    );
    await driver.answer(driver.click(bob, card, "cancel"));
    await driver.fake.waitFor(() => gateway.calls.includes("removeNode dev-g3") || undefined, {
      what: "the bot to take dev-g3 off the gateway",
    });
    assert.ok(gateway.calls.includes("describeNode dev-g3"));
  });
});

describe("Telegram: the approver's choice of commands", () => {
  const gateway = new ScriptedGateway({ canMint: true });
  const driver = new TelegramDriver(gateway);
  before(() => driver.start());
  after(() => driver.stop());

  it("takes --commands after the name, and the button pressed is what the link carries", async () => {
    driver.inGroup("bob", "/connect_node grant-t --commands system.which -- runs CI");
    await driver.groupMessage("Connect node “grant-t”");
    const request = await driver.dm("alice", "Approve a new node “grant-t”?");
    assert.match(request.text, /Commands asked for: system\.which/);
    assert.match(request.text, /runs CI/);
    const answer = await driver.press("alice", request, "Approve: no program-running").answered();
    assert.equal(answer.text, "Approved.");
    const link = await driver.dm("bob", "openclaw node run --pair");
    // "All but running programs" from the safe list, not the requester's set: exactly what the pressed button said.
    assert.match(link.text, /--commands='browser\.proxy,[^']*system\.which[^']*'/);
    assert.ok(!/system\.run[,']/.test(link.text));
  });

  it("refuses a list that is not command ids, in the group, saying which", async () => {
    driver.inGroup("bob", "/connect_node grant-u --commands system.which;reboot");
    await driver.groupMessage("“system.which;reboot” is not an OpenClaw command id");
  });
});
