import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect } from "vitest";
import type { SqsStandIn } from "../../support/sqs-stand-in.js";
import { cliEnvironment, withStandIns as it, runCliProcess } from "../cli-process.js";
import { writeConfig } from "../config-files.js";

const QUEUE = "workflow-dispatch";
const job = (n: number) => ({
  owner: "acme",
  repo: `svc-${n}`,
  workflow_id: "nightly.yml",
  ref: "main",
});

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "enqueue-"));
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

function batchSizes(sqs: SqsStandIn): number[] {
  return sqs.requests
    .filter((r) => r.target === "AmazonSQS.SendMessageBatch")
    .map((r) => (r.body as { Entries: unknown[] }).Entries.length);
}

describe.concurrent("workflow-dispatch enqueue", () => {
  it("sends one job built from arguments, validated by the shared schema", async ({ sqs }) => {
    const run = await runCliProcess(
      [
        "enqueue",
        "acme/api",
        "nightly.yml",
        "--ref",
        "main",
        "--input",
        "environment=staging",
        "--input",
        "note=a=b",
      ],
      cliEnvironment({ sqs }),
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`enqueued 1 of 1 job to ${sqs.queueUrl(QUEUE)} in 1 batch`);
    expect(sqs.messages(QUEUE).map((m) => JSON.parse(m.body))).toEqual([
      {
        owner: "acme",
        repo: "api",
        workflow_id: "nightly.yml",
        ref: "main",
        inputs: { environment: "staging", note: "a=b" },
      },
    ]);
  });

  it("sends an NDJSON file in batches of ten", async ({ sqs }) => {
    const path = await file(
      "jobs.ndjson",
      `${Array.from({ length: 25 }, (_, i) => JSON.stringify(job(i))).join("\n")}\n`,
    );
    const run = await runCliProcess(["enqueue", "--file", path], cliEnvironment({ sqs }));
    expect(run.code).toBe(0);
    expect(batchSizes(sqs).sort()).toEqual([10, 10, 5]);
    expect(sqs.messages(QUEUE)).toHaveLength(25);
    expect(run.stdout).toContain("enqueued 25 of 25 jobs");
    expect(run.stdout).toContain("in 3 batches (0 failed, 0 invalid)");
  });

  it("reads a JSON array from stdin and reports as JSON", async ({ sqs }) => {
    const run = await runCliProcess(
      ["enqueue", "--file", "-", "--json"],
      cliEnvironment({ sqs }),
      JSON.stringify([job(1), job(2)]),
    );
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      jobs: 2,
      valid: 2,
      sent: 2,
      failed: [],
      invalid: [],
      dryRun: false,
    });
    expect(result.messages.map((m: { location: string }) => m.location).sort()).toEqual([
      "stdin[0]",
      "stdin[1]",
    ]);
  });

  it("fails without sending anything when a job is invalid, naming the line and the field", async ({
    sqs,
  }) => {
    const path = await file(
      "mixed.ndjson",
      [JSON.stringify(job(1)), JSON.stringify({ ...job(2), ref: undefined }), "{not json"].join(
        "\n",
      ),
    );
    const run = await runCliProcess(["enqueue", "--file", path], cliEnvironment({ sqs }));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`invalid ${path}:2: ref: is required`);
    expect(run.stderr).toContain(`invalid ${path}:3: not JSON`);
    expect(run.stdout).toContain("2 of 3 jobs are invalid; nothing was sent");
    expect(sqs.requests.filter((r) => r.target.startsWith("AmazonSQS.Send"))).toEqual([]);
  });

  it("sends the valid jobs with --skip-invalid and still exits 1", async ({ sqs }) => {
    const path = await file(
      "skip.ndjson",
      [JSON.stringify(job(1)), JSON.stringify({ owner: "acme" })].join("\n"),
    );
    const run = await runCliProcess(
      ["enqueue", "--file", path, "--skip-invalid"],
      cliEnvironment({ sqs }),
    );
    expect(run.code).toBe(1);
    expect(sqs.messages(QUEUE)).toHaveLength(1);
  });

  it("sends nothing with --dry-run", async ({ sqs }) => {
    const path = await file("dry.json", JSON.stringify([job(1), job(2), job(3)]));
    const run = await runCliProcess(
      ["enqueue", "--file", path, "--dry-run"],
      cliEnvironment({ sqs }),
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`dry run: would send 3 jobs to ${sqs.queueUrl(QUEUE)} in 1 batch`);
    expect(sqs.requests).toEqual([]);
  });

  it("fails with exit code 1 listing the entries SQS refused", async ({ sqs }) => {
    sqs.failBatchEntries("SendMessageBatch", ["1"]);
    const path = await file("refused.json", JSON.stringify([job(1), job(2), job(3)]));
    const run = await runCliProcess(["enqueue", "--file", path], cliEnvironment({ sqs }));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`failed ${path.replace(/[.]/g, "\\.")}\\[1\\]: `));
    expect(sqs.messages(QUEUE)).toHaveLength(2);
    expect(run.stdout).toContain("enqueued 2 of 3 jobs");
  });

  it.for([
    [
      ["enqueue", "acme/api", "nightly.yml", "--ref", "main", "--input", "environment"],
      '--input "environment": expected key=value, e.g. --input environment=staging',
    ],
    [
      ["enqueue", "acme/api", "nightly.yml", "--ref", "main", "--input", "=x"],
      '--input "=x": the input name before = is empty',
    ],
    [
      ["enqueue", "acme-api", "nightly.yml", "--ref", "main"],
      'repository "acme-api": expected owner/repo, e.g. acme/api',
    ],
    [["enqueue", "acme/api", "nightly.yml"], "--ref is required"],
    [
      ["enqueue"],
      "nothing to enqueue: give <repository> <workflow> --ref REF, --file jobs.ndjson or --schedule NAME",
    ],
    [["enqueue", "--file", "/nonexistent/jobs.ndjson"], "/nonexistent/jobs.ndjson: no such file"],
    [["enqueue", "--bogus"], "unknown option '--bogus'"],
  ] as const)("fails with exit code 2 for %j", async ([args, message], { sqs }) => {
    const run = await runCliProcess(args, cliEnvironment({ sqs }));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(sqs.requests).toEqual([]);
  });

  it("fails with exit code 2 when no queue URL is given", async ({ sqs }) => {
    const env = cliEnvironment({ sqs }, { DISPATCH_QUEUE_URL: undefined });
    const run = await runCliProcess(["enqueue", "acme/api", "nightly.yml", "--ref", "main"], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "no dispatch queue URL: pass --queue-url or set DISPATCH_QUEUE_URL",
    );
  });

  it("also reports an error as JSON on stdout with --json", async ({ sqs }) => {
    const env = cliEnvironment({ sqs }, { DISPATCH_QUEUE_URL: undefined });
    const run = await runCliProcess(
      ["enqueue", "acme/api", "nightly.yml", "--ref", "main", "--json"],
      env,
    );
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({
      error: {
        message:
          "no dispatch queue URL: pass --queue-url or set DISPATCH_QUEUE_URL (the stack prints it as an output)",
        exitCode: 2,
      },
    });
  });

  it("fails with exit code 1 for a job the schema rejects", async ({ sqs }) => {
    const run = await runCliProcess(
      ["enqueue", "acme/api", "nightly", "--ref", "main"],
      cliEnvironment({ sqs }),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "invalid arguments: workflow_id: must be a workflow file name ending in .yml or .yaml",
    );
  });

  it.for([
    [{ AWS_REGION: "" }, "AWS region is not set: pass --region or set AWS_REGION"],
    [{ AWS_REGION: undefined }, "AWS region is not set: pass --region or set AWS_REGION"],
    [
      { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined },
      "AWS credentials not found",
    ],
    [
      {
        AWS_ENDPOINT_URL_SQS: "http://127.0.0.1:9",
        DISPATCH_QUEUE_URL: "http://127.0.0.1:9/111122223333/workflow-dispatch",
      },
      "cannot reach SQS at http://127.0.0.1:9: ECONNREFUSED",
    ],
  ] as const)(
    "fails with exit code 3 when AWS cannot be used (%j)",
    async ([extra, message], { sqs }) => {
      const run = await runCliProcess(
        ["enqueue", "acme/api", "nightly.yml", "--ref", "main"],
        cliEnvironment({ sqs }, extra),
      );
      expect(run.code).toBe(3);
      expect(run.stderr).toContain(message);
    },
  );

  it("sends a configured schedule's fan-out job for the function to expand", async ({ sqs }) => {
    const path = await writeConfig({
      github: { tokenSecret: "github/acme-bot" },
      secrets: [{ name: "github/acme-bot" }],
      allowedRepositories: ["acme/*"],
      schedules: [
        {
          name: "fleet-audit",
          expression: "cron(0 3 ? * SUN *)",
          job: {
            targets: ["acme/api", "acme/web"],
            workflow_id: "audit.yml",
            ref: "main",
            inputs: { started: "<aws.scheduler.scheduled-time>" },
          },
        },
      ],
    });
    const run = await runCliProcess(
      ["enqueue", "--schedule", "fleet-audit", "-c", path],
      cliEnvironment({ sqs }),
    );
    expect(run.code).toBe(0);
    const [sent] = sqs.messages(QUEUE).map((m) => JSON.parse(m.body));
    expect(sent).toMatchObject({
      targets: ["acme/api", "acme/web"],
      workflow_id: "audit.yml",
      ref: "main",
    });
    expect(sent.inputs.started).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it("shows help with exit code 0", async () => {
    const run = await runCliProcess(["enqueue", "--help"], cliEnvironment());
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      "Usage: workflow-dispatch enqueue [options] [repository] [workflow]",
    );
    expect(run.stdout).toContain("--dry-run");
  });
});
