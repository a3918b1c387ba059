import { describe, expect, it } from "vitest";
import {
  expandFanOutJob,
  type FanOutTarget,
  targetIdempotencyKey,
  toFanOutTarget,
} from "../../../lambda/fan-out/expand-fan-out-job.js";
import type { FanOutDispatchJob } from "../../../lambda/job/dispatch-job.js";
import { RepositoryAllowlist } from "../../../lambda/job/repository-allowlist.js";

const job: FanOutDispatchJob = {
  targets: ["acme/api", { repository: "acme/web", ref: "release", inputs: { level: "full" } }],
  workflow_id: "audit.yml",
  ref: "main",
  inputs: { level: "quick", reason: "nightly" },
  token_secret: "github/acme-bot",
};
const allowAcme = RepositoryAllowlist.parse("acme/*");
const FIRING =
  "arn:aws:scheduler:eu-central-1:111122223333:schedule/default/nightly#2026-11-24T02:00:00Z";
const explicit = (targets: FanOutDispatchJob["targets"]): FanOutTarget[] =>
  Array.isArray(targets) ? targets.map(toFanOutTarget) : [];

describe("expandFanOutJob", () => {
  it("makes one single job per target, merging the target's ref and inputs over the job's", () => {
    const { jobs, refused } = expandFanOutJob(job, explicit(job.targets), {
      firingKey: FIRING,
      allowlist: allowAcme,
    });

    expect(refused).toEqual([]);
    expect(jobs).toEqual([
      {
        owner: "acme",
        repo: "api",
        workflow_id: "audit.yml",
        ref: "main",
        inputs: { level: "quick", reason: "nightly" },
        token_secret: "github/acme-bot",
        idempotency_key: `${FIRING}#acme/api`,
      },
      {
        owner: "acme",
        repo: "web",
        workflow_id: "audit.yml",
        ref: "release",
        inputs: { level: "full", reason: "nightly" },
        token_secret: "github/acme-bot",
        idempotency_key: `${FIRING}#acme/web`,
      },
    ]);
  });

  it("derives the same keys for a repeated firing and different keys for another firing", () => {
    const once = expandFanOutJob(job, explicit(job.targets), {
      firingKey: FIRING,
      allowlist: allowAcme,
    });
    const again = expandFanOutJob(job, explicit(job.targets), {
      firingKey: FIRING,
      allowlist: allowAcme,
    });
    const next = expandFanOutJob(job, explicit(job.targets), {
      firingKey: "msg-2",
      allowlist: allowAcme,
    });

    expect(again.jobs.map((j) => j.idempotency_key)).toEqual(
      once.jobs.map((j) => j.idempotency_key),
    );
    expect(next.jobs[0]?.idempotency_key).toBe("msg-2#acme/api");
  });

  it("refuses a target outside ALLOWED_REPOSITORIES with a reason naming the fix, and keeps the others", () => {
    const targets = [{ repository: "acme/api" }, { repository: "evil/api" }];

    const { jobs, refused } = expandFanOutJob(job, targets, {
      firingKey: FIRING,
      allowlist: allowAcme,
    });

    expect(jobs.map((j) => `${j.owner}/${j.repo}`)).toEqual(["acme/api"]);
    expect(refused).toEqual([
      expect.objectContaining({
        repository: "evil/api",
        reason:
          'repository evil/api is not in ALLOWED_REPOSITORIES (acme/*); add "evil/api" or a pattern such as "evil/*" to ALLOWED_REPOSITORIES',
        job: expect.objectContaining({ owner: "evil", repo: "api" }),
      }),
    ]);
  });

  it("refuses a target whose merged inputs exceed the limit", () => {
    const targets = [{ repository: "acme/api", inputs: { a: 1, b: 2, c: 3 } }];

    const { refused } = expandFanOutJob(job, targets, {
      firingKey: FIRING,
      allowlist: allowAcme,
      maxInputs: 4,
    });

    // The job's two inputs and the target's three: the same check and message as a single job's.
    expect(refused[0]?.reason).toBe(
      "acme/api: inputs: has 5 inputs but at most 4 are allowed (the configured MAX_WORKFLOW_INPUTS); remove 1 or pass them as one JSON string input",
    );
    expect(refused[0]?.job).toMatchObject({ owner: "acme", repo: "api" });
  });

  it("dispatches a target listed twice once and reports the repeat", () => {
    const targets = [{ repository: "acme/api" }, { repository: "ACME/api" }];

    const { jobs, refused, repeated } = expandFanOutJob(job, targets, {
      firingKey: FIRING,
      allowlist: allowAcme,
    });

    expect(jobs).toHaveLength(1);
    expect(refused).toEqual([]);
    expect(repeated[0]?.reason).toMatch(/listed twice \(targets\[0\] and targets\[1\]\)/);
  });

  it("refuses a resolved name the job schema rejects, naming the field", () => {
    const { refused } = expandFanOutJob(job, [{ repository: "acme/bad name" }], {
      firingKey: FIRING,
      allowlist: allowAcme,
    });

    expect(refused[0]?.reason).toMatch(/^acme\/bad name: repo: must be a repository name/);
  });

  it("leaves out inputs and token_secret when the job has none", () => {
    const bare: FanOutDispatchJob = { targets: ["acme/api"], workflow_id: 42, ref: "main" };

    const { jobs } = expandFanOutJob(bare, explicit(bare.targets), {
      firingKey: "m",
      allowlist: allowAcme,
    });

    expect(jobs[0]).toEqual({
      owner: "acme",
      repo: "api",
      workflow_id: 42,
      ref: "main",
      idempotency_key: "m#acme/api",
    });
  });
});

describe("targetIdempotencyKey", () => {
  it("lower-cases the repository", () => {
    expect(targetIdempotencyKey("k", "Acme/API")).toBe("k#acme/api");
  });

  it("hashes a firing key too long to fit the 512-character limit", () => {
    const key = targetIdempotencyKey("x".repeat(600), "acme/api");

    expect(key).toMatch(/^sha256:[0-9a-f]{64}#acme\/api$/);
    expect(key.length).toBeLessThanOrEqual(512);
  });
});
