// What the gateway reports (a node connected, a device or a capability asks for approval, a setup link was used),
// routed to the one live session it belongs to. One that matches no session is ignored; one that matches several is
// left to the approvers. Never guesses a session.

import { connectedSessions, matchEvent } from "../core/match.ts";
import type { GatewayEvent } from "../core/ports.ts";
import type { Event } from "../core/types.ts";
import type { FlowContext } from "./context.ts";
import { dispatch } from "./session-loop.ts";

/** Routes what the gateway reports to the session it belongs to. */
export async function onGatewayEvent(ctx: FlowContext, event: GatewayEvent): Promise<void> {
  const { store, log, clock } = ctx.deps;
  const active = await store.active();
  if (event.type === "nodeStatus") {
    for (const s of connectedSessions(active, event.nodes))
      await dispatch(ctx, s.id, {
        type: "nodeConnected",
        ...(s.nodeId ? { nodeId: s.nodeId } : {}),
      });
    return;
  }
  const match = matchEvent(active, event);
  if (match.kind === "none") {
    log.debug({ event: event.type }, "gateway event for no session");
    return;
  }
  if (match.kind === "ambiguous") {
    log.warn(
      { event: event.type, sessions: match.sessions.map((s) => s.id) },
      "gateway event matches several sessions; leaving it to the approvers",
    );
    return;
  }
  const now = clock.now();
  const coreEvent: Event =
    event.type === "devicePairingRequested"
      ? {
          type: "devicePairingRequested",
          request: { ...event.request, seenAt: Math.max(event.request.seenAt, now) },
        }
      : event.type === "capabilityRequested"
        ? {
            type: "capabilityRequested",
            request: {
              requestId: event.request.requestId,
              commands: event.request.commands,
              seenAt: now,
              ...(event.request.nodeId ? { nodeId: event.request.nodeId } : {}),
            },
          }
        : event.type === "setupCompleted"
          ? {
              type: "setupCompleted",
              setupId: event.setupId,
              ...(event.deviceId ? { deviceId: event.deviceId } : {}),
            }
          : event;
  await dispatch(ctx, match.session.id, coreEvent);
}
