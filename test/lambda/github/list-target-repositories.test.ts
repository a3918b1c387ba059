import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createGitHubConnection,
  type GitHubConnection,
} from "../../../lambda/github/github-client.js";
import {
  exclusionOf,
  globToRegExp,
  listTargetRepositories,
} from "../../../lambda/github/list-target-repositories.js";
import type { TargetSelection } from "../../../lambda/job/dispatch-job.js";
import {
  type CatalogRepository,
  GitHubRepositoryCatalog,
} from "../../support/github-repository-catalog.js";
import { type StandInServer, sendJson, startStandInServer } from "../../support/stand-in-server.js";

const TOKEN = "ghp_list_token_0123456789";
let server: StandInServer;
let catalog: GitHubRepositoryCatalog;
let github: GitHubConnection;
const requests: { path: string; authorization: string | undefined }[] = [];
let failWorkflowCheck = false;

beforeAll(async () => {
  server = await startStandInServer((request, _body, response) => {
    const path = request.url ?? "/";
    requests.push({ path, authorization: request.headers.authorization });
    if (failWorkflowCheck && path.includes("/actions/workflows/")) {
      sendJson(response, 502, { message: "Server Error" });
      return;
    }
    const answer = catalog.answer(request.method ?? "GET", path, server.url);
    if (!answer) sendJson(response, 404, { message: "Not Found" });
    else sendJson(response, answer.status, answer.body, answer.headers);
  });
  github = createGitHubConnection({
    apiUrl: server.url,
    requestTimeoutMs: 5000,
    log: { warn: () => undefined, error: () => undefined },
  });
});
afterAll(() => server.close());
beforeEach(() => {
  requests.length = 0;
  failWorkflowCheck = false;
  catalog = new GitHubRepositoryCatalog();
});

const repos = (count: number, extra: Partial<CatalogRepository> = {}): CatalogRepository[] =>
  Array.from({ length: count }, (_, i) => ({
    full_name: `acme/svc-${String(i).padStart(3, "0")}`,
    ...extra,
  }));

const list = (selection: TargetSelection) =>
  listTargetRepositories(github.octokit, selection, { token: TOKEN, workflowId: "audit.yml" });

describe("listTargetRepositories", () => {
  it("follows the Link header through every page of an organization's repositories, 100 at a time", async () => {
    catalog.add(...repos(250));

    const result = await list({ org: "acme" });

    expect(result.repositories).toHaveLength(250);
    expect(result.repositories[249]).toBe("acme/svc-249");
    expect(requests.map((r) => r.path)).toEqual([
      "/orgs/acme/repos?type=all&per_page=100",
      "/orgs/acme/repos?type=all&per_page=100&page=2",
      "/orgs/acme/repos?type=all&per_page=100&page=3",
    ]);
    expect(
      requests.every(
        (r) => r.authorization === `bearer ${TOKEN}` || r.authorization === `Bearer ${TOKEN}`,
      ),
    ).toBe(true);
  });

  it("lists a user's repositories and the App installation's repositories", async () => {
    catalog.add({ full_name: "octocat/hello" }, { full_name: "acme/api" });

    const user = await list({ user: "octocat" });
    const installation = await list({ installation: true });

    expect(user.repositories).toEqual(["octocat/hello"]);
    expect(installation.repositories).toEqual(["octocat/hello", "acme/api"]);
    expect(requests.map((r) => r.path.split("?")[0])).toEqual([
      "/users/octocat/repos",
      "/installation/repositories",
    ]);
  });

  it("leaves out archived repositories and forks by default and counts why", async () => {
    catalog.add(
      { full_name: "acme/live" },
      { full_name: "acme/old", archived: true },
      { full_name: "acme/copy", fork: true },
      { full_name: "acme/off", disabled: true },
    );

    const result = await list({ org: "acme" });

    expect(result.repositories).toEqual(["acme/live"]);
    expect(result.listed).toBe(4);
    expect(result.excluded).toMatchObject({ archived: 1, fork: 1, disabled: 1 });
  });

  it("keeps only repositories that contain the workflow file when require_workflow_file is set", async () => {
    catalog.add(
      { full_name: "acme/a", workflows: ["audit.yml"] },
      { full_name: "acme/b", workflows: ["other.yml"] },
      { full_name: "acme/c", workflows: ["audit.yml"] },
    );

    const result = await list({ org: "acme", require_workflow_file: true });

    expect(result.repositories).toEqual(["acme/a", "acme/c"]);
    expect(result.excluded.missingWorkflow).toBe(1);
    expect(requests.filter((r) => r.path.endsWith("/actions/workflows/audit.yml"))).toHaveLength(3);
  });

  it("fails when checking a workflow file fails with anything but 404", async () => {
    catalog.add({ full_name: "acme/a", workflows: ["audit.yml"] });
    failWorkflowCheck = true;

    await expect(list({ org: "acme", require_workflow_file: true })).rejects.toMatchObject({
      status: 502,
    });
  });

  it("fails with GitHub's 404 for an unknown organization", async () => {
    await expect(list({ org: "nobody" })).rejects.toMatchObject({ status: 404 });
  });
});

describe("exclusionOf", () => {
  const base = {
    full_name: "acme/api-gateway",
    name: "api-gateway",
    visibility: "private",
    topics: ["Nightly", "go"],
  };

  it.each<[string, TargetSelection, ReturnType<typeof exclusionOf>]>([
    ["a matching topic, case-insensitively", { org: "acme", topic: "nightly" }, undefined],
    ["a missing topic", { org: "acme", topic: "rust" }, "topic"],
    ["a matching name glob", { org: "acme", name_pattern: "api-*" }, undefined],
    ["a glob on the full name", { org: "acme", name_pattern: "acme/api-?ateway" }, undefined],
    ["a name glob that does not match", { org: "acme", name_pattern: "web-*" }, "name"],
    ["the wanted visibility", { org: "acme", visibility: "private" }, undefined],
    ["another visibility", { org: "acme", visibility: "public" }, "visibility"],
  ])("judges %s", (_what, selection, expected) => {
    expect(exclusionOf(base, selection)).toBe(expected);
  });

  it("keeps archived repositories and forks when the selection includes them", () => {
    const selection: TargetSelection = { org: "acme", include_archived: true, include_forks: true };

    expect(exclusionOf({ ...base, archived: true, fork: true }, selection)).toBeUndefined();
  });
});

describe("globToRegExp", () => {
  it("treats regular-expression characters literally", () => {
    expect(globToRegExp("svc.v1+*").test("svc.v1+beta")).toBe(true);
    expect(globToRegExp("svc.v1+*").test("svcXv1+beta")).toBe(false);
  });
});
