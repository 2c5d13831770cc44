import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  answerField,
  type FormState,
  type FormStep,
  questionHtml,
  questionKeyboard,
  startForm,
} from "../../../src/adapters/telegram/form.ts";
import { keepData, parseKeepData } from "../../../src/adapters/telegram/ids.ts";
import type { FormView } from "../../../src/core/view.ts";

const FINGERPRINT = "85544cd4".repeat(8);

function form(prefilled: { host?: string; port?: string; fingerprint?: string } = {}): FormView {
  const field = (
    name: "host" | "port" | "fingerprint" | "token",
    required: boolean,
    value?: string,
  ) => ({
    name,
    label: name,
    placeholder: `<${name}>`,
    secret: name === "token",
    required,
    ...(value ? { value } : {}),
  });
  return {
    title: "Gateway details",
    intro: "Only Bob will see these.",
    fields: [
      field("host", true, prefilled.host),
      field("port", false, prefilled.port),
      field("fingerprint", true, prefilled.fingerprint),
      field("token", true),
    ],
  };
}

function answers(state: FormState, inputs: string[]): FormStep {
  let step: FormStep = { kind: "ask", state };
  for (const input of inputs) {
    assert.notEqual(step.kind, "done");
    step = answerField(step.kind === "done" ? state : step.state, input);
  }
  return step;
}

describe("the gateway operator's form in a private chat", () => {
  it("asks the four fields in turn and returns what was typed", () => {
    const step = answers(startForm("s1", form(), "en"), [
      " gw.example.com ",
      "18789",
      FINGERPRINT,
      "tok_abc",
    ]);
    assert.deepEqual(step, {
      kind: "done",
      values: { host: "gw.example.com", port: "18789", fingerprint: FINGERPRINT, token: "tok_abc" },
    });
  });

  it("keeps a pre-filled value on “-”, and takes the default port for an optional field", () => {
    const state = startForm("s1", form({ host: "10.0.0.5", fingerprint: FINGERPRINT }), "en");
    const step = answers(state, ["-", "-", "-", "tok_abc"]);
    assert.deepEqual(step, {
      kind: "done",
      values: { host: "10.0.0.5", port: "", fingerprint: FINGERPRINT, token: "tok_abc" },
    });
  });

  it("refuses a bad value with the fix and asks the same field again", () => {
    const state = startForm("s1", form(), "en");
    const afterHost = answerField(state, "gw.example.com");
    assert.equal(afterHost.kind, "ask");
    const bad = answerField(afterHost.kind === "ask" ? afterHost.state : state, "https://gw:1");
    assert.equal(bad.kind, "invalid");
    if (bad.kind !== "invalid") return;
    assert.match(bad.message, /1 to 65535/);
    assert.match(bad.message, /send it again/);
    assert.equal(bad.state.index, 1, "still asking the port");
  });

  it("requires the token and never accepts “-” for it", () => {
    const step = answers(startForm("s1", form({ host: "h", fingerprint: FINGERPRINT }), "en"), [
      "-",
      "-",
      "-",
      "-",
    ]);
    assert.equal(step.kind, "invalid");
    if (step.kind === "invalid") assert.match(step.message, /needed/);
  });

  it("shows the current value and how to keep it, escaped, and warns before the token", () => {
    const state = startForm("s1", form({ host: "a<b" }), "zh-CN");
    const question = questionHtml(state);
    assert.match(question, /^<b>1\/4 · host<\/b>/);
    assert.ok(question.includes("<code>a&lt;b</code>"));
    assert.ok(question.includes("<code>&lt;host&gt;</code>"));
    const token = questionHtml({ ...state, index: 3 });
    assert.ok(token.includes("删除"), "the token question says the message will be deleted");
  });

  it("offers a Keep button for a shown value, “Use the default” for the port, and none where nothing can be kept", () => {
    const state = startForm("s1", form({ host: "10.0.0.5" }), "en");
    const button = (index: number) =>
      questionKeyboard({ ...state, index })?.inline_keyboard.flat()[0];
    assert.deepEqual(button(0), { text: "Keep", callback_data: "s1:kp:host" });
    assert.deepEqual(button(1), { text: "Use the default", callback_data: "s1:kp:port" });
    assert.equal(button(2), undefined, "no fingerprint to keep");
    assert.equal(button(3), undefined, "never for the token");
    assert.deepEqual(parseKeepData(keepData("s1", "port")), { sessionId: "s1", field: "port" });
    assert.equal(parseKeepData("s1:kp:password"), undefined);
    assert.equal(parseKeepData("s1:ec"), undefined);
  });
});
