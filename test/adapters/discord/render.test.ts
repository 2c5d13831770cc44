import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { APIEmbed } from "discord.js";
import fc from "fast-check";
import { DIAGNOSE_ID, parseId } from "../../../src/adapters/discord/ids.ts";
import {
  type DiscordMessage,
  embedLength,
  LIMITS,
  renderDiagnoseForm,
  renderForm,
  renderMessages,
  TONE_COLOURS,
  withMentions,
} from "../../../src/adapters/discord/render.ts";
import { open } from "../../../src/core/machine.ts";
import { Secret } from "../../../src/core/secret.ts";
import type { Lang, Session } from "../../../src/core/types.ts";
import { MAX_DISPLAY_NAME_LENGTH, MAX_TOKEN_LENGTH } from "../../../src/core/validate.ts";
import type { Block, MessageView } from "../../../src/core/view.ts";
import { cardView, credentialsForm, dmView } from "../../../src/core/views.ts";
import { person } from "../../support/actors.ts";
import { liveMarkup, shownText } from "../../support/discord-markdown.ts";

const NOW = 1_700_000_000_000;

function session(patch: Partial<Session> = {}): Session {
  const base = open(
    {
      id: "AbC123xyz-_0",
      mode: "sharedToken",
      channel: { platform: "discord", id: "1234567890" },
      displayName: "build-1",
      requester: person("bob"),
      ttlMs: 1_800_000,
      allowSelfApproval: false,
    },
    NOW,
  ).session;
  return { ...base, ...patch };
}

/** A credentials DM as long as validated input can make it: the longest display name, host and token. */
function longestCredentials(): { session: Session; token: string } {
  const token = `t${"k".repeat(MAX_TOKEN_LENGTH - 1)}`;
  const host = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`;
  return {
    token,
    session: session({
      stage: "credentialsSent",
      displayName: "名".repeat(MAX_DISPLAY_NAME_LENGTH),
      gatewayOperator: person("carol"),
      endpoint: { host, port: 18789, fingerprint: "ab".repeat(32) },
      secrets: { token: new Secret(token) },
    }),
  };
}

function descriptions(messages: DiscordMessage[]): string {
  return messages
    .flatMap((m) => [m.content ?? "", ...m.embeds.map((e) => e.description ?? "")])
    .join("\n");
}

/** The code inside the fenced blocks of a language, parts joined in order. */
function fenced(messages: DiscordMessage[], language: string): string[] {
  const text = descriptions(messages);
  return [...text.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\\n\`\`\``, "g"))].map(
    (m) => m[1] ?? "",
  );
}

function assertWithinLimits(messages: DiscordMessage[]): void {
  assert.ok(messages.length > 0);
  for (const message of messages) {
    assert.ok((message.content ?? "").length <= LIMITS.content, "content ≤ 2000");
    assert.ok(message.embeds.length <= LIMITS.embedsPerMessage, "≤ 10 embeds");
    const total = message.embeds.reduce((sum, e) => sum + embedLength(e), 0);
    assert.ok(total <= LIMITS.embedCharsPerMessage, `embeds ≤ 6000 characters, not ${total}`);
    for (const embed of message.embeds as APIEmbed[]) {
      assert.ok((embed.description ?? "").length <= LIMITS.description, "description ≤ 4096");
      assert.ok((embed.title ?? "").length <= LIMITS.title, "title ≤ 256");
      assert.ok((embed.fields ?? []).length <= LIMITS.fields, "≤ 25 fields");
      for (const field of embed.fields ?? []) {
        assert.ok(field.name.length <= LIMITS.fieldName && field.value.length <= LIMITS.fieldValue);
        assert.ok(field.name.length > 0 && field.value.length > 0, "no empty field");
      }
    }
    assert.ok(message.components.length <= LIMITS.rows, "≤ 5 rows");
    for (const row of message.components) {
      assert.ok(row.components.length <= LIMITS.buttonsPerRow, "≤ 5 buttons a row");
      for (const button of row.components) {
        assert.ok(
          ("label" in button ? (button.label ?? "") : "").length <= LIMITS.label,
          "label ≤ 80",
        );
        if ("custom_id" in button) assert.ok(button.custom_id.length <= LIMITS.customId);
      }
    }
    assert.deepEqual(message.allowedMentions, { parse: [] }, "never pings anyone");
    assert.ok(message.content || message.embeds.length > 0, "Discord refuses an empty message");
  }
}

describe("rendering the node operator's credentials DM", () => {
  for (const lang of ["en", "zh-CN"] as Lang[])
    it(`renders the POSIX and PowerShell scripts as bash and powershell blocks, whole, in ${lang}`, () => {
      const { session: s, token } = longestCredentials();
      const view = dmView("credentials", s, lang, { now: NOW });
      const messages = renderMessages(view, { lang });
      assertWithinLimits(messages);
      const code = view.blocks.filter(
        (b): b is Extract<Block, { kind: "code" }> => b.kind === "code",
      );
      const posix = code.filter((b) => b.shell === "posix").map((b) => b.text.replace(/\n+$/, ""));
      const powershell = code
        .filter((b) => b.shell === "powershell")
        .map((b) => b.text.replace(/\n+$/, ""));
      assert.deepEqual(fenced(messages, "bash"), posix, "every POSIX line, in order");
      assert.deepEqual(fenced(messages, "powershell"), powershell, "every PowerShell line");
      assert.ok(descriptions(messages).includes(token), "the whole token, not a cut one");
      assert.equal(messages[0]?.embeds[0]?.color, TONE_COLOURS.action);
    });

  it("splits a script too long for one embed between lines, into consecutive blocks that add up to it", () => {
    const lines = Array.from({ length: 400 }, (_, i) => `echo "line ${i}" # ${"x".repeat(40)}`);
    const text = lines.join("\n");
    const view: MessageView = {
      sessionId: "s1",
      title: "A long script",
      tone: "action",
      blocks: [
        { kind: "text", text: "Run this:" },
        { kind: "code", shell: "posix", text },
        { kind: "text", text: "Then this:" },
        { kind: "code", shell: "powershell", text: "Write-Output done" },
      ],
      buttons: [],
    };
    const messages = renderMessages(view, { lang: "en" });
    assertWithinLimits(messages);
    const parts = fenced(messages, "bash");
    assert.ok(parts.length >= 5, "split into several blocks");
    assert.equal(parts.join("\n"), text, "no line lost, none cut in two");
    assert.ok(messages.length >= 2, "more than one message: 6000 characters a message");
    assert.deepEqual(fenced(messages, "powershell"), ["Write-Output done"]);
    const order = descriptions(messages);
    assert.ok(order.indexOf("Run this:") < order.indexOf("```bash"));
    assert.ok(order.lastIndexOf("```bash") < order.indexOf("Then this:"));
  });

  it("renders the setup link DM in both languages within the limits", () => {
    const code = `eyJ1cmwiOiJ3c3M6Ly9ndy5leGFtcGxlLmNvbToxODc4OSJ9${"A".repeat(400)}`;
    const s = session({
      mode: "setupLink",
      stage: "linkSent",
      setupLink: { setupId: "setup-1", issuedAt: NOW, expiresAt: NOW + 600_000, issued: 1 },
      secrets: { setupCode: new Secret(code) },
    });
    for (const lang of ["en", "zh-CN"] as Lang[]) {
      const messages = renderMessages(dmView("setupLink", s, lang, { now: NOW }), { lang });
      assertWithinLimits(messages);
      assert.equal(fenced(messages, "bash").length, 2);
      assert.equal(fenced(messages, "powershell").length, 1);
      for (const block of [...fenced(messages, "bash"), ...fenced(messages, "powershell")])
        assert.ok(block.includes(`oc-pair://${code}`));
    }
  });

  it("keeps a fence intact when the code itself holds three backticks", () => {
    const messages = renderMessages(
      {
        title: "t",
        tone: "neutral",
        blocks: [{ kind: "code", shell: "log", text: "a ``` b" }],
        buttons: [],
      },
      { lang: "en" },
    );
    assert.equal(
      descriptions(messages).match(/```/g)?.length,
      2,
      "only the opening and closing fence",
    );
  });
});

describe("rendering the session card", () => {
  it("shows fields, the checklist and buttons with opaque session ids, coloured by tone", () => {
    const s = session({ undelivered: ["credentials"] });
    const view = cardView(s, "en", {
      now: NOW,
      webUiUrl: "https://gw.example.com:18789/settings/devices",
    });
    const [message, ...more] = renderMessages(view, { lang: "en", maxMessages: 1 });
    assert.deepEqual(more, []);
    assert.ok(message);
    assertWithinLimits([message]);
    const embed = message.embeds[0] as APIEmbed;
    assert.equal(embed.title, "Connect node “build-1”");
    assert.equal(embed.color, TONE_COLOURS.waiting);
    assert.deepEqual(
      embed.fields?.map((f) => [f.name, f.value]),
      [
        ["Node operator", "bob"],
        ["Enrolment", "shared token (host, port, fingerprint, token)"],
      ],
    );
    assert.match(embed.description ?? "", /⬜ Gateway operator found/);
    const buttons = message.components.flatMap((row) => row.components);
    const ids = buttons.map((b) => ("custom_id" in b ? b.custom_id : undefined));
    assert.deepEqual(ids, [
      "cs1:AbC123xyz-_0:claim",
      "cs1:AbC123xyz-_0:reveal",
      "cs1:AbC123xyz-_0:cancel",
    ]);
    for (const id of ids) assert.ok(id && parseId(id), "every id parses back");
  });

  it("turns a private button into an action button, since Discord can answer its person in place", () => {
    const [message] = renderMessages(
      {
        sessionId: "s1",
        title: "t",
        tone: "action",
        blocks: [],
        buttons: [
          {
            kind: "private",
            label: "Show my credentials",
            action: "reveal",
            for: { platform: "discord", id: "42" },
          },
          { kind: "link", label: "Open the WebUI", url: "https://gw.example.com/settings/devices" },
          { kind: "link", label: "Not a web link", url: "javascript:alert(1)" },
        ],
      },
      { lang: "en" },
    );
    assert.deepEqual(message?.components[0]?.components, [
      { type: 2, style: 1, label: "Show my credentials", custom_id: "cs1:s1:reveal" },
      {
        type: 2,
        style: 5,
        label: "Open the WebUI",
        url: "https://gw.example.com/settings/devices",
      },
    ]);
  });

  it("puts more than five buttons in rows of five and shortens long labels visibly", () => {
    const buttons = Array.from({ length: 7 }, (_, i) => ({
      kind: "link" as const,
      label: `${i} ${"long label ".repeat(10)}`,
      url: `https://example.com/${i}`,
    }));
    const [message] = renderMessages(
      { title: "t", tone: "neutral", blocks: [], buttons },
      { lang: "en" },
    );
    assert.ok(message);
    assertWithinLimits([message]);
    assert.deepEqual(
      message.components.map((row) => row.components.length),
      [5, 2],
    );
    const first = message.components[0]?.components[0];
    assert.ok(first && "label" in first && first.label?.endsWith("…"));
  });

  it("says so, in the last message kept, when an edit cannot hold everything", () => {
    const view: MessageView = {
      title: "t",
      tone: "neutral",
      blocks: [{ kind: "code", shell: "log", text: "x\n".repeat(9000) }],
      buttons: [],
    };
    const messages = renderMessages(view, { lang: "en", maxMessages: 1 });
    assert.equal(messages.length, 1);
    assertWithinLimits(messages);
    assert.equal(
      messages[0]?.embeds.at(-1)?.description,
      "(shortened: too long for one Discord message)",
    );
  });

  it("sends a short notice as plain content", () => {
    const [message] = renderMessages(
      { title: "", tone: "neutral", blocks: [{ kind: "text", text: "Approved." }], buttons: [] },
      { lang: "en" },
    );
    assert.equal(message?.content, "Approved.");
    assert.deepEqual(message?.embeds, []);
  });
});

describe("rendering any view", () => {
  const block: fc.Arbitrary<Block> = fc.oneof(
    fc.record({
      kind: fc.constant("text" as const),
      text: fc.string({ minLength: 1, maxLength: 5000, size: "max" }),
    }),
    fc.record({
      kind: fc.constant("field" as const),
      label: fc.string({ minLength: 1, maxLength: 300, size: "max" }),
      value: fc.string({ minLength: 1, maxLength: 1500, size: "max" }),
    }),
    fc.record({
      kind: fc.constant("check" as const),
      label: fc.string({ maxLength: 200 }),
      done: fc.boolean(),
    }),
    fc.record({
      kind: fc.constant("code" as const),
      text: fc
        .array(fc.string({ maxLength: 300, size: "max" }), { maxLength: 60, size: "max" })
        .map((l) => l.join("\n")),
      shell: fc.constantFrom("posix" as const, "powershell" as const),
    }),
  );

  it("keeps every message within Discord's limits and every code line whole", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 300, size: "max" }),
        fc.array(block, { maxLength: 30, size: "max" }),
        (title, blocks) => {
          const view: MessageView = {
            sessionId: "s1",
            title,
            tone: "neutral",
            blocks,
            buttons: [],
          };
          const messages = renderMessages(view, { lang: "en" });
          assertWithinLimits(messages);
          const text = descriptions(messages);
          for (const b of blocks)
            if (b.kind === "code" && !b.text.includes("```"))
              for (const line of b.text.split("\n")) assert.ok(text.includes(line));
        },
      ),
      // Inputs are large on purpose; shrinking them would take minutes, so a failure is reported as found.
      { numRuns: 100, endOnFailure: true },
    );
  });
});

/** Names people can type (a display name, a Discord nickname), each one markup Discord would act on. */
const HOSTILE = [
  "[build-1](https://evil.example/settings/devices)",
  "# Carol",
  "-# small print",
  "> quoted",
  ">>> quoted to the end",
  "- listed",
  "1. numbered",
  "**bold** __under__ *it* _it_",
  "~~gone~~",
  "||spoiler||",
  "@everyone @here",
  "<@123456789012345678> <#123456789012345678> <t:1700000000:R> </connect-node:1>",
  "https://evil.example/settings/devices",
  "<https://evil.example>",
  "a\\",
  "\\[x](https://evil.example)",
];

/** Every text a message shows, in Discord markdown: content, titles, descriptions, field names and values. */
function markdownOf(messages: DiscordMessage[]): string[] {
  return messages.flatMap((m) => [
    m.content ?? "",
    ...m.embeds.flatMap((e) => [
      e.title ?? "",
      e.description ?? "",
      ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
    ]),
  ]);
}

describe("rendering what people typed", () => {
  for (const hostile of HOSTILE)
    it(`shows ${JSON.stringify(hostile)} as text in the approval DM, as display name and as requester`, () => {
      const s = session({
        stage: "awaitingApproval",
        mode: "setupLink",
        displayName: hostile,
        requester: { ...person("bob"), name: hostile },
        nodeOperator: { platform: "console", id: "bob", name: hostile },
      });
      const messages = renderMessages(dmView("approvalRequest", s, "en", { now: NOW }), {
        lang: "en",
      });
      assertWithinLimits(messages);
      const parts = markdownOf(messages);
      for (const part of parts) assert.deepEqual(liveMarkup(part), [], part);
      const shown = parts.map(shownText).join("\n");
      assert.ok(shown.includes(`Approve a new node “${hostile}”?`), shown);
      assert.ok(shown.includes(hostile), "the name reads as typed");
    });

  it("shows a hostile name on the card, in fields and in the checklist as text", () => {
    const name = "[build-1](https://evil.example/settings/devices)";
    const s = session({
      displayName: name,
      nodeOperator: { platform: "console", id: "bob", name: "# Carol" },
      gatewayOperator: { platform: "console", id: "carol", name: "||@everyone||" },
      stage: "awaitingCredentials",
    });
    const messages = renderMessages(cardView(s, "en", { now: NOW }), { lang: "en" });
    for (const part of markdownOf(messages)) assert.deepEqual(liveMarkup(part), [], part);
    const embed = messages[0]?.embeds[0] as APIEmbed;
    assert.equal(shownText(embed.title ?? ""), `Connect node “${name}”`);
    assert.deepEqual(
      embed.fields?.map((f) => shownText(f.value)),
      ["# Carol", "shared token (host, port, fingerprint, token)", "||@everyone||"],
    );
  });

  it("shows a short notice that quotes a name as plain content without markup", () => {
    const [message] = renderMessages(
      {
        title: "",
        tone: "neutral",
        blocks: [{ kind: "text", text: "A node “[x](https://evil.example)” is already open." }],
        buttons: [],
      },
      { lang: "en" },
    );
    assert.deepEqual(liveMarkup(message?.content ?? ""), []);
    assert.equal(
      shownText(message?.content ?? ""),
      "A node “[x](https://evil.example)” is already open.",
    );
  });

  it("keeps the `inline code` the bot's own strings use, and shows the rest as typed", () => {
    const [message] = renderMessages(
      {
        title: "",
        tone: "neutral",
        blocks: [{ kind: "text", text: "Run `openclaw devices list` for *build_1*." }],
        buttons: [],
      },
      { lang: "en" },
    );
    assert.equal(message?.content, "Run `openclaw devices list` for \\*build\\_1\\*.");
  });

  it("keeps live only the mentions the adapter wrote itself, never one inside typed text", () => {
    const view = withMentions(
      {
        title: "",
        tone: "neutral",
        blocks: [{ kind: "text", text: "Only in <#111>; <#222> and <@333> were typed." }],
        buttons: [],
      },
      ["#111"],
    );
    const [message] = renderMessages(view, { lang: "en" });
    assert.equal(message?.content, "Only in <#111>; \\<\\#222\\> and \\<\\@333\\> were typed.");
    assert.deepEqual(message?.allowedMentions, { parse: [] }, "and still pings nobody");
  });

  it("shows a direction override in a person's name as its code point, so it cannot turn the line around", () => {
    const s = session({
      stage: "awaitingApproval",
      mode: "setupLink",
      requester: { ...person("bob"), name: "\u202eevil\u2066 x" },
    });
    const messages = renderMessages(dmView("approvalRequest", s, "en", { now: NOW }), {
      lang: "en",
    });
    const text = markdownOf(messages).map(shownText).join("\n");
    assert.ok(!/[\u202e\u2066]/.test(text));
    assert.ok(text.includes("[U+202E]evil[U+2066] x asks to connect"), text);
  });

  it("shows a direction override as its code point inside backticks the name brings too", () => {
    // A nickname "`\u202eecila`" would read as `alice` in a code span, where nothing else is escaped.
    const s = session({
      stage: "awaitingApproval",
      mode: "setupLink",
      requester: { ...person("bob"), name: "`\u202eecila`" },
    });
    const messages = renderMessages(dmView("approvalRequest", s, "en", { now: NOW }), {
      lang: "en",
    });
    const raw = JSON.stringify(messages);
    assert.ok(!/[\u202e]/.test(raw), raw);
    assert.ok(raw.includes("[U+202E]ecila"), raw);
  });

  it("leaves no markup live in any text, however long, wherever it is split, backticks and all", () => {
    const piece = fc.constantFrom(
      "`",
      "``",
      "\\",
      "[x](https://evil.example)",
      "https://evil.example",
      "# ",
      "\n- ",
      "\n> ",
      "**",
      "||",
      "<@1>",
      "@everyone",
      "a",
      " ",
      "\n",
    );
    const long = fc
      .tuple(fc.array(piece, { maxLength: 60 }), fc.nat({ max: 4200 }), fc.nat({ max: 60 }))
      .map(([parts, padding, at]) => {
        const text = parts.join("");
        const i = at % (text.length + 1);
        return `${text.slice(0, i)}${"x".repeat(padding)}${text.slice(i)}`;
      });
    fc.assert(
      fc.property(long, long, (title, body) => {
        fc.pre(body.trim() !== "");
        const messages = renderMessages(
          {
            title,
            tone: "neutral",
            blocks: [
              { kind: "text", text: body },
              { kind: "field", label: "Name", value: body },
              { kind: "text", text: `${body}${body}` },
            ],
            buttons: [],
          },
          { lang: "en" },
        );
        assertWithinLimits(messages);
        // The renderer's own bold label of a field too long to be an embed field is the one markup allowed.
        for (const part of markdownOf(messages))
          assert.deepEqual(liveMarkup(part.replaceAll("**Name:** ", "")), [], part);
      }),
      { numRuns: 300 },
    );
  });

  it("escapes the intro of the credentials modal, which Discord renders as markdown", () => {
    const s = session({
      stage: "awaitingCredentials",
      nodeOperator: { platform: "console", id: "bob", name: "[bob](https://evil.example)" },
      gatewayOperator: person("carol"),
    });
    const modal = renderForm(credentialsForm(s, "en"), s.id);
    const intro = modal.components.flatMap((c) => ("content" in c ? [c.content] : []));
    assert.equal(intro.length, 1);
    for (const text of intro) {
      assert.deepEqual(liveMarkup(text), []);
      assert.ok(shownText(text).includes("[bob](https://evil.example)"));
    }
  });

  it("shows any text without a backtick exactly as given, with no markup live", () => {
    const markdownish = fc.constantFrom(..."[]()<>#@*_~|`\\-+.:/>!h t p s 1 \n a".split(" "));
    const text = fc
      .array(
        fc.oneof(markdownish, fc.constantFrom("https://", "@everyone", "# ", "- ", "1. ", "\n> ")),
        {
          maxLength: 40,
        },
      )
      .map((parts) => parts.join("").replaceAll("`", "'"));
    fc.assert(
      fc.property(text, text, (title, body) => {
        fc.pre(title.trim() !== "" || body.trim() !== "");
        const messages = renderMessages(
          {
            title,
            tone: "neutral",
            blocks: [
              { kind: "text", text: body || "x" },
              { kind: "field", label: "Name", value: body.trim() || "x" },
              { kind: "check", label: body, done: false },
            ],
            buttons: [],
          },
          { lang: "en" },
        );
        for (const part of markdownOf(messages)) assert.deepEqual(liveMarkup(part), [], part);
        const embed = messages[0]?.embeds[0] as APIEmbed;
        if (title.trim()) assert.equal(shownText(embed.title ?? ""), title);
        assert.ok(shownText(embed.description ?? "").startsWith(body || "x"));
      }),
      { numRuns: 300 },
    );
  });
});

describe("rendering the credentials form as a modal", () => {
  it("pre-fills host, port and fingerprint but never the token, within Discord's modal limits", () => {
    const s = session({
      stage: "awaitingCredentials",
      displayName: "a-very-long-display-name-for-a-build-server",
      gatewayOperator: person("carol"),
      draft: { host: "gw.example.com", port: "18789", fingerprint: "ab:cd" },
      secrets: { token: new Secret("tok_previously_typed_value") },
    });
    const modal = renderForm(credentialsForm(s, "en"), s.id);
    assert.equal(modal.custom_id, `cs1:${s.id}:form`);
    assert.ok(modal.title.length <= LIMITS.modalTitle);
    assert.ok(modal.components.length <= 5);
    assert.ok(!JSON.stringify(modal).includes("tok_previously_typed_value"));
    const inputs = modal.components.flatMap((c) => ("component" in c ? [c] : []));
    assert.deepEqual(
      inputs.map((label) => [
        label.component.custom_id,
        "value" in label.component ? label.component.value : undefined,
      ]),
      [
        ["host", "gw.example.com"],
        ["port", "18789"],
        ["fingerprint", "ab:cd"],
        ["token", undefined],
      ],
    );
    for (const label of inputs) {
      assert.ok(label.label.length <= LIMITS.inputLabel);
      assert.equal(label.component.type, 4);
      if (label.component.type === 4) {
        assert.equal(label.component.style, 1, "short inputs");
        assert.ok((label.component.placeholder ?? "").length <= LIMITS.placeholder);
      }
    }
  });

  it("gives /diagnose one paragraph box", () => {
    const modal = renderDiagnoseForm("zh-CN");
    assert.equal(modal.custom_id, DIAGNOSE_ID);
    assert.equal(modal.title, "粘贴节点日志");
    assert.deepEqual(parseId(modal.custom_id), { kind: "diagnose" });
  });
});
