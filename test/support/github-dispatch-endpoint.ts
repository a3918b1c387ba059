import type { IncomingMessage } from "node:http";
import { credentialOf } from "./github-app-tokens.js";
import {
  answerDispatch,
  badCredentials,
  defaultBodyFor,
  type GitHubAnswer,
  GitHubMode,
  notFound,
} from "./github-responses.js";
import type { GitHubStandInOptions, ScriptedResponse } from "./github-stand-in-options.js";

/** What the GitHub stand-in sends for one request: status and body, plus how and when to send it. */
export type GitHubStandInAnswer = GitHubAnswer &
  Pick<ScriptedResponse, "headers" | "delayMs" | "fault"> & {
    /** Called once the answer is sent (or the request faulted): ends the request's rate-limit slot. */
    release?: () => void;
  };

/**
 * The workflow-dispatch endpoint of the GitHub stand-in. Scripted answers come first (those for the
 * repository, then those for any); otherwise the token, the secondary rate limits, the known
 * repositories and workflows, and GitHub's checks of the body decide, in that order.
 */
export class GitHubDispatchEndpoint {
  private scripted: ScriptedResponse[] = [];
  private readonly scriptedByRepository = new Map<string, ScriptedResponse[]>();
  private readonly mode: GitHubMode;
  private nextRunId = 10_000_001;

  /** `baseUrl` goes into `run_url`; `isAcceptedToken` judges the request's credential. */
  constructor(
    private readonly options: GitHubStandInOptions,
    private readonly baseUrl: string,
    private readonly isAcceptedToken: (request: IncomingMessage) => boolean,
  ) {
    this.mode = options.mode ?? GitHubMode.GitHubCom;
  }

  /** The next dispatch calls (any repository) get these answers in order. */
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

  /** Drops every pending scripted answer. */
  clearScripts(): void {
    this.scripted = [];
    this.scriptedByRepository.clear();
  }

  /** The answer to `POST /repos/{owner}/{repo}/actions/workflows/{workflowId}/dispatches`. */
  answer(
    request: IncomingMessage,
    body: unknown,
    owner: string,
    repo: string,
    workflowId: string,
  ): GitHubStandInAnswer {
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
      run_url: `${this.baseUrl}/repos/${owner}/${repo}/actions/runs/${id}`,
      html_url: `https://github.com/${owner}/${repo}/actions/runs/${id}`,
    };
  }
}
