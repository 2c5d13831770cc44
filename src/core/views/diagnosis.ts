// The answer to a pasted node log: the node's latest state, what it means, how to fix it, with the line that shows it.
// It shows the person's own log line back to them and decides nothing.

import { adviceFor, type Diagnosis } from "../diagnose.ts";
import { t } from "../i18n/index.ts";
import { MAX_LOG_BYTES } from "../log-tail.ts";
import type { Lang } from "../types.ts";
import type { Block, MessageView } from "../view.ts";

/** The answer to a pasted node log: the node's latest state, what it means, how to fix it, with the evidence. */
export function diagnosisView(d: Diagnosis, lang: Lang): MessageView {
  const { text, advice } = adviceFor(d.code, lang, d.requestId ? { requestId: d.requestId } : {});
  const latest = d.findings.at(-1);
  const blocks: Block[] = [
    { kind: "text", text },
    { kind: "text", text: advice },
  ];
  // A cut log's line numbers count from where reading began, not from the person's file: then the line alone.
  if (latest)
    blocks.push({
      kind: "code",
      shell: "log",
      text: d.truncated ? latest.line : `${latest.lineNumber}: ${latest.line}`,
    });
  const earlier = [...new Set(d.findings.slice(0, -1).map((f) => f.code))].filter(
    (code) => code !== d.code,
  );
  if (earlier.length > 0)
    blocks.push({
      kind: "text",
      text: t(lang, "diagnosis.earlier", { codes: earlier.join(", ") }),
    });
  if (d.truncated)
    blocks.push({
      kind: "text",
      text: t(lang, "diagnosis.truncated", { mb: MAX_LOG_BYTES / (1024 * 1024) }),
    });
  return {
    title: t(lang, "diagnosis.title", { code: d.code }),
    tone: d.code === "CONNECTED" ? "success" : d.code === "UNKNOWN" ? "neutral" : "danger",
    blocks,
    buttons: [],
  };
}
