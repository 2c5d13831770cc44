import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PairingTracker } from "../../../src/adapters/openclaw/tracker.ts";

const nodeRequest = { requestId: "r1", deviceId: "d1", displayName: "Lab", role: "node", ts: 5 };
const capability = {
  requestId: "c1",
  nodeId: "d1",
  displayName: "Lab",
  commands: ["system.run"],
  ts: 6,
};

describe("PairingTracker", () => {
  it("announces a node's pairing request, but not silent ones or other operators' devices", () => {
    const tracker = new PairingTracker();
    assert.deepEqual(tracker.deviceRequested(nodeRequest, 0), {
      type: "devicePairingRequested",
      request: { requestId: "r1", deviceId: "d1", displayName: "Lab", seenAt: 5 },
    });
    assert.equal(
      tracker.deviceRequested({ ...nodeRequest, requestId: "r2", silent: true }, 0),
      undefined,
    );
    assert.equal(
      tracker.deviceRequested(
        { ...nodeRequest, requestId: "r3", role: "operator", roles: ["operator"] },
        0,
      ),
      undefined,
    );
  });

  it("announces only new requests when polling, and all pending ones again after a reconnect", () => {
    const tracker = new PairingTracker();
    const snapshot = {
      devices: { pending: [nodeRequest], paired: [] },
      capabilities: { pending: [capability] },
    };
    assert.deepEqual(
      tracker.reconcile(snapshot, 0, false).map((event) => event.type),
      ["devicePairingRequested", "capabilityRequested"],
    );
    assert.deepEqual(tracker.reconcile(snapshot, 0, false), []);
    assert.deepEqual(
      tracker.reconcile(snapshot, 0, true).map((event) => event.type),
      ["devicePairingRequested", "capabilityRequested"],
    );
  });

  it("reads a request decided while nobody watched as approved when the device is now paired", () => {
    const tracker = new PairingTracker();
    tracker.deviceRequested(nodeRequest, 0);
    tracker.deviceRequested({ ...nodeRequest, requestId: "r9", deviceId: "d9" }, 0);
    const events = tracker.reconcile(
      { devices: { pending: [], paired: [{ deviceId: "d1" }] } },
      0,
      true,
    );
    assert.deepEqual(events, [
      { type: "deviceResolved", requestId: "r1", approved: true },
      { type: "deviceResolved", requestId: "r9", approved: false },
    ]);
  });

  it("reads a capability approval decided meanwhile from the node's approval state", () => {
    const tracker = new PairingTracker();
    tracker.capabilityRequested(capability, 0);
    const events = tracker.reconcile(
      { capabilities: { pending: [] }, nodes: [{ nodeId: "d1", approved: true, connected: true }] },
      0,
      false,
    );
    assert.deepEqual(events, [{ type: "capabilityResolved", requestId: "c1", approved: true }]);
  });

  it("reads a capability request the node replaced with another (a restart with other --commands) as replaced, not rejected", () => {
    // Measured on openclaw 2026.9.6 (test/adapters/openclaw/narrowing.test.ts): the old request leaves the pending list
    // (its node.pair.resolved says "rejected") and the node's new one, with a new requestId, takes its place.
    const tracker = new PairingTracker();
    tracker.capabilityRequested(capability, 0);
    const narrower = { ...capability, requestId: "c2", commands: ["system.which"] };
    const events = tracker.reconcile(
      { capabilities: { pending: [narrower] }, nodes: [] },
      0,
      false,
    );
    assert.deepEqual(
      events.map((e) => [
        e.type,
        "requestId" in e
          ? e.requestId
          : e.type === "capabilityRequested"
            ? e.request.requestId
            : "",
      ]),
      [["capabilityRequested", "c2"]],
    );
    assert.equal(tracker.supersededBy("c1", "d1", [narrower]), "c2");
    assert.equal(tracker.supersededBy("c1", "d1", []), undefined);
    assert.equal(tracker.supersededBy("c2", "d1", [narrower]), undefined);
  });

  it("tells node status only when it changed, unless forced", () => {
    const tracker = new PairingTracker();
    const nodes = [{ nodeId: "d1", approved: false, connected: true }];
    assert.deepEqual(tracker.status(nodes), { type: "nodeStatus", nodes });
    assert.equal(tracker.status([...nodes]), undefined);
    assert.deepEqual(tracker.status(nodes, true), { type: "nodeStatus", nodes });
    assert.ok(tracker.status([{ nodeId: "d1", approved: true, connected: true }]));
  });

  it("maps OpenClaw's decision words: only `approved` approves", () => {
    const tracker = new PairingTracker();
    assert.deepEqual(tracker.deviceResolved("r1", "rejected"), {
      type: "deviceResolved",
      requestId: "r1",
      approved: false,
    });
    assert.deepEqual(tracker.capabilityResolved("c1", "approved"), {
      type: "capabilityResolved",
      requestId: "c1",
      approved: true,
    });
  });
});
