import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { DmKind, Lang, Origin, Session, UserRef } from "../../src/core/types.ts";
import { cardView, dmView, helpView, noticeView } from "../../src/core/views.ts";
import { sampleSession } from "../support/sessions.ts";

const APPROVAL_DMS: DmKind[] = [
  "approvalRequest",
  "devicePairingApproval",
  "capabilityApproval",
  "linkExpired",
];

function session(requester: UserRef, origin?: Origin, channelId = "team"): Session {
  const base = sampleSession("s1");
  return {
    ...base,
    channel: { platform: requester.platform, id: channelId },
    requester,
    nodeOperator: requester,
    ...(origin ? { origin } : {}),
    pairingRequest: { requestId: "req-1", displayName: "build-1", seenAt: base.createdAt },
    capabilityApproval: { requestId: "cap-1", commands: ["system.run"], seenAt: base.createdAt },
  };
}

function fields(kind: DmKind, s: Session, lang: Lang = "en"): Record<string, string> {
  const view = dmView(kind, s, lang, { now: s.createdAt });
  return Object.fromEntries(
    view.blocks.flatMap((b) => (b.kind === "field" ? [[b.label, b.value]] : [])),
  );
}

describe("approval DMs show where a request comes from and who made it", () => {
  it("names the Discord server and channel with their ids, and the requester's username and id", () => {
    const s = session(
      { platform: "discord", id: "2001", name: "Bob" },
      {
        place: { kind: "server", id: "1001", name: "OpenClaw Ops" },
        channel: { id: "1002", name: "ops" },
        handle: "bob",
      },
      "1002",
    );
    for (const kind of APPROVAL_DMS) {
      const f = fields(kind, s);
      assert.equal(f["Asked in"], "server “OpenClaw Ops” (id 1001) › #ops (id 1002)", kind);
      assert.equal(f["Asked by"], "Bob (username bob, id 2001)", kind);
    }
  });

  it("names the Telegram group and forum topic with their ids, and the requester's @username and id", () => {
    const s = session(
      { platform: "telegram", id: "5000001", name: "Bob" },
      {
        place: { kind: "group", id: "-1001000000001", name: "Ops" },
        topic: { id: "77" },
        handle: "@bob",
      },
      "-1001000000001",
    );
    const f = fields("approvalRequest", s);
    assert.equal(f["Asked in"], "group “Ops” (id -1001000000001) › topic id 77");
    assert.equal(f["Asked by"], "Bob (username @bob, id 5000001)");
    const named = { ...s, origin: { ...s.origin, topic: { id: "77", name: "Deploys" } } };
    assert.equal(
      fields("approvalRequest", named)["Asked in"],
      "group “Ops” (id -1001000000001) › topic “Deploys” (id 77)",
    );
  });

  it("tells two look-alike requests apart by their ids", () => {
    const team = session(
      { platform: "telegram", id: "5000001", name: "Bob" },
      { place: { kind: "group", id: "-1001", name: "Ops" }, handle: "@bob" },
    );
    const stranger = session(
      { platform: "telegram", id: "6660001", name: "Bob" },
      { place: { kind: "group", id: "-1666", name: "Ops" } },
    );
    const a = fields("approvalRequest", team);
    const b = fields("approvalRequest", stranger);
    assert.notEqual(a["Asked in"], b["Asked in"]);
    assert.notEqual(a["Asked by"], b["Asked by"]);
    assert.equal(b["Asked by"], "Bob (id 6660001)", "no handle: the id alone");
  });

  it("shows the console requester by name, and a session stored before origins by its chat id", () => {
    const f = fields("approvalRequest", session({ platform: "console", id: "bob", name: "bob" }));
    assert.equal(f["Asked by"], "bob");
    assert.equal(f["Asked in"], "chat id team");
  });

  it("speaks Chinese to a Chinese approver", () => {
    const s = session(
      { platform: "discord", id: "2001", name: "Bob" },
      {
        place: { kind: "server", id: "1001", name: "OpenClaw Ops" },
        channel: { id: "1002", name: "ops" },
        handle: "bob",
      },
    );
    const f = fields("devicePairingApproval", s, "zh-CN");
    assert.equal(f.来源, "服务器“OpenClaw Ops”(ID 1001) › #ops(ID 1002)");
    assert.equal(f.请求者, "Bob(用户名 bob,ID 2001)");
  });

  it("does not show it to the node operator in their setup link", () => {
    const s = session(
      { platform: "discord", id: "2001", name: "Bob" },
      { place: { kind: "server", id: "1001", name: "OpenClaw Ops" }, handle: "bob" },
    );
    assert.equal(fields("setupLink", s)["Asked in"], undefined);
  });
});

describe("notices and hints", () => {
  it("marks a refusal so adapters can make it stay, and a confirmation so it can be brief", () => {
    assert.equal(noticeView({ key: "approved" }, "en").notice, "brief");
    assert.equal(noticeView({ key: "cancelled" }, "en").notice, "brief");
    for (const key of ["notAuthorized", "forSomeoneElse", "selfApproval", "sessionOver"] as const)
      assert.equal(
        noticeView({ key, params: { name: "nico", stage: "x" } }, "en").notice,
        "refusal",
      );
  });

  it("names the command to start over as the card's platform spells it", () => {
    const base = sampleSession("s1");
    const expired: Session = {
      ...base,
      channel: { platform: "telegram", id: "-100" },
      stage: "expired",
    };
    const commands = {
      telegram: { connectNode: "/connect_node", diagnose: "/diagnose" },
      discord: { connectNode: "/connect-node", diagnose: "/diagnose" },
    };
    const text = (s: Session, lang: Lang) =>
      cardView(s, lang, { now: s.createdAt, commands })
        .blocks.map((b) => (b.kind === "text" ? b.text : ""))
        .join("\n");
    assert.match(text(expired, "en"), /Run \/connect_node again/);
    assert.match(text(expired, "zh-CN"), /\/connect_node/);
    const onDiscord = { ...expired, channel: { platform: "discord" as const, id: "1" } };
    assert.match(text(onDiscord, "en"), /Run \/connect-node again/);
  });

  it("helps in the platform's words, in both languages", () => {
    const names = { connectNode: "/connect_node", diagnose: "/diagnose" };
    for (const lang of ["en", "zh-CN"] as const) {
      const [block] = helpView(lang, names).blocks;
      assert.ok(block?.kind === "text");
      assert.match(block.text, /\/connect_node/);
      assert.match(block.text, /\/diagnose/);
      assert.doesNotMatch(block.text, /\{\w+\}/);
    }
  });
});
