// Every setting of clawshake, read once from the environment at start-up and checked with zod.
// A bad value stops start-up with one line per problem: the variable, what is wrong, and a good example. Never prints a secret.

import { z } from "zod";

const splitList = (text: string | undefined) =>
  (text ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
const list = z.string().optional().transform(splitList);

const flag = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .optional()
  .transform((text) => text === "true" || text === "1" || text === "yes");

const optionalText = z
  .string()
  .optional()
  .transform((text) => (text?.trim() ? text.trim() : undefined));

/**
 * A whole number in decimal digits from 1 to `max` (unset: `fallback`). The bounds keep every duration within what
 * setTimeout holds (a longer one fires at once) and every count sane; `1e7`, `5.0`, `0x10` are refused, not guessed.
 */
const wholeNumber = (fallback: number, max: number) =>
  z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined || text.trim() === "") return fallback;
      const value = /^\d{1,16}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
      if (!(value >= 1 && value <= max)) {
        ctx.addIssue({
          code: "custom",
          message: `must be a whole number from 1 to ${max}, not “${text}”`,
        });
        return z.NEVER;
      }
      return value;
    });

const url = (schemes: string[]) =>
  optionalText.refine(
    (text) =>
      text === undefined || (URL.canParse(text) && schemes.includes(new URL(text).protocol)),
    {
      message: `must be a URL starting with ${schemes.map((s) => `${s}//`).join(" or ")}`,
    },
  );

const snowflakes = list.refine((ids) => ids.every((id) => /^\d{5,25}$/.test(id)), {
  message: "must be Discord ids (numbers, comma-separated; Developer Mode → right-click → Copy ID)",
});
const telegramIds = list.refine((ids) => ids.every((id) => /^-?\d{1,20}$/.test(id)), {
  message: "must be Telegram numeric ids, comma-separated",
});

/** The environment variables, their checks and defaults. `.env.example` documents each one. */
const schema = z.object({
  CLAWSHAKE_DATA_DIR: z.string().default("./data"),
  CLAWSHAKE_STORE: z.enum(["sqlite", "memory", "redis"]).default("sqlite"),
  CLAWSHAKE_REDIS_URL: url(["redis:", "rediss:"]),
  CLAWSHAKE_SEALING_KEY: optionalText.refine((k) => k === undefined || isKey(k), {
    message: "must be 32 bytes: 64 hex digits (openssl rand -hex 32) or their canonical base64",
  }),
  CLAWSHAKE_SEALING_KEYS_PREVIOUS: list.refine((keys) => keys.every(isKey), {
    message:
      "must be earlier sealing keys, 64 hex digits (or the canonical base64 of 32 bytes) each, comma-separated",
  }),
  CLAWSHAKE_SESSION_TTL_MINUTES: wholeNumber(30, 1440),
  CLAWSHAKE_MODE: z.enum(["auto", "setup-link", "shared-token"]).default("auto"),
  CLAWSHAKE_ALLOW_SELF_APPROVAL: flag,
  CLAWSHAKE_REQUIRE_REASON: flag,
  CLAWSHAKE_APPROVALS_REQUIRED: wholeNumber(1, 10),
  CLAWSHAKE_DEFAULT_COMMANDS: z.enum(["all", "safe"]).default("all"),
  CLAWSHAKE_REMIND_AFTER_MINUTES: wholeNumber(10, 1440),
  CLAWSHAKE_LANG: z.enum(["en", "zh-CN"]).default("en"),
  CLAWSHAKE_LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .default("info"),
  CLAWSHAKE_HTTP_PORT: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined || text.trim() === "") return 0;
      const port = /^\d{1,5}$/.test(text.trim()) ? Number(text.trim()) : 0;
      if (port >= 1 && port <= 65535) return port;
      ctx.addIssue({ code: "custom", message: `must be a port 1–65535, not “${text}”` });
      return z.NEVER;
    }),
  CLAWSHAKE_TICK_SECONDS: wholeNumber(5, 600),
  CLAWSHAKE_CONNECT_LIMIT_PER_HOUR: wholeNumber(10, 1000),
  CLAWSHAKE_AUDIT_DAYS: wholeNumber(365, 3650),

  OPENCLAW_BIN: z.string().default("openclaw"),
  OPENCLAW_GATEWAY_URL: url(["wss:", "ws:"]),
  OPENCLAW_GATEWAY_TOKEN: optionalText,
  OPENCLAW_GATEWAY_FINGERPRINT: optionalText.refine(
    (fp) => fp === undefined || /^(sha256:)?([0-9a-f]{2}:?){32}$/i.test(fp),
    {
      message: "must be the gateway certificate's SHA-256 fingerprint, 64 hex digits",
    },
  ),
  OPENCLAW_CONFIG_PATH: optionalText,
  CLAWSHAKE_GATEWAY_PATH: z.enum(["auto", "events", "cli", "none"]).default("auto"),
  CLAWSHAKE_PUBLIC_HOST: optionalText,
  CLAWSHAKE_WEBUI_URL: url(["https:", "http:"]),
  CLAWSHAKE_PUBLIC_URL: url(["wss:", "https:"]),
  CLAWSHAKE_POLL_INTERVAL_MS: wholeNumber(2000, 600_000),
  CLAWSHAKE_OPENCLAW_TIMEOUT_MS: wholeNumber(20_000, 600_000),
  CLAWSHAKE_PROBE_TIMEOUT_MS: wholeNumber(5000, 120_000),
  CLAWSHAKE_PROBE_ALLOW_LINK_LOCAL: flag,

  DISCORD_TOKEN: optionalText,
  DISCORD_API_URL: url(["http:", "https:"]),
  DISCORD_CHANNEL_IDS: snowflakes,
  DISCORD_APPROVER_IDS: snowflakes,
  DISCORD_APPROVER_ROLE_ID: optionalText.refine((id) => id === undefined || /^\d{5,25}$/.test(id), {
    message: "must be a Discord role id (a number)",
  }),
  DISCORD_GATEWAY_OPERATOR_IDS: snowflakes,
  DISCORD_GATEWAY_OPERATOR_ROLE_ID: optionalText.refine(
    (id) => id === undefined || /^\d{5,25}$/.test(id),
    { message: "must be a Discord role id (a number)" },
  ),
  DISCORD_LEAK_GUARD: flag,

  TELEGRAM_BOT_TOKEN: optionalText.refine(
    (token) => token === undefined || /^\d+:[\w-]{20,}$/.test(token),
    {
      message: "must look like 123456789:AA… (from @BotFather)",
    },
  ),
  TELEGRAM_API_ROOT: url(["http:", "https:"]),
  TELEGRAM_CHAT_IDS: telegramIds,
  TELEGRAM_APPROVER_IDS: telegramIds,
  TELEGRAM_APPROVERS_ARE_ADMINS: flag,
  TELEGRAM_GATEWAY_OPERATOR_IDS: telegramIds,
  TELEGRAM_WEBHOOK_URL: url(["https:"]),

  // Unset: alice. Set but empty (`CONSOLE_APPROVERS=`): nobody, as every other approver list.
  CONSOLE_APPROVERS: z.string().default("alice").transform(splitList),
  CONSOLE_GATEWAY_OPERATORS: z.string().default("alice").transform(splitList),
});

/** The lists with a non-empty default, where an explicitly empty value must stay empty. */
const EMPTY_MEANS_NOBODY = new Set(["CONSOLE_APPROVERS", "CONSOLE_GATEWAY_OPERATORS"]);

/** A good value for each variable, shown when the given one is wrong. */
const EXAMPLES: Record<string, string> = {
  CLAWSHAKE_STORE: "sqlite",
  CLAWSHAKE_REDIS_URL: "redis://127.0.0.1:6379/0",
  CLAWSHAKE_SEALING_KEY: "$(openssl rand -hex 32)",
  CLAWSHAKE_SEALING_KEYS_PREVIOUS: "<the old 64-hex key>",
  CLAWSHAKE_SESSION_TTL_MINUTES: "30",
  CLAWSHAKE_APPROVALS_REQUIRED: "2",
  CLAWSHAKE_DEFAULT_COMMANDS: "safe",
  CLAWSHAKE_REMIND_AFTER_MINUTES: "10",
  CLAWSHAKE_MODE: "auto",
  CLAWSHAKE_LANG: "zh-CN",
  CLAWSHAKE_LOG_LEVEL: "info",
  CLAWSHAKE_HTTP_PORT: "9464",
  CLAWSHAKE_TICK_SECONDS: "5",
  CLAWSHAKE_CONNECT_LIMIT_PER_HOUR: "10",
  CLAWSHAKE_AUDIT_DAYS: "365",
  CLAWSHAKE_POLL_INTERVAL_MS: "2000",
  CLAWSHAKE_OPENCLAW_TIMEOUT_MS: "20000",
  CLAWSHAKE_PROBE_TIMEOUT_MS: "5000",
  OPENCLAW_GATEWAY_URL: "wss://127.0.0.1:18789",
  OPENCLAW_GATEWAY_FINGERPRINT: "85544cd42bcfa0b15e50c3f0f6f0b274d89f4ed292119918494290fad3582ea7",
  CLAWSHAKE_GATEWAY_PATH: "auto",
  CLAWSHAKE_WEBUI_URL: "https://gateway.example.com:18789/settings/devices",
  CLAWSHAKE_PUBLIC_URL: "wss://gateway.example.com",
  DISCORD_API_URL: "http://127.0.0.1:8080/api",
  DISCORD_CHANNEL_IDS: "1234567890123456789",
  DISCORD_APPROVER_IDS: "1234567890123456789,2345678901234567890",
  DISCORD_APPROVER_ROLE_ID: "1234567890123456789",
  TELEGRAM_BOT_TOKEN: "123456789:AAExampleExampleExampleExample",
  TELEGRAM_API_ROOT: "http://127.0.0.1:8081",
  TELEGRAM_CHAT_IDS: "-1001234567890",
  TELEGRAM_APPROVER_IDS: "12345678,23456789",
  TELEGRAM_WEBHOOK_URL: "https://bot.example.com/telegram",
};

export type Env = z.infer<typeof schema>;

export interface Config {
  env: Env;
  /** Which chat platforms to start: the console when no chat token is configured. */
  platforms: ("discord" | "telegram" | "console")[];
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      `clawshake cannot start; fix these settings:\n${problems.map((p) => `  ${p}`).join("\n")}`,
    );
    this.problems = problems;
  }
}

/** Reads and checks every setting. Throws ConfigError with one line per problem. */
export function loadConfig(
  source: NodeJS.ProcessEnv = process.env,
  options: { console?: boolean } = {},
): Config {
  // An empty value (`DISCORD_TOKEN=` in .env) means "not set", so the default applies; except for a list whose default
  // is someone: there an empty value means nobody (fail closed).
  const given = Object.fromEntries(
    Object.entries(source).filter(
      ([name, value]) =>
        value !== undefined && (value.trim() !== "" || EMPTY_MEANS_NOBODY.has(name)),
    ),
  );
  const parsed = schema.safeParse(given);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "?");
      const example = EXAMPLES[name];
      return `${name}: ${issue.message}${example ? ` (for example ${name}=${example})` : ""}`;
    });
    throw new ConfigError(problems);
  }
  const env = parsed.data;
  const problems: string[] = [];
  if (env.CLAWSHAKE_STORE === "redis" && !env.CLAWSHAKE_REDIS_URL)
    problems.push(
      `CLAWSHAKE_REDIS_URL: required when CLAWSHAKE_STORE=redis (for example CLAWSHAKE_REDIS_URL=${EXAMPLES.CLAWSHAKE_REDIS_URL})`,
    );
  if (env.CLAWSHAKE_STORE === "redis" && !env.CLAWSHAKE_SEALING_KEY)
    problems.push(
      "CLAWSHAKE_SEALING_KEY: required with Redis, so that every instance can open the secrets the others sealed (for example CLAWSHAKE_SEALING_KEY=$(openssl rand -hex 32))",
    );
  if (env.CLAWSHAKE_SEALING_KEYS_PREVIOUS.length > 0 && !env.CLAWSHAKE_SEALING_KEY)
    problems.push(
      "CLAWSHAKE_SEALING_KEYS_PREVIOUS: set CLAWSHAKE_SEALING_KEY too (the new key); the previous ones only open old secrets",
    );
  if (env.TELEGRAM_WEBHOOK_URL && env.CLAWSHAKE_HTTP_PORT === 0)
    problems.push(
      "TELEGRAM_WEBHOOK_URL: needs CLAWSHAKE_HTTP_PORT, the local port your HTTPS proxy forwards the webhook to (for example CLAWSHAKE_HTTP_PORT=9464)",
    );
  if (env.TELEGRAM_APPROVERS_ARE_ADMINS && env.TELEGRAM_CHAT_IDS.length === 0)
    problems.push(
      `TELEGRAM_APPROVERS_ARE_ADMINS: needs TELEGRAM_CHAT_IDS, the groups whose admins may approve; anyone can create a group and add the bot (for example TELEGRAM_CHAT_IDS=${EXAMPLES.TELEGRAM_CHAT_IDS})`,
    );
  if (problems.length > 0) throw new ConfigError(problems);

  const platforms: Config["platforms"] = [];
  if (!options.console) {
    if (env.DISCORD_TOKEN) platforms.push("discord");
    if (env.TELEGRAM_BOT_TOKEN) platforms.push("telegram");
  }
  if (platforms.length === 0) platforms.push("console");
  return { env, platforms };
}

/**
 * A 32-byte key: 64 hex digits, or base64 exactly as an encoder writes 32 bytes (43 characters, or 44 ending in `=`).
 * Node's decoder forgives stray characters and leftover bits; a key that only decodes that way is a typo.
 */
function isKey(text: string): boolean {
  if (/^[0-9a-f]{64}$/i.test(text)) return true;
  if (!/^[A-Za-z0-9+/]{43}=?$/.test(text)) return false;
  const bytes = Buffer.from(text, "base64");
  return (
    bytes.length === 32 && bytes.toString("base64").replace(/=$/, "") === text.replace(/=$/, "")
  );
}
