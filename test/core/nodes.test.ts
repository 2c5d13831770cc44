// /nodes and /disconnect-node in core: the list joined with the sessions that enrolled each node, who sees node ids,
// the confirmation bound to the node it shows, and a connected session noting its node's removal.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { actionId, parseId } from "../../src/adapters/discord/ids.ts";
import { callbackData, parseCallbackData } from "../../src/adapters/telegram/ids.ts";
import { decide } from "../../src/core/machine.ts";
import {
  disconnectConfirmView,
  findNode,
  formatAt,
  nodeByHandle,
  nodeRows,
  nodesView,
} from "../../src/core/nodes.ts";
import type { GatewayNode } from "../../src/core/ports.ts";
import { nodeSubject } from "../../src/core/subject.ts";
import type { Session } from "../../src/core/types.ts";
import { cardView } from "../../src/core/views.ts";
import { alice, bob, inChannel } from "../support/actors.ts";
import { sampleSession } from "../support/sessions.ts";

const T = 1_795_000_000_000;
const NODE_ID = "2bd77ceda175c8d876d61ce56c5153e1d8ab59af298ca5132a366ed45abfb2d2";
const linked: GatewayNode = {
  nodeId: NODE_ID,
  displayName: "build-1",
  connected: true,
  approved: true,
  remoteIp: "10.77.65.182",
};
const stranger: GatewayNode = {
  nodeId: "feed",
  displayName: "Laptop",
  connected: false,
  approved: false,
};

function enrolled(extra: Partial<Session> = {}): Session {
  return {
    ...sampleSession("s1", T),
    stage: "connected",
    nodeId: NODE_ID,
    connectedAt: T + 60_000,
    decisions: [{ step: "request", by: alice, approved: true, at: T + 30_000 }],
    ...extra,
  };
}

const text = (view: ReturnType<typeof nodesView>) =>
  [
    view.title,
    ...view.blocks.map((b) =>
      b.kind === "field" ? `${b.label}: ${b.value}` : b.kind === "text" ? b.text : "",
    ),
  ].join("\n");

describe("/nodes", () => {
  it("lists every node, connected first, with who asked, why and who approved for those the bot enrolled", () => {
    const rows = nodeRows(
      [stranger, linked],
      [enrolled({ reason: "CI runner" } as Partial<Session>)],
    );
    assert.deepEqual(
      rows.map((r) => [r.node.displayName, r.session?.id]),
      [
        ["build-1", "s1"],
        ["Laptop", undefined],
      ],
    );
    const shown = text(nodesView(rows, "en", { details: false }));
    assert.match(shown, /build-1: connected · approved/);
    assert.match(
      shown,
      /Asked by bob · why: CI runner · approved by alice, 2026-11-18 \d\d:\d\d UTC/,
    );
    assert.match(
      shown,
      /Laptop: not connected · commands waiting for approval\nNot enrolled through this bot\./,
    );
  });

  it("shows node ids and addresses only when asked for them (an approver, privately)", () => {
    const rows = nodeRows([linked], [enrolled()]);
    const everyone = text(nodesView(rows, "en", { details: false }));
    assert.ok(!everyone.includes(NODE_ID) && !everyone.includes("10.77.65.182"));
    const approver = text(nodesView(rows, "zh-CN", { details: true }));
    assert.ok(approver.includes(NODE_ID) && approver.includes("10.77.65.182"));
  });

  it("tolerates sessions without a reason, and says when the gateway knows no node", () => {
    assert.doesNotMatch(
      text(nodesView(nodeRows([linked], [enrolled()]), "en", { details: false })),
      /why:/,
    );
    assert.match(text(nodesView([], "en", { details: false })), /knows no node/);
  });

  it("finds a node by its display name as /connect-node compares names, or by its exact id", () => {
    assert.equal(findNode([linked, stranger], "BUILD-1").kind, "one");
    assert.deepEqual(findNode([linked, stranger], NODE_ID), { kind: "one", node: linked });
    assert.equal(findNode([linked], "nope").kind, "none");
    const twin = { ...linked, nodeId: "beef" };
    assert.equal(findNode([linked, twin], "build-1").kind, "several");
  });
});

describe("/disconnect-node's confirmation", () => {
  it("shows exactly what will be removed, and its button names that node and what was shown of it", () => {
    const view = disconnectConfirmView({ node: linked, session: enrolled() }, "en");
    const shown = text(view);
    for (const part of ["build-1", NODE_ID, "10.77.65.182", "Connected: yes", "Asked by bob"])
      assert.ok(shown.includes(part), part);
    const confirm = view.buttons.find(
      (b) => b.kind === "action" && b.action === "confirmDisconnect",
    );
    assert.equal(confirm?.kind === "action" ? confirm.target : undefined, nodeSubject(linked));
    assert.equal(nodeByHandle([stranger, linked], view.sessionId as string), linked);
  });

  it("fits Discord's custom ids and Telegram's 64-byte callback data, and parses back", () => {
    const view = disconnectConfirmView({ node: linked }, "en");
    const handle = view.sessionId as string;
    const target = nodeSubject(linked);
    assert.deepEqual(parseId(actionId(handle, "confirmDisconnect", target)), {
      kind: "action",
      sessionId: handle,
      action: "confirmDisconnect",
      target,
    });
    assert.deepEqual(parseCallbackData(callbackData(handle, "confirmDisconnect", target)), {
      sessionId: handle,
      action: "confirmDisconnect",
      target,
    });
    assert.deepEqual(parseCallbackData(callbackData(handle, "cancelDisconnect")), {
      sessionId: handle,
      action: "cancelDisconnect",
    });
  });

  it("binds to the node as shown: another address, name or node under that name is another subject", () => {
    const subject = nodeSubject(linked);
    assert.notEqual(nodeSubject({ ...linked, remoteIp: "10.0.0.9" }), subject);
    assert.notEqual(nodeSubject({ ...linked, displayName: "build-2" }), subject);
    assert.notEqual(nodeSubject({ ...linked, nodeId: "other" }), subject);
    const reconnected: GatewayNode = { ...linked, connected: false };
    assert.equal(nodeSubject(reconnected), subject, "connecting again is the same node");
  });
});

describe("a connected session whose node was removed", () => {
  it("notes once who removed it and when, and its card says so", () => {
    const session = enrolled();
    const removed = decide(session, { type: "nodeRemoved", actor: inChannel(alice) }, T + 120_000);
    assert.deepEqual(removed.session.disconnected, {
      by: { platform: alice.platform, id: alice.id, name: alice.name },
      at: T + 120_000,
    });
    assert.equal(removed.session.version, session.version + 1);
    assert.deepEqual(removed.effects, [{ type: "card" }]);
    const card = cardView(removed.session, "en", { now: T + 120_000, commands: {} });
    assert.ok(
      card.blocks.some(
        (b) =>
          b.kind === "text" && b.text.includes(`Disconnected by alice, ${formatAt(T + 120_000)}`),
      ),
    );
    const again = decide(
      removed.session,
      { type: "nodeRemoved", actor: inChannel(bob) },
      T + 130_000,
    );
    assert.equal(again.session, removed.session, "the first removal stays on record");
  });

  it("changes nothing for a session that is not connected, and ignores the confirmation's buttons", () => {
    const live = sampleSession("s2", T);
    assert.equal(decide(live, { type: "nodeRemoved", actor: inChannel(alice) }, T).session, live);
    const connected = enrolled();
    for (const type of ["confirmDisconnect", "cancelDisconnect"] as const)
      assert.deepEqual(decide(connected, { type, actor: inChannel(alice) }, T), {
        session: connected,
        effects: [],
      });
  });
});
