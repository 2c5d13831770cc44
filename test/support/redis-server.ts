// A real redis-server (the Debian package) on a free loopback port, started and stopped by the test that needs it.

import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { waitFor } from "./wait.ts";

export interface RedisServer {
  url: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let output = "";
  let child: ChildProcess;
  try {
    child = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
  } catch (error) {
    throw new Error(
      `cannot start redis-server (install the Debian package redis-server; .ci/run does): ${String(error)}`,
    );
  }
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const failed = new Promise<never>((_, reject) =>
    child.once("error", (error) =>
      reject(
        new Error(
          `redis-server did not start: ${error.message}; install the Debian package redis-server`,
        ),
      ),
    ),
  );
  await Promise.race([
    waitFor(
      () => output.includes("Ready to accept connections"),
      "redis-server to start",
      () => output,
      { progress: () => output.length },
    ),
    failed,
  ]);
  return {
    url: `redis://127.0.0.1:${port}/0`,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
