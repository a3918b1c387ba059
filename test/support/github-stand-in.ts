import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { credentialOf, InstallationTokenIssuer } from "./github-app-tokens.js";
import {
  answerDispatch,
  badCredentials,
  defaultBodyFor,
  type GitHubAnswer,
  GitHubMode,
  notFound,
} from "./github-responses.js";
import type {
  GitHubStandInOptions,
  RecordedRequest,
  ScriptedResponse,
} from "./github-stand-in-options.js";
import { parseBody, type StandInServer, sendJson, startStandInServer } from "./stand-in-server.js";

export type {
  GitHubRoute,
  GitHubStandInOptions,
  RecordedRequest,
  ScriptedResponse,
} from "./github-stand-in-options.js";

/** The token accepted when `tokens` is not given. */
export const DEFAULT_GITHUB_TOKEN = "ghp_standin_default_token";

const PREFIX = "(?:/api/v3)?";
const DISPATCH_PATH = new RegExp(
  `^${PREFIX}/repos/([^/]+)/([^/]+)/actions/workflows/([^/]+)/dispatches$`,
);
const ACCESS_TOKENS_PATH = new RegExp(`^${PREFIX}/app/installations/([^/]+)/access_tokens$`);
const INSTALLATION_PATH = new RegExp(`^${PREFIX}/app/installations/([^/]+)$`);
const RATE_LIMIT = 5000;

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

type Answer = GitHubAnswer &
  Pick<ScriptedResponse, "headers" | "delayMs" | "fault"> & {
    /** Called once the answer is sent (or the request faulted): ends the request's rate-limit slot. */
    release?: () => void;
  };

/**
 * A local GitHub REST API: workflow dispatches, GitHub App installation tokens, scripted failures.
 * Drive it with the real Octokit through `GITHUB_API_URL`; it records every request.
 */
export class GitHubStandIn {
  /** Every request, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  private readonly mode: GitHubMode;
  private readonly clock: () => number;
  private accepted: Set<string>;
  private readonly appTokens: InstallationTokenIssuer;
  private scripted: ScriptedResponse[] = [];
  private readonly scriptedByRepository = new Map<string, ScriptedResponse[]>();
  private used = 0;
  private readonly rateLimitReset: number;
  private nextRunId = 10_000_001;

  private constructor(
    private readonly server: StandInServer,
    private readonly options: GitHubStandInOptions,
  ) {
    this.mode = options.mode ?? GitHubMode.GitHubCom;
    this.clock = options.clock ?? Date.now;
    this.accepted = new Set(options.tokens ?? [DEFAULT_GITHUB_TOKEN]);
    this.appTokens = new InstallationTokenIssuer(options.app, this.clock);
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
        DISPATCH_PATH.test(r.path.split("?")[0] ?? "") &&
        (r.status === 200 || r.status === 204),
    );
  }

  /** The next dispatch calls (any repository) get these answers in order, then the default behaviour. */
  script(...responses: ScriptedResponse[]): void {
    this.scripted.push(...responses);
  }

  /** Like {@link script}, only for dispatches to `fullName` ("owner/repo"); these win over `script`. */
  scriptFor(fullName: string, ...responses: ScriptedResponse[]): void {
    const key = fullName.toLowerCase();
    const queue = this.scriptedByRepository.get(key) ?? [];
    queue.push(...responses);
    this.scriptedByRepository.set(key, queue);
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
    this.scripted = [];
    this.scriptedByRepository.clear();
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
      status: 0,
    };
    this.requests.push(record);
    const pathname = record.path.split("?")[0] ?? "/";

    const dispatch = DISPATCH_PATH.exec(pathname);
    if (record.method === "POST" && dispatch) {
      const [, owner = "", repo = "", workflowId = ""] = dispatch.map(decode);
      this.send(
        record,
        response,
        this.answerDispatch(request, record.body, owner, repo, workflowId),
      );
      return;
    }
    const mint = ACCESS_TOKENS_PATH.exec(pathname);
    if (record.method === "POST" && mint) {
      this.send(record, response, this.appTokens.mint(request, decode(mint[1] ?? "")));
      return;
    }
    const installation = INSTALLATION_PATH.exec(pathname);
    if (record.method === "GET" && installation) {
      this.send(
        record,
        response,
        this.appTokens.installation(request, decode(installation[1] ?? "")),
      );
      return;
    }
    for (const route of this.options.routes ?? []) {
      const answer = route.answer(record.method, record.path, this.url);
      if (!answer) continue;
      const accepted = this.isAcceptedToken(request);
      this.send(record, response, accepted ? answer : { status: 401, body: badCredentials() });
      return;
    }
    this.send(record, response, { status: 404, body: notFound() });
  }

  private answerDispatch(
    request: IncomingMessage,
    body: unknown,
    owner: string,
    repo: string,
    workflowId: string,
  ): Answer {
    const fullName = `${owner}/${repo}`;
    const runDetails = () => this.runDetails(owner, repo);
    const scripted =
      this.scriptedByRepository.get(fullName.toLowerCase())?.shift() ?? this.scripted.shift();
    if (scripted) {
      const headers = scripted.headers ?? {};
      const answerBody =
        "body" in scripted ? scripted.body : defaultBodyFor(scripted.status, headers, runDetails);
      return { ...scripted, body: answerBody };
    }
    if (!this.isAcceptedToken(request)) return { status: 401, body: badCredentials() };
    const limited = this.options.rateLimiter?.admit(credentialOf(request)?.value ?? "");
    if (limited?.admitted === false) return limited.answer;
    const release = limited?.release;
    if (!this.knowsWorkflow(fullName, workflowId))
      return { status: 404, body: notFound(), release };
    return { ...answerDispatch(body, this.mode, runDetails), release };
  }

  private isAcceptedToken(request: IncomingMessage): boolean {
    const token = credentialOf(request)?.value;
    if (token === undefined) return false;
    return this.accepted.has(token) || this.appTokens.accepts(token);
  }

  private knowsWorkflow(fullName: string, workflowId: string): boolean {
    const { repositories } = this.options;
    if (!repositories) return true;
    const entry = Object.entries(repositories).find(
      ([name]) => name.toLowerCase() === fullName.toLowerCase(),
    );
    return entry?.[1].map(String).includes(workflowId) ?? false;
  }

  private runDetails(owner: string, repo: string): Record<string, unknown> {
    const id = this.nextRunId++;
    return {
      workflow_run_id: id,
      run_url: `${this.url}/repos/${owner}/${repo}/actions/runs/${id}`,
      html_url: `https://github.com/${owner}/${repo}/actions/runs/${id}`,
    };
  }

  private send(record: RecordedRequest, response: ServerResponse, answer: Answer): void {
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
