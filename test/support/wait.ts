// Waiting for something asynchronous to show up, with a deadline and a message that says what was seen instead.

export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  seen?: () => string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${seen ? `\n--- seen:\n${seen()}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
