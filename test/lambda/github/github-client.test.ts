import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGitHubConnection } from "../../../lambda/github/github-client.js";
import { DEFAULT_GITHUB_TOKEN, GitHubStandIn } from "../../support/github-stand-in.js";
import { rejectionOf } from "../../support/rejection-of.js";

const log = { warn: () => undefined, error: () => undefined };
const ROUTE = "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches";
const PARAMS = {
  owner: "acme",
  repo: "api",
  workflow_id: "nightly.yml",
  ref: "main",
  headers: { authorization: `Bearer ${DEFAULT_GITHUB_TOKEN}` },
};

describe("createGitHubConnection", () => {
  let gitHub: GitHubStandIn;

  beforeEach(async () => {
    gitHub = await GitHubStandIn.start();
  });
  afterEach(() => gitHub.close());

  it("sends through Node's fetch with the API version and User-Agent, keeping the connection alive", async () => {
    const { octokit } = createGitHubConnection({
      apiUrl: gitHub.url,
      requestTimeoutMs: 2_000,
      log,
    });

    const first = await octokit.request(ROUTE, PARAMS);
    for (let i = 0; i < 4; i++) await octokit.request(ROUTE, PARAMS);

    expect(first.status).toBe(204);
    expect(gitHub.requests[0]?.headers).toMatchObject({
      "x-github-api-version": "2022-11-28",
      connection: "keep-alive",
      "user-agent": expect.stringMatching(/^workflow-dispatch\/\S+ octokit-core/),
    });
    // undici hands a connection back to its pool a moment after the answer, so two may alternate.
    expect(new Set(gitHub.requests.map((r) => r.remotePort)).size).toBeLessThan(5);
  });

  it("fails a request that brings no signal once requestTimeoutMs passes without an answer", async () => {
    gitHub.script({ status: 204, fault: "hang" });
    const { octokit } = createGitHubConnection({ apiUrl: gitHub.url, requestTimeoutMs: 100, log });

    const error = await rejectionOf(octokit.request(ROUTE, PARAMS), Error);

    expect(error.cause).toMatchObject({ name: "TimeoutError" });
  });

  it("keeps the signal a request brings instead of its own timeout", async () => {
    gitHub.script({ status: 204, fault: "hang" });
    const { octokit } = createGitHubConnection({
      apiUrl: gitHub.url,
      requestTimeoutMs: 60_000,
      log,
    });
    const started = performance.now();

    const error = await rejectionOf(
      octokit.request(ROUTE, { ...PARAMS, request: { signal: AbortSignal.timeout(100) } }),
      Error,
    );

    expect(error.cause).toMatchObject({ name: "TimeoutError" });
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
