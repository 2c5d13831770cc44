// How `clawshake audit` prints records: a table for a person, JSON lines for tools, RFC 4180 CSV for spreadsheets.
// Pure text building. Names are user-supplied: a CSV cell that a spreadsheet would run as a formula is defused.

import type { AuditPerson, AuditRecord } from "./audit.ts";

/**
 * `--since`: an ISO date (2026-11-01, midnight UTC) or date-time (2026-11-01T09:30, 2026-11-01T09:30:00Z, with an
 * offset): epoch ms, or undefined when the text is neither. A date-time without a zone is read as UTC.
 */
export function parseSince(text: string): number | undefined {
  const match =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(
      text.trim(),
    );
  if (!match) return undefined;
  const [, y, mo, d, h = "00", mi = "00", s = "00", ms = "0", zone = "Z"] = match;
  const offset = zone === "Z" ? "Z" : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms.padEnd(3, "0")}${offset}`;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return undefined;
  // Date.parse rolls 2026-02-30 over to March; a date that is not on the calendar is refused instead.
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  return at;
}

/** One JSON object per line, oldest first: each line parses on its own, so the export can be streamed or appended. */
export function auditJsonLines(records: AuditRecord[]): string {
  return records.map((r) => `${JSON.stringify({ ...r, time: iso(r.at) })}\n`).join("");
}

const CSV_COLUMNS = [
  "time",
  "session",
  "node",
  "kind",
  "by_platform",
  "by_id",
  "by_name",
  "approved",
  "step",
  "action",
  "ok",
  "request_id",
  "device_id",
  "node_id",
  "address",
  "commands",
  "outcome",
  "reason",
  "problem",
  "mode",
  "where",
  "elapsed_ms",
  "summary",
] as const;

/** RFC 4180: a header line, CRLF line ends, fields quoted where they hold a comma, a quote or a line break. */
export function auditCsv(records: AuditRecord[]): string {
  const rows = [
    [...CSV_COLUMNS],
    ...records.map((r) => {
      const cells = csvCells(r);
      return CSV_COLUMNS.map((column) => cells[column] ?? "");
    }),
  ];
  return rows.map((row) => `${row.map(csvField).join(",")}\r\n`).join("");
}

/** A readable table: time, node, what happened and who, one line per record. */
export function auditTable(records: AuditRecord[]): string {
  if (records.length === 0) return "No audit records.\n";
  const rows = records.map((r) => [iso(r.at), r.displayName, r.kind, summary(r)]);
  const header = ["TIME", "NODE", "KIND", "WHAT"];
  const widths = [0, 1, 2].map((i) =>
    Math.max(header[i]?.length ?? 0, ...rows.map((row) => row[i]?.length ?? 0)),
  );
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, i) => (i < 3 ? oneLine(cell).padEnd(widths[i] ?? 0) : oneLine(cell)))
        .join("  ")
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join("");
}

/** One sentence per record, for the table and the CSV's last column. */
export function summary(r: AuditRecord): string {
  switch (r.kind) {
    case "request": {
      const where = whereText(r.where);
      const why = `${r.reason ? `, because: ${r.reason}` : ""}${r.askedCommands ? `, asking for commands: ${r.askedCommands.join(", ")}` : ""}`;
      return `${who(r.by)} asked to connect "${r.displayName}" in ${where}${why} (${r.mode}${r.fallbackReason ? `, setup links off: ${r.fallbackReason}` : ""})`;
    }
    case "decision": {
      const verb = r.approved ? "approved" : "rejected";
      const by = r.by === "elsewhere" ? "someone outside the chat (WebUI or CLI)" : who(r.by);
      const s = r.shown;
      if (s.step === "request")
        return `${by} ${verb} the request (${s.mode}${r.approved ? `, commands: ${s.commands ? s.commands.join(", ") : "all the node offers"}` : ""})`;
      if (s.step === "device")
        return `${by} ${verb} device pairing request ${s.requestId} (device ${s.deviceId ?? "unknown"}, address ${s.address ?? "unknown"})`;
      return `${by} ${verb} capability request ${s.requestId} (node ${s.nodeId ?? "unknown"}, commands: ${s.commands.join(", ") || "none"})`;
    }
    case "gateway": {
      const ids = [
        r.requestId && `request ${r.requestId}`,
        r.deviceId && `device ${r.deviceId}`,
        r.nodeId && `node ${r.nodeId}`,
        r.setupId && `setup ${r.setupId}`,
      ].filter(Boolean);
      const commands = r.commands ? `, commands: ${r.commands.join(", ") || "none"}` : "";
      return `gateway ${r.action}: ${r.ok ? "ok" : `failed (${r.problem ?? "other"})`}${ids.length > 0 ? ` [${ids.join(", ")}]` : ""}${commands}`;
    }
    case "connected":
      return `node ${r.nodeId ?? "unknown"} connected after ${Math.round(r.elapsedMs / 1000)} s`;
    case "ended":
      return `${r.outcome}${r.reason ? `: ${r.reason}` : ""}${r.problem ? ` (${r.problem})` : ""}${r.by ? ` by ${who(r.by)}` : ""}${r.excess ? ` (commands nobody approved: ${r.excess.join(", ")})` : ""}`;
    case "disconnected":
      return `node ${r.nodeId ?? r.deviceId ?? "unknown"} disconnected${r.by ? ` by ${who(r.by)}` : ""}`;
    case "narrowed":
      return `${who(r.by)} asked for fewer commands than capability request ${r.requestId} held: only ${r.commands.join(", ")}`;
  }
}

function csvCells(r: AuditRecord): Partial<Record<(typeof CSV_COLUMNS)[number], string>> {
  const by = "by" in r && r.by && r.by !== "elsewhere" ? r.by : undefined;
  const cells: Partial<Record<(typeof CSV_COLUMNS)[number], string>> = {
    time: iso(r.at),
    session: r.sessionId,
    node: r.displayName,
    kind: r.kind,
    summary: summary(r),
    ...(by ? { by_platform: by.platform, by_id: by.id, by_name: by.name } : {}),
    ...("by" in r && r.by === "elsewhere" ? { by_name: "elsewhere" } : {}),
  };
  switch (r.kind) {
    case "request":
      return {
        ...cells,
        mode: r.mode,
        where: whereText(r.where),
        ...(r.reason ? { reason: r.reason } : {}),
      };
    case "decision": {
      const s = r.shown;
      return {
        ...cells,
        approved: String(r.approved),
        step: s.step,
        ...(s.step === "request"
          ? { mode: s.mode, ...(s.commands ? { commands: s.commands.join(" ") } : {}) }
          : { request_id: s.requestId }),
        ...(s.step === "device"
          ? { device_id: s.deviceId ?? "", address: s.address ?? "" }
          : s.step === "capability"
            ? { node_id: s.nodeId ?? "", commands: s.commands.join(" ") }
            : {}),
      };
    }
    case "gateway":
      return {
        ...cells,
        action: r.action,
        ok: String(r.ok),
        ...(r.approved !== undefined ? { approved: String(r.approved) } : {}),
        request_id: r.requestId ?? "",
        device_id: r.deviceId ?? "",
        node_id: r.nodeId ?? "",
        problem: r.problem ?? "",
        ...(r.commands ? { commands: r.commands.join(" ") } : {}),
      };
    case "connected":
      return { ...cells, node_id: r.nodeId ?? "", elapsed_ms: String(r.elapsedMs) };
    case "ended":
      return {
        ...cells,
        outcome: r.outcome,
        reason: r.reason ?? "",
        problem: r.problem ?? "",
        ...(r.excess ? { commands: r.excess.join(" ") } : {}),
      };
    case "disconnected":
      return { ...cells, node_id: r.nodeId ?? "", device_id: r.deviceId ?? "" };
    case "narrowed":
      return { ...cells, request_id: r.requestId, commands: r.commands.join(" ") };
  }
}

/**
 * One CSV field. A cell a spreadsheet would take for a formula (= + - @, or a leading tab or CR) gets a leading
 * apostrophe (OWASP's advice), since names and handles are whatever people chose; then RFC 4180 quoting.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function who(p: AuditPerson): string {
  return `${p.name}${p.handle && p.handle !== p.name ? ` (@${p.handle.replace(/^@/, "")})` : ""} [${p.platform}:${p.id}]`;
}

function whereText(w: Extract<AuditRecord, { kind: "request" }>["where"]): string {
  const parts = [
    w.place && `${w.place.kind} ${w.place.name} [${w.place.id}]`,
    w.channel ? `#${w.channel.name} [${w.channel.id}]` : `channel ${w.channelId}`,
    w.topic && `topic ${w.topic.name ?? w.topic.id}`,
  ].filter(Boolean);
  return `${w.platform} ${parts.join(" / ")}`;
}

/** A table row stays one line whatever a name holds. */
function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
  return text.replace(/[\u0000-\u001f\u007f]/g, " ");
}

function iso(at: number): string {
  return new Date(at).toISOString();
}
