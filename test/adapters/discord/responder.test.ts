import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it, mock } from "node:test";
import { pino } from "pino";
import { type Answerable, InteractionResponder } from "../../../src/adapters/discord/responder.ts";
import type { FormView, MessageView } from "../../../src/core/view.ts";

type Call = { method: string; options?: Record<string, unknown> };

/** Just enough of a discord.js interaction to record what the responder does with it. */
function interaction(kind: "button" | "command" | "modal", failing: string[] = []) {
  const calls: Call[] = [];
  const record = (method: string) => async (options?: Record<string, unknown>) => {
    calls.push({ method, ...(options ? { options } : {}) });
    if (failing.includes(method)) throw new Error(`${method} failed`);
    if (method === "deferReply") fake.deferred = true;
    if (["reply", "showModal", "editReply", "followUp"].includes(method)) fake.replied = true;
  };
  const fake = {
    id: "1",
    deferred: false,
    replied: false,
    isButton: () => kind === "button",
    isModalSubmit: () => kind === "modal",
    isFromMessage: () => true,
    reply: record("reply"),
    deferReply: record("deferReply"),
    editReply: record("editReply"),
    followUp: record("followUp"),
    showModal: record("showModal"),
    deleteReply: record("deleteReply"),
    deferUpdate: record("deferUpdate"),
  };
  return { calls, answerable: fake as unknown as Answerable };
}

const log = pino({ level: "silent" });
const notice: MessageView = {
  title: "",
  tone: "neutral",
  blocks: [{ kind: "text", text: "Approved." }],
  buttons: [],
};
const form: FormView = {
  title: "Gateway details for “build-1”",
  intro: "Only bob will see these.",
  fields: [
    {
      name: "host",
      label: "Gateway host",
      placeholder: "gw",
      value: "gw.example.com",
      secret: false,
      required: true,
    },
    { name: "token", label: "Gateway token", placeholder: "$TOKEN", secret: true, required: true },
  ],
};

describe("answering an interaction", () => {
  beforeEach(() => mock.timers.enable({ apis: ["setTimeout"] }));
  afterEach(() => mock.timers.reset());

  it("replies ephemerally when the answer comes first, and never defers afterwards", async () => {
    const { calls, answerable } = interaction("button");
    const responder = new InteractionResponder(answerable, { lang: "en", log });
    await responder.reply(notice);
    mock.timers.tick(5000);
    await responder.finish();
    assert.deepEqual(
      calls.map((c) => c.method),
      ["reply"],
    );
    assert.equal(calls[0]?.options?.flags, 64);
    assert.equal(calls[0]?.options?.content, "Approved.");
  });

  it("defers ephemerally when nothing was said in time, then fills the deferred reply and follows up", async () => {
    const { calls, answerable } = interaction("command");
    const responder = new InteractionResponder(answerable, { lang: "en", log, deferAfterMs: 2000 });
    mock.timers.tick(1999);
    assert.equal(calls.length, 0, "not yet");
    mock.timers.tick(1);
    await responder.reply(notice);
    await responder.reply({ ...notice, blocks: [{ kind: "text", text: "Also this." }] });
    await responder.finish();
    assert.deepEqual(
      calls.map((c) => c.method),
      ["deferReply", "editReply", "followUp"],
    );
    assert.equal(calls[0]?.options?.flags, 64);
    assert.equal(calls[2]?.options?.flags, 64);
  });

  it("shows the credentials form as a modal when it is the first answer, without the token", async () => {
    const { calls, answerable } = interaction("button");
    const responder = new InteractionResponder(answerable, { lang: "en", log, sessionId: "s1" });
    await responder.form(form);
    assert.equal(calls[0]?.method, "showModal");
    const modal = JSON.stringify(calls[0]?.options);
    assert.match(modal, /"custom_id":"cs1:s1:form"/);
    assert.match(modal, /"value":"gw.example.com"/);
    assert.equal(modal.match(/"value"/g)?.length, 1, "only the host is pre-filled");
  });

  it("offers a button that opens the form when a modal can no longer be the first answer", async () => {
    const { calls, answerable } = interaction("button");
    const responder = new InteractionResponder(answerable, { lang: "en", log, sessionId: "s1" });
    mock.timers.tick(2000);
    await responder.form(form);
    assert.deepEqual(
      calls.map((c) => c.method),
      ["deferReply", "editReply"],
    );
    assert.match(JSON.stringify(calls[1]?.options), /"custom_id":"cs1:s1:enterCredentials"/);
  });

  it("acknowledges a click nobody answered silently, and removes an unanswered deferral", async () => {
    const quiet = interaction("button");
    await new InteractionResponder(quiet.answerable, { lang: "en", log }).finish();
    assert.deepEqual(
      quiet.calls.map((c) => c.method),
      ["deferUpdate"],
    );
    const slow = interaction("modal");
    const responder = new InteractionResponder(slow.answerable, { lang: "en", log });
    mock.timers.tick(2000);
    await responder.finish();
    assert.deepEqual(
      slow.calls.map((c) => c.method),
      ["deferReply", "deleteReply"],
    );
  });

  it("says the fallback when nothing else was said", async () => {
    const { calls, answerable } = interaction("command");
    await new InteractionResponder(answerable, { lang: "en", log }).finish(notice);
    assert.deepEqual(
      calls.map((c) => [c.method, c.options?.content]),
      [["reply", "Approved."]],
    );
  });

  it("logs a failed answer with Discord's words instead of throwing it at the handshake", async () => {
    const lines: string[] = [];
    const capture = pino({ level: "warn" }, { write: (line: string) => lines.push(line) });
    const { answerable } = interaction("button", ["reply"]);
    await new InteractionResponder(answerable, { lang: "en", log: capture }).reply(notice);
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? "", /"err":"reply failed".*"could not answer a Discord interaction"/);
  });
});
