// Raw bytes to an HTTP server over a plain socket: for requests no HTTP client would send (malformed request lines,
// garbage headers, bytes that are not HTTP at all).

import { connect } from "node:net";

/** Writes `bytes` on a fresh connection and resolves with everything the server sent before it closed. */
export function rawRequest(port: number, bytes: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    socket.on("data", (chunk: Buffer) => {
      answer += chunk.toString("latin1");
      // One answer is all a test needs; a keep-alive connection would otherwise stay open.
      if (/\r\n\r\n/.test(answer)) socket.end();
    });
    socket.on("error", (error: NodeJS.ErrnoException) =>
      // The server may close as soon as it answered a request it refused, before reading all we sent.
      error.code === "ECONNRESET" || error.code === "EPIPE" ? resolve(answer) : reject(error),
    );
    socket.on("close", () => resolve(answer));
    socket.write(bytes);
  });
}

/** The status code of the first answer in `raw`, or undefined when the server sent nothing. */
export function statusOf(raw: string): number | undefined {
  const match = /^HTTP\/1\.1 (\d{3})/.exec(raw);
  return match ? Number(match[1]) : undefined;
}
