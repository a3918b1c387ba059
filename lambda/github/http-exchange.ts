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

/** The first value of header `name` (lower case) in names and values as `rawHeaders` lists them. */
function rawHeader(raw: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() === name) return raw[i + 1];
  }
  return undefined;
}

/** The first value of header `name` (lower case) in an answer. */
export function headerOf(answer: Answer, name: string): string | undefined {
  return rawHeader(answer.rawHeaders, name);
}

/**
 * Ends a fetch early (the caller's signal or the timeout); one per fetch, redirects included.
 * Listens to the caller's `AbortSignal` itself (`handleEvent`), so no closure is made per fetch.
 */
export class Cancellation {
  reason: unknown;
  cancelled = false;
  private listener: ((reason: unknown) => void) | undefined;

  /** The caller's signal aborted: cancel with its reason. */
  handleEvent(event: Event): void {
    this.cancel((event.target as AbortSignal).reason);
  }

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

/** One request and its answer; methods rather than closures made per request. */
class Exchange {
  private settled = false;
  private request: http.ClientRequest | undefined;
  private head: http.IncomingMessage | undefined;
  private chunks: Buffer[] = [];

  constructor(
    private readonly agents: KeepAliveAgents,
    private readonly cancellation: Cancellation,
    private readonly resolve: (answer: Answer) => void,
    private readonly reject: (error: unknown) => void,
  ) {}

  start(out: OutgoingRequest): void {
    const headers = out.headers;
    if (out.body === undefined) delete headers["content-length"];
    else headers["content-length"] = String(Buffer.byteLength(out.body));
    const { protocol, hostname, port, pathname, search } = out.url;
    let request: http.ClientRequest;
    try {
      // Only the options a request needs: Node copies them (and its agent's) more than once.
      request = (protocol === "https:" ? https : http).request({
        protocol,
        // An IPv6 literal comes bracketed in a URL, not in a socket address.
        hostname: hostname.startsWith("[") ? hostname.slice(1, -1) : hostname,
        port: port === "" ? undefined : Number(port),
        path: `${pathname}${search}`,
        method: out.method,
        headers,
        agent: this.agents.agentFor(protocol),
      });
    } catch (error) {
      this.fail(error);
      return;
    }
    this.request = request;
    this.cancellation.watch((reason) => this.finish(reason));
    request.on("error", (error) => this.fail(error));
    request.on("response", (response) => this.receive(response));
    request.end(out.body);
  }

  private receive(response: http.IncomingMessage): void {
    this.head = response;
    this.chunks = [];
    const socket: Socket | null = response.socket;
    response.on("data", (chunk: Buffer) => this.chunks.push(chunk));
    response.on("error", (error) => this.fail(error));
    response.on("close", () => {
      if (response.complete) return;
      const cut = new Error("the connection closed before the whole answer arrived");
      this.fail(Object.assign(cut, { code: "ECONNRESET" }));
    });
    response.on("end", () => {
      if (this.settled) return;
      this.settled = true;
      this.cancellation.watch(undefined);
      // From rawHeaders: `response.headers` is built on first read, microseconds per request.
      if (socket) this.agents.released(socket, rawHeader(response.rawHeaders, "keep-alive"));
      this.resolve(this.answer(response, undefined));
    });
  }

  private answer(response: http.IncomingMessage, bodyError: unknown): Answer {
    const chunks = this.chunks;
    return {
      status: response.statusCode ?? 0,
      statusText: response.statusMessage ?? "",
      rawHeaders: response.rawHeaders,
      body: chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks),
      bodyError,
    };
  }

  /** Network failure: `fetch failed` before the head, `terminated` (in the body) after it. */
  private fail(cause: unknown): void {
    this.finish(this.head ? new TypeError("terminated", { cause }) : fetchFailed(cause));
  }

  private finish(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.cancellation.watch(undefined);
    this.request?.destroy();
    if (this.head) this.resolve(this.answer(this.head, error));
    else this.reject(error);
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
    new Exchange(agents, cancellation, resolve, reject).start(out);
  });
}
