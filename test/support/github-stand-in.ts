import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { credentialOf, InstallationTokenIssuer } from "./github-app-tokens.js";
import { GitHubDispatchEndpoint, type GitHubStandInAnswer } from "./github-dispatch-endpoint.js";
import { isDispatchPath, matchGitHubEndpoint } from "./github-endpoints.js";
import { badCredentials, notFound } from "./github-responses.js";
import type {
  GitHubStandInOptions,
  RecordedRequest,
  ScriptedResponse,
} from "./github-stand-in-options.js";
import { parseBody, type StandInServer, sendJson, startStandInServer } from "./stand-in-server.js";

export type {
  GitHubStandInOptions,
  RecordedRequest,
  ScriptedResponse,
} from "./github-stand-in-options.js";

/** The token accepted when `tokens` is not given. */
export const DEFAULT_GITHUB_TOKEN = "ghp_standin_default_token";

const RATE_LIMIT = 5000;

/**
 * A local GitHub REST API: workflow dispatches, GitHub App installation tokens, scripted failures.
 * Drive it with the real Octokit through `GITHUB_API_URL`; it records every request.
 */
export class GitHubStandIn {
  /** Every request, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  private accepted: Set<string>;
  private readonly appTokens: InstallationTokenIssuer;
  private readonly dispatch: GitHubDispatchEndpoint;
  private readonly scriptedMints: ScriptedResponse[] = [];
  private used = 0;
  private readonly rateLimitReset: number;

  private constructor(
    private readonly server: StandInServer,
    private readonly options: GitHubStandInOptions,
  ) {
    this.accepted = new Set(options.tokens ?? [DEFAULT_GITHUB_TOKEN]);
    this.appTokens = new InstallationTokenIssuer(options.app, options.clock ?? Date.now);
    this.dispatch = new GitHubDispatchEndpoint(options, server.url, (request) =>
      this.isAcceptedToken(request),
    );
    this.rateLimitReset = Math.floor(Date.now() / 1000) + 3600;
  }

  /** Starts the stand-in on 127.0.0.1 with a random port. */
  static async start(options: GitHubStandInOptions = {}): Promise<GitHubStandIn> {
    let standIn: GitHubStandIn | undefined;
    const server = await startStandInServer((request, body, response) =>
      standIn?.handle(request, body, response),
    );
    standIn = new GitHubStandIn(server, options);
    return standIn;
  }

  /** `http://127.0.0.1:PORT`: use as `GITHUB_API_URL`. */
  get url(): string {
    return this.server.url;
  }

  /** Dispatch calls that succeeded (200 or 204), in order. */
  dispatches(): RecordedRequest[] {
    return this.requests.filter(
      (r) =>
        r.method === "POST" &&
        isDispatchPath(r.path.split("?")[0] ?? "") &&
        (r.status === 200 || r.status === 204),
    );
  }

  /** The next dispatch calls (any repository) get these answers in order, then the default behaviour. */
  script(...responses: ScriptedResponse[]): void {
    this.dispatch.script(...responses);
  }

  /** Like {@link script}, only for dispatches to `fullName` ("owner/repo"); these win over `script`. */
  scriptFor(fullName: string, ...responses: ScriptedResponse[]): void {
    this.dispatch.scriptFor(fullName, ...responses);
  }

  /**
   * The next installation-token mints (`POST /app/installations/{id}/access_tokens`) get these
   * answers in order (`fault: "hang"`: never answered), then the App's own answer. A scripted answer
   * mints nothing; its `body` is sent as given.
   */
  scriptMint(...responses: ScriptedResponse[]): void {
    this.scriptedMints.push(...responses);
  }

  /** Replaces the accepted tokens; earlier tokens (minted ones too) now get 401, as after a rotation. */
  acceptTokens(...tokens: string[]): void {
    this.accepted = new Set(tokens);
    this.appTokens.revokeAll();
  }

  /** Installation tokens minted so far, oldest first. */
  mintedTokens(): string[] {
    return this.appTokens.minted();
  }

  /** Clears recorded requests and pending scripts; tokens and counters stay. */
  reset(): void {
    this.requests.length = 0;
    this.dispatch.clearScripts();
    this.scriptedMints.length = 0;
  }

  /** Stops the server; open (even hanging) connections are destroyed. */
  close(): Promise<void> {
    return this.server.close();
  }

  private handle(request: IncomingMessage, body: Buffer, response: ServerResponse): void {
    const record: RecordedRequest = {
      method: request.method ?? "GET",
      path: request.url ?? "/",
      headers: { ...request.headers },
      body: parseBody(body),
      receivedAt: Date.now(),
      remotePort: request.socket.remotePort,
      status: 0,
    };
    this.requests.push(record);
    this.send(record, response, this.answer(request, record));
  }

  private answer(request: IncomingMessage, record: RecordedRequest): GitHubStandInAnswer {
    const endpoint = matchGitHubEndpoint(record.method, record.path.split("?")[0] ?? "/");
    switch (endpoint?.kind) {
      case "dispatch": {
        const { owner, repo, workflowId } = endpoint;
        return this.dispatch.answer(request, record.body, owner, repo, workflowId);
      }
      case "access-tokens": {
        const scripted = this.scriptedMints.shift();
        if (scripted) return { ...scripted, body: scripted.body };
        return this.appTokens.mint(request, endpoint.installationId);
      }
      case "installation":
        return this.appTokens.installation(request, endpoint.installationId);
    }
    for (const route of this.options.routes ?? []) {
      const answer = route.answer(record.method, record.path, this.url);
      if (!answer) continue;
      return this.isAcceptedToken(request) ? answer : { status: 401, body: badCredentials() };
    }
    return { status: 404, body: notFound() };
  }

  private isAcceptedToken(request: IncomingMessage): boolean {
    const token = credentialOf(request)?.value;
    if (token === undefined) return false;
    return this.accepted.has(token) || this.appTokens.accepts(token);
  }

  private send(
    record: RecordedRequest,
    response: ServerResponse,
    answer: GitHubStandInAnswer,
  ): void {
    const delay = (this.options.latencyMs ?? 0) + (answer.delayMs ?? 0);
    this.server.later(delay, () => {
      answer.release?.();
      if (answer.fault === "reset") {
        response.socket?.destroy();
        return;
      }
      if (answer.fault === "hang") return;
      this.used += 1;
      record.status = answer.status;
      sendJson(response, answer.status, answer.body, {
        "x-github-api-version-selected": "2022-11-28",
        "x-github-request-id": randomBytes(8).toString("hex").toUpperCase(),
        "x-ratelimit-limit": String(RATE_LIMIT),
        "x-ratelimit-remaining": String(Math.max(0, RATE_LIMIT - this.used)),
        "x-ratelimit-reset": String(this.rateLimitReset),
        "x-ratelimit-used": String(this.used),
        "x-ratelimit-resource": "core",
        ...answer.headers,
      });
    });
  }
}
