// `clawshake run | console | diagnose | fingerprint | commands | check | register-commands | audit`: the command line.
// Exit codes: 0 success, 1 a finding or a failure, 2 a usage error. Never prints a token it was given.

import { X509Certificate } from "node:crypto";
import { createReadStream, existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { renderView } from "./adapters/console/render.ts";
import { registerCommands } from "./adapters/discord/commands.ts";
import { createLogger } from "./adapters/log/logger.ts";
import { NodeTlsProbe } from "./adapters/openclaw/probe.ts";
import { runCheck } from "./check.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { auditCsv, auditJsonLines, auditTable, parseSince } from "./core/audit-export.ts";
import { type Method, type Shell, setupLinkScript, sharedTokenScript } from "./core/commands.ts";
import { diagnose, diagnosisToJson } from "./core/diagnose.ts";
import { checkCommands } from "./core/grant.ts";
import { t } from "./core/i18n/index.ts";
import { MAX_LOG_BYTES, type NodeLog, TailBuffer } from "./core/log-tail.ts";
import { Secret } from "./core/secret.ts";
import type { Lang } from "./core/types.ts";
import { checkDisplayName, checkFingerprint, checkHost, checkPort } from "./core/validate.ts";
import { diagnosisView } from "./core/views.ts";
import { createStore } from "./main.ts";
import { runBot } from "./run.ts";

class UsageError extends Error {}

interface Command {
  summary: string;
  usage: string;
  options: NonNullable<Parameters<typeof parseArgs>[0]>["options"];
  run(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<number>;
}

const HELP = { help: { type: "boolean", short: "h" } } as const;

const COMMANDS: Record<string, Command> = {
  run: {
    summary:
      "start the bot on the chat platforms configured in the environment (the console if none)",
    usage: "clawshake run",
    options: HELP,
    run: async () => runBot(loadConfig()),
  },
  console: {
    summary:
      "start the bot in this terminal: the channel and everyone's private messages, buttons as numbers",
    usage: "clawshake console",
    options: HELP,
    run: async () => runBot(loadConfig(process.env, { console: true })),
  },
  diagnose: {
    summary: "read a node's log and say what went wrong and how to fix it",
    usage: "clawshake diagnose [FILE|-] [--json] [--lang en|zh-CN]",
    options: { ...HELP, json: { type: "boolean" }, lang: { type: "string" } },
    async run(values, positionals) {
      const lang = langOption(values.lang);
      const source = positionals[0] ?? "-";
      const result = diagnose(await readLogEnd(source));
      if (values.json) process.stdout.write(`${JSON.stringify(diagnosisToJson(result, lang))}\n`);
      else process.stdout.write(`${renderView(diagnosisView(result, lang), () => 0)}\n`);
      return result.code === "CONNECTED" ? 0 : 1;
    },
  },
  fingerprint: {
    summary:
      "print a certificate's SHA-256 fingerprint in canonical form (64 lowercase hex digits)",
    usage: "clawshake fingerprint --probe HOST:PORT | --cert FILE | --normalize TEXT",
    options: {
      ...HELP,
      probe: { type: "string" },
      cert: { type: "string" },
      normalize: { type: "string" },
    },
    async run(values) {
      const given = ["probe", "cert", "normalize"].filter((name) => values[name] !== undefined);
      if (given.length !== 1)
        throw new UsageError("give exactly one of --probe, --cert, --normalize");
      if (typeof values.normalize === "string") {
        const checked = checkFingerprint(values.normalize);
        if (!checked.ok) return fail(t("en", checked.problem.key, checked.problem.params ?? {}));
        return print(checked.value);
      }
      if (typeof values.cert === "string") {
        const cert = new X509Certificate(readFileSync(values.cert));
        return print(cert.fingerprint256.replace(/:/g, "").toLowerCase());
      }
      const [host, port] = splitHostPort(String(values.probe));
      const result = await new NodeTlsProbe().probe(host, port);
      if (!result.ok)
        return fail(
          `${host}:${port}: ${t("en", `preflight.${result.problem}`, { detail: result.detail ?? "" })}`,
        );
      return print(result.fingerprint);
    },
  },
  commands: {
    summary: "print the script a node operator pastes (pipe it into bash to run exactly that)",
    usage:
      "clawshake commands --host H [--port P] --fingerprint F --name N [--method run|install|legacy-config] [--shell posix|powershell] [--lang en|zh-CN]\n" +
      "       clawshake commands --setup-code CODE --name N [--service] [--shell posix|powershell]\n" +
      "  The token comes from OPENCLAW_GATEWAY_TOKEN when set, else the script asks for it.\n" +
      "  --gateway-version V: the script stops unless the node's openclaw is V (default: presence and Node only).\n" +
      "  --commands IDS: the node advertises only these command ids (comma-separated, e.g. system.which,fs.listDir).",
    options: {
      ...HELP,
      host: { type: "string" },
      port: { type: "string" },
      fingerprint: { type: "string" },
      name: { type: "string" },
      method: { type: "string" },
      shell: { type: "string" },
      lang: { type: "string" },
      "setup-code": { type: "string" },
      service: { type: "boolean" },
      "gateway-version": { type: "string" },
      commands: { type: "string" },
    },
    async run(values) {
      const lang = langOption(values.lang);
      const shell = oneOf<Shell>(values.shell, ["posix", "powershell"], "posix", "--shell");
      const gatewayVersion =
        typeof values["gateway-version"] === "string"
          ? { gatewayVersion: values["gateway-version"] }
          : {};
      const name = checkDisplayName(String(values.name ?? ""));
      if (!name.ok)
        throw new UsageError(`--name: ${t("en", name.problem.key, name.problem.params ?? {})}`);
      const commands = checkCommands(
        typeof values.commands === "string" ? values.commands : undefined,
      );
      if (!commands.ok)
        throw new UsageError(
          `--commands: ${t("en", commands.problem.key, commands.problem.params ?? {})}`,
        );
      const allowlist = commands.value ? { commands: commands.value } : {};
      if (typeof values["setup-code"] === "string") {
        const script = setupLinkScript(
          {
            setupCode: new Secret(values["setup-code"]),
            displayName: name.value,
            service: values.service === true,
            ...gatewayVersion,
            ...allowlist,
          },
          shell,
          lang,
        );
        process.stdout.write(script.text);
        return 0;
      }
      const host = checkHost(String(values.host ?? ""));
      const port = checkPort(String(values.port ?? ""));
      const fingerprint = checkFingerprint(String(values.fingerprint ?? ""));
      const problems = [host, port, fingerprint].flatMap((c) =>
        c.ok ? [] : [`--${c.problem.field}: ${t("en", c.problem.key, c.problem.params ?? {})}`],
      );
      if (!host.ok || !port.ok || !fingerprint.ok) throw new UsageError(problems.join("\n"));
      const method = oneOf<Method>(
        values.method,
        ["run", "install", "legacy-config"],
        "run",
        "--method",
      );
      const token = process.env.OPENCLAW_GATEWAY_TOKEN?.trim();
      const script = sharedTokenScript(
        {
          host: host.value,
          port: port.value,
          fingerprint: fingerprint.value,
          displayName: name.value,
          ...(token ? { token: new Secret(token) } : {}),
          ...gatewayVersion,
          ...allowlist,
        },
        method,
        shell,
        lang,
      );
      process.stdout.write(script.text);
      return 0;
    },
  },
  "register-commands": {
    summary:
      "register the Discord slash commands (--guild for one server at once; without it, global)",
    usage:
      "clawshake register-commands [--guild ID]\n" +
      "  A guild's commands appear at once: use --guild while trying the bot out. Global commands reach every server\n" +
      "  the bot is in, and Discord may take up to an hour to show changes.",
    options: { ...HELP, guild: { type: "string" } },
    async run(values) {
      const env = loadConfig().env;
      if (!env.DISCORD_TOKEN)
        return fail(
          "DISCORD_TOKEN is not set: the bot's token from the Developer Portal (Bot → Reset Token)",
        );
      const guild = typeof values.guild === "string" ? values.guild : undefined;
      if (guild !== undefined && !/^\d{5,25}$/.test(guild))
        throw new UsageError(`--guild takes a server id (a number), not “${guild}”`);
      const registered = await registerCommands({
        token: env.DISCORD_TOKEN,
        ...(env.DISCORD_API_URL ? { apiUrl: env.DISCORD_API_URL } : {}),
        ...(guild ? { guildId: guild } : {}),
      });
      return print(
        `registered ${registered.commands.map((c) => `/${c.name}`).join(", ")} ${guild ? `in server ${guild}` : "globally"} for application ${registered.applicationId}`,
      );
    },
  },
  check: {
    summary: "check the configuration, the openclaw binary and the gateway, and say what to fix",
    usage: "clawshake check",
    options: HELP,
    run: async () => runCheck(loadConfig()),
  },
  audit: {
    summary:
      "print the audit records the store keeps (requests, decisions, gateway results), oldest first",
    usage:
      "clawshake audit [--since DATE] [--json|--csv]\n" +
      "  Reads the configured store (CLAWSHAKE_STORE, CLAWSHAKE_DATA_DIR or CLAWSHAKE_REDIS_URL).\n" +
      "  --since 2026-11-01 or 2026-11-01T09:30[:00][Z|+08:00] (UTC when no zone): only records from then on.\n" +
      "  Default: a table. --json: one JSON object per line. --csv: RFC 4180 with a header row.",
    options: {
      ...HELP,
      since: { type: "string" },
      json: { type: "boolean" },
      csv: { type: "boolean" },
    },
    async run(values) {
      if (values.json && values.csv) throw new UsageError("give --json or --csv, not both");
      let since: number | undefined;
      if (typeof values.since === "string") {
        since = parseSince(values.since);
        if (since === undefined)
          throw new UsageError(
            `--since takes a date (2026-11-01) or a date and time (2026-11-01T09:30:00Z), not “${values.since}”`,
          );
      }
      const config = loadConfig();
      const env = config.env;
      if (env.CLAWSHAKE_STORE === "memory")
        return fail(
          "CLAWSHAKE_STORE=memory keeps audit records only inside the running bot: nothing to read here",
        );
      if (env.CLAWSHAKE_STORE === "sqlite") {
        const file = join(env.CLAWSHAKE_DATA_DIR, "clawshake.sqlite");
        // Opening a store creates it: a mistyped data directory would read as "no records".
        if (!existsSync(file))
          return fail(
            `no clawshake store at ${file} (CLAWSHAKE_DATA_DIR is where the bot keeps it)`,
          );
      }
      const store = await createStore(config, createLogger("silent"));
      let records: Awaited<ReturnType<typeof store.auditRecords>>;
      try {
        records = await store.auditRecords(since);
      } catch (error) {
        return fail(`clawshake audit: could not read the store: ${(error as Error).message}`);
      } finally {
        await store.close();
      }
      process.stdout.write(
        values.json
          ? auditJsonLines(records)
          : values.csv
            ? auditCsv(records)
            : auditTable(records),
      );
      return 0;
    },
  },
};

function langOption(value: unknown): Lang {
  return oneOf<Lang>(value, ["en", "zh-CN"], "en", "--lang");
}

function oneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  fallback: T,
  name: string,
): T {
  if (value === undefined) return fallback;
  if (typeof value === "string" && (allowed as readonly string[]).includes(value))
    return value as T;
  throw new UsageError(`${name} must be one of ${allowed.join(", ")}, not “${String(value)}”`);
}

function splitHostPort(text: string): [string, number] {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(text);
  if (!match)
    throw new UsageError(`--probe takes HOST:PORT, e.g. gateway.example.com:18789, not “${text}”`);
  const host = checkHost(match[1] ?? "");
  const port = checkPort(match[2] ?? "");
  if (!host.ok)
    throw new UsageError(`--probe: ${t("en", host.problem.key, host.problem.params ?? {})}`);
  if (!port.ok)
    throw new UsageError(`--probe: ${t("en", port.problem.key, port.problem.params ?? {})}`);
  return [host.value, port.value];
}

function print(line: string): number {
  process.stdout.write(`${line}\n`);
  return 0;
}

function fail(line: string): number {
  process.stderr.write(`${line}\n`);
  return 1;
}

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  return [
    "clawshake: connect remote OpenClaw nodes to a gateway through your team's chat.",
    "",
    "Usage: clawshake <command> [options]   (clawshake <command> --help for its options)",
    "",
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    "",
    "Settings come from the environment (see .env.example). With no chat token set, `run` starts the console.",
  ].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${mainHelp()}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`clawshake: unknown command “${name}”.\n\n${mainHelp()}\n`);
    return 2;
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: command.options ?? {},
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      process.stdout.write(`${command.summary}\n\nUsage: ${command.usage}\n`);
      return 0;
    }
    return await command.run(values as Record<string, string | boolean | undefined>, positionals);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    if (
      error instanceof UsageError ||
      (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")
    ) {
      process.stderr.write(
        `clawshake ${name}: ${(error as Error).message}\nUsage: ${command.usage}\n`,
      );
      return 2;
    }
    if ((error as { code?: string }).code === "ENOENT") {
      process.stderr.write(`clawshake ${name}: ${(error as Error).message}\n`);
      return 1;
    }
    throw error;
  }
}

/**
 * The end of a node log in a file or on standard input (`-`), as `diagnose` reads it: of a file only its last bytes
 * are read (one more than the cap, to see whether the cut falls at a line end); a pipe is read through, keeping its end.
 */
async function readLogEnd(source: string): Promise<NodeLog> {
  const stream =
    source === "-"
      ? process.stdin
      : createReadStream(source, { start: Math.max(0, statSync(source).size - MAX_LOG_BYTES - 1) });
  const tail = new TailBuffer();
  for await (const chunk of stream) tail.push(chunk as Buffer);
  return tail.finish();
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
