// The whole handshake against the real OpenClaw (npm openclaw@2026.9.6): a real gateway with TLS and token auth bound
// to a veth address, remote nodes in a network namespace running exactly the script the bot sent, in both modes.
import assert from "node:assert/strict";
import { chmodSync, existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { CliGateway } from "../../src/adapters/openclaw/cli.ts";
import type { Gateway as GatewayPort } from "../../src/core/ports.ts";
import { type Gateway, OPENCLAW_BIN, OPENCLAW_VERSION, runScript } from "../openclaw/harness.ts";
import { ConsoleDriver, codeBlocks } from "../support/console-driver.ts";
import { operatorConnection } from "../support/operator-connection.ts";
import { realGatewaySuite } from "../support/real-gateway-suite.ts";

// A wait lasts while the bot, the gateway or a node does something new (Progress): on a machine with a load of 7 on
// 2 cores a node takes a minute to start and the CLI path minutes to see it, so only three minutes in which none of
// them prints anything new count as stuck, and eight minutes bound one wait in all. Each test has the runner's 10
// minutes of its own: a time limit on the describe would be shared by all three.
const PATIENCE = { idleMs: 180_000, maxMs: 480_000 };
const NODE_IDLE_MS = 180_000;
const RERUN = "The device was approved. The node stays paused";

describe("with the real OpenClaw gateway and a remote node", () => {
  const real = realGatewaySuite();

  it("enrols a node with a setup link: approve in the bot, one command on the node, connected; the link works once", async () => {
    const events = await operatorConnection(real.gw, real.tempDir(), {
      pausedRetryMs: 500,
      statusPollMs: 500,
    });
    const driver = await new ConsoleDriver(events).start();
    driver.patience = PATIENCE;
    driver.progress.text(() => real.gw.logs());
    try {
      driver.type("/as bob", "/connect-node remote-link");
      await driver.seeText("Approve a new node “remote-link”?", "dm", "alice");
      driver.type("/as alice", String(driver.button("Approve: all commands", "dm", "alice")));
      const dm = await driver.seeText("openclaw node run --pair", "dm", "bob");
      const script = codeBlocks(dm.text)[0] ?? "";
      assert.ok(script.includes("oc-pair://"));
      assert.ok(!script.includes("OPENCLAW_GATEWAY_TOKEN="), "no token travels with a setup link");
      // The bot learnt the gateway's version from its hello: the script checks the node's openclaw against it.
      assert.ok(script.includes(`npm install -g openclaw@${OPENCLAW_VERSION}`), script);

      // First on a node whose openclaw is another version (a stand-in first on PATH): one line, nothing else run.
      const standIn = real.tempDir();
      writeFileSync(
        join(standIn, "openclaw"),
        `#!/bin/sh\necho "OpenClaw 2026.8.1 (stand-in)"\n[ "$1" = --version ] || touch '${standIn}/ran'\n`,
      );
      chmodSync(join(standIn, "openclaw"), 0o755);
      const wrong = runScript({
        netns: real.netns,
        script: `PATH='${standIn}':"$PATH"\n${script}`,
      });
      real.track(wrong);
      const line = await wrong.waitFor(/npm install -g openclaw@/, NODE_IDLE_MS);
      assert.match(line, new RegExp(`is not version ${OPENCLAW_VERSION.replaceAll(".", "\\.")}`));
      assert.notEqual(await wrong.exited, 0);
      assert.equal(existsSync(join(standIn, "ran")), false, "nothing but --version was run");

      // Then with the real openclaw (the gateway's version): the same link, still unused, enrols the node.
      const node = runScript({ netns: real.netns, script });
      real.track(node);
      driver.progress.text(node.output);
      await driver.see(
        (l) => l.where === "channel" && l.text.includes("✅ Node “remote-link” is connected"),
        "the card to turn green",
      );
      const status = await real.gw.cli(["nodes", "status"], { json: true });
      const listed = (
        status.json as {
          nodes: { displayName?: string; approvalState?: string; connected?: boolean }[];
        }
      ).nodes.find((n) => n.displayName === "remote-link");
      assert.deepEqual([listed?.approvalState, listed?.connected], ["approved", true]);

      // The same link from a second machine is refused by the gateway, and the bot says why.
      const again = runScript({ netns: real.netns, script });
      real.track(again);
      const refused = await again.waitFor(
        /setup code invalid, expired, revoked, or already used/,
        NODE_IDLE_MS,
      );
      driver.type("/as bob", "/diagnose", refused, ".");
      await driver.seeText("SETUP_CODE_INVALID", "reply", "bob");
      const code = /oc-pair:\/\/([A-Za-z0-9_-]+)/.exec(script)?.[1] as string;
      const traces = driver.publicTraces();
      for (const [where, text] of Object.entries(traces))
        assert.ok(!text.includes(code), `the setup code leaked into the ${where}`);
      assert.ok(!traces.logs.includes(real.gw.token) && !traces.database.includes(real.gw.token));
    } finally {
      await driver.stop();
      await events.stop();
    }
  });

  for (const path of ["events", "cli"] as const) {
    it(`enrols a node with the shared token through ${path === "events" ? "the operator connection" : "the openclaw CLI"}: pre-flight, device pairing, re-run, capability approval, connected`, async () => {
      const gateway: GatewayPort & { stop(): Promise<void> } =
        path === "events"
          ? await operatorConnection(real.gw, real.tempDir(), {
              pausedRetryMs: 500,
              statusPollMs: 500,
            })
          : new CliGateway({
              bin: OPENCLAW_BIN,
              env: cliEnv(real.gw),
              configPath: real.gw.configPath,
              pollIntervalMs: 1000,
              timeoutMs: 120_000,
            });
      const name = `remote-token-${path}`;
      const driver = await new ConsoleDriver(gateway, { CLAWSHAKE_MODE: "shared-token" }).start();
      driver.patience = PATIENCE;
      driver.progress.text(() => real.gw.logs());
      try {
        driver.type("/as bob", `/connect-node ${name}`);
        await driver.seeText(`Connect node “${name}”`, "channel");
        driver.type("/as carol", String(driver.button("I'm the gateway operator", "channel")));
        await driver.seeText(`Gateway details for “${name}”`, "reply", "carol");
        driver.type(real.gw.host, String(real.gw.port), real.gw.fingerprint, real.gw.token);
        const dm = await driver.seeText("openclaw node run --host", "dm", "bob");
        const script =
          codeBlocks(dm.text.slice(dm.text.indexOf("Run this on the node machine")))[0] ?? "";
        assert.ok(script.includes(`--tls-fingerprint '${real.gw.fingerprint}'`));

        // First run: the gateway sees a new device from another network and asks for pairing. The approval comes
        // only once the node has paused, so it will not go on by itself.
        const first = runScript({ netns: real.netns, script });
        real.track(first);
        driver.progress.text(first.output);
        await driver.seeText(`Approve device pairing for “${name}”?`, "dm", "alice");
        await first.waitFor("waiting for operator action", NODE_IDLE_MS);
        driver.type("/as alice", String(driver.button("Approve device", "dm", "alice")));
        const told = await driver.seeText(RERUN, "dm", "bob");
        const again = codeBlocks(told.text)[0] ?? "";
        assert.match(again, /openclaw node run --host/);
        assert.ok(!told.text.includes(real.gw.token), "the re-run message repeats the token");

        // As told: stop the node and run the command from that message in the same terminal, where the token is set.
        await first.stop({ keepHome: true });
        const rerun = runScript({
          netns: real.netns,
          script: again,
          home: first.home,
          env: { OPENCLAW_GATEWAY_TOKEN: real.gw.token },
        });
        real.track(rerun);
        driver.progress.text(rerun.output);
        const capability = await driver.seeText(`Approve the commands of “${name}”?`, "dm", "dave");
        assert.match(capability.text, /system\.run/);
        driver.type("/as dave", String(driver.button("Approve commands", "dm", "dave")));
        await driver.see(
          (l) => l.where === "channel" && l.text.includes(`✅ Node “${name}” is connected`),
          "the card to turn green",
        );
        await driver.seeText("this message's secret has been removed", "dm", "bob");
        const traces = driver.publicTraces();
        for (const [where, text] of Object.entries(traces))
          assert.ok(!text.includes(real.gw.token), `the gateway token leaked into the ${where}`);
      } finally {
        await driver.stop();
        await gateway.stop();
      }
    });
  }

  it("lets a node approved while it still retries carry on by itself: no re-run is asked of its operator", async () => {
    const gateway = await operatorConnection(real.gw, real.tempDir(), {
      pausedRetryMs: 500,
      statusPollMs: 500,
    });
    const name = "remote-fast";
    const driver = await new ConsoleDriver(gateway, { CLAWSHAKE_MODE: "shared-token" }).start();
    driver.patience = PATIENCE;
    driver.progress.text(() => real.gw.logs());
    try {
      driver.type("/as bob", `/connect-node ${name}`);
      await driver.seeText(`Connect node “${name}”`, "channel");
      driver.type("/as carol", String(driver.button("I'm the gateway operator", "channel")));
      await driver.seeText(`Gateway details for “${name}”`, "reply", "carol");
      driver.type(real.gw.host, String(real.gw.port), real.gw.fingerprint, real.gw.token);
      const dm = await driver.seeText("openclaw node run --host", "dm", "bob");
      const script =
        codeBlocks(dm.text.slice(dm.text.indexOf("Run this on the node machine")))[0] ?? "";

      // The approval must land before the node's next attempt, whatever the machine's load: the node is frozen the
      // moment it reports its pairing request, approved, then let go.
      const node = runScript({ netns: real.netns, script });
      real.track(node);
      await node
        .waitFor("device pairing required", NODE_IDLE_MS)
        .then(() => node.signal("SIGSTOP"));
      assert.doesNotMatch(node.output(), /waiting for operator action/, "frozen before it paused");
      await driver.seeText(`Approve device pairing for “${name}”?`, "dm", "alice");
      driver.type("/as alice", String(driver.button("Approve device", "dm", "alice")));
      await driver.see(
        (l) =>
          l.where === "channel" &&
          l.text.includes(name) &&
          l.text.includes("Waiting a few seconds for the node to carry on by itself"),
        "the gateway to take the device approval",
      );
      node.signal("SIGCONT");

      // The same process goes on to ask for its commands; its operator is not sent to re-run it.
      const capability = await driver.seeText(`Approve the commands of “${name}”?`, "dm", "dave");
      assert.match(capability.text, /system\.run/);
      driver.type("/as dave", String(driver.button("Approve commands", "dm", "dave")));
      await driver.see(
        (l) => l.where === "channel" && l.text.includes(`✅ Node “${name}” is connected`),
        "the card to turn green",
      );
      assert.doesNotMatch(node.output(), /waiting for operator action/);
      const rerun = driver.chat.transcript.filter(
        (l) =>
          l.where === "dm" && l.to === "bob" && l.text.includes(`Run the node again for “${name}”`),
      );
      // None, or (on a machine slow enough that the node took longer than the grace time) one taken back.
      if (rerun.length > 0) assert.match(rerun.at(-1)?.text ?? "", /Not needed any more/);
    } finally {
      await driver.stop();
      await gateway.stop();
    }
  });
});

/** The CLI runs as the gateway's admin would run it beside the gateway: its HOME, Node 24 first on PATH. */
function cliEnv(gw: Gateway): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOME: gw.home,
    PATH: `${join(process.execPath, "..")}:${process.env.PATH ?? ""}`,
  };
}
