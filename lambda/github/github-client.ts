import { Octokit } from "@octokit/core";
import { paginateRest } from "@octokit/plugin-paginate-rest";
import { VERSION } from "./version.js";

/** REST API version the dispatcher is written against. */
const GITHUB_API_VERSION = "2022-11-28";
/** Names the project to GitHub; Octokit appends its own trail. */
const USER_AGENT = `workflow-dispatch/${VERSION}`;

/** Octokit with REST pagination: the one client every GitHub call of the function goes through. */
const GitHubOctokit = Octokit.plugin(paginateRest);
/** An Octokit bound to one API root, with `paginate`. */
export type GitHubOctokit = InstanceType<typeof GitHubOctokit>;
/** Octokit's request function, bound to one API root. */
export type GitHubRequest = GitHubOctokit["request"];

/** A GitHub API root and the client that talks to it. */
export interface GitHubConnection {
  /** API root without a trailing slash: `https://api.github.com` or `https://HOST/api/v3`. */
  readonly apiUrl: string;
  readonly octokit: GitHubOctokit;
  /** Time limit of a request that is not given a signal of its own, ms. */
  readonly requestTimeoutMs: number;
}

/** Where warnings of Octokit go: messages only, never request options or headers. */
interface GitHubLog {
  warn(message: string): void;
  error(message: string): void;
}

/** Options of {@link createGitHubConnection}. */
export interface GitHubConnectionOptions {
  readonly apiUrl: string;
  /** Abort a request (token minting, listing) that carries no signal of its own after this long. */
  readonly requestTimeoutMs: number;
  /** @default Node's built-in fetch (undici: keep-alive connection pool, system CAs and `NODE_EXTRA_CA_CERTS`) */
  readonly fetch?: typeof globalThis.fetch;
  readonly log: GitHubLog;
}

/**
 * Builds the Octokit every GitHub call goes through: API version header, project User-Agent, Node's
 * built-in fetch, and a per-request timeout shorter than the function's own for requests that bring
 * no signal (the dispatch brings one bounded by the invocation's deadline).
 * No retry plugin: a POST retried in-process on 5xx could create two runs; the queue owns retries.
 */
export function createGitHubConnection(options: GitHubConnectionOptions): GitHubConnection {
  const fetch = options.fetch ?? globalThis.fetch;
  const timedFetch: typeof globalThis.fetch = (input, init) =>
    fetch(input, {
      ...init,
      signal: init?.signal ?? AbortSignal.timeout(options.requestTimeoutMs),
    });
  const log = {
    debug: () => undefined,
    info: () => undefined,
    warn: (message: string) => options.log.warn(String(message)),
    error: (message: string) => options.log.error(String(message)),
  };
  const octokit = new GitHubOctokit({
    baseUrl: options.apiUrl,
    userAgent: USER_AGENT,
    log,
    request: { fetch: timedFetch },
  });
  octokit.hook.before("request", (requestOptions) => {
    requestOptions.headers["x-github-api-version"] = GITHUB_API_VERSION;
  });
  return {
    apiUrl: options.apiUrl,
    octokit,
    requestTimeoutMs: options.requestTimeoutMs,
  };
}
