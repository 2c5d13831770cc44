// After a restart (or a lost edit during an outage): every live session's card and private messages drawn again from
// the stored state, so what people see, and the buttons they can press, match it. Changes no session; a failure is
// logged and the next one is tried.

import type { DmKind, Effect } from "../core/types.ts";
import { errorSummary, type FlowContext } from "./context.ts";
import { execute } from "./outbox.ts";

/**
 * Re-renders every live session's card and private messages, so that after a restart (or a lost edit during an
 * outage) what people see, and the buttons they can press, match the stored state.
 */
export async function refresh(ctx: FlowContext): Promise<void> {
  const { store, log } = ctx.deps;
  for (const session of await store.active()) {
    const kinds = new Set(
      (await store.messages(session.id, "dm:")).map((m) => m.key.split(":")[1] as DmKind),
    );
    const effects: Effect[] = [
      { type: "card" },
      ...[...kinds].map((message): Effect => ({ type: "refreshDms", message })),
    ];
    for (const effect of effects) {
      try {
        await execute(ctx, session, { id: "refresh", sessionId: session.id, seq: 0, effect });
      } catch (error) {
        log.warn(
          { session: session.id, effect: effect.type, err: errorSummary(error) },
          "refresh failed",
        );
      }
    }
  }
}
