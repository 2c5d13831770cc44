import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decide, open } from "../../src/core/machine.ts";
import { Secret } from "../../src/core/secret.ts";
import type { DmKind, Event, Lang, Origin, Session, UserRef } from "../../src/core/types.ts";
import { GATEWAY_PROBLEMS } from "../../src/core/types.ts";
import { cardView, credentialsForm, dmView, helpView, noticeView } from "../../src/core/views.ts";
import { alice, bob, carol } from "../support/actors.ts";
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

// ── the card tells one true story ─────────────────────────────────────────────────────────────────────────────────

const T0 = 1_700_000_000_000;
const FP = "85544cd42bcfa0b15e50c3f0f6f0b274d89f4ed292119918494290fad3582ea7";

/** Applies events one second apart, as the machine decides them. */
function through(s: Session, ...events: Event[]): Session {
  return events.reduce((at, event, i) => decide(at, event, T0 + (i + 1) * 1000).session, s);
}

function opened(mode: Session["mode"]): Session {
  return open(
    {
      id: "c1",
      mode,
      channel: { platform: "console", id: "team" },
      displayName: "build-1",
      requester: bob,
      ttlMs: 30 * 60_000,
      allowSelfApproval: false,
    },
    T0,
  ).session;
}

const credentialsSent = (): Session =>
  through(
    opened("sharedToken"),
    { type: "claimGatewayOperator", actor: carol },
    {
      type: "submitCredentials",
      actor: carol,
      host: "gw.example.com",
      port: "18789",
      fingerprint: FP,
      token: new Secret("0123456789abcdef0123456789abcdef"),
    },
    { type: "preflightDone", result: { ok: true, fingerprint: FP, at: T0 } },
  );

const linkSent = (): Session =>
  through(
    opened("setupLink"),
    { type: "approveRequest", actor: alice },
    {
      type: "setupCodeMinted",
      setupId: "set-1",
      code: new Secret("setup_code_card_story_1234"),
      expiresAt: T0 + 600_000,
    },
  );

function cardText(s: Session, lang: Lang = "en"): string {
  const view = cardView(s, lang, { now: s.updatedAt });
  return view.blocks
    .map((b) =>
      b.kind === "check"
        ? `${b.done ? "✅" : "⬜"} ${b.label}`
        : b.kind === "field"
          ? `${b.label}: ${b.value}`
          : b.text,
    )
    .join("\n");
}

describe("the card while the node operator's private messages are closed", () => {
  for (const [name, sent, kind] of [
    ["credentials", credentialsSent, "credentials"],
    ["setup link", linkSent, "setupLink"],
  ] as const) {
    it(`says one thing at a time about the ${name}: waiting for them to open it, then shown to them privately`, () => {
      const closed = through(sent(), { type: "dmUndeliverable", message: kind });
      const waiting = cardText(closed);
      assert.match(waiting, /waiting for bob to open (them|it)/);
      assert.doesNotMatch(waiting, /✅ .*sent privately/, "nothing says it was sent");
      assert.doesNotMatch(waiting, /\bhere\b/, "the button opens a private view, not 'here'");
      assert.match(waiting, /Show my credentials/, "it says which button shows them");

      const shown = through(closed, { type: "revealed", message: kind });
      const after = cardText(shown);
      assert.match(after, /✅ .*shown to bob privately/);
      assert.doesNotMatch(after, /closed/, "no longer says their messages are closed");
      assert.doesNotMatch(after, /waiting for bob to open/);
      for (const lang of ["en", "zh-CN"] as const)
        assert.notEqual(cardText(shown, lang), cardText(closed, lang));
    });
  }

  it("still says sent privately when the private message went through", () => {
    const text = cardText(credentialsSent());
    assert.match(text, /✅ Credentials sent privately/);
    assert.doesNotMatch(text, /closed|waiting for bob/);
  });
});

describe("the card's checklist keeps what happened after the session ends", () => {
  it("keeps the credentials as sent, then withdrawn, after a cancel, an expiry and a failure", () => {
    const sent = credentialsSent();
    const ended = [
      through(sent, { type: "cancel", actor: bob }),
      decide(sent, { type: "tick" }, sent.expiresAt + 1).session,
      through(
        sent,
        {
          type: "devicePairingRequested",
          request: { requestId: "req-1", deviceId: "dev-1", seenAt: T0 },
        },
        { type: "deviceResolved", requestId: "req-1", approved: false },
      ),
    ];
    for (const s of ended) {
      const text = cardText(s);
      assert.match(text, /✅ Credentials sent privately, then withdrawn/, s.stage);
      assert.match(text, /✅ Certificate checked/, s.stage);
      assert.match(text, /⬜ Node connected/, s.stage);
    }
  });

  it("keeps a setup link as sent, then withdrawn, after a cancel, and keeps a used link as used", () => {
    assert.match(
      cardText(through(linkSent(), { type: "cancel", actor: bob })),
      /✅ Setup link sent privately, then withdrawn/,
    );
    const used = through(
      linkSent(),
      { type: "setupCompleted", setupId: "set-1", deviceId: "dev-1" },
      { type: "cancel", actor: bob },
    );
    assert.match(cardText(used), /✅ Setup link sent privately\n✅ Node used the link/);
  });
});

describe("private messages fill every value their templates name", () => {
  it("gives the connected node's elapsed time in every approver's message", () => {
    const connected = through(
      linkSent(),
      { type: "setupCompleted", setupId: "set-1", deviceId: "dev-1" },
      { type: "nodeConnected", nodeId: "dev-1" },
    );
    const text = dmView("approvalRequest", connected, "en", { now: connected.updatedAt })
      .blocks.map((b) => (b.kind === "text" ? b.text : ""))
      .join("\n");
    assert.match(text, /is connected \(\d+ s\)/);
  });

  it("leaves no template parameter empty or unfilled, in any message, at any end", () => {
    const sent = credentialsSent();
    const ends = [
      through(sent, { type: "cancel", actor: bob }),
      decide(sent, { type: "tick" }, sent.expiresAt + 1).session,
      through(sent, { type: "nodeConnected", nodeId: "dev-1" }),
      through(opened("setupLink"), { type: "rejectRequest", actor: alice }),
      through(
        opened("setupLink"),
        { type: "approveRequest", actor: alice },
        {
          type: "gatewayFailed",
          action: "mintSetupCode",
          problem: "noGateway",
          message: "the bot cannot reach the gateway",
        },
      ),
    ];
    const kinds: DmKind[] = [
      "approvalRequest",
      "setupLink",
      "linkExpired",
      "credentials",
      "devicePairingApproval",
      "rerun",
      "capabilityApproval",
      "connected",
    ];
    for (const s of ends)
      for (const kind of kinds)
        for (const lang of ["en", "zh-CN"] as const) {
          const view = dmView(kind, s, lang, { now: s.updatedAt });
          const text = JSON.stringify(view);
          assert.doesNotMatch(
            text,
            /\(\)|\uFF08\uFF09|\{\w+\}|: \.|\uFF1A。/,
            `${kind} at ${s.stage} (${lang})`,
          );
        }
  });
});

describe("the card says why in plain words, never in the bot's internal words", () => {
  const INTERNAL = /CLAWSHAKE_|OPENCLAW_|\bat \S+ \(|node:internal|ENOENT/;
  const detail = "the bot cannot reach the gateway: CLAWSHAKE_GATEWAY_PATH=none";

  it("explains every reason setup links are off, or a gateway action failed, with a sentence of its own", () => {
    for (const problem of GATEWAY_PROBLEMS)
      for (const lang of ["en", "zh-CN"] as const) {
        const fallback = open(
          {
            id: "c2",
            mode: "sharedToken",
            fallbackReason: problem,
            channel: { platform: "console", id: "team" },
            displayName: "build-1",
            requester: bob,
            ttlMs: 60_000,
            allowSelfApproval: false,
          },
          T0,
        ).session;
        const failed = through(
          opened("setupLink"),
          { type: "approveRequest", actor: alice },
          { type: "gatewayFailed", action: "mintSetupCode", problem, message: detail },
        );
        const retry = through(
          credentialsSent(),
          {
            type: "devicePairingRequested",
            request: { requestId: "req-1", deviceId: "dev-1", seenAt: T0 },
          },
          { type: "gatewayFailed", action: "approveDevice", problem, message: detail },
        );
        for (const s of [fallback, failed, retry]) {
          const text = cardText(s, lang);
          assert.doesNotMatch(text, INTERNAL, `${problem} at ${s.stage} (${lang})`);
          assert.doesNotMatch(text, /\{\w+\}|: \.|:。/, `${problem} at ${s.stage} (${lang})`);
          assert.ok(!text.includes(problem), `the reason's name shows at ${s.stage}`);
        }
      }
  });

  it("says a plain sentence for a reason stored as free text by an older version", () => {
    const s = { ...opened("sharedToken"), fallbackReason: detail } as unknown as Session;
    const text = cardText(s);
    assert.doesNotMatch(text, INTERNAL);
    assert.match(text, /Setup links are not available: /);
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

describe("the gateway's version in the scripts, and a link the gateway could not confirm", () => {
  it("puts the gateway's version and its install command into every script when the bot knows it", () => {
    const codeBlocks = (view: ReturnType<typeof dmView>) =>
      view.blocks.flatMap((b) => (b.kind === "code" ? [b.text] : []));
    const s = linkSent();
    const known = codeBlocks(dmView("setupLink", s, "en", { now: T0, gatewayVersion: "2026.9.6" }));
    assert.equal(known.length, 3);
    for (const text of known) assert.ok(text.includes("npm install -g openclaw@2026.9.6"), text);
    const unknown = codeBlocks(dmView("setupLink", s, "en", { now: T0 }));
    for (const text of unknown) {
      assert.ok(!text.includes("openclaw --version"), text);
      assert.ok(text.includes("npm install -g openclaw'"), text);
    }
    const credentials = codeBlocks(
      dmView("credentials", credentialsSent(), "en", { now: T0, gatewayVersion: "2026.9.6" }),
    );
    assert.equal(credentials.length, 2);
    for (const text of credentials) assert.ok(text.includes("openclaw@2026.9.6"), text);
  });

  it("tells the approvers a link may not have been delivered, with the re-issue button, and the card says so", () => {
    const uncertain = through(linkSent(), { type: "setupDeliveryUncertain", setupId: "set-1" });
    const dm = dmView("linkExpired", uncertain, "en", { now: T0 });
    assert.match(dm.title, /may not have arrived/);
    assert.ok(dm.buttons.some((b) => b.kind === "action" && b.action === "reissueLink"));
    assert.match(cardText(uncertain), /could not confirm the node received it/);
    const timedOut = decide(linkSent(), { type: "tick" }, T0 + 600_000).session;
    assert.equal(timedOut.stage, "linkExpired");
    const expired = dmView("linkExpired", timedOut, "en", { now: T0 + 600_000 });
    assert.doesNotMatch(expired.title, /may not have arrived/);
  });
});
