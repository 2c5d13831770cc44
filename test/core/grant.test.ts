import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { eventFor } from "../../src/core/actions.ts";
import {
  beyond,
  checkCommands,
  combine,
  commandsOf,
  completeCommands,
  GRANT_CHOICES,
  type GrantChoice,
  PROGRAM_RUNNING,
  SAFE_COMMANDS,
} from "../../src/core/grant.ts";
import { decide } from "../../src/core/machine.ts";
import { Secret } from "../../src/core/secret.ts";
import type { Actor, Decision, Effect, Event, Mode, Session } from "../../src/core/types.ts";
import { checkDisplayName, splitNameAndReason } from "../../src/core/validate.ts";
import type { MessageView } from "../../src/core/view.ts";
import { cardView, dmView } from "../../src/core/views.ts";
import { alice, bob, dave, person } from "../support/actors.ts";
import { press } from "../support/press.ts";
import { opened } from "../support/sessions.ts";

const T0 = 1_700_000_000_000;
const frank = person("frank", { approver: true }, "dm");
const text = (view: Pick<MessageView, "blocks" | "buttons">) => JSON.stringify(view);

const start = (extra: Partial<Parameters<typeof opened>[0]> = {}, mode: Mode = "setupLink") =>
  opened(extra, mode, T0);

function run(session: Session, ...events: Event[]): Decision {
  let decision: Decision = { session, effects: [] };
  events.forEach((event, i) => {
    decision = decide(decision.session, event, T0 + (i + 1) * 1000);
  });
  return decision;
}

/** Presses the approve button of `choice` on the approval message as the session shows it now. */
function approve(s: Session, actor: Actor, choice: GrantChoice): Decision {
  return decide(s, press(s, "approveRequest", actor, choice), s.updatedAt + 1000);
}

const minted: Event = {
  type: "setupCodeMinted",
  setupId: "setup-1",
  code: new Secret("oc-pair://CODE"),
  expiresAt: T0 + 600_000,
};
const completed: Event = { type: "setupCompleted", setupId: "setup-1", deviceId: "dev-1" };

/** The `--commands=…` ids of the node operator's foreground command, or undefined when it carries none. */
function linkCommands(s: Session): string[] | undefined {
  const script = dmView("setupLink", s, "en", { now: s.updatedAt }).blocks.find(
    (b) => b.kind === "code",
  );
  assert.ok(script?.kind === "code");
  const flag = /--commands='([^']*)'/.exec(script.text);
  return flag?.[1]?.split(",");
}

function gatewayActions(effects: Effect[]): string[] {
  return effects.flatMap((e) => (e.type === "gateway" ? [e.action] : []));
}

describe("which commands a requester may ask for", () => {
  it("takes OpenClaw command ids, separated by commas or spaces, sorted and once each", () => {
    assert.deepEqual(
      checkCommands(" system.which, fs.listDir  system.which,browser.proxy.upload.v1"),
      {
        ok: true,
        value: ["browser.proxy.upload.v1", "fs.listDir", "system.which"],
      },
    );
    assert.deepEqual(checkCommands("  , "), { ok: true, value: undefined });
    assert.deepEqual(checkCommands(undefined), { ok: true, value: undefined });
  });

  it("refuses anything a shell, a chat or a terminal would read as more than an id", () => {
    for (const bad of [
      "system.run;rm",
      "$(id)",
      "`id`",
      "a'b",
      "system.which\u0000",
      "système.run",
      "system..run",
      ".run",
      "System.run",
      "--all-commands",
      "a".repeat(65),
      "x".repeat(10 * 1024 * 1024),
      "system.which\u202e",
      "**bold**",
    ]) {
      const checked = checkCommands(bad);
      assert.equal(checked.ok, false, bad.slice(0, 40));
      if (!checked.ok)
        assert.ok(checked.problem.params?.id && checked.problem.params.id.length <= 64);
    }
  });

  it("refuses more than 32 ids", () => {
    const ids = Array.from({ length: 33 }, (_, i) => `cmd.n${i}`).join(",");
    const checked = checkCommands(ids);
    assert.equal(checked.ok, false);
    if (!checked.ok) assert.equal(checked.problem.key, "validate.commands.tooMany");
  });
});

describe("what several approvers grant together", () => {
  it("runs no program in 'all but those that run programs'", () => {
    for (const id of PROGRAM_RUNNING) assert.ok(!SAFE_COMMANDS.includes(id), id);
    assert.ok(SAFE_COMMANDS.includes("system.which"));
    // Computer use clicks and types on the node's desktop (openclaw 2026.9.6: left_click, type, key…): it can open a
    // terminal and type any command, so it runs programs as surely as system.run.
    assert.ok(!SAFE_COMMANDS.includes("computer.act"));
    assert.ok(PROGRAM_RUNNING.includes("computer.act"));
  });

  it("grants only what every approver granted, whatever they chose and whatever was asked", () => {
    const ids = [...SAFE_COMMANDS, ...PROGRAM_RUNNING, "canvas.present"];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...GRANT_CHOICES), { minLength: 1, maxLength: 4 }),
        fc.option(fc.uniqueArray(fc.constantFrom(...ids), { minLength: 1 }), { nil: undefined }),
        (choices, asked) => {
          const together = combine(choices, asked);
          for (const choice of choices) {
            const own = commandsOf(choice, asked);
            if (own === undefined) continue;
            assert.ok(together.commands !== undefined);
            for (const id of together.commands) assert.ok(own.includes(id));
          }
          if (choices.every((c) => commandsOf(c, asked) === undefined))
            assert.equal(together.commands, undefined);
          assert.equal(together.empty, together.commands?.length === 0);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("finds the commands beyond a grant, and none beyond everything", () => {
    assert.deepEqual(beyond({ commands: ["system.which"] }, ["system.run", "system.which"]), [
      "system.run",
    ]);
    assert.deepEqual(beyond(undefined, ["system.run"]), []);
    assert.deepEqual(beyond({}, ["system.run"]), []);
  });
});

describe("the approver chooses the commands when approving a setup link", () => {
  it("offers all, all but running programs, and what was asked, the asked set first", () => {
    const s = start({ askedCommands: ["fs.listDir", "system.which"] });
    const view = dmView("approvalRequest", s, "en", { now: T0 });
    const approves = view.buttons.filter(
      (b) => b.kind === "action" && b.action === "approveRequest",
    );
    assert.deepEqual(
      approves.map((b) => (b.kind === "action" ? [b.target, b.style] : [])),
      [
        ["asked", "success"],
        ["safe", "secondary"],
        ["all", "secondary"],
      ],
    );
    assert.match(text(view), /fs\.listDir, system\.which/);
    assert.match(text(view), /system\.run/);
  });

  it("puts the setting's default first, and offers no 'asked' choice when nothing was asked", () => {
    const s = start({ defaultGrant: "safe" });
    const view = dmView("approvalRequest", s, "en", { now: T0 });
    const targets = view.buttons.flatMap((b) =>
      b.kind === "action" && b.action === "approveRequest" ? [b.target] : [],
    );
    assert.deepEqual(targets, ["safe", "all"]);
  });

  it("hands the node operator a command with exactly the chosen commands, and the card says so", () => {
    const approved = approve(start(), alice, "safe");
    assert.deepEqual(approved.session.grant, { commands: [...SAFE_COMMANDS] });
    const sent = decide(approved.session, minted, T0 + 5000).session;
    assert.deepEqual(linkCommands(sent), [...SAFE_COMMANDS]);
    const link = dmView("setupLink", sent, "en", { now: sent.updatedAt });
    for (const block of link.blocks.filter((b) => b.kind === "code"))
      assert.ok(block.kind === "code" && block.text.includes("--commands="), block.text);
    assert.match(text(link), /all but those that run programs/);
    assert.match(
      text(cardView(sent, "en", { now: sent.updatedAt })),
      /all but those that run programs/,
    );
  });

  it("hands out everything, as before, when the approver grants all", () => {
    const sent = decide(approve(start(), alice, "all").session, minted, T0 + 5000).session;
    assert.equal(sent.grant, undefined);
    assert.equal(linkCommands(sent), undefined);
    assert.match(text(cardView(sent, "en", { now: sent.updatedAt })), /everything the node offers/);
  });

  it("a press without a choice (a message drawn before choices) grants the session's default", () => {
    const s = start({ defaultGrant: "safe" });
    const d = decide(s, { type: "approveRequest", actor: alice }, T0 + 1000);
    assert.deepEqual(d.session.grant, { commands: [...SAFE_COMMANDS] });
    // A target nobody drew is no choice: it too falls back to the default, never to everything.
    const forged = eventFor("approveRequest", alice, "everything");
    assert.deepEqual(decide(s, forged, T0 + 1000).session.grant, { commands: [...SAFE_COMMANDS] });
    // When commands were asked for, the first button is "only those asked": that, never everything.
    const asked = start({ askedCommands: ["system.which"] });
    assert.deepEqual(
      decide(asked, eventFor("approveRequest", alice, "everything"), T0 + 1000).session.grant,
      { commands: ["system.which"] },
    );
  });

  it("refuses 'as asked' when nothing was asked", () => {
    const s = start();
    const d = decide(s, { type: "approveRequest", actor: alice, grant: "asked" }, T0 + 1000);
    assert.equal(d.session, s);
    assert.deepEqual(
      d.effects.map((e) => (e.type === "notice" ? e.notice.key : e.type)),
      ["notNow"],
    );
  });

  it("with a quorum, grants only what both approvers granted", () => {
    const s = start({ approvalsRequired: 2, askedCommands: ["system.run", "system.which"] });
    const first = approve(s, alice, "asked");
    assert.equal(first.session.stage, "awaitingApproval");
    const firstView = text(dmView("approvalRequest", first.session, "en", { now: T0 }));
    assert.match(firstView, /alice granted: only system\.run, system\.which/);
    const second = approve(first.session, dave, "safe");
    assert.equal(second.session.stage, "minting");
    assert.deepEqual(second.session.grant, { commands: ["system.which"] });
  });

  it("refuses a choice that, with the approvals already given, would leave the node no command", () => {
    const s = start({ approvalsRequired: 2, askedCommands: ["system.run"] });
    const first = approve(s, alice, "asked");
    const second = approve(first.session, dave, "safe");
    assert.equal(second.session, first.session);
    assert.deepEqual(
      second.effects.map((e) => (e.type === "notice" ? e.notice.key : e.type)),
      ["grantEmpty"],
    );
    // Another choice still counts.
    const third = approve(first.session, dave, "all");
    assert.deepEqual(third.session.grant, { commands: ["system.run"] });
  });

  it("a click approves exactly what its button showed: the command never carries an id its approvers did not grant", () => {
    const ids = ["system.which", "system.run", "fs.listDir", "canvas.present"];
    fc.assert(
      fc.property(
        fc.option(fc.uniqueArray(fc.constantFrom(...ids), { minLength: 1 }), { nil: undefined }),
        fc.array(fc.constantFrom(...GRANT_CHOICES), { minLength: 2, maxLength: 3 }),
        fc.constantFrom<GrantChoice>("all", "safe"),
        (asked, choices, defaultGrant) => {
          let s = start({
            approvalsRequired: choices.length,
            defaultGrant,
            ...(asked ? { askedCommands: [...asked].sort() } : {}),
          });
          const counted: GrantChoice[] = [];
          [alice, dave, frank].slice(0, choices.length).forEach((approver, i) => {
            const choice = choices[i] as GrantChoice;
            const shown = dmView("approvalRequest", s, "en", { now: s.updatedAt }).buttons.some(
              (b) => b.kind === "action" && b.target === choice,
            );
            if (!shown || s.stage !== "awaitingApproval") return;
            const d = approve(s, approver, choice);
            if (d.session !== s) counted.push(choice);
            s = d.session;
          });
          if (s.stage !== "minting") return;
          const sent = decide(s, minted, s.updatedAt + 1000).session;
          const carried = linkCommands(sent);
          for (const choice of counted) {
            const own = commandsOf(choice, sent.askedCommands);
            if (own === undefined) continue;
            assert.ok(carried?.every((id) => own.includes(id)));
          }
          if (carried) assert.ok(carried.length > 0);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("what the gateway granted, checked once the node connects", () => {
  function linked(choice: GrantChoice = "safe"): Session {
    const approved = approve(start(), alice, choice).session;
    return run(approved, minted, completed).session;
  }

  it("reads what the gateway granted before the card turns green, once", () => {
    const s = linked();
    const d = decide(s, { type: "nodeConnected", nodeId: "dev-1" }, T0 + 9000);
    assert.equal(d.session.stage, "redeemed");
    assert.deepEqual(d.effects, [{ type: "gateway", action: "checkGrant", nodeId: "dev-1" }]);
    // The gateway's status says "connected" again while the bot reads: nothing more is asked.
    const again = decide(d.session, { type: "nodeConnected", nodeId: "dev-1" }, T0 + 9500);
    assert.equal(again.session, d.session);
    const ok = decide(
      d.session,
      { type: "grantChecked", commands: ["fs.listDir", "system.which"] },
      T0 + 10_000,
    );
    assert.equal(ok.session.stage, "connected");
    assert.deepEqual(ok.session.granted, ["fs.listDir", "system.which"]);
    assert.match(
      text(cardView(ok.session, "en", { now: T0 + 10_000 })),
      /Granted by the gateway.*fs\.listDir, system\.which/,
    );
  });

  it("takes a node that holds more off the gateway, ends red, then tells everyone how it went", () => {
    const s = run(linked(), { type: "nodeConnected", nodeId: "dev-1" }).session;
    const d = decide(
      s,
      { type: "grantChecked", commands: ["system.run", "system.which"] },
      T0 + 10_000,
    );
    assert.equal(d.session.stage, "failed");
    assert.equal(d.session.failure?.reason, "grantExceeded");
    assert.deepEqual(d.session.revoked, {
      excess: ["system.run"],
      removed: "pending",
      nodeId: "dev-1",
    });
    assert.deepEqual(gatewayActions(d.effects), ["removeNode"]);
    assert.ok(!d.effects.some((e) => e.type === "dm" && e.message === "connected"));
    const card = text(cardView(d.session, "en", { now: T0 + 10_000 }));
    assert.match(card, /nobody approved: system\.run/);
    assert.match(card, /Taking it off the gateway again/);

    const removed = decide(d.session, { type: "nodeRevoked", removed: true }, T0 + 11_000);
    assert.equal(removed.session.revoked?.removed, true);
    const told = removed.effects.map((e) =>
      e.type === "dm" ? `dm:${e.to.name}` : e.type === "dmApprovers" ? "approvers" : e.type,
    );
    assert.deepEqual(told, ["card", "approvers", "dm:bob"]);
    const dm = dmView("grantExceeded", removed.session, "en", { now: T0 + 11_000 });
    assert.match(text(dm), /took it off the gateway again/);
    assert.match(text(dm), /all but those that run programs/);
    assert.match(text(dm), /\/connect-node/);
  });

  it("says how to remove it by hand when the gateway would not", () => {
    const s = run(linked(), { type: "nodeConnected", nodeId: "dev-1" }).session;
    const exceeded = decide(s, { type: "grantChecked", commands: ["system.run"] }, T0 + 10_000);
    const failed = decide(
      exceeded.session,
      { type: "gatewayFailed", action: "removeNode", problem: "timeout", message: "timed out" },
      T0 + 11_000,
    );
    assert.equal(failed.session.revoked?.removed, false);
    // Node ids go to approvers only, privately: the card in the channel says what to do without it.
    const card = text(cardView(failed.session, "en", { now: T0 + 11_000 }));
    assert.doesNotMatch(card, /dev-1/);
    assert.match(card, /could not take it off the gateway/);
    assert.match(
      text(dmView("grantExceeded", failed.session, "en", { now: T0 + 11_000 })),
      /openclaw nodes remove --node 'dev-1'/,
    );
  });

  it("fails closed when what the gateway granted cannot be read", () => {
    const s = run(linked(), { type: "nodeConnected", nodeId: "dev-1" }).session;
    const d = decide(
      s,
      { type: "gatewayFailed", action: "checkGrant", problem: "timeout", message: "timed out" },
      T0 + 10_000,
    );
    assert.equal(d.session.failure?.reason, "grantUnverified");
    assert.deepEqual(gatewayActions(d.effects), ["removeNode"]);
  });

  it("waits for the next connection when the gateway no longer knows the node", () => {
    const s = run(linked(), { type: "nodeConnected", nodeId: "dev-1" }).session;
    const d = decide(s, { type: "grantChecked" }, T0 + 10_000);
    assert.equal(d.session.stage, "redeemed");
    assert.equal(d.session.checkingGrant, undefined);
    const next = decide(d.session, { type: "nodeConnected", nodeId: "dev-1" }, T0 + 12_000);
    assert.deepEqual(gatewayActions(next.effects), ["checkGrant"]);
  });

  it("still takes a node holding more off the gateway when the session was cancelled while its grant was read", () => {
    const s = run(linked(), { type: "nodeConnected", nodeId: "dev-1" }).session;
    const cancelled = decide(s, { type: "cancel", actor: bob }, T0 + 9500).session;
    assert.equal(cancelled.stage, "cancelled");
    const d = decide(cancelled, { type: "grantChecked", commands: ["system.run"] }, T0 + 10_000);
    assert.equal(d.session.failure?.reason, "grantExceeded");
    assert.deepEqual(gatewayActions(d.effects), ["removeNode"]);
  });

  it("still takes a node holding more off the gateway when the session expired while its grant was read", () => {
    const s = run(linked(), { type: "nodeConnected", nodeId: "dev-1" }).session;
    const late = decide(s, { type: "grantChecked", commands: ["system.run"] }, s.expiresAt + 1);
    assert.equal(late.session.failure?.reason, "grantExceeded");
    assert.deepEqual(gatewayActions(late.effects), ["removeNode"]);
    // Unreadable after the end: fails closed all the same.
    const failed = decide(
      decide(s, { type: "tick" }, s.expiresAt).session,
      { type: "gatewayFailed", action: "checkGrant", problem: "timeout", message: "timed out" },
      s.expiresAt + 1,
    );
    assert.deepEqual(gatewayActions(failed.effects), ["removeNode"]);
  });

  it("reads what a redeemed node holds when the session ends before it connected (cancelled, expired, rejected)", () => {
    // The node operator redeems the code without --commands, stops the node, and lets the session end: the pairing
    // holds everything, and would be used the next time the node starts.
    const s = linked();
    assert.equal(s.stage, "redeemed");
    for (const ended of [
      decide(s, { type: "cancel", actor: bob }, T0 + 9000),
      decide(s, { type: "tick" }, s.expiresAt),
    ]) {
      assert.ok(["cancelled", "expired"].includes(ended.session.stage));
      assert.deepEqual(gatewayActions(ended.effects), ["checkGrant"]);
      const d = decide(
        ended.session,
        { type: "grantChecked", commands: ["system.run"] },
        s.expiresAt + 1,
      );
      assert.deepEqual(gatewayActions(d.effects), ["removeNode"]);
      const within = decide(
        ended.session,
        { type: "grantChecked", commands: ["system.which"] },
        s.expiresAt + 1,
      );
      assert.equal(within.session.stage, ended.session.stage);
      assert.deepEqual(gatewayActions(within.effects), []);
    }
    // Ended by a rejection after the link was redeemed (a capability request the approvers refused): the same.
    const asking = decide(
      s,
      {
        type: "capabilityRequested",
        request: { requestId: "r-1", commands: ["system.run"], seenAt: T0 + 9000, nodeId: "dev-1" },
      },
      T0 + 9000,
    ).session;
    const rejecting = decide(asking, press(asking, "rejectCapability", alice), T0 + 9500).session;
    const rejected = decide(
      rejecting,
      { type: "capabilityResolved", requestId: "r-1", approved: false },
      T0 + 9600,
    );
    assert.equal(rejected.session.stage, "failed");
    assert.ok(gatewayActions(rejected.effects).includes("checkGrant"));
    // A session that never redeemed its link has no node to read.
    const unredeemed = run(approve(start(), alice, "safe").session, minted).session;
    assert.deepEqual(
      gatewayActions(decide(unredeemed, { type: "cancel", actor: bob }, T0 + 9000).effects),
      [],
    );
  });

  it("never checks or removes a node the link was not redeemed by (another node of the same name)", () => {
    // An older node under the same name asks for more commands while the link is out: matched by name, its request
    // and then its connection reach this session. It holds system.run by right; the bot must not take it away.
    const sent = run(approve(start(), alice, "safe").session, minted).session;
    const asked = decide(
      sent,
      {
        type: "capabilityRequested",
        request: {
          requestId: "r-old",
          commands: ["system.run"],
          seenAt: T0 + 3000,
          nodeId: "old-1",
        },
      },
      T0 + 3000,
    ).session;
    let d = decide(asked, { type: "nodeConnected", nodeId: "old-1" }, T0 + 4000);
    const actions = [...d.effects];
    if (d.session.checkingGrant) {
      d = decide(d.session, { type: "grantChecked", commands: ["system.run"] }, T0 + 5000);
      actions.push(...d.effects);
    }
    assert.ok(
      !actions.some((e) => e.type === "gateway" && "nodeId" in e && e.nodeId === "old-1"),
      JSON.stringify(actions),
    );
    assert.notEqual(d.session.stage, "connected");
    // Nor are the approvers told to remove it by its name: that name is the older node's too.
    assert.doesNotMatch(
      text(dmView("grantExceeded", d.session, "en", { now: T0 + 5000 })),
      /nodes remove --node/,
    );
  });

  it("checks nothing when everything was granted, as before", () => {
    const d = run(linked("all"), { type: "nodeConnected", nodeId: "dev-1" });
    assert.equal(d.session.stage, "connected");
    assert.deepEqual(gatewayActions(d.effects), []);
  });
});

describe("the shared token carries the default, and the capability approval shows what goes beyond it", () => {
  it("puts the asked commands, or the default, into the credentials the node operator gets", () => {
    assert.deepEqual(start({ defaultGrant: "safe" }, "sharedToken").grant, {
      commands: [...SAFE_COMMANDS],
    });
    assert.deepEqual(start({ askedCommands: ["system.which"] }, "sharedToken").grant, {
      commands: ["system.which"],
    });
    assert.equal(start({}, "sharedToken").grant, undefined);
  });

  it("marks the commands that run programs and those beyond what was sent", () => {
    const s: Session = {
      ...start({ askedCommands: ["system.which"] }, "sharedToken"),
      stage: "capabilityPending",
      capabilityApproval: {
        requestId: "c1",
        nodeId: "dev-1",
        commands: ["system.run", "system.which"],
        seenAt: T0,
      },
    };
    const view = text(dmView("capabilityApproval", s, "en", { now: T0 }));
    assert.match(view, /Of these, system\.run run programs/);
    assert.match(view, /More than this node was meant to have \(only system\.which\): system\.run/);
  });
});

describe("the commands typed after the name (Telegram, the console)", () => {
  it("takes --commands at the end of the name, with a space or an equals sign, before the reason", () => {
    assert.deepEqual(splitNameAndReason("build-1 --commands system.which,fs.listDir -- runs CI"), {
      name: "build-1",
      reason: "runs CI",
      commands: "system.which,fs.listDir",
    });
    assert.deepEqual(splitNameAndReason("build server 1 --commands=system.which"), {
      name: "build server 1",
      commands: "system.which",
    });
    // Not a flag of its own: part of the name, which the name check then judges.
    assert.deepEqual(splitNameAndReason("build--commands x"), { name: "build--commands x" });
    assert.deepEqual(splitNameAndReason("--commands system.which"), {
      name: "--commands system.which",
    });
  });

  it("reads a long line once, and takes no list from the middle of a name", () => {
    const split = splitNameAndReason(`${"x --commands ".repeat(200_000)}a b`);
    assert.equal(split.commands, undefined);
  });

  it("refuses a name that still holds a --commands it could not read, rather than drop the list", () => {
    // A space after a comma, a dash a phone turned into "—", a flag with nothing after it, two flags: read as part of
    // the name, the node would be asked for with no list at all.
    for (const typed of [
      "build --commands system.which, fs.listDir",
      "build —commands system.which",
      "build --Commands system.which",
      "build --commands",
      "build --commands system.which --commands system.run",
    ]) {
      const { name } = splitNameAndReason(typed);
      const checked = checkDisplayName(name);
      assert.ok(!checked.ok && checked.problem.key === "validate.displayName.commandsFlag", typed);
    }
    assert.ok(checkDisplayName(splitNameAndReason("build --commands system.which").name).ok);
    assert.ok(checkDisplayName("build--commands x").ok);
  });

  it("suggests the list with its last id completed, never an id already in it", () => {
    assert.deepEqual(completeCommands("system.which, fs"), ["system.which,fs.listDir"]);
    assert.ok(completeCommands("").length > 5);
    assert.ok(!completeCommands("system.which,system.").includes("system.which,system.which"));
    for (const choice of completeCommands("a,".repeat(60))) assert.ok(choice.length <= 100);
  });
});

describe("shared token: an approver asks for fewer commands than the node asked for", () => {
  const carol = person("carol", { gatewayOperator: true });
  function pending(commands = ["fs.listDir", "system.run", "system.which"]): Session {
    return {
      ...start({}, "sharedToken"),
      stage: "capabilityPending",
      gatewayOperator: carol,
      endpoint: { host: "gw.example.com", port: 18789, fingerprint: "a".repeat(64) },
      capabilityApproval: { requestId: "c1", nodeId: "dev-1", commands, seenAt: T0 },
    };
  }

  it("offers it only where some commands run programs and others do not", () => {
    const actions = (s: Session) =>
      dmView("capabilityApproval", s, "en", { now: T0 }).buttons.flatMap((b) =>
        b.kind === "action" ? [b.action] : [],
      );
    assert.deepEqual(actions(pending()), [
      "approveCapability",
      "rejectCapability",
      "narrowCapability",
    ]);
    assert.deepEqual(actions(pending(["system.which"])), ["approveCapability", "rejectCapability"]);
    assert.deepEqual(actions(pending(["system.run"])), ["approveCapability", "rejectCapability"]);
  });

  it("refuses 'ask for fewer' from a message whose request was replaced since, and from someone who is no approver", () => {
    const s = pending();
    const stale = press(s, "narrowCapability", alice);
    const replaced = decide(
      s,
      {
        type: "capabilityRequested",
        request: { requestId: "c9", nodeId: "dev-1", commands: ["system.run"], seenAt: T0 + 500 },
      },
      T0 + 500,
    ).session;
    const d = decide(replaced, stale, T0 + 1000);
    assert.equal(d.session, replaced);
    assert.deepEqual(
      d.effects.map((e) => (e.type === "notice" ? e.notice.key : e.type)),
      ["replaced"],
    );
    const stranger = decide(s, press(s, "narrowCapability", person("eve", {}, "dm")), T0 + 1000);
    assert.equal(stranger.session, s);
    assert.deepEqual(
      stranger.effects.map((e) => (e.type === "notice" ? e.notice.key : e.type)),
      ["notAuthorized"],
    );
  });

  it("approves nothing, hands the node operator the re-run with only the rest, and then only a rejection is possible", () => {
    const s = pending();
    const d = decide(s, press(s, "narrowCapability", alice), T0 + 1000);
    assert.deepEqual(
      gatewayActions(d.effects),
      [],
      "nothing is approved or rejected on the gateway",
    );
    assert.deepEqual(d.session.grant, { commands: ["fs.listDir", "system.which"] });
    assert.ok(
      d.effects.some((e) => e.type === "dm" && e.message === "narrowed" && e.to.name === "bob"),
    );
    const rerun = dmView("narrowed", d.session, "en", { now: T0 + 1000 });
    const code = rerun.blocks.find((b) => b.kind === "code");
    assert.ok(code?.kind === "code");
    assert.match(code.text, /openclaw node run [^\n]*--commands='fs\.listDir,system\.which'/);
    assert.ok(!code.text.includes("OPENCLAW_GATEWAY_TOKEN='"), "the token is not sent again");

    // The pending request is no longer approvable, by this approver or another, even with a button drawn before.
    const view = dmView("capabilityApproval", d.session, "en", { now: T0 + 1000 });
    assert.ok(!view.buttons.some((b) => b.kind === "action" && b.action === "approveCapability"));
    assert.match(
      text(view),
      /alice asked bob to run the node again with only: fs\.listDir, system\.which/,
    );
    const stale = press(s, "approveCapability", dave);
    const refused = decide(d.session, stale, T0 + 2000);
    assert.equal(refused.session, d.session);
    assert.deepEqual(gatewayActions(refused.effects), []);

    // The node asks again with fewer: a new request, a fresh message, approved as it shows.
    const again = decide(
      d.session,
      {
        type: "capabilityRequested",
        request: {
          requestId: "c2",
          nodeId: "dev-1",
          commands: ["fs.listDir", "system.which"],
          seenAt: T0 + 3000,
        },
      },
      T0 + 3000,
    );
    const approved = decide(
      again.session,
      press(again.session, "approveCapability", alice),
      T0 + 4000,
    );
    assert.deepEqual(
      approved.effects.flatMap((e) =>
        e.type === "gateway" && "requestId" in e ? [[e.action, e.requestId]] : [],
      ),
      [["approveCapability", "c2"]],
    );
  });
});
