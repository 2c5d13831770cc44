// One real OpenClaw gateway for a describe block, bound in a network namespace so that nodes reach it from another
// network: started before its tests, and it, the namespace, every node they tracked and every temp dir they made are
// stopped and removed after. Call it inside `describe`; read `gw` and `netns` inside tests (they exist from `before` on).

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import {
  createNetns,
  type Gateway,
  type Netns,
  type NodeProcess,
  startGateway,
} from "../openclaw/harness.ts";

export interface RealGatewaySuite {
  readonly gw: Gateway;
  readonly netns: Netns;
  /** A temp dir removed after the suite. */
  tempDir(): string;
  /** Stops `node` after the suite (keeping its home is the test's own business); returns it. */
  track(node: NodeProcess): NodeProcess;
}

export function realGatewaySuite(): RealGatewaySuite {
  let netns: Netns | undefined;
  let gw: Gateway | undefined;
  const dirs: string[] = [];
  const nodes: NodeProcess[] = [];
  before(async () => {
    netns = await createNetns();
    gw = await startGateway({ bindHost: netns.hostIp });
  });
  after(async () => {
    for (const node of nodes) await node.stop();
    await gw?.stop();
    await netns?.destroy();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined)
      throw new Error("the real gateway is read before the suite started it");
    return value;
  };
  return {
    get gw() {
      return started(gw);
    },
    get netns() {
      return started(netns);
    },
    tempDir() {
      const dir = mkdtempSync(join(tmpdir(), "clawshake-e2e-"));
      dirs.push(dir);
      return dir;
    },
    track(node) {
      nodes.push(node);
      return node;
    },
  };
}
