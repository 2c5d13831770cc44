import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { actionId, DIAGNOSE_ID, formId, parseId } from "../../../src/adapters/discord/ids.ts";
import { ACTIONS } from "../../../src/core/actions.ts";
import { capabilitySubject } from "../../../src/core/subject.ts";
import { newSessionId } from "../../../src/main.ts";

describe("the custom_ids on the bot's buttons and modals", () => {
  it("reads back every action of every session, within Discord's 100 characters", () => {
    for (let i = 0; i < 20; i += 1) {
      const sessionId = newSessionId();
      for (const action of ACTIONS) {
        const id = actionId(sessionId, action);
        assert.ok(id.length <= 100);
        assert.deepEqual(parseId(id), { kind: "action", sessionId, action });
      }
      assert.deepEqual(parseId(formId(sessionId)), { kind: "form", sessionId });
    }
    assert.deepEqual(parseId(DIAGNOSE_ID), { kind: "diagnose" });
  });

  it("carries the request an approval button was drawn for, and only on approval buttons", () => {
    const sessionId = newSessionId();
    const target = capabilitySubject({
      requestId: "r",
      nodeId: "n",
      commands: ["system.run"],
      seenAt: 0,
    });
    for (const action of [
      "approveDevice",
      "rejectDevice",
      "approveCapability",
      "rejectCapability",
    ] as const) {
      const id = actionId(sessionId, action, target);
      assert.ok(id.length <= 100);
      assert.deepEqual(parseId(id), { kind: "action", sessionId, action, target });
    }
    assert.equal(parseId(`cs1:${sessionId}:cancel:${target}`), undefined, "a target on cancel");
    assert.equal(parseId(`cs1:${sessionId}:form:${target}`), undefined, "a target on the form");
    assert.equal(parseId(`cs1:${sessionId}:approveDevice:a/b`), undefined);
  });

  it("carries nothing but the session and the button, so a forged one grants nothing the core would not", () => {
    assert.equal(actionId("AbC123xyz-_0", "approveDevice"), "cs1:AbC123xyz-_0:approveDevice");
  });

  it("ignores ids the bot did not make", () => {
    for (const id of [
      "",
      "approve:1",
      "cs1:AbC:approveEverything",
      "cs2:AbC:cancel",
      "cs1::cancel",
      "cs1:AbC:cancel:admin",
      "cs1:../x:cancel",
      "cs1:AbC:constructor",
      "cs1:AbC:__proto__",
    ])
      assert.equal(parseId(id), undefined, id);
  });
});
