import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  alertText,
  escapeHtml,
  MAX_ALERT_LENGTH,
  MAX_MESSAGE_LENGTH,
  renderCard,
  renderView,
} from "../../../src/adapters/telegram/render.ts";
import { open } from "../../../src/core/machine.ts";
import type { MessageView } from "../../../src/core/view.ts";
import { dmView } from "../../../src/core/views.ts";
import { person } from "../../support/actors.ts";

const SESSION = "Ab3_xY9-kLmN";

function view(patch: Partial<MessageView> = {}): MessageView {
  return {
    sessionId: SESSION,
    title: "Connect node “a<b>”",
    tone: "waiting",
    blocks: [],
    buttons: [],
    ...patch,
  };
}

/** Tags opened and closed in one message, so Telegram can parse each part on its own. */
function balanced(html: string): boolean {
  const stack: string[] = [];
  for (const [, closing, name] of html.matchAll(/<(\/?)([a-z]+)[^>]*>/g)) {
    if (!closing) stack.push(name as string);
    else if (stack.pop() !== name) return false;
  }
  return stack.length === 0;
}

describe("Telegram rendering", () => {
  it("escapes what people typed in titles, fields and text, and bolds the title and field labels", () => {
    const { parts } = renderView(
      view({
        blocks: [
          { kind: "field", label: "Node operator", value: "Bob <script> & co" },
          { kind: "text", text: "1 < 2 & 3 > 2" },
        ],
      }),
    );
    assert.deepEqual(parts, [
      "⏳ <b>Connect node “a&lt;b&gt;”</b>\n\n<b>Node operator:</b> Bob &lt;script&gt; &amp; co\n\n1 &lt; 2 &amp; 3 &gt; 2",
    ]);
    assert.equal(escapeHtml("<&>"), "&lt;&amp;&gt;");
  });

  it("shows names typed as HTML as text in the approval DM: no link, no tag of theirs", () => {
    const displayName = '<a href="https://evil.example/settings/devices">build-1</a>';
    const requester = "<b>Carol</b> &amp; <i>co</i>";
    const { session } = open(
      {
        id: SESSION,
        mode: "setupLink",
        channel: { platform: "telegram", id: "-100123" },
        displayName,
        requester: { ...person("mallory"), name: requester },
        ttlMs: 1_800_000,
        allowSelfApproval: false,
      },
      1_700_000_000_000,
    );
    const { parts } = renderView(dmView("approvalRequest", session, "en", { now: 0 }));
    const html = parts.join("\n");
    const tags = [...html.matchAll(/<\/?([a-z]+)/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(tags)], ["b"], "only the bot's own bold title");
    const shown = html
      .replace(/<\/?b>/g, "")
      .replaceAll("&lt;", "<")
      .replaceAll("&gt;", ">")
      .replaceAll("&amp;", "&");
    assert.ok(shown.includes(`Approve a new node “${displayName}”?`), shown);
    assert.ok(shown.includes(`${requester} asks to connect a node named “${displayName}”`), shown);
  });

  it("shows a direction override in a name as its code point, in the title, fields and text", () => {
    const name = "\u202eevil\u2067 x";
    const { parts } = renderView(
      view({
        title: `Connect node “${name}”`,
        blocks: [
          { kind: "field", label: "Node operator", value: name },
          { kind: "text", text: `${name} asks` },
          { kind: "check", label: name, done: false },
        ],
      }),
    );
    const html = parts.join("\n");
    assert.ok(!/[\u202e\u2067]/.test(html), html);
    assert.equal(html.split("[U+202E]evil[U+2067] x").length, 5, html);
  });

  it("writes code blocks as pre/code with the shell's language, and `commands` in text as inline code", () => {
    const { parts } = renderView(
      view({
        title: "",
        blocks: [
          { kind: "text", text: "use `openclaw node install` instead" },
          { kind: "code", shell: "posix", text: "echo '<ok>'\n" },
          { kind: "code", shell: "powershell", text: "$env:X = 'y'" },
          { kind: "code", shell: "log", text: "12: failed" },
          { kind: "check", label: "Node connected", done: false },
          { kind: "check", label: "Setup link sent", done: true },
        ],
      }),
    );
    assert.equal(
      parts[0],
      [
        "use <code>openclaw node install</code> instead",
        "<pre><code class=\"language-bash\">echo '&lt;ok&gt;'</code></pre>",
        "<pre><code class=\"language-powershell\">$env:X = 'y'</code></pre>",
        "<pre>12: failed</pre>",
        "⬜ Node connected\n✅ Setup link sent",
      ].join("\n\n"),
    );
  });

  it("splits a long private message into parts within 4096 characters, each with whole tags, buttons on the last", () => {
    const script = Array.from({ length: 400 }, (_, i) => `echo "line ${i} <&>"`).join("\n");
    const rendered = renderView(
      view({
        blocks: [
          { kind: "text", text: "x".repeat(5000) },
          { kind: "code", shell: "posix", text: script },
        ],
        buttons: [{ kind: "action", action: "cancel", label: "Cancel", style: "danger" }],
      }),
    );
    assert.ok(rendered.parts.length > 2);
    for (const part of rendered.parts) {
      assert.ok(part.length <= MAX_MESSAGE_LENGTH, `a part has ${part.length} characters`);
      assert.ok(balanced(part), "a part leaves a tag open");
    }
    const text = rendered.parts.join("\n");
    for (let i = 0; i < 400; i += 1) assert.ok(text.includes(`echo "line ${i} &lt;&amp;&gt;"`));
    assert.deepEqual(rendered.keyboard?.inline_keyboard, [
      [{ text: "Cancel", callback_data: `${SESSION}:xx` }],
    ]);
  });

  it("keeps the card to one message, cut with “…” when a view would not fit", () => {
    const card = renderCard(view({ blocks: [{ kind: "text", text: "y".repeat(9000) }] }));
    assert.ok(card.text.length <= MAX_MESSAGE_LENGTH);
    assert.ok(card.text.endsWith("\n…"));
  });

  it("lays out action buttons two to a row, links and deep links on rows of their own", () => {
    const { keyboard } = renderView(
      view({
        buttons: [
          { kind: "action", action: "claim", label: "Claim", style: "primary" },
          {
            kind: "private",
            action: "reveal",
            label: "Show",
            for: { platform: "telegram", id: "7" },
          },
          { kind: "link", label: "WebUI", url: "https://gw.example.com/settings/devices" },
          { kind: "action", action: "approveDevice", label: "Approve", style: "success" },
          { kind: "action", action: "rejectDevice", label: "Reject", style: "danger" },
          { kind: "action", action: "cancel", label: "Cancel", style: "danger" },
        ],
      }),
      { privateLink: (button) => `https://t.me/bot?start=for${button.for.id}` },
    );
    assert.deepEqual(keyboard?.inline_keyboard, [
      [{ text: "Claim", callback_data: `${SESSION}:cl` }],
      [{ text: "Show", url: "https://t.me/bot?start=for7" }],
      [{ text: "WebUI", url: "https://gw.example.com/settings/devices" }],
      [
        { text: "Approve", callback_data: `${SESSION}:ad` },
        { text: "Reject", callback_data: `${SESSION}:rd` },
      ],
      [{ text: "Cancel", callback_data: `${SESSION}:xx` }],
    ]);
  });

  it("leaves out a deep-link button it has no link for, and action buttons of a view without a session", () => {
    const rendered = renderView(
      view({
        sessionId: undefined,
        buttons: [
          { kind: "action", action: "cancel", label: "Cancel", style: "danger" },
          {
            kind: "private",
            action: "reveal",
            label: "Show",
            for: { platform: "telegram", id: "7" },
          },
        ],
      }),
    );
    assert.equal(rendered.keyboard, undefined);
  });

  it("shows a short plain notice as an alert, and anything else as a message", () => {
    const notice = (text: string): MessageView => ({
      title: "",
      tone: "neutral",
      blocks: [{ kind: "text", text }],
      buttons: [],
    });
    assert.equal(alertText(notice("Approved.")), "Approved.");
    assert.equal(alertText(notice("a".repeat(MAX_ALERT_LENGTH))), "a".repeat(MAX_ALERT_LENGTH));
    assert.equal(alertText(notice("a".repeat(MAX_ALERT_LENGTH + 1))), undefined);
    assert.equal(alertText({ ...notice("Approved."), title: "Diagnosis" }), undefined);
    assert.equal(alertText({ ...notice("x"), blocks: [{ kind: "code", text: "x" }] }), undefined);
  });
});
