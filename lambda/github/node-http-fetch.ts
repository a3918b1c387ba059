import zlib from "node:zlib";
import { BufferedResponse } from "./buffered-response.js";
import { type Answer, Cancellation, exchange, fetchFailed, headerOf } from "./http-exchange.js";
import { KeepAliveAgents, type KeepAliveAgentsOptions } from "./keep-alive-agents.js";
import { type OutgoingRequest, outgoingRequest } from "./outgoing-request.js";
import { REDIRECT_STATUSES, redirectRequest } from "./redirect-request.js";

/** Options of {@link createNodeHttpFetch}. */
export interface NodeHttpFetchOptions extends KeepAliveAgentsOptions {
  /**
   * Aborts a request that has no `signal` of its own after this long, rejecting with the
   * `TimeoutError` `AbortSignal.timeout(timeoutMs)` would give, without building a signal per request.
   * @default none: such a request waits as long as the server
   */
  readonly timeoutMs?: number;
}

const NULL_BODY = new Set([101, 103, 204, 205, 304]);
const MAX_REDIRECTS = 20;

function decode(body: Buffer, contentEncoding: string | undefined): Buffer {
  if (contentEncoding === undefined || body.length === 0) return body;
  let out = body;
  for (const coding of contentEncoding.toLowerCase().split(",").reverse()) {
    const name = coding.trim();
    if (name === "gzip" || name === "x-gzip") out = zlib.gunzipSync(out);
    else if (name === "br") out = zlib.brotliDecompressSync(out);
    else if (name === "deflate") {
      // Servers send both zlib-wrapped and raw deflate under this name; fetch accepts both.
      const first = out[0];
      const wrapped = first !== undefined && (first & 0x0f) === 8;
      out = wrapped ? zlib.inflateSync(out) : zlib.inflateRawSync(out);
    } else if (name !== "identity") return out;
  }
  return out;
}

function toResponse(answer: Answer, out: OutgoingRequest, redirected: boolean): Response {
  const nullBody = NULL_BODY.has(answer.status) || out.method === "HEAD";
  let body: Buffer | null = null;
  let bodyError = nullBody ? undefined : answer.bodyError;
  if (!nullBody && bodyError === undefined) {
    try {
      body = decode(answer.body, headerOf(answer, "content-encoding"));
    } catch (error) {
      bodyError = new TypeError("terminated", { cause: error });
    }
  }
  const response = new BufferedResponse(
    body,
    { status: answer.status, statusText: answer.statusText },
    { url: out.url.href, redirected, bodyError },
  );
  // Filled in place: half the cost of a Headers passed in, which the constructor copies.
  const headers = response.headers;
  const raw = answer.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    headers.append(raw[i] as string, raw[i + 1] as string);
  }
  return response;
}

async function run(
  agents: KeepAliveAgents,
  first: OutgoingRequest,
  cancellation: Cancellation,
): Promise<Response> {
  let out = first;
  for (let hops = 0; ; hops++) {
    const agent = agents.agentFor(out.url.protocol);
    const dropping = agent && agents.dropStale(agent);
    if (dropping) await dropping;
    if (cancellation.cancelled) throw cancellation.reason;
    const answer = await exchange(agents, out, cancellation);
    const location = REDIRECT_STATUSES.has(answer.status)
      ? headerOf(answer, "location")
      : undefined;
    try {
      if (location === undefined || out.redirect === "manual") {
        return toResponse(answer, out, hops > 0);
      }
      if (out.redirect === "error") throw new Error("unexpected redirect");
      if (hops + 1 > MAX_REDIRECTS) throw new Error("redirect count exceeded");
      out = redirectRequest(out, answer.status, location);
    } catch (error) {
      throw fetchFailed(error);
    }
  }
}

/**
 * A `fetch` on `node:http` / `node:https` with keep-alive connection pools, for Octokit: Node 20's
 * built-in fetch (undici) costs about half a millisecond of CPU per request, this a fraction of it.
 * It sends string, byte and URLSearchParams bodies; reads the whole answer before resolving with a
 * real `Response`; follows redirects as fetch does (`redirect` modes, at most 20, credentials
 * dropped across origins); rejects as undici does: with the abort reason when the signal (or
 * `timeoutMs`) fires, else `TypeError("fetch failed")` whose `cause` carries the network code
 * (`ECONNREFUSED`, `ECONNRESET`, `ENOTFOUND`, `EAI_AGAIN`, TLS codes). No error holds a header value.
 */
export function createNodeHttpFetch(options: NodeHttpFetchOptions = {}): typeof globalThis.fetch {
  const agents = new KeepAliveAgents(options);
  const { timeoutMs } = options;
  const nodeFetch = async (
    input: string | URL | Request,
    init?: RequestInit,
  ): Promise<Response> => {
    const out = await outgoingRequest(input, init);
    const { signal } = out;
    if (signal?.aborted) throw signal.reason;
    const cancellation = new Cancellation();
    let timer: NodeJS.Timeout | undefined;
    if (signal) signal.addEventListener("abort", cancellation, { once: true });
    else if (timeoutMs !== undefined) {
      timer = setTimeout(() => {
        cancellation.cancel(
          new DOMException("The operation was aborted due to timeout", "TimeoutError"),
        );
      }, timeoutMs);
      timer.unref();
    }
    try {
      return await run(agents, out, cancellation);
    } finally {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener("abort", cancellation);
    }
  };
  return nodeFetch as typeof globalThis.fetch;
}
