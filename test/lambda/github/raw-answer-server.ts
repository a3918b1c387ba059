import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** What a {@link RawAnswerServer} answers: status, headers and the exact body bytes. */
export interface RawAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: Buffer | string;
  /** Send the head and half the body, then drop the connection (`cut`) or send nothing more (`hang`). */
  readonly partial?: "cut" | "hang";
}

/** A request the server received. */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/**
 * A bare HTTP server on 127.0.0.1 answering with exact bytes, for what the GitHub
 * stand-in cannot do: exact bytes, cut-off bodies. Records requests; `close()` drops every connection.
 */
export class RawAnswerServer {
  readonly requests: ReceivedRequest[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {
    server.on("connection", (socket: Socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
  }

  /** Starts a server on 127.0.0.1 answering every request with `answer`. */
  static async start(answer: (request: ReceivedRequest) => RawAnswer): Promise<RawAnswerServer> {
    const host = "127.0.0.1";
    let started: RawAnswerServer | undefined;
    const handler: http.RequestListener = (request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const received = {
          method: request.method ?? "GET",
          url: request.url ?? "/",
          headers: request.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        };
        started?.requests.push(received);
        const { status, headers = {}, body = "", partial } = answer(received);
        response.writeHead(status, { ...headers, "content-length": Buffer.byteLength(body) });
        if (partial === undefined) {
          response.end(body);
          return;
        }
        const bytes = Buffer.from(body);
        response.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
        if (partial === "cut") setTimeout(() => response.socket?.destroy(), 20);
      });
    };
    const server = http.createServer(handler);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, host, resolve);
    });
    const { port } = server.address() as AddressInfo;
    started = new RawAnswerServer(server, `http://${host}:${port}`);
    return started;
  }

  /** Stops listening and destroys open connections. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}
