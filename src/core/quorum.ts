// How far an approval step has come: which decisions count for what is pending now, and whether they settle it.
// Pure, shared by the machine (which acts on it) and the views (which show "1 of 2 approvals"). A decision counts only
// for the request it was given on: stamped no earlier than that request was seen, and naming the same subject. It never
// decides who may approve (policy.ts does, before a decision is recorded) and never counts one person twice.

import { capabilitySubject, deviceSubject } from "./subject.ts";
import type { Session, UserRef } from "./types.ts";
import { userKey } from "./types.ts";

export type Step = "request" | "device" | "capability";
type Vote = Session["decisions"][number];

/** What the approvers of `step` are deciding on now: its subject, and when it was first seen. */
export function pendingSubject(
  s: Session,
  step: Step,
): { shown?: string; since: number } | undefined {
  if (step === "request") return { since: s.createdAt };
  if (step === "device")
    return s.pairingRequest
      ? { shown: deviceSubject(s.pairingRequest), since: s.pairingRequest.seenAt }
      : undefined;
  return s.capabilityApproval
    ? { shown: capabilitySubject(s.capabilityApproval), since: s.capabilityApproval.seenAt }
    : undefined;
}

/** The decisions given on what `step` is deciding now, oldest first. */
export function votes(s: Session, step: Step): Vote[] {
  const pending = pendingSubject(s, step);
  if (!pending) return [];
  return s.decisions.filter(
    (d) =>
      d.step === step &&
      d.at >= pending.since &&
      (d.shown === undefined || pending.shown === undefined || d.shown === pending.shown),
  );
}

export interface Tally {
  /** Distinct approvers in chat who approved, in the order they did. */
  approvers: UserRef[];
  required: number;
  /** Settled: a rejection, a decision made elsewhere (WebUI/CLI), or enough approvals. */
  settled: boolean;
  /** When settled: whether it was a yes. */
  approved: boolean;
  /** Settled by people in chat (the bot then owes the gateway the matching action). */
  inChat: boolean;
}

export function tally(s: Session, step: Step): Tally {
  const required = s.approvalsRequired ?? 1;
  const counted = votes(s, step);
  const approvers: UserRef[] = [];
  for (const d of counted)
    if (
      d.approved &&
      d.by !== "elsewhere" &&
      !approvers.some((a) => userKey(a) === userKey(d.by as UserRef))
    )
      approvers.push(d.by);
  const no = counted.find((d) => !d.approved);
  const elsewhere = counted.find((d) => d.by === "elsewhere");
  if (no)
    return { approvers, required, settled: true, approved: false, inChat: no.by !== "elsewhere" };
  if (elsewhere) return { approvers, required, settled: true, approved: true, inChat: false };
  const enough = approvers.length >= required;
  return { approvers, required, settled: enough, approved: enough, inChat: enough };
}

/** Whether `user` already approved what `step` is deciding now. */
export function hasApproved(s: Session, step: Step, user: UserRef): boolean {
  return tally(s, step).approvers.some((a) => userKey(a) === userKey(user));
}
