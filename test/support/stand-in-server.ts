import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** Handles one request whose body has been read in full. */
export type StandInRequestHandler = (
  request: IncomingMessage,
  body: Buffer,
  response: ServerResponse,
) => void | Promise<void>;

/**
 * A `node:http` server on 127.0.0.1 with a random port, shared by every stand-in.
 * It tracks sockets and timers so `close()` never waits on a hanging or keep-alive connection.
 */
export interface StandInServer {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  readonly url: string;
  /** Runs `action` after `ms` unless the server is closed first (delays, latency). */
  later(ms: number, action: () => void): void;
  /** Stops listening, cancels pending timers and destroys every open socket. */
  close(): Promise<void>;
}

/** Starts a stand-in server that calls `handler` once per request, after the body has arrived. */
export async function startStandInServer(handler: StandInRequestHandler): Promise<StandInServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  const server = createServer({ keepAliveTimeout: 5_000 }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      Promise.resolve()
        .then(() => handler(request, Buffer.concat(chunks), response))
        .catch((error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          sendJson(response, 500, { message: `stand-in failed: ${message}` });
        });
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  // A client that resets mid-request must not crash the test process.
  server.on("clientError", (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    later(ms, action) {
      if (closed) return;
      if (ms <= 0) {
        action();
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!closed) action();
      }, ms);
      timers.add(timer);
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await stopped;
    },
  };
}

/** Writes a JSON answer (or an empty one when `body` is undefined), ignoring already-dead sockets. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
  contentType = "application/json; charset=utf-8",
): void {
  if (response.writableEnded || response.destroyed) return;
  const payload = body === undefined ? "" : JSON.stringify(body);
  const all: OutgoingHttpHeaders = {
    ...(payload === "" ? {} : { "content-type": contentType }),
    ...headers,
    "content-length": Buffer.byteLength(payload),
  };
  response.writeHead(status, all);
  response.end(payload);
}

/** Parses a request body as JSON: undefined when empty, the raw text when it is not JSON. */
export function parseBody(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  const text = body.toString("utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** True for a plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
