import { Octokit } from "@octokit/core";
import { RequestError } from "@octokit/request-error";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_GITHUB_TOKEN, GitHubStandIn } from "./github-stand-in.js";
import { rejectionOf } from "./rejection-of.js";

const DISPATCH = "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches";

function dispatch(octokit: Octokit, repo = "api", signal?: AbortSignal) {
  return octokit.request(DISPATCH, {
    owner: "acme",
    repo,
    workflow_id: "nightly.yml",
    ref: "main",
    ...(signal ? { request: { signal } } : {}),
  });
}

describe("GitHubStandIn scripted responses", () => {
  let gitHub: GitHubStandIn;
  let octokit: Octokit;

  beforeEach(async () => {
    gitHub = await GitHubStandIn.start();
    octokit = new Octokit({ baseUrl: gitHub.url, auth: DEFAULT_GITHUB_TOKEN });
  });
  afterEach(() => gitHub.close());

  it("answers the next dispatches in script order, then by default", async () => {
    gitHub.script({ status: 502 }, { status: 429, headers: { "retry-after": "30" } });

    const first = await rejectionOf(dispatch(octokit), RequestError);
    const second = await rejectionOf(dispatch(octokit), RequestError);
    const third = await dispatch(octokit);

    expect(first.status).toBe(502);
    expect(second.status).toBe(429);
    expect(second.response?.headers["retry-after"]).toBe("30");
    expect(third.status).toBe(204);
    expect(gitHub.requests.map((r) => r.status)).toEqual([502, 429, 204]);
    expect(gitHub.dispatches()).toHaveLength(1);
  });

  it.each([
    [403, {}, "Resource not accessible by integration"],
    [403, { "x-ratelimit-remaining": "0" }, "secondary rate limit"],
    [404, {}, "Not Found"],
    [422, {}, "Workflow does not have 'workflow_dispatch' trigger"],
    [500, {}, "Server Error"],
  ])("gives a scripted %i a GitHub-like default body", async (status, headers, message) => {
    gitHub.script({ status, headers });
    const error = await rejectionOf(dispatch(octokit), RequestError);
    expect(error.status).toBe(status);
    expect(error.response?.data).toMatchObject({ message: expect.stringContaining(message) });
  });

  it("lets scripted headers override the rate-limit headers", async () => {
    gitHub.script({
      status: 403,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1" },
    });
    const error = await rejectionOf(dispatch(octokit), RequestError);
    expect(error.response?.headers["x-ratelimit-remaining"]).toBe("0");
    expect(error.response?.headers["x-ratelimit-reset"]).toBe("1");
  });

  it("answers a scripted 200 with run details and a scripted body as given", async () => {
    gitHub.script({ status: 200 }, { status: 422, body: { message: "No ref found for: nope" } });

    const ok = await dispatch(octokit);
    const error = await rejectionOf(dispatch(octokit), RequestError);

    expect(ok.data).toMatchObject({ workflow_run_id: expect.any(Number) });
    expect(error.response?.data).toEqual({ message: "No ref found for: nope" });
  });

  it("answers after delayMs", async () => {
    gitHub.script({ status: 204, delayMs: 150 });
    const started = Date.now();
    await dispatch(octokit);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("fails the client with a network error when the fault is reset", async () => {
    gitHub.script({ fault: "reset", status: 0 });
    const error = await rejectionOf(dispatch(octokit), RequestError);
    expect(error.response).toBeUndefined();
    expect(error.message).toBe("other side closed");
    expect(gitHub.requests[0]?.status).toBe(0);
    expect(gitHub.dispatches()).toHaveLength(0);
  });

  it("never answers a hanging request, and close() still returns at once", async () => {
    gitHub.script({ fault: "hang", status: 0 });
    const pending = rejectionOf(dispatch(octokit), RequestError);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(gitHub.requests).toHaveLength(1);

    const started = Date.now();
    await gitHub.close();
    const error = await pending;

    expect(Date.now() - started).toBeLessThan(1000);
    expect(error.response).toBeUndefined();
  });

  it("lets a client time out a hanging request", async () => {
    gitHub.script({ fault: "hang", status: 0 });
    const error = await rejectionOf(
      dispatch(octokit, "api", AbortSignal.timeout(100)),
      RequestError,
    );
    expect(error.response).toBeUndefined();
    expect(error.cause).toMatchObject({ name: "TimeoutError" });
  });

  it("applies scriptFor only to the named repository, ahead of script", async () => {
    gitHub.script({ status: 500 });
    gitHub.scriptFor("acme/web", { status: 404 });

    const other = await dispatch(octokit, "docs").catch((e: RequestError) => e);
    const web = await rejectionOf(dispatch(octokit, "web"), RequestError);
    const webAgain = await dispatch(octokit, "web");

    expect((other as RequestError).status).toBe(500);
    expect(web.status).toBe(404);
    expect(webAgain.status).toBe(204);
  });

  it("adds latencyMs to every answer", async () => {
    const slow = await GitHubStandIn.start({ latencyMs: 100 });
    try {
      const client = new Octokit({ baseUrl: slow.url, auth: DEFAULT_GITHUB_TOKEN });
      const started = Date.now();
      await dispatch(client);
      expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    } finally {
      await slow.close();
    }
  });
});
