import { describe, expect } from "vitest";
import {
  type CliRun,
  cliEnvironment,
  closedPortUrl,
  GITHUB_TOKEN,
  withStandIns as it,
  runCliProcess,
} from "../cli-process.js";
import { writeConfig } from "../config-files.js";

const ARGS = ["dispatch", "acme/api", "nightly.yml", "--ref", "main"];

function expectNoToken(run: CliRun): void {
  expect(run.stdout).not.toContain(GITHUB_TOKEN);
  expect(run.stderr).not.toContain(GITHUB_TOKEN);
}

describe.concurrent("workflow-dispatch dispatch", () => {
  it("fires one dispatch with GITHUB_TOKEN and prints the run URL", async ({ github }) => {
    const run = await runCliProcess(
      [...ARGS, "--input", "environment=staging", "--input", "dry_run=false"],
      cliEnvironment({ github }, { GITHUB_TOKEN }),
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const [sent] = github.dispatches();
    expect(sent?.path).toBe("/repos/acme/api/actions/workflows/nightly.yml/dispatches");
    expect(sent?.body).toEqual({
      ref: "main",
      inputs: { environment: "staging", dry_run: "false" },
      return_run_details: true,
    });
    expect(String(sent?.headers.authorization)).toMatch(
      new RegExp(`^(bearer|token) ${GITHUB_TOKEN}$`, "i"),
    );
    expect(run.stdout).toMatch(
      /^dispatched nightly\.yml on acme\/api@main: run (\d+) https:\/\/github\.com\/acme\/api\/actions\/runs\/\1\n$/,
    );
    expectNoToken(run);
  });

  it("prints the result as JSON", async ({ github }) => {
    const run = await runCliProcess(
      [...ARGS, "--json"],
      cliEnvironment({ github }, { GITHUB_TOKEN }),
    );
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      repository: "acme/api",
      workflow_id: "nightly.yml",
      ref: "main",
      status: 200,
    });
    expect(result.htmlUrl).toBe(`https://github.com/acme/api/actions/runs/${result.runId}`);
  });

  it("reads the token from a Secrets Manager secret with --secret", async ({ github, secrets }) => {
    const run = await runCliProcess(
      [...ARGS, "--secret", "github/acme-bot"],
      cliEnvironment({ github, secrets }, { GITHUB_TOKEN: undefined }),
    );
    expect(run.code).toBe(0);
    expect(secrets.callCount("github/acme-bot")).toBe(1);
    expect(github.dispatches()).toHaveLength(1);
    expectNoToken(run);
  });

  it("fires a configured schedule's job now, with Scheduler's keywords filled in", async ({
    github,
    secrets,
  }) => {
    const path = await writeConfig({
      github: { tokenSecret: "github/acme-bot" },
      secrets: [{ name: "github/acme-bot" }],
      allowedRepositories: ["acme/*"],
      schedules: [
        {
          name: "smoke",
          expression: "cron(0 9 ? * MON-FRI *)",
          timezone: "Europe/Berlin",
          job: {
            owner: "acme",
            repo: "web",
            workflow_id: "smoke.yml",
            ref: "main",
            inputs: { environment: "staging", scheduled_time: "<aws.scheduler.scheduled-time>" },
          },
        },
      ],
    });
    const run = await runCliProcess(
      ["dispatch", "--schedule", "smoke", "--config", path, "--input", "extra=1"],
      cliEnvironment({ github, secrets }),
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const body = github.dispatches()[0]?.body as { ref: string; inputs: Record<string, string> };
    expect(github.dispatches()[0]?.path).toBe(
      "/repos/acme/web/actions/workflows/smoke.yml/dispatches",
    );
    expect(body.inputs.environment).toBe("staging");
    expect(body.inputs.extra).toBe("1");
    expect(body.inputs.scheduled_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(Math.abs(Date.parse(body.inputs.scheduled_time ?? "") - Date.now())).toBeLessThan(
      60_000,
    );
    expect(secrets.callCount("github/acme-bot")).toBe(1);
  });

  it("fails with exit code 2 for an unknown schedule", async () => {
    const path = await writeConfig({
      github: { tokenSecret: "github/acme-bot" },
      secrets: [{ name: "github/acme-bot" }],
      allowedRepositories: ["acme/*"],
      schedules: [
        {
          name: "smoke",
          expression: "rate(1 hour)",
          job: { owner: "acme", repo: "web", workflow_id: "smoke.yml", ref: "main" },
        },
      ],
    });
    const run = await runCliProcess(
      ["dispatch", "--schedule", "smok", "-c", path],
      cliEnvironment(),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'unknown schedule "smok" (did you mean "smoke"?); the config has smoke',
    );
  });

  it("shows the request and sends nothing with --dry-run", async ({ github }) => {
    const run = await runCliProcess(
      [...ARGS, "-i", "a=1", "--dry-run"],
      cliEnvironment({ github }, { GITHUB_TOKEN }),
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      `dry run: would POST ${github.url}/repos/acme/api/actions/workflows/nightly.yml/dispatches\n  body: {"ref":"main","inputs":{"a":"1"},"return_run_details":true}\n  token: $GITHUB_TOKEN\n`,
    );
    expect(github.requests).toEqual([]);
  });

  it("reports GitHub Enterprise Server's 204 without run details", async () => {
    const { GitHubStandIn } = await import("../../support/github-stand-in.js");
    const ghes = await GitHubStandIn.start({ tokens: [GITHUB_TOKEN], mode: "ghes" });
    try {
      const run = await runCliProcess(ARGS, cliEnvironment({ github: ghes }, { GITHUB_TOKEN }));
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(
        "dispatched nightly.yml on acme/api@main (GitHub answered 204 without run details; runs: https://github.com/acme/api/actions)",
      );
    } finally {
      await ghes.close();
    }
  });

  it.for([
    [404, {}, 1, "workflow nightly.yml in acme/api not found (404)"],
    [
      422,
      { message: "No ref found for: main" },
      1,
      "GitHub rejected workflow nightly.yml in acme/api (422: No ref found for: main)",
    ],
    [429, { message: "slow down" }, 1, "retry after 30 s"],
    [502, {}, 3, "GitHub answered 502"],
  ] as const)(
    "maps GitHub %i to exit code %i",
    async ([status, body, code, message], { github }) => {
      github.script({ status, body, headers: status === 429 ? { "retry-after": "30" } : {} });
      const run = await runCliProcess(ARGS, cliEnvironment({ github }, { GITHUB_TOKEN }));
      expect(run.code).toBe(code);
      expect(run.stderr).toContain(message);
      expectNoToken(run);
    },
  );

  it("fails with exit code 3 when GitHub rejects the token", async ({ github }) => {
    const run = await runCliProcess(
      ARGS,
      cliEnvironment({ github }, { GITHUB_TOKEN: "ghp_wrong_token_000000" }),
    );
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('token in secret "$GITHUB_TOKEN" was rejected (401); rotate it');
    expect(run.stderr).not.toContain("ghp_wrong_token_000000");
  });

  it("fails with exit code 3 without a GitHub token", async () => {
    const run = await runCliProcess(ARGS, cliEnvironment({}, { GITHUB_TOKEN: undefined }));
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("no GitHub token: set GITHUB_TOKEN, or pass --secret SECRET_ID");
  });

  it("fails with exit code 3 when GitHub cannot be reached", async () => {
    const run = await runCliProcess(
      ARGS,
      cliEnvironment({}, { GITHUB_TOKEN, GITHUB_API_URL: await closedPortUrl() }),
    );
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      "GitHub unreachable (ECONNREFUSED) for workflow nightly.yml in acme/api",
    );
    expectNoToken(run);
  });

  it.for([
    ["github/missing", {}, 'secret "github/missing" not found in Secrets Manager'],
    [
      "github/acme-bot",
      { AWS_REGION: undefined },
      "AWS region is not set: pass --region or set AWS_REGION",
    ],
  ] as const)(
    "fails with exit code 3 when secret %s cannot be read (%j)",
    async ([secret, extra, message], { github, secrets }) => {
      const run = await runCliProcess(
        [...ARGS, "--secret", secret],
        cliEnvironment({ github, secrets }, extra),
      );
      expect(run.code).toBe(3);
      expect(run.stderr).toContain(message);
      expect(github.requests).toEqual([]);
    },
  );

  it.for([
    [
      ["dispatch", "acme/api", "nightly.yml", "--ref", "main", "--input", "a:1"],
      '--input "a:1": expected key=value',
    ],
    [
      ["dispatch", "acme/api"],
      "nothing to dispatch: give <repository> <workflow> --ref REF, or --schedule NAME",
    ],
    [
      ["dispatch", "acme/api", "nightly.yml", "--schedule", "x"],
      "give either --schedule NAME or <repository> <workflow>, not both",
    ],
  ] as const)("fails with exit code 2 for %j", async ([args, message]) => {
    const run = await runCliProcess(args, cliEnvironment({}, { GITHUB_TOKEN }));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it.for([
    [
      ["dispatch", "acme/api", "nightly", "--ref", "main"],
      "workflow_id: must be a workflow file name ending in .yml or .yaml",
    ],
    [
      [
        "dispatch",
        "acme/api",
        "nightly.yml",
        "--ref",
        "main",
        ...Array.from({ length: 26 }, (_, i) => `--input=k${i}=v`),
      ],
      "inputs: has 26 inputs but at most 25 are allowed",
    ],
  ] as const)(
    "fails with exit code 1 for a job the shared schema rejects: %j",
    async ([args, message], { github }) => {
      const run = await runCliProcess(args, cliEnvironment({ github }, { GITHUB_TOKEN }));
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(message);
      expect(github.requests).toEqual([]);
    },
  );
});
