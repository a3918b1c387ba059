import http from "node:http";
import https from "node:https";
import type { Socket } from "node:net";
import type { KeepAliveAgents } from "./keep-alive-agents.js";
import type { OutgoingRequest } from "./outgoing-request.js";

/** An answer: status and headers, and its body read in full or what cut it short. */
export interface Answer {
  readonly status: number;
  readonly statusText: string;
  /** Names and values in arrival order, as `IncomingMessage.rawHeaders`. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  /**
   * Why the body did not arrive whole after the head had (reset, timeout): fetch has resolved by
   * then, so the error surfaces when the body is read. Undefined when it arrived.
   */
  readonly bodyError?: unknown;
}

/** The error fetch rejects with for a network failure: `cause` holds the code (`ECONNRESET`...). */
export function fetchFailed(cause: unknown): TypeError {
  return new TypeError("fetch failed", { cause });
}

/** The first value of header `name` (lower case) in an answer. */
export function headerOf(answer: Answer, name: string): string | undefined {
  const raw = answer.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() === name) return raw[i + 1];
  }
  return undefined;
}

/** Ends a fetch early (the caller's signal or the timeout); one per fetch, redirects included. */
export class Cancellation {
  reason: unknown;
  cancelled = false;
  private listener: ((reason: unknown) => void) | undefined;

  /** Cancels with `reason`, once; the exchange in flight rejects with it. */
  cancel(reason: unknown): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.reason = reason;
    this.listener?.(reason);
  }

  /** Who to tell when cancelled: the exchange in flight, or nobody. */
  watch(listener: ((reason: unknown) => void) | undefined): void {
    this.listener = listener;
  }
}

/**
 * Sends one request through the keep-alive pool and reads the whole answer. Before the answer's
 * head arrives it rejects, as fetch does: with the cancellation's reason, or with
 * `TypeError("fetch failed")` whose cause is Node's error (its message names no header value).
 * Once the head is in, fetch would have resolved: a failure then resolves with `bodyError` (the
 * reason, or `TypeError("terminated")` with the cause). A failed request's connection is destroyed.
 */
export function exchange(
  agents: KeepAliveAgents,
  out: OutgoingRequest,
  cancellation: Cancellation,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let request: http.ClientRequest | undefined;
    let head: http.IncomingMessage | undefined;
    let chunks: Buffer[] = [];
    const answer = (response: http.IncomingMessage, bodyError?: unknown): Answer => ({
      status: response.statusCode ?? 0,
      statusText: response.statusMessage ?? "",
      rawHeaders: response.rawHeaders,
      body: chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks),
      bodyError,
    });
    const finish = (error: unknown) => {
      if (settled) return;
      settled = true;
      cancellation.watch(undefined);
      request?.destroy();
      if (head) resolve(answer(head, error));
      else reject(error);
    };
    const fail = (cause: unknown) =>
      finish(head ? new TypeError("terminated", { cause }) : fetchFailed(cause));
    const headers = out.headers;
    if (out.body === undefined) delete headers["content-length"];
    else headers["content-length"] = String(Buffer.byteLength(out.body));
    try {
      const { protocol, hostname, port, pathname, search } = out.url;
      // Only the options a request needs: Node copies them (and its agent's) more than once.
      request = (protocol === "https:" ? https : http).request({
        protocol,
        // An IPv6 literal comes bracketed in a URL, not in a socket address.
        hostname: hostname.startsWith("[") ? hostname.slice(1, -1) : hostname,
        port: port === "" ? undefined : Number(port),
        path: `${pathname}${search}`,
        method: out.method,
        headers,
        agent: agents.agentFor(protocol),
      });
    } catch (error) {
      fail(error);
      return;
    }
    cancellation.watch(finish);
    request.on("error", fail);
    request.on("response", (response) => {
      head = response;
      chunks = [];
      const socket: Socket | null = response.socket;
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", fail);
      response.on("close", () => {
        if (response.complete) return;
        const cut = new Error("the connection closed before the whole answer arrived");
        fail(Object.assign(cut, { code: "ECONNRESET" }));
      });
      response.on("end", () => {
        if (settled) return;
        settled = true;
        cancellation.watch(undefined);
        const keepAlive = response.headers["keep-alive"];
        if (socket) agents.released(socket, typeof keepAlive === "string" ? keepAlive : undefined);
        resolve(answer(response));
      });
    });
    request.end(out.body);
  });
}
