// The bot's logs: pino, JSON lines a person can read with `pino-pretty`, and a test can search.
// Every path that could hold a secret is redacted, and a `Secret` value prints itself as "[redacted]" anyway.

import { type DestinationStream, type Logger, pino } from "pino";

/** Field names that carry secrets anywhere in a log object. */
export const REDACT_PATHS = [
  "token",
  "*.token",
  "secrets",
  "*.secrets",
  "setupCode",
  "*.setupCode",
  "bootstrapToken",
  "*.bootstrapToken",
  "authorization",
  "*.authorization",
  "*.headers.authorization",
  "OPENCLAW_GATEWAY_TOKEN",
  "*.OPENCLAW_GATEWAY_TOKEN",
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      name: "clawshake",
      level,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? pino.destination(2),
  );
}
