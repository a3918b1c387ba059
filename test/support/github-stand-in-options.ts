import type { GitHubAppIdentity } from "./github-app-jwt.js";
import type { GitHubRateLimitEnforcer } from "./github-rate-limit-enforcer.js";

/** One scripted answer to a dispatch call, overriding the default behaviour. */
export interface ScriptedResponse {
  /** HTTP status, e.g. 204, 200, 401, 403, 404, 422, 429, 500, 502. */
  status: number;
  /** Extra headers, e.g. `{ "retry-after": "30" }`; they override the default `x-ratelimit-*` headers. */
  headers?: Record<string, string>;
  /** JSON body. @default a GitHub-like body for the status (200: run details; 204: empty) */
  body?: unknown;
  /** Answer after this long, on top of `latencyMs`. @default 0 */
  delayMs?: number;
  /** `reset`: destroy the socket without answering; `hang`: never answer (until `close()`). */
  fault?: "reset" | "hang";
}

/** A request as the stand-in received it. */
export interface RecordedRequest {
  method: string;
  /** Path and query string as sent, e.g. `/repos/acme/api/actions/workflows/nightly.yml/dispatches`. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body; undefined when empty; the raw text when it is not JSON. */
  body: unknown;
  /** `Date.now()` when the request arrived. */
  receivedAt: number;
  /** The client's port: requests with the same port came over one kept-alive connection. */
  remotePort: number | undefined;
  /** Status answered; 0 for faults and for requests still pending. */
  status: number;
}

/** How the GitHub stand-in behaves. */
export interface GitHubStandInOptions {
  /** Accepted tokens (`Authorization: token X` or `Bearer X`). @default ["ghp_standin_default_token"] */
  tokens?: string[];
  /** `ghes`: `return_run_details` gets 422 and at most 10 inputs are allowed. @default "github.com" */
  mode?: "github.com" | "ghes";
  /** Added to every answer. @default 0 */
  latencyMs?: number;
  /** A GitHub App whose installation tokens can be minted; unset: minting answers 401. */
  app?: GitHubAppIdentity;
  /** `"owner/repo"` -> workflow file names or ids; if given, every other repository/workflow is 404. */
  repositories?: Record<string, string[]>;
  /** Time source for JWT checks and minted-token expiry. @default Date.now */
  clock?: () => number;
  /**
   * More endpoints (e.g. a repository catalog for fan-out), asked in order for every request the
   * stand-in does not handle itself; they answer only callers with an accepted token. @default []
   */
  routes?: GitHubRoute[];
  /**
   * GitHub's secondary rate limits on dispatches, per token (checked after authentication, before
   * the repository and workflow). Scripted responses bypass it. @default none: no limits
   */
  rateLimiter?: GitHubRateLimitEnforcer;
}

/** Extra endpoints of the GitHub stand-in. */
interface GitHubRoute {
  /** The answer to `method` `pathAndQuery` (relative to `baseUrl`), or undefined when not its route. */
  answer(
    method: string,
    pathAndQuery: string,
    baseUrl: string,
  ): { status: number; body: unknown; headers?: Record<string, string> } | undefined;
}
