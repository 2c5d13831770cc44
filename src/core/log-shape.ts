// Tells a pasted node log from a chat message, so that a private "hi" gets a short help instead of a diagnosis of
// nothing. Pure and linear in the text; it only answers yes or no and never echoes what it read.

import { diagnose } from "./diagnose.ts";

// Lines that look like what `openclaw node run` (or Node.js under it) prints, beyond the outcomes `diagnose` names:
// the node host's own prefix, a gateway URL, a log timestamp, a stack frame, a Node.js error code or error name,
// a close detail, a JSON log record. A greeting or a question matches none of them.
const OUTPUT_LINE: readonly RegExp[] = [
  /\bnode host\b/i,
  /\bwss?:\/\/[^\s/]+/i,
  /^\s*\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/,
  /^\s*\[?\d{2}:\d{2}:\d{2}\b/,
  /^\s*at \S.*:\d+:\d+\)?\s*$/,
  /\b(?:ECONN[A-Z]+|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE|EPROTO|EAI_AGAIN|ENOTFOUND|ERR_[A-Z_]{3,})\b/,
  /\b[A-Z]\w*Error: /,
  /\bdetail=[A-Z_]{3,}/,
  /^\s*\{"(?:level|time|msg)":/,
];

/** Lines looked at: a log shows itself in its first lines or its last ones, and chit-chat is short. */
const MAX_LINES = 400;

/** Whether `text` holds at least one line of OpenClaw output: a known outcome, or a line shaped like the node's. */
export function looksLikeNodeLog(text: string): boolean {
  if (diagnose(text).findings.length > 0) return true;
  const lines = text.split(/\r\n|\r|\n/);
  const examined =
    lines.length > MAX_LINES
      ? [...lines.slice(0, MAX_LINES / 2), ...lines.slice(-MAX_LINES / 2)]
      : lines;
  return examined.some((line) => OUTPUT_LINE.some((shape) => shape.test(line.slice(0, 4096))));
}
