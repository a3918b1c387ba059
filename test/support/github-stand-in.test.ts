import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Octokit } from "@octokit/core";
import { RequestError } from "@octokit/request-error";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_GITHUB_TOKEN, GitHubStandIn } from "./github-stand-in.js";
import { rejectionOf } from "./rejection-of.js";

const DISPATCH = "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches";
const target = { owner: "acme", repo: "api", workflow_id: "nightly.yml" };

const require = createRequire(import.meta.url);
/** Where @octokit/openapi keeps GitHub's published descriptions, one JSON file per product. */
const openApiDirectory = path.join(
  path.dirname(require.resolve("@octokit/openapi/package.json")),
  "generated",
);

/** GitHub's published request schema of the dispatch endpoint, from @octokit/openapi. */
function dispatchSchema(version: string) {
  const file = path.join(openApiDirectory, `${version}.json`);
  const spec = JSON.parse(readFileSync(file, "utf8"));
  const operation =
    spec.paths["/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches"].post;
  return {
    maxInputs: operation.requestBody.content["application/json"].schema.properties.inputs
      .maxProperties as number,
    keys: Object.keys(operation.requestBody.content["application/json"].schema.properties),
  };
}

function inputs(count: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`input_${i}`, "x"]));
}

describe("GitHubStandIn", () => {
  let gitHub: GitHubStandIn;
  let octokit: Octokit;

  beforeEach(async () => {
    gitHub = await GitHubStandIn.start();
    octokit = new Octokit({ baseUrl: gitHub.url, auth: DEFAULT_GITHUB_TOKEN });
  });
  afterEach(() => gitHub.close());

  it("answers a dispatch with 204 and records path, body and headers", async () => {
    const response = await octokit.request(DISPATCH, {
      ...target,
      ref: "main",
      inputs: { environment: "staging" },
    });

    expect(response.status).toBe(204);
    expect(gitHub.dispatches()).toHaveLength(1);
    const [recorded] = gitHub.requests;
    expect(recorded).toMatchObject({
      method: "POST",
      path: "/repos/acme/api/actions/workflows/nightly.yml/dispatches",
      body: { ref: "main", inputs: { environment: "staging" } },
      status: 204,
    });
    expect(recorded?.headers.authorization).toBe(`token ${DEFAULT_GITHUB_TOKEN}`);
  });

  it("returns run details with increasing ids when return_run_details is true", async () => {
    const first = await octokit.request(DISPATCH, {
      ...target,
      ref: "main",
      return_run_details: true,
    });
    const second = await octokit.request(DISPATCH, {
      ...target,
      ref: "main",
      return_run_details: true,
    });

    expect(first.status).toBe(200);
    const run = first.data as { workflow_run_id: number; run_url: string; html_url: string };
    expect(run.run_url).toBe(`${gitHub.url}/repos/acme/api/actions/runs/${run.workflow_run_id}`);
    expect(run.html_url).toBe(`https://github.com/acme/api/actions/runs/${run.workflow_run_id}`);
    expect((second.data as { workflow_run_id: number }).workflow_run_id).toBeGreaterThan(
      run.workflow_run_id,
    );
  });

  it("accepts a token sent as Bearer", async () => {
    const response = await octokit.request(DISPATCH, {
      ...target,
      ref: "main",
      headers: { authorization: `Bearer ${DEFAULT_GITHUB_TOKEN}` },
    });
    expect(response.status).toBe(204);
  });

  it.each([
    ["an unknown token", "ghp_wrong"],
    ["no token", undefined],
  ])("rejects %s with 401 Bad credentials", async (_, auth) => {
    const client = new Octokit({ baseUrl: gitHub.url, ...(auth ? { auth } : {}) });
    const error = await rejectionOf(
      client.request(DISPATCH, { ...target, ref: "main" }),
      RequestError,
    );
    expect(error.status).toBe(401);
    expect(error.response?.data).toMatchObject({ message: "Bad credentials", status: "401" });
    expect(gitHub.dispatches()).toHaveLength(0);
  });

  it.each([
    ["without ref", { ref: undefined }, /"ref" wasn't supplied/],
    ["with 26 inputs", { ref: "main", inputs: inputs(26) }, /more than the maximum of 25/],
  ])("rejects a dispatch %s with 422", async (_, body, message) => {
    const error = await rejectionOf(
      octokit.request(DISPATCH, { ...target, ...(body as { ref: string }) }),
      RequestError,
    );
    expect(error.status).toBe(422);
    expect(error.message).toMatch(message);
  });

  it("accepts exactly 25 inputs on github.com", async () => {
    const response = await octokit.request(DISPATCH, {
      ...target,
      ref: "main",
      inputs: inputs(25),
    });
    expect(response.status).toBe(204);
  });

  it("sends x-ratelimit headers with remaining counting down", async () => {
    const first = await octokit.request(DISPATCH, { ...target, ref: "main" });
    const second = await octokit.request(DISPATCH, { ...target, ref: "main" });
    expect(first.headers["x-ratelimit-limit"]).toBe("5000");
    expect(first.headers["x-ratelimit-remaining"]).toBe("4999");
    expect(second.headers["x-ratelimit-remaining"]).toBe("4998");
    expect(second.headers["x-ratelimit-used"]).toBe("2");
    expect(Number(second.headers["x-ratelimit-reset"])).toBeGreaterThan(Date.now() / 1000);
  });

  it("rejects old tokens with 401 after acceptTokens rotates them", async () => {
    gitHub.acceptTokens("ghp_rotated");

    const old = await rejectionOf(
      octokit.request(DISPATCH, { ...target, ref: "main" }),
      RequestError,
    );
    const rotated = new Octokit({ baseUrl: gitHub.url, auth: "ghp_rotated" });
    const response = await rotated.request(DISPATCH, { ...target, ref: "main" });

    expect(old.status).toBe(401);
    expect(response.status).toBe(204);
  });

  it("reset clears recorded requests and pending scripts", async () => {
    gitHub.script({ status: 500 });
    await octokit
      .request(DISPATCH, { ...target, ref: "main", headers: { "x-one": "1" } })
      .catch(() => undefined);
    gitHub.script({ status: 500 });
    gitHub.reset();

    const response = await octokit.request(DISPATCH, { ...target, ref: "main" });
    expect(response.status).toBe(204);
    expect(gitHub.requests).toHaveLength(1);
  });

  it("answers extra routes only for accepted tokens", async () => {
    const withRoute = await GitHubStandIn.start({
      routes: [
        {
          answer: (method, path) =>
            method === "GET" && path.startsWith("/orgs/acme/repos")
              ? { status: 200, body: [{ full_name: "acme/api" }], headers: { link: "" } }
              : undefined,
        },
      ],
    });
    try {
      const client = new Octokit({ baseUrl: withRoute.url, auth: DEFAULT_GITHUB_TOKEN });
      const stranger = new Octokit({ baseUrl: withRoute.url, auth: "ghp_unknown" });
      const listed = await client.request("GET /orgs/{org}/repos", { org: "acme", per_page: 100 });
      const denied = await rejectionOf(
        stranger.request("GET /orgs/{org}/repos", { org: "acme" }),
        RequestError,
      );
      const other = await rejectionOf(
        client.request("GET /orgs/{org}/repos", { org: "umbrella" }),
        RequestError,
      );

      expect(listed.data).toEqual([{ full_name: "acme/api" }]);
      expect(listed.headers["x-ratelimit-limit"]).toBe("5000");
      expect(denied.status).toBe(401);
      expect(other.status).toBe(404);
    } finally {
      await withRoute.close();
    }
  });

  it("answers unknown routes with 404", async () => {
    const error = await rejectionOf(octokit.request("GET /user"), RequestError);
    expect(error.status).toBe(404);
  });

  it("serves thousands of keep-alive dispatches quickly", async () => {
    const started = Date.now();
    for (let batch = 0; batch < 20; batch++) {
      await Promise.all(
        Array.from({ length: 100 }, () => octokit.request(DISPATCH, { ...target, ref: "main" })),
      );
    }
    expect(gitHub.dispatches()).toHaveLength(2000);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe("GitHubStandIn in ghes mode", () => {
  let gitHub: GitHubStandIn;
  let octokit: Octokit;

  beforeEach(async () => {
    gitHub = await GitHubStandIn.start({ mode: "ghes", tokens: ["ghp_ghes"] });
    octokit = new Octokit({ baseUrl: `${gitHub.url}/api/v3`, auth: "ghp_ghes" });
  });
  afterEach(() => gitHub.close());

  it.each([true, false])(
    "rejects return_run_details: %s with 422 naming the key",
    async (value) => {
      const error = await rejectionOf(
        octokit.request(DISPATCH, { ...target, ref: "main", return_run_details: value }),
        RequestError,
      );
      expect(error.status).toBe(422);
      expect(error.message).toContain("For 'properties/return_run_details'");
      expect(error.message).toContain("is not a permitted key");
    },
  );

  it("answers 204 without return_run_details under the /api/v3 prefix", async () => {
    const response = await octokit.request(DISPATCH, { ...target, ref: "main" });
    expect(response.status).toBe(204);
    expect(gitHub.dispatches()[0]?.path).toBe(
      "/api/v3/repos/acme/api/actions/workflows/nightly.yml/dispatches",
    );
  });

  it("allows 10 inputs and rejects 11 with 422", async () => {
    const ten = await octokit.request(DISPATCH, { ...target, ref: "main", inputs: inputs(10) });
    const eleven = await rejectionOf(
      octokit.request(DISPATCH, { ...target, ref: "main", inputs: inputs(11) }),
      RequestError,
    );
    expect(ten.status).toBe(204);
    expect(eleven.status).toBe(422);
    expect(eleven.message).toMatch(/more than the maximum of 10/);
  });
});

describe("GitHubStandIn with known repositories", () => {
  let gitHub: GitHubStandIn;
  let octokit: Octokit;

  beforeEach(async () => {
    gitHub = await GitHubStandIn.start({
      repositories: { "acme/api": ["nightly.yml", "161335"] },
    });
    octokit = new Octokit({ baseUrl: gitHub.url, auth: DEFAULT_GITHUB_TOKEN });
  });
  afterEach(() => gitHub.close());

  it.each([
    ["a known workflow file", "acme", "api", "nightly.yml"],
    ["a known numeric workflow id", "acme", "api", 161335],
    ["a repository name in another case", "ACME", "Api", "nightly.yml"],
  ])("dispatches to %s", async (_, owner, repo, workflowId) => {
    const response = await octokit.request(DISPATCH, {
      owner,
      repo,
      workflow_id: workflowId,
      ref: "main",
    });
    expect(response.status).toBe(204);
  });

  it.each([
    ["an unknown repository", "acme", "web", "nightly.yml"],
    ["an unknown workflow", "acme", "api", "deploy.yml"],
  ])("rejects %s with 404 Not Found", async (_, owner, repo, workflowId) => {
    const error = await rejectionOf(
      octokit.request(DISPATCH, { owner, repo, workflow_id: workflowId, ref: "main" }),
      RequestError,
    );
    expect(error.status).toBe(404);
    expect(error.response?.data).toMatchObject({ message: "Not Found" });
  });
});

describe("GitHubStandIn against GitHub's OpenAPI descriptions", () => {
  it.each([
    ["api.github.com", "github.com"],
    ["ghec", "github.com"],
    ["ghes-3.17", "ghes"],
    ["ghes-3.19", "ghes"],
  ] as const)("enforces the input limit and keys of %s", async (version, mode) => {
    const { maxInputs, keys } = dispatchSchema(version);
    const gitHub = await GitHubStandIn.start({ mode });
    try {
      const octokit = new Octokit({ baseUrl: gitHub.url, auth: DEFAULT_GITHUB_TOKEN });
      const atLimit = await octokit.request(DISPATCH, {
        ...target,
        ref: "main",
        inputs: inputs(maxInputs),
      });
      const overLimit = await rejectionOf(
        octokit.request(DISPATCH, { ...target, ref: "main", inputs: inputs(maxInputs + 1) }),
        RequestError,
      );
      const withRunDetails = await octokit
        .request(DISPATCH, { ...target, ref: "main", return_run_details: true })
        .then(
          (r) => r.status,
          (e: RequestError) => e.status,
        );

      expect(atLimit.status).toBe(204);
      expect(overLimit.status).toBe(422);
      expect(withRunDetails).toBe(keys.includes("return_run_details") ? 200 : 422);
    } finally {
      await gitHub.close();
    }
  });
});
