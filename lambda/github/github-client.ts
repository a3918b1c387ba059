import { Octokit } from "@octokit/core";
import { VERSION } from "../version.js";

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
  /** The fetch Octokit calls through. @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch;
  readonly log: GitHubLog;
}

/**
 * Builds the Octokit request function every GitHub call goes through: API version header, project
 * User-Agent, and a per-request `AbortSignal.timeout` shorter than the function's own timeout.
 * No retry plugin: a POST retried in-process on 5xx could create two runs; the queue owns retries.
 */
export function createGitHubConnection(options: GitHubConnectionOptions): GitHubConnection {
  const baseFetch = options.fetch ?? globalThis.fetch;
  const timedFetch: typeof globalThis.fetch = (input, init) =>
    baseFetch(input, {
      ...init,
      signal: init?.signal ?? AbortSignal.timeout(options.requestTimeoutMs),
    });
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
  });
  return { apiUrl: options.apiUrl, request };
}
