import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Secret } from "../../src/core/secret.ts";
import { NODE_LOG } from "../fixtures/node-logs.ts";
import { person } from "../support/actors.ts";
import { ConsoleDriver } from "../support/console-driver.ts";
import { capabilityRequested, nodeConnected, pairingRequested } from "../support/gateway-events.ts";
import { ScriptedGateway } from "../support/scripted-gateway.ts";
import { startTlsGateway, type TlsGateway, withTlsGateway } from "../support/tls-gateway.ts";

const TOKEN = "tok_5f2b8c9d0e1a4b3c8d7e6f5a4b3c2d1e";

function assertNoSecret(driver: ConsoleDriver, secrets: string[]): void {
  const traces = driver.publicTraces();
  for (const secret of secrets)
    for (const [where, text] of Object.entries(traces))
      assert.ok(!text.includes(secret), `a secret leaked into the ${where}`);
}

describe("the console handshake with a setup link", () => {
  const gateway = new ScriptedGateway({ canMint: true });
  const driver = new ConsoleDriver(gateway);
  before(() => driver.start());
  after(() => driver.stop());

  it("goes from /connect-node to connected, with the link only in the node operator's private message", async () => {
    driver.type("/as bob", "/connect-node build-1");
    await driver.seeText("Connect node “build-1”", "channel");
    await driver.seeText("Approve a new node “build-1”?", "dm", "alice");

    // An approver approves in a private message; the link goes to bob privately.
    driver.type("/as alice", String(driver.button("Approve: all commands", "dm", "alice")));
    const linkDm = await driver.seeText("openclaw node run --pair", "dm", "bob");
    const code = gateway.mintedCodes[0] as string;
    assert.ok(linkDm.text.includes(`oc-pair://${code}`));
    await driver.seeText("Setup link sent to bob", "channel");

    // The node redeems the link and shows up connected.
    const [session] = await driver.app.store.active();
    gateway.emit({ type: "setupCompleted", setupId: "setup-1", deviceId: "dev-1" });
    await driver.seeText("The setup link has been used", "dm", "bob");
    gateway.emit(nodeConnected("dev-1", "build-1"));
    await driver.seeText("✅ Node “build-1” is connected", "channel");
    assert.equal((await driver.app.store.get(session?.id as string))?.stage, "connected");
    assertNoSecret(driver, [code]);
  });

  it("tells the approver a link the gateway spent without confirming delivery may not have arrived, and re-issues it", async () => {
    const minted = gateway.mintedCodes.length;
    driver.type("/as bob", "/connect-node build-2");
    await driver.seeText("Approve a new node “build-2”?", "dm", "alice");
    driver.type("/as alice", String(driver.button("Approve: all commands", "dm", "alice")));
    await driver.see(
      (l) => l.where === "dm" && gateway.mintedCodes.length > minted && l.text.includes("build-2"),
      "the link to bob",
    );
    const setupId = `setup-${minted + 1}`;
    gateway.emit({ type: "setupDeliveryUncertain", setupId });
    await driver.seeText("may not have arrived", "dm", "alice");
    await driver.seeText("could not confirm the node received it", "channel");
    const before = gateway.mintedCodes.length;
    driver.type("/as alice", String(driver.button("New link", "dm", "alice")));
    await driver.see(
      (l) =>
        l.where === "dm" &&
        gateway.mintedCodes.length === before + 1 &&
        l.text.includes(`oc-pair://${gateway.mintedCodes[before]}`),
      "the new link to bob",
    );
  });

  it("writes no terminal control sequence a gateway's node name carries", async () => {
    // Whoever runs a node names it: an escape sequence in that name would drive the operator's terminal
    // (set the clipboard with OSC 52, redraw lines) if it were written as it came.
    gateway.nodes = [
      {
        nodeId: "dev-7",
        displayName: "\u001b]52;c;Y3VybCBldmlsIHwgc2g=\u0007ok\u001b[2K\u009b1A",
        connected: true,
        approved: true,
      },
    ];
    driver.type("/as alice", "/nodes");
    await driver.seeText("Nodes on the gateway (1)", "reply", "alice");
    assert.ok(
      !["\u001b", "\u0007", "\u009b"].some((c) => driver.screen.includes(c)),
      JSON.stringify(driver.screen.slice(-400)),
    );
    assert.match(driver.screen, /\[U\+001B\]\]52;c;/);
    gateway.nodes = [];
  });

  it("answers /connect-node without a name with a hint in the console's spelling", async () => {
    driver.type("/as bob", "/connect-node");
    const hint = await driver.seeText("Give the node a display name", "reply", "bob");
    assert.match(hint.text, /e\.g\. \/connect-node build-server-1/);
  });

  it("answers text that is neither a command nor a node log with a short help, and diagnoses a pasted log line", async () => {
    driver.type("/as eve", "hello, anybody there?");
    const help = await driver.seeText("/connect-node <display name>", "reply", "eve");
    assert.match(help.text, /\/diagnose/);
    assert.ok(
      !driver.chat.transcript.some((l) => /Unknown command|Node log: UNKNOWN/.test(l.text)),
    );
    driver.type(NODE_LOG.connectionRefused);
    await driver.seeText("Node log: CONNECTION_REFUSED", "reply", "eve");
  });
});

describe("the console handshake with the shared token", () => {
  const gateway = new ScriptedGateway({ canMint: false });
  const driver = new ConsoleDriver(gateway);
  const tls = withTlsGateway(driver);

  it("refuses a gateway operator who is not configured", async () => {
    driver.type("/as bob", "/connect-node build-2");
    await driver.seeText("Connect node “build-2”", "channel");
    await driver.seeText(
      "Setup links are not available: the gateway listens only on its own machine, so a setup link would lead nowhere.",
      "channel",
    );
    driver.type("/as eve", String(driver.button("I'm the gateway operator", "channel")));
    await driver.seeText("You are not allowed to do that here", "reply", "eve");
    await driver.seeText("A gateway operator is needed for “build-2”", "dm", "carol");
    assert.ok(
      !driver.chat.transcript.some((l) => l.to !== "carol" && l.text.includes("is needed for")),
      "only the configured gateway operator is asked",
    );
  });

  it("asks each field with an example, checks it as it is typed, and does not take a button number for a host", async () => {
    driver.type("/as carol", String(driver.button("I'm the gateway operator", "dm", "carol")));
    await driver.seeText("Gateway details for “build-2”", "reply", "carol");
    await driver.seeText("A form is open", "reply", "carol");
    await driver.seeText("/cancel-form leaves the form", "reply", "carol");
    await driver.seeText("e.g. gateway.example.com or 203.0.113.50", "reply", "carol");
    const cancel = driver.button("Cancel", "channel");
    driver.type(String(cancel));
    await driver.seeText(`“${cancel}” is the number of a button on the screen`, "reply", "carol");
    driver.type("https://gw.example.com/");
    await driver.seeText("Leave out “https://”", "reply", "carol");
    driver.type("gw.example.com");
    await driver.seeText("Enter for the default, 18789", "reply", "carol");
    driver.type("99999");
    await driver.seeText("99999 is out of range", "reply", "carol");
    driver.type("");
    await driver.seeText(
      "openssl x509 -in ~/.openclaw/gateway/tls/gateway-cert.pem -fingerprint -sha256 -noout",
      "reply",
      "carol",
    );
    driver.type("/cancel-form");
    await driver.seeText("Form left; nothing was sent.", "system");
    const session = (await driver.app.store.active())[0];
    assert.equal(session?.stage, "awaitingCredentials");
    assert.equal(session?.endpoint, undefined, "nothing was submitted");
  });

  it("checks the certificate, sends the credentials privately, and walks both approvals to connected", async () => {
    driver.type(String(driver.button("Enter gateway details", "channel")));
    await driver.seeText("Gateway details for “build-2”", "reply", "carol");
    // A wrong fingerprint first: nothing is sent, the gateway operator is told right after “Checking…”, the card
    // says the check failed, and the form keeps the host and port but not the refused fingerprint.
    driver.type(tls.host, String(tls.port), "ab".repeat(32), TOKEN);
    await driver.seeText("Checking the gateway's certificate", "reply", "carol");
    await driver.seeText("The certificate there is not the one entered", "reply", "carol");
    await driver.seeText("The gateway check failed, so nothing was sent", "channel");
    assert.ok(
      !driver.chat.transcript.some((l) => l.where === "dm" && l.text.includes("check failed")),
      "told where they submitted, not by a separate private message",
    );
    driver.type(String(driver.button("Enter gateway details", "reply", "carol")));
    await driver.seeText(`Enter keeps [${tls.host}]`, "reply", "carol");
    driver.type("", "");
    const fingerprintPrompt = await driver.seeText("3/4 TLS fingerprint", "reply", "carol");
    assert.ok(!fingerprintPrompt.text.includes("abab"), "the refused fingerprint is not offered");
    driver.type(tls.fingerprint.toUpperCase().match(/../g)?.join(":") as string, TOKEN);
    await driver.seeText("Matched: sent to bob privately", "reply", "carol");
    const credentials = await driver.seeText(
      `export OPENCLAW_GATEWAY_TOKEN='${TOKEN}'`,
      "dm",
      "bob",
    );
    assert.ok(
      credentials.text.includes(`--tls-fingerprint ${tls.fingerprint}`) ||
        credentials.text.includes(tls.fingerprint),
    );
    await driver.seeText("Credentials sent to bob", "channel");

    // The node asks to pair; an approver approves by private message; bob is told to run it again.
    gateway.emit(
      pairingRequested({
        requestId: "req-1",
        deviceId: "dev-2",
        displayName: "build-2",
        remoteIp: "10.77.0.2",
        platform: "linux",
      }),
    );
    await driver.seeText("Approve device pairing for “build-2”?", "dm", "alice");
    driver.type("/as alice", String(driver.button("Approve device", "dm", "alice")));
    await driver.seeText("The device was approved. The node stays paused", "dm", "bob");
    assert.ok(gateway.calls.includes("approveDevice req-1"));

    gateway.emit(
      capabilityRequested({
        requestId: "cap-1",
        nodeId: "dev-2",
        commands: ["system.run", "file.write"],
      }),
    );
    const capability = await driver.seeText("Approve the commands of “build-2”?", "dm", "dave");
    assert.ok(capability.text.includes("system.run, file.write"));
    driver.type("/as dave", String(driver.button("Approve commands", "dm", "dave")));
    await driver.seeText(
      "Approved. Waiting for the gateway to show the node connected.",
      "channel",
    );
    gateway.emit(nodeConnected("dev-2", "build-2"));
    await driver.seeText("✅ Node “build-2” is connected", "channel");
    await driver.seeText("this message's secret has been removed", "dm", "bob");
    assertNoSecret(driver, [TOKEN]);
  });

  it("diagnoses a pasted node log privately", async () => {
    driver.type("/as bob", "/diagnose", NODE_LOG.fingerprintMismatch, ".");
    await driver.seeText("FINGERPRINT_MISMATCH", "reply", "bob");
  });

  it("diagnoses a paste longer than the cap from its last lines", async () => {
    const filler = Array.from({ length: 30_000 }, () => "x".repeat(99));
    driver.type("/diagnose", NODE_LOG.tokenMismatch, ...filler, NODE_LOG.connectionRefused, ".");
    await driver.seeText("CONNECTION_REFUSED", "reply", "bob");
    await driver.seeText("only its last 2 MB were read", "reply", "bob");
  });
});

describe("the console card after a cancel", () => {
  const gateway = new ScriptedGateway({ canMint: false });
  const driver = new ConsoleDriver(gateway);
  const tls = withTlsGateway(driver);

  it("keeps what happened: the credentials were sent, then withdrawn", async () => {
    driver.type("/as bob", "/connect-node build-3");
    await driver.seeText("Connect node “build-3”", "channel");
    driver.type("/as carol", String(driver.button("I'm the gateway operator", "channel")));
    await driver.seeText("Gateway details for “build-3”", "reply", "carol");
    driver.type(tls.host, String(tls.port), tls.fingerprint, TOKEN);
    await driver.seeText(`export OPENCLAW_GATEWAY_TOKEN='${TOKEN}'`, "dm", "bob");
    await driver.seeText("[x] Credentials sent privately", "channel");

    driver.type("/as bob", String(driver.button("Cancel", "channel")));
    const card = await driver.seeText("Cancelled.", "channel");
    assert.match(card.text, /\[x\] Credentials sent privately, then withdrawn/);
    assert.match(card.text, /\[x\] Certificate checked at host:port/);
    assert.doesNotMatch(card.text, /\[ \] Credentials sent privately/);
    await driver.seeText("This handshake has ended; the secret has been removed.", "dm", "bob");
    assertNoSecret(driver, [TOKEN]);
  });
});

describe("the console handshake with autofill, beside the gateway", () => {
  const gateway = new ScriptedGateway({ canMint: false });
  const driver = new ConsoleDriver(gateway, {}, { gatewayBeside: true });
  let tls: TlsGateway;
  before(async () => {
    tls = await startTlsGateway();
    gateway.autofillValue = {
      host: tls.host,
      port: tls.port,
      fingerprint: tls.fingerprint,
      token: new Secret(TOKEN),
    };
    await driver.start();
  });
  after(async () => {
    await driver.stop();
    await tls.close();
  });

  it("fills the details from the gateway, shows them to the gateway operator, and sends only after confirmation", async () => {
    driver.type("/as bob", "/connect-node auto-1", "/as carol", "/press 1");
    await driver.seeText("Gateway details for “auto-1”", "reply", "carol");
    await driver.seeText("Fill from this gateway", "channel");
    driver.type(`/press ${driver.button("Fill from this gateway", "channel")}`);
    const confirm = await driver.seeText("Send these gateway details for “auto-1”?", "dm", "carol");
    assert.ok(confirm.text.includes(tls.fingerprint));
    assert.ok(!confirm.text.includes(TOKEN), "the token is read, not shown");
    assert.equal(
      driver.chat.transcript.filter(
        (l) => l.to === "bob" && l.text.includes("OPENCLAW_GATEWAY_TOKEN"),
      ).length,
      0,
    );
    driver.type(String(driver.button("Send these to the node operator", "dm", "carol")));
    await driver.seeText(`export OPENCLAW_GATEWAY_TOKEN='${TOKEN}'`, "dm", "bob");
    assert.deepEqual(gateway.calls, ["autofill"]);
    assertNoSecret(driver, [TOKEN]);
  });
});

describe("an outcome whose submit can no longer be answered", () => {
  const gateway = new ScriptedGateway({ canMint: false });
  const driver = new ConsoleDriver(gateway);
  const tls = withTlsGateway(driver);

  it("goes to the gateway operator by private message, as after a restart", async () => {
    driver.type("/as bob", "/connect-node remote-1", "/as carol");
    await driver.seeText("Connect node “remote-1”", "channel");
    driver.type(String(driver.button("I'm the gateway operator", "channel")));
    await driver.seeText("Gateway details for “remote-1”", "reply", "carol");
    driver.type("/cancel-form");
    await driver.seeText("Form left; nothing was sent.", "system");
    const [session] = await driver.app.store.active();
    assert.ok(session);
    const carol = person("carol", { gatewayOperator: true }, "dm");
    const submit = (fingerprint: string) => ({
      type: "submitCredentials" as const,
      actor: carol,
      host: tls.host,
      port: String(tls.port),
      fingerprint,
      token: new Secret(TOKEN),
    });
    // No responder: what a submit looks like to an instance that did not take it, or after a restart.
    await driver.app.handshake.dispatch(session.id, submit("ef".repeat(32)));
    await driver.seeText("The certificate there is not the one entered", "dm", "carol");
    await driver.app.handshake.dispatch(session.id, submit(tls.fingerprint));
    await driver.seeText("Matched: sent to bob privately", "dm", "carol");
    await driver.seeText(`export OPENCLAW_GATEWAY_TOKEN='${TOKEN}'`, "dm", "bob");
    assertNoSecret(driver, [TOKEN]);
  });
});

describe("limits on asking", () => {
  const driver = new ConsoleDriver(new ScriptedGateway({ canMint: true }), {
    CLAWSHAKE_CONNECT_LIMIT_PER_HOUR: "2",
  });
  before(() => driver.start());
  after(() => driver.stop());

  it("refuses a person's third /connect-node within the hour, and a second request for a name already open", async () => {
    driver.type("/as bob", "/connect-node limit-1", "/connect-node limit-1");
    await driver.seeText(
      "A request for a node named “limit-1” is already open here",
      "reply",
      "bob",
    );
    driver.type("/connect-node limit-2");
    await driver.seeText("You have opened 2 requests in the last hour", "reply", "bob");
    driver.type("/as carol", "/connect-node limit-2");
    await driver.seeText("Connect node “limit-2”", "channel");
  });
});

describe("names that only look alike", () => {
  const driver = new ConsoleDriver(new ScriptedGateway({ canMint: true }));
  before(() => driver.start());
  after(() => driver.stop());

  it("refuses a name with an invisible character, naming it, and a second request for a name that looks the same", async () => {
    driver.type("/as bob", "/connect-node look-1");
    await driver.seeText("Connect node “look-1”", "channel");
    driver.type("/connect-node look-1\u200b");
    await driver.seeText("It contains U+200B, an invisible or control character", "reply", "bob");
    driver.type("/connect-node look-1\u202e");
    await driver.seeText("It contains U+202E, an invisible or control character", "reply", "bob");
    driver.type("/as carol", "/connect-node LOOK-１");
    await driver.seeText(
      "A request for a node named “LOOK-１” is already open here",
      "reply",
      "carol",
    );
    driver.type("/connect-node look&calc");
    await driver.seeText("A display name cannot contain &", "reply", "carol");
    assert.deepEqual(
      (await driver.app.store.active()).map((s) => s.displayName),
      ["look-1"],
      "one session for the three names that look the same",
    );
  });
});

describe("a reason, two approvers and a reminder, on the console", () => {
  const gateway = new ScriptedGateway({ canMint: true });
  let now = Date.now();
  const driver = new ConsoleDriver(
    gateway,
    {
      CONSOLE_APPROVERS: "alice,dave,bob",
      CLAWSHAKE_REQUIRE_REASON: "true",
      CLAWSHAKE_APPROVALS_REQUIRED: "2",
      CLAWSHAKE_REMIND_AFTER_MINUTES: "10",
    },
    { clock: { now: () => now } },
  );
  before(() => driver.start());
  after(() => driver.stop());

  it("asks for the reason, shows it, reminds once, and mints only at the second distinct approval", async () => {
    driver.type("/as bob", "/connect-node quorum-1");
    await driver.seeText(
      "Say why the node is needed: /connect-node build-server-1 --",
      "reply",
      "bob",
    );
    assert.equal((await driver.app.store.active()).length, 0);

    driver.type("/connect-node quorum-1 -- runs the nightly builds");
    const card = await driver.seeText("Connect node “quorum-1”", "channel");
    assert.match(card.text, /Reason: runs the nightly builds/);
    const ask = await driver.seeText("Approve a new node “quorum-1”?", "dm", "alice");
    assert.match(ask.text, /Reason: runs the nightly builds/);

    // bob is an approver too, but it is his own request: it never counts.
    driver.type(String(driver.button("Approve: all commands", "dm", "bob")));
    await driver.seeText("You can't approve your own request", "reply", "bob");

    driver.type("/as alice", String(driver.button("Approve: all commands", "dm", "alice")));
    await driver.seeText("Your approval counts: 1 of 2 approvals", "reply", "alice");
    await driver.seeText("1 of 2 approvals", "channel");
    assert.deepEqual(gateway.mintedCodes, []);

    // Ten minutes later the approvers are reminded, once.
    now += 10 * 60_000;
    await driver.app.handshake.tick();
    await driver.seeText("Still waiting: “quorum-1”", "dm", "dave");
    await driver.seeText("Waiting for approvers for 10 min", "channel");
    now += 5 * 60_000;
    await driver.app.handshake.tick();
    const reminders = () =>
      driver.chat.transcript.filter(
        (l) => l.text.includes("Still waiting: “quorum-1”") && l.to === "dave",
      );
    assert.equal(reminders().length, 1);

    driver.type("/as dave", String(driver.button("Approve: all commands", "dm", "dave")));
    await driver.seeText("openclaw node run --pair", "dm", "bob");
    assert.equal(gateway.mintedCodes.length, 1);
    // bob asked and did not approve: he hears it privately, with who approved.
    const told = await driver.seeText("Your request for “quorum-1” was approved", "dm", "bob");
    assert.match(told.text, /Approved by alice, dave/);
  });
});
