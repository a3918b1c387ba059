import http from "node:http";
import https from "node:https";
import type { Socket } from "node:net";
import type { KeepAliveAgents } from "./keep-alive-agents.js";
import type { OutgoingRequest } from "./outgoing-request.js";

/** An answer read in full. */
export interface Answer {
  readonly status: number;
  readonly statusText: string;
  /** Names and values in arrival order, as `IncomingMessage.rawHeaders`. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
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
 * Sends one request through the keep-alive pool and reads the whole answer. Rejects with the
 * cancellation's reason, or with `TypeError("fetch failed")` whose cause is Node's error (its
 * message names no header value); a cancelled or failed request's connection is destroyed.
 */
export function exchange(
  agents: KeepAliveAgents,
  out: OutgoingRequest,
  cancellation: Cancellation,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let request: http.ClientRequest | undefined;
    const finish = (error: unknown, answer?: Answer) => {
      if (settled) return;
      settled = true;
      cancellation.watch(undefined);
      if (answer) {
        resolve(answer);
        return;
      }
      request?.destroy();
      reject(error);
    };
    const fail = (error: unknown) => finish(fetchFailed(error));
    const headers = out.headers;
    if (out.body === undefined) delete headers["content-length"];
    else headers["content-length"] = String(Buffer.byteLength(out.body));
    try {
      const transport = out.url.protocol === "https:" ? https : http;
      request = transport.request(out.url, {
        method: out.method,
        headers,
        agent: agents.agentFor(out.url.protocol),
      });
    } catch (error) {
      fail(error);
      return;
    }
    cancellation.watch((reason) => finish(reason));
    request.on("error", fail);
    request.on("response", (response) => {
      const socket: Socket | null = response.socket;
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", fail);
      response.on("close", () => {
        if (response.complete) return;
        const cut = new Error("the connection closed before the whole answer arrived");
        fail(Object.assign(cut, { code: "ECONNRESET" }));
      });
      response.on("end", () => {
        if (settled) return;
        const keepAlive = response.headers["keep-alive"];
        if (socket) agents.released(socket, typeof keepAlive === "string" ? keepAlive : undefined);
        finish(undefined, {
          status: response.statusCode ?? 0,
          statusText: response.statusMessage ?? "",
          rawHeaders: response.rawHeaders,
          body: chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks),
        });
      });
    });
    request.end(out.body);
  });
}
