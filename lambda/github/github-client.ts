import { Octokit } from "@octokit/core";
import { VERSION } from "../version.js";
import { createNodeHttpFetch } from "./node-http-fetch.js";

/** REST API version the dispatcher is written against. */
export const GITHUB_API_VERSION = "2022-11-28";
/** Names the project to GitHub; Octokit appends its own trail. */
export const USER_AGENT = `workflow-dispatch/${VERSION}`;

/** Octokit's request function, bound to one API root. */
export type GitHubRequest = Octokit["request"];

/** A GitHub API root and the request function that talks to it. */
export interface GitHubConnection {
  /** API root without a trailing slash: `https://api.github.com` or `https://HOST/api/v3`. */
  readonly apiUrl: string;
  readonly request: GitHubRequest;
}

/** Where warnings of Octokit go: messages only, never request options or headers. */
export interface GitHubLog {
  warn(message: string): void;
  error(message: string): void;
}

/** Options of {@link createGitHubConnection}. */
export interface GitHubConnectionOptions {
  readonly apiUrl: string;
  /** Abort any request (dispatch or token minting) after this long. */
  readonly requestTimeoutMs: number;
  /**
   * The fetch Octokit calls through; each call gets an `AbortSignal.timeout(requestTimeoutMs)`
   * unless Octokit passes a signal of its own.
   * @default a keep-alive fetch on node:http / node:https ({@link createNodeHttpFetch})
   */
  readonly fetch?: typeof globalThis.fetch;
  readonly log: GitHubLog;
}

/**
 * Builds the Octokit request function every GitHub call goes through: API version header, project
 * User-Agent, keep-alive connections, and a per-request timeout shorter than the function's own.
 * No retry plugin: a POST retried in-process on 5xx could create two runs; the queue owns retries.
 */
export function createGitHubConnection(options: GitHubConnectionOptions): GitHubConnection {
  const injected = options.fetch;
  // The default fetch times requests out itself: no signal, and no timer left behind, per request.
  const timedFetch: typeof globalThis.fetch = injected
    ? (input, init) =>
        injected(input, {
          ...init,
          signal: init?.signal ?? AbortSignal.timeout(options.requestTimeoutMs),
        })
    : createNodeHttpFetch({ timeoutMs: options.requestTimeoutMs });
  const log = {
    debug: () => undefined,
    info: () => undefined,
    warn: (message: string) => options.log.warn(String(message)),
    error: (message: string) => options.log.error(String(message)),
  };
  const octokit = new Octokit({
    baseUrl: options.apiUrl,
    userAgent: USER_AGENT,
    log,
    request: { fetch: timedFetch, log },
  });
  const request = octokit.request.defaults({
    headers: { "x-github-api-version": GITHUB_API_VERSION },
    // This Octokit has no auth strategy and no plugins, and only `request` leaves this function,
    // so nothing can ever register a hook: skip the empty hook chain, which costs every request a
    // second merge of its options.
    request: { hook: undefined },
  });
  return { apiUrl: options.apiUrl, request };
}
