// The steady tick: sessions and setup links whose time is up are told so (the machine expires them or sends the one
// reminder), effects that failed before are retried, and the in-memory rate limits and caches are trimmed.
// Reads only the sessions that are due; never decides anything itself.

import { type FlowContext, forgetOld } from "./context.ts";
import { dispatch, drain } from "./session-loop.ts";

/** Expires sessions and setup links whose time is up, and retries effects that failed before. */
export async function tick(ctx: FlowContext): Promise<void> {
  const { store, clock } = ctx.deps;
  ctx.waiting = await store.countActive();
  const now = clock.now();
  forgetOld(ctx, now);
  // Only the sessions whose time is up are read: a tick stays cheap with thousands of live sessions.
  for (const s of await store.due(now)) await dispatch(ctx, s.id, { type: "tick" });
  await drain(ctx);
}
