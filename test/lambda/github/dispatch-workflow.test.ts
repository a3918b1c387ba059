import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type DispatchWorkflowParams,
  dispatchWorkflow,
} from "../../../lambda/github/dispatch-workflow.js";
import {
  createGitHubConnection,
  type GitHubConnection,
} from "../../../lambda/github/github-client.js";
import { PermanentDispatchError, RetryableDispatchError } from "../../../lambda/outcome/errors.js";
import { DEFAULT_GITHUB_TOKEN, GitHubStandIn } from "../../support/github-stand-in.js";
import { rejectionOf } from "../../support/rejection-of.js";
import { closedPortUrl } from "./closed-port.js";
import { RawAnswerServer } from "./raw-answer-server.js";

const params: DispatchWorkflowParams = {
  job: {
    owner: "acme",
    repo: "api",
    workflow_id: "nightly.yml",
    ref: "main",
    inputs: { environment: "staging", dry_run: false },
  },
  token: DEFAULT_GITHUB_TOKEN,
  secretId: "github/acme-bot",
  timeoutMs: 2_000,
};
const logged: string[] = [];

function connect(apiUrl: string, requestTimeoutMs = 10_000): GitHubConnection {
  const log = { warn: (m: string) => logged.push(m), error: (m: string) => logged.push(m) };
  return createGitHubConnection({ apiUrl, requestTimeoutMs, log });
}

describe("dispatchWorkflow", () => {
  let gitHub: GitHubStandIn;

  beforeEach(async () => {
    gitHub = await GitHubStandIn.start();
  });
  afterEach(() => gitHub.close());

  it("posts ref, inputs and return_run_details with the API version, User-Agent and Bearer token", async () => {
    const result = await dispatchWorkflow(connect(gitHub.url), params);

    expect(result).toMatchObject({ status: 200, runId: expect.any(Number) });
    expect(result.htmlUrl).toBe(`https://github.com/acme/api/actions/runs/${result.runId}`);
    const [request] = gitHub.requests;
    expect(request?.path).toBe("/repos/acme/api/actions/workflows/nightly.yml/dispatches");
    expect(request?.body).toEqual({
      ref: "main",
      inputs: { environment: "staging", dry_run: false },
      return_run_details: true,
    });
    expect(request?.headers["x-github-api-version"]).toBe("2022-11-28");
    expect(request?.headers["user-agent"]).toMatch(/^workflow-dispatch\/0\.1\.0 octokit-core/);
    expect(request?.headers.authorization).toBe(`Bearer ${DEFAULT_GITHUB_TOKEN}`);
  });

  it.each([
    ["acme", "api", "nightly.yml"],
    ["acme", "api.v2_x-y", 1234],
    ["acme", "api", "build (nightly) it's *new* ~ é&?#/%.yml"],
  ])(
    "sends %s/%s workflow %s to the path Octokit's route template expands to",
    async (owner, repo, workflowId) => {
      const github = connect(gitHub.url);
      const route = "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches";
      const expected = github.octokit.request.endpoint(route, {
        owner,
        repo,
        workflow_id: workflowId,
      }).url;

      await dispatchWorkflow(github, {
        ...params,
        job: { ...params.job, owner, repo, workflow_id: workflowId },
      });

      expect(`${gitHub.url}${gitHub.requests[0]?.path}`).toBe(expected);
    },
  );

  it("accepts a 204 without run details", async () => {
    gitHub.script({ status: 204 });
    expect(await dispatchWorkflow(connect(gitHub.url), params)).toMatchObject({
      status: 204,
      runId: undefined,
    });
  });

  it("falls back once without return_run_details on GHES and remembers it for that API root", async () => {
    const ghes = await GitHubStandIn.start({ mode: "ghes" });
    try {
      const github = connect(`${ghes.url}/api/v3`);
      expect((await dispatchWorkflow(github, params)).status).toBe(204);
      expect((await dispatchWorkflow(github, params)).status).toBe(204);

      const sent = ghes.requests.map((r) => [r.status, "return_run_details" in (r.body as object)]);
      expect(sent).toEqual([
        [422, true],
        [204, false],
        [204, false],
      ]);
      expect(ghes.requests[0]?.path).toBe(
        "/api/v3/repos/acme/api/actions/workflows/nightly.yml/dispatches",
      );
    } finally {
      await ghes.close();
    }
  });

  it("fails a 422 about something else without a second request", async () => {
    gitHub.script({ status: 422, body: { message: "No ref found for: nope" } });
    const error = await rejectionOf(dispatchWorkflow(connect(gitHub.url), params), Error);
    expect(error).toBeInstanceOf(PermanentDispatchError);
    expect(error.message).toMatch(/\(422: No ref found for: nope\)/);
    expect(gitHub.requests).toHaveLength(1);
  });

  it.each([
    [{ status: 404 }, PermanentDispatchError, /not found \(404\)/],
    [{ status: 401 }, PermanentDispatchError, /was rejected \(401\)/],
    [{ status: 403 }, PermanentDispatchError, /lacks `actions: write` on acme\/api/],
    [{ status: 429, headers: { "retry-after": "17" } }, RetryableDispatchError, /rate limit \(429/],
    [{ status: 502 }, RetryableDispatchError, /GitHub answered 502 .*may have been created/],
    [
      { status: 200, fault: "reset" as const },
      RetryableDispatchError,
      /GitHub unreachable \(UND_ERR_SOCKET\).*may have been created/,
    ],
  ])("fails %j with a classified error carrying no token", async (answer, cls, reason) => {
    gitHub.script(answer);
    const error = await rejectionOf(dispatchWorkflow(connect(gitHub.url), params), Error);
    expect(error).toBeInstanceOf(cls);
    expect(error.message).toMatch(reason);
    expect(error.cause).toBeUndefined();
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(
      DEFAULT_GITHUB_TOKEN,
    );
  });

  it("fails a request GitHub never answers once the timeout passes, as ambiguous", async () => {
    gitHub.script({ status: 204, fault: "hang" });
    const started = Date.now();
    const error = await rejectionOf(
      dispatchWorkflow(connect(gitHub.url), { ...params, timeoutMs: 150 }),
      Error,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(RetryableDispatchError);
    expect(error).toMatchObject({ failureClass: "transient", ambiguous: true });
    expect(error.message).toMatch(/TimeoutError/);
  });

  it.each([
    ["cut short", { body: JSON.stringify({ workflow_run_id: 7 }), partial: "cut" as const }],
    ["HTML", { headers: { "content-type": "text/html" }, body: "<html>proxy login</html>" }],
    ["JSON without a run id", { body: JSON.stringify({ ok: true }) }],
  ])("fails a 200 whose body is %s as ambiguous, never as dispatched", async (_, answer) => {
    const server = await RawAnswerServer.start(() => ({
      status: 200,
      headers: { "content-type": "application/json; charset=utf-8" },
      ...answer,
    }));
    try {
      const error = await rejectionOf(dispatchWorkflow(connect(server.url), params), Error);

      expect(error).toBeInstanceOf(RetryableDispatchError);
      expect(error).toMatchObject({ failureClass: "transient", ambiguous: true });
      expect(error.message).toMatch(/not counted as dispatched; the run may have been created/);
    } finally {
      await server.close();
    }
  });

  it.each([301, 302, 307, 308])(
    "fails a %i as permanent, naming where GitHub pointed, without following it",
    async (status) => {
      const moved =
        "https://api.github.com/repositories/42/actions/workflows/nightly.yml/dispatches";
      gitHub.script({ status, headers: { location: moved } });

      const error = await rejectionOf(dispatchWorkflow(connect(gitHub.url), params), Error);

      expect(error).toBeInstanceOf(PermanentDispatchError);
      expect(error.message).toContain(`(${status} to ${moved})`);
      expect(error.message).toMatch(/renamed or transferred; update owner and repo/);
      expect(gitHub.requests).toHaveLength(1);
    },
  );

  it("fails a refused connection as transient but not ambiguous: GitHub never saw it", async () => {
    const error = await rejectionOf(
      dispatchWorkflow(connect(await closedPortUrl()), params),
      Error,
    );
    expect(error).toBeInstanceOf(RetryableDispatchError);
    expect(error).toMatchObject({ failureClass: "transient", ambiguous: false });
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it("reports the retry-after GitHub names", async () => {
    gitHub.script({ status: 403, headers: { "retry-after": "30" } });
    const error = await rejectionOf(dispatchWorkflow(connect(gitHub.url), params), Error);
    expect(error).toMatchObject({ failureClass: "rate_limited", retryAfterSeconds: 30 });
  });
});
