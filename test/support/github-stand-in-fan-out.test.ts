import { Octokit } from "@octokit/core";
import { afterEach, describe, expect, it } from "vitest";
import { GitHubRateLimitEnforcer } from "./github-rate-limit-enforcer.js";
import { GitHubRepositoryCatalog } from "./github-repository-catalog.js";
import { DEFAULT_GITHUB_TOKEN, GitHubStandIn } from "./github-stand-in.js";
import { ManualClock } from "./manual-clock.js";

let github: GitHubStandIn | undefined;
afterEach(async () => {
  await github?.close();
  github = undefined;
});

const octokit = (standIn: GitHubStandIn, token = DEFAULT_GITHUB_TOKEN) =>
  new Octokit({ baseUrl: standIn.url, auth: token, request: { retries: 0 } });

const dispatch = (client: Octokit, repo = "api") =>
  client
    .request("POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", {
      owner: "acme",
      repo,
      workflow_id: "audit.yml",
      ref: "main",
    })
    .then(
      (r) => ({ status: r.status, retryAfter: undefined as string | undefined }),
      (e: { status: number; response?: { headers: Record<string, string> } }) => ({
        status: e.status,
        retryAfter: e.response?.headers["retry-after"],
      }),
    );

describe("GitHubStandIn with a repository catalog", () => {
  it("lists an organization's repositories page by page with a Link header, for accepted tokens only", async () => {
    const catalog = new GitHubRepositoryCatalog(
      Array.from({ length: 150 }, (_, i) => ({ full_name: `acme/r${i}`, topics: ["audit"] })),
    );
    github = await GitHubStandIn.start({ routes: [catalog] });

    const first = await octokit(github).request("GET /orgs/{org}/repos", {
      org: "acme",
      per_page: 100,
    });
    const denied = await octokit(github, "ghp_wrong")
      .request("GET /orgs/acme/repos")
      .catch((e: { status: number }) => e.status);

    expect(first.data).toHaveLength(100);
    expect(first.data[0]).toMatchObject({
      full_name: "acme/r0",
      archived: false,
      fork: false,
      topics: ["audit"],
    });
    expect(first.headers.link).toContain('page=2>; rel="next"');
    expect(denied).toBe(401);
  });

  it("answers the workflow-exists check with 200 or 404", async () => {
    const catalog = new GitHubRepositoryCatalog([
      { full_name: "acme/a", workflows: ["audit.yml"] },
    ]);
    github = await GitHubStandIn.start({ routes: [catalog] });
    const client = octokit(github);
    const check = (repo: string) =>
      client
        .request("GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}", {
          owner: "acme",
          repo,
          workflow_id: "audit.yml",
        })
        .then(
          (r) => r.status,
          (e: { status: number }) => e.status,
        );

    expect(await check("a")).toBe(200);
    expect(await check("b")).toBe(404);
  });
});

describe("GitHubStandIn with a rate-limit enforcer", () => {
  it("accepts 80 dispatches in a minute and answers the 81st with 429 and retry-after", async () => {
    const clock = new ManualClock();
    const limiter = new GitHubRateLimitEnforcer({ clock: () => clock.now() });
    github = await GitHubStandIn.start({ rateLimiter: limiter });
    const client = octokit(github);

    for (let i = 0; i < 80; i++) {
      clock.advance(100);
      expect((await dispatch(client)).status).toBe(204);
    }
    const over = await dispatch(client);
    clock.advance(52_100);
    const after = await dispatch(client);

    expect(over).toEqual({ status: 429, retryAfter: "53" });
    expect(after.status).toBe(204);
    expect(limiter.rejections).toEqual([
      { at: clock.now() - 52_100, limit: "minute", retryAfterSeconds: 53 },
    ]);
    expect(github.dispatches()).toHaveLength(81);
  });

  it("allows 500 an hour", async () => {
    const clock = new ManualClock();
    const limiter = new GitHubRateLimitEnforcer({ clock: () => clock.now(), perMinute: 10_000 });
    github = await GitHubStandIn.start({ rateLimiter: limiter });
    const client = octokit(github);

    for (let i = 0; i < 500; i++) await dispatch(client);
    const over = await dispatch(client);

    expect(over).toEqual({ status: 429, retryAfter: "3600" });
  });

  it("limits requests in flight at once", async () => {
    const limiter = new GitHubRateLimitEnforcer({ concurrent: 3, perMinute: 10_000 });
    github = await GitHubStandIn.start({ rateLimiter: limiter, latencyMs: 100 });
    const client = octokit(github);

    const results = await Promise.all(Array.from({ length: 5 }, () => dispatch(client)));

    expect(results.map((r) => r.status).sort()).toEqual([204, 204, 204, 429, 429]);
    expect(limiter.rejections.map((r) => r.limit)).toEqual(["concurrent", "concurrent"]);
  });

  it("counts each token on its own", async () => {
    const limiter = new GitHubRateLimitEnforcer({ perMinute: 1 });
    github = await GitHubStandIn.start({ rateLimiter: limiter, tokens: ["ghp_a", "ghp_b"] });

    const a = await dispatch(octokit(github, "ghp_a"));
    const b = await dispatch(octokit(github, "ghp_b"));

    expect([a.status, b.status]).toEqual([204, 204]);
  });
});
