// A value that must never be printed: the gateway token, a setup code.
// It redacts itself wherever it could leak by accident (string conversion, JSON, util.inspect, logs);
// the only way to read it is an explicit `reveal()`, done where it is meant to be sent.

const inspect = Symbol.for("nodejs.util.inspect.custom");

export const REDACTED = "[redacted]";

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The plain value. Call it only to hand the value to its one rightful recipient. */
  reveal(): string {
    return this.#value;
  }

  equals(other: Secret | undefined): boolean {
    return other !== undefined && other.#value === this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect](): string {
    return `Secret(${REDACTED})`;
  }
}

export function isSecret(value: unknown): value is Secret {
  return value instanceof Secret;
}
