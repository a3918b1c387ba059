import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGitHubConnection } from "../../../lambda/github/github-client.js";
import { createNodeHttpFetch } from "../../../lambda/github/node-http-fetch.js";
import { DEFAULT_GITHUB_TOKEN, GitHubStandIn } from "../../support/github-stand-in.js";

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

  it("sends through its own keep-alive fetch by default, with the API version and User-Agent", async () => {
    const { request } = createGitHubConnection({
      apiUrl: gitHub.url,
      requestTimeoutMs: 2_000,
      log,
    });

    const response = await request(ROUTE, PARAMS);

    expect(response.status).toBe(204);
    expect(gitHub.requests[0]?.headers).toMatchObject({
      "x-github-api-version": "2022-11-28",
      connection: "keep-alive",
      "user-agent": expect.stringMatching(/^workflow-dispatch\/\S+ octokit-core/),
    });
  });

  it("fails a request the default fetch never gets an answer to after requestTimeoutMs", async () => {
    gitHub.script({ status: 204, fault: "hang" });
    const { request } = createGitHubConnection({ apiUrl: gitHub.url, requestTimeoutMs: 100, log });

    const error = await request(ROUTE, PARAMS).catch((e: unknown) => e);

    expect((error as { cause?: unknown }).cause).toMatchObject({ name: "TimeoutError" });
  });

  it("calls an injected fetch instead, giving each call a signal that times out", async () => {
    const signals: (AbortSignal | null | undefined)[] = [];
    const inner = createNodeHttpFetch();
    const fetch: typeof globalThis.fetch = (input, init) => {
      signals.push(init?.signal);
      return inner(input, init);
    };
    gitHub.script({ status: 204 }, { status: 204, fault: "hang" });
    const { request } = createGitHubConnection({
      apiUrl: gitHub.url,
      requestTimeoutMs: 100,
      fetch,
      log,
    });

    expect((await request(ROUTE, PARAMS)).status).toBe(204);
    const error = await request(ROUTE, PARAMS).catch((e: unknown) => e);

    expect(signals).toHaveLength(2);
    expect(signals[0]).toBeInstanceOf(AbortSignal);
    expect((error as { cause?: unknown }).cause).toBe(signals[1]?.reason);
  });
});
