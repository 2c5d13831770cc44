import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decide, open } from "../../src/core/machine.ts";
import { Secret } from "../../src/core/secret.ts";
import type { DmKind, Lang, Origin, Session, UserRef } from "../../src/core/types.ts";
import { cardView, credentialsForm, dmView } from "../../src/core/views.ts";
import { bob, carol } from "../support/actors.ts";
import { sampleSession } from "../support/sessions.ts";

const APPROVAL_DMS: DmKind[] = [
  "approvalRequest",
  "devicePairingApproval",
  "capabilityApproval",
  "linkExpired",
  "claimRequest",
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

describe("the gateway operator hears how the gateway check went", () => {
  const FP = "85544cd42bcfa0b15e50c3f0f6f0b274d89f4ed292119918494290fad3582ea7";
  const SEEN = "f".repeat(64);
  const T0 = 1_700_000_000_000;

  function checked(result: { ok: true; fingerprint: string; at: number }): Session {
    let s = open(
      {
        id: "s1",
        mode: "sharedToken",
        channel: { platform: "console", id: "team" },
        displayName: "build-1",
        requester: bob,
        ttlMs: 30 * 60_000,
        allowSelfApproval: false,
      },
      T0,
    ).session;
    s = decide(s, { type: "claimGatewayOperator", actor: carol }, T0 + 1000).session;
    s = decide(
      s,
      {
        type: "submitCredentials",
        actor: carol,
        host: "gw.example.com",
        port: "18789",
        fingerprint: FP.toUpperCase().match(/../g)?.join(":") as string,
        token: new Secret("tok_0123456789abcdef"),
      },
      T0 + 2000,
    ).session;
    return decide(s, { type: "preflightDone", result }, T0 + 3000).session;
  }

  const text = (view: { title: string; blocks: { kind: string; text?: string }[] }) =>
    [view.title, ...view.blocks.map((b) => b.text ?? "")].join("\n");

  it("does not offer back a fingerprint the gateway refused, and keeps the host and port", () => {
    const s = checked({ ok: true, fingerprint: SEEN, at: T0 + 3000 });
    const form = credentialsForm(s, "en");
    const value = (name: string) => form.fields.find((f) => f.name === name)?.value;
    assert.equal(value("host"), "gw.example.com");
    assert.equal(value("port"), "18789");
    assert.equal(value("fingerprint"), undefined);
    assert.equal(value("token"), undefined);
  });

  it("says on the card that the check failed and why, naming neither fingerprint", () => {
    const s = checked({ ok: true, fingerprint: SEEN, at: T0 + 3000 });
    const card = text(cardView(s, "en", { now: T0 + 4000 }));
    assert.match(card, /The gateway check failed, so nothing was sent/);
    assert.match(card, /The certificate there is not the one entered/);
    assert.ok(!card.includes(SEEN) && !card.includes(FP) && !card.includes("85544cd4"));
    assert.match(text(cardView(s, "zh-CN", { now: T0 + 4000 })), /Gateway 检查失败/);
  });

  it("tells the gateway operator it matched and to whom it went, or that it waits for closed DMs", () => {
    const s = checked({ ok: true, fingerprint: FP, at: T0 + 3000 });
    assert.equal(s.stage, "credentialsSent");
    const passed = dmView("preflightPassed", s, "en", { now: T0 + 4000 });
    assert.equal(passed.title, "Matched: sent to bob privately");
    assert.ok(!text(passed).includes("tok_"));
    const closed = dmView("preflightPassed", { ...s, undelivered: ["credentials"] }, "en", {
      now: T0 + 4000,
    });
    assert.match(text(closed), /bob's private messages are closed/);
  });
});
