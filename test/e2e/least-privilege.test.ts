// Least privilege against the real OpenClaw (npm openclaw@2026.9.6): an approver grants a setup-link node all but the
// commands that run programs; the command the bot hands out makes the gateway grant exactly that, and the card shows
// it. A node operator who drops the `--commands` gets everything from the gateway (the setup code does not carry the
// list), and the bot takes that node off the gateway again before the card ever turns green.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { TranscriptLine } from "../../src/adapters/console/console.ts";
import { PROGRAM_RUNNING } from "../../src/core/grant.ts";
import { runScript } from "../openclaw/harness.ts";
import { ConsoleDriver, codeBlocks } from "../support/console-driver.ts";
import { operatorConnection } from "../support/operator-connection.ts";
import { realGatewaySuite } from "../support/real-gateway-suite.ts";

// As in openclaw.test.ts: a wait lasts while the bot, the gateway or the node does something new.
const PATIENCE = { idleMs: 180_000, maxMs: 480_000 };
const NODE_IDLE_MS = 180_000;

interface DescribedNode {
  nodeId: string;
  displayName?: string;
  connected?: boolean;
  commands?: string[];
}

describe("least privilege with the real OpenClaw gateway", () => {
  const real = realGatewaySuite();

  /** A bot on the operator connection, a request for `name`, approved by alice with "no program-running". */
  async function approvedSafe(name: string) {
    const dir = real.tempDir();
    const events = await operatorConnection(real.gw, dir, {
      pausedRetryMs: 500,
      statusPollMs: 500,
    });
    const driver = await new ConsoleDriver(events).start();
    driver.patience = PATIENCE;
    driver.progress.text(() => real.gw.logs());
    driver.type("/as bob", `/connect-node ${name}`);
    const ask = await driver.seeText(`Approve a new node “${name}”?`, "dm", "alice");
    assert.match(ask.text, /Approve: all commands/);
    driver.type("/as alice", String(driver.button("Approve: no program-running", "dm", "alice")));
    const dm = await driver.seeText("openclaw node run --pair", "dm", "bob");
    const script = codeBlocks(dm.text)[0] ?? "";
    assert.match(script, /--commands='[a-z.,A-Z0-9]+'/);
    for (const id of PROGRAM_RUNNING)
      assert.ok(!script.includes(`${id},`) && !script.includes(`${id}'`), id);
    return { driver, events, script };
  }

  async function described(name: string): Promise<DescribedNode | undefined> {
    const status = (await real.gw.cli(["nodes", "status"], { json: true })).json as {
      nodes: DescribedNode[];
    };
    return status.nodes.find((n) => n.displayName === name);
  }

  it("hands out a command the gateway grants exactly what the approver chose, and shows it on the card", async () => {
    const name = "least-safe";
    const { driver, events, script } = await approvedSafe(name);
    try {
      const node = runScript({ netns: real.netns, script });
      real.track(node);
      driver.progress.text(node.output);
      const card = await driver.see(
        (l) => l.where === "channel" && l.text.includes(`✅ Node “${name}” is connected`),
        "the card to turn green",
      );
      assert.match(card.text, /Commands: all but those that run programs/);
      const granted = /Granted by the gateway: ([^\n]+)/.exec(card.text)?.[1]?.split(", ") ?? [];
      assert.ok(granted.includes("system.which"), card.text);
      for (const id of PROGRAM_RUNNING) assert.ok(!granted.includes(id), `${id} was granted`);

      // The gateway's own account agrees with the card.
      const listed = await described(name);
      assert.ok(listed?.connected, "the gateway lists the node as connected");
      const describe = (
        await real.gw.cli(["nodes", "describe", "--node", listed.nodeId], { json: true })
      ).json as { commands?: string[] };
      assert.deepEqual([...(describe.commands ?? [])].sort(), [...granted].sort());

      const decisions = (await driver.app.store.auditRecords()).filter(
        (r) => r.kind === "decision" && r.sessionId !== "",
      );
      const shown = decisions.map((r) => (r.kind === "decision" ? r.shown : undefined));
      assert.ok(
        shown.some(
          (s) => s?.step === "request" && s.commands && !s.commands.includes("system.run"),
        ),
        "the audit records what alice granted",
      );
    } finally {
      await driver.stop();
      await events.stop();
    }
  });

  it("takes a node started without its --commands off the gateway again, and says so", async () => {
    const name = "least-dropped";
    const { driver, events, script } = await approvedSafe(name);
    try {
      // What a node operator does who edits the command: the same link, without the allowlist.
      const dropped = script.replace(/ --commands='[^']*'/g, "");
      assert.notEqual(dropped, script);
      const node = runScript({ netns: real.netns, script: dropped });
      real.track(node);
      driver.progress.text(node.output);
      const card = await driver.see(
        (l) =>
          l.where === "channel" &&
          l.text.includes("took it off the gateway again") &&
          l.text.includes("nobody approved"),
        "the card to say the node was removed again",
      );
      assert.match(card.text, /nobody approved: [^\n]*system\.run/);
      assert.ok(!card.text.includes("is connected"), "the card never turned green");
      assert.ok(
        !driver.chat.transcript.some(
          (l) => l.where === "channel" && l.text.includes(`✅ Node “${name}” is connected`),
        ),
        "no green card at any moment",
      );
      await driver.seeText(`“${name}” was taken off the gateway`, "dm", "alice");
      await driver.seeText(`“${name}” was taken off the gateway`, "dm", "bob");

      // The gateway agrees: the node was told, its device is gone, and it asks for nothing new.
      await node.waitFor("device removed", NODE_IDLE_MS);
      const devices = (await real.gw.cli(["devices", "list"], { json: true })).json as {
        pending?: { displayName?: string }[];
        paired?: { displayName?: string }[];
      };
      assert.ok(!(devices.paired ?? []).some((d) => d.displayName === name), "device removed");
      const listed = await described(name);
      assert.ok(!listed?.connected, "not connected");
      const ended = (await driver.app.store.auditRecords()).find(
        (r) => r.kind === "ended" && r.displayName === name,
      );
      assert.ok(ended?.kind === "ended" && ended.reason === "grantExceeded");
      assert.ok(ended.excess?.includes("system.run"));
    } finally {
      await driver.stop();
      await events.stop();
    }
  });
  // Three node starts (40–130 s each on a busy machine): more than the run's default per-test limit. Every wait in it
  // still follows progress and has its own bound.
  it("shared token: asks the node for fewer commands instead of approving system.run, then approves its new request", {
    timeout: 25 * 60_000,
  }, async () => {
    const name = "least-narrow";
    const dir = real.tempDir();
    const events = await operatorConnection(real.gw, dir, {
      pausedRetryMs: 500,
      statusPollMs: 500,
    });
    const driver = await new ConsoleDriver(events, { CLAWSHAKE_MODE: "shared-token" }).start();
    driver.patience = PATIENCE;
    driver.progress.text(() => real.gw.logs());
    /** The first transcript line from `index` on that satisfies `predicate`. */
    const after = (index: number, predicate: (l: TranscriptLine) => boolean, what: string) =>
      driver.see((l) => driver.chat.transcript.indexOf(l) >= index && predicate(l), what);
    try {
      driver.type("/as bob", `/connect-node ${name}`);
      await driver.seeText(`Connect node “${name}”`, "channel");
      driver.type("/as carol", String(driver.button("I'm the gateway operator", "channel")));
      await driver.seeText(`Gateway details for “${name}”`, "reply", "carol");
      driver.type(real.gw.host, String(real.gw.port), real.gw.fingerprint, real.gw.token);
      const dm = await driver.seeText("openclaw node run --host", "dm", "bob");
      const script =
        codeBlocks(dm.text.slice(dm.text.indexOf("Run this on the node machine")))[0] ?? "";
      assert.ok(!script.includes("--commands"), "the default grants everything: no allowlist");

      const first = runScript({ netns: real.netns, script });
      real.track(first);
      driver.progress.text(first.output);
      await driver.seeText(`Approve device pairing for “${name}”?`, "dm", "alice");
      await first.waitFor("waiting for operator action", NODE_IDLE_MS);
      driver.type("/as alice", String(driver.button("Approve device", "dm", "alice")));
      const told = await driver.seeText(
        "The device was approved. The node stays paused",
        "dm",
        "bob",
      );
      await first.stop({ keepHome: true });
      const rerun = runScript({
        netns: real.netns,
        script: codeBlocks(told.text)[0] ?? "",
        home: first.home,
        env: { OPENCLAW_GATEWAY_TOKEN: real.gw.token },
      });
      real.track(rerun);
      driver.progress.text(rerun.output);
      const wide = await driver.seeText(`Approve the commands of “${name}”?`, "dm", "dave");
      assert.match(wide.text, /Of these, [^\n]*system\.run[^\n]* run programs/);

      // dave asks for fewer: nothing is approved, bob gets the command with the rest only.
      const mark = driver.chat.transcript.length;
      driver.type(
        "/as dave",
        String(driver.button("Ask for fewer: no program-running", "dm", "dave")),
      );
      const narrowed = await after(
        mark,
        (l) => l.where === "dm" && l.to === "bob" && l.text.includes("with fewer commands"),
        "bob's message to run the node again with fewer commands",
      );
      const fewer = codeBlocks(narrowed.text)[0] ?? "";
      assert.match(fewer, /--commands='[^']+'/);
      for (const id of PROGRAM_RUNNING)
        assert.ok(!fewer.includes(`${id},`) && !fewer.includes(`${id}'`), id);
      const pending = (await real.gw.cli(["nodes", "pending"], { json: true })).json as {
        requestId: string;
      }[];
      assert.equal(pending.length, 1, "the wide request still waits: nothing was approved");

      await rerun.stop({ keepHome: true });
      const mark2 = driver.chat.transcript.length;
      const narrow = runScript({
        netns: real.netns,
        script: fewer,
        home: first.home,
        env: { OPENCLAW_GATEWAY_TOKEN: real.gw.token },
      });
      real.track(narrow);
      driver.progress.text(narrow.output);
      const again = await after(
        mark2,
        (l) =>
          l.where === "dm" &&
          l.to === "dave" &&
          l.text.includes(`Approve the commands of “${name}”?`) &&
          l.text.includes("[") &&
          !l.text.includes("system.run,"),
        "a new capability request with fewer commands",
      );
      assert.ok(!/Of these, .* run programs/.test(again.text), again.text);
      driver.type("/as dave", String(driver.button("Approve commands", "dm", "dave")));
      await driver.see(
        (l) => l.where === "channel" && l.text.includes(`✅ Node “${name}” is connected`),
        "the card to turn green",
      );
      const listed = await described(name);
      assert.ok(listed?.connected);
      const describe = (
        await real.gw.cli(["nodes", "describe", "--node", listed.nodeId], { json: true })
      ).json as { commands?: string[] };
      for (const id of PROGRAM_RUNNING)
        assert.ok(!(describe.commands ?? []).includes(id), `${id} was granted`);
      assert.ok((describe.commands ?? []).includes("system.which"));
      const records = await driver.app.store.auditRecords();
      assert.ok(records.some((r) => r.kind === "narrowed" && r.by.name === "dave"));
    } finally {
      await driver.stop();
      await events.stop();
    }
  });
});
