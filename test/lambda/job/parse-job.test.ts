import { describe, expect, it } from "vitest";
import { checkDispatchJob, jobProblems, parseDispatchJob } from "../../../lambda/job/parse-job.js";
import { InvalidJobError } from "../../../lambda/outcome/errors.js";

const valid = { owner: "acme", repo: "api", workflow_id: "nightly.yml", ref: "main" };

function errorOf(value: unknown, maxInputs?: number): InvalidJobError {
  try {
    parseDispatchJob(value, { maxInputs });
  } catch (error) {
    if (error instanceof InvalidJobError) return error;
    throw error;
  }
  throw new Error("expected an InvalidJobError");
}

describe("parseDispatchJob", () => {
  it("accepts a job with a workflow file name, a numeric id or a numeric string id", () => {
    expect(parseDispatchJob(valid)).toEqual(valid);
    expect(parseDispatchJob({ ...valid, workflow_id: 161335 })).toMatchObject({
      workflow_id: 161335,
    });
    expect(parseDispatchJob({ ...valid, workflow_id: "161335" })).toMatchObject({
      workflow_id: "161335",
    });
  });

  it("accepts a fan-out job with explicit targets and with a selection", () => {
    const explicit = {
      targets: ["acme/api", { repository: "acme/web", ref: "develop" }],
      workflow_id: "audit.yml",
      ref: "main",
    };
    expect(parseDispatchJob(explicit)).toEqual(explicit);
    const selection = { targets: { org: "acme", topic: "service" }, workflow_id: 7, ref: "main" };
    expect(parseDispatchJob(selection)).toEqual(selection);
  });

  it.each([
    [{ ...valid, ref: undefined }, "ref", /ref: is required/],
    [{ ...valid, ref: "" }, "ref", /ref: must not be empty/],
    [{ ...valid, workflow_id: "nightly" }, "workflow_id", /ending in \.yml or \.yaml/],
    [{ ...valid, owner: "ac me" }, "owner", /owner: must be a GitHub login/],
    [
      { ...valid, inputs: { blob: "x".repeat(65_530) } },
      "inputs",
      /inputs: is 65,541 characters as JSON but GitHub accepts at most 65,535/,
    ],
    [{ ...valid, owner: "acme-" }, "owner", /owner: .*not at the start or end/],
    [{ ...valid, owner: "ac--me" }, "owner", /owner: .*single hyphens/],
    [{ ...valid, repo: "." }, "repo", /repo: .*not '\.' or '\.\.'/],
    [{ ...valid, repo: ".." }, "repo", /repo: .*not '\.' or '\.\.'/],
    [
      { targets: ["acme/.."], workflow_id: 1, ref: "main" },
      "targets[0]",
      /targets\[0\]: must be "owner\/repo"/,
    ],
    [
      { ...valid, inputs: { a: { nested: true } } },
      "inputs.a",
      /inputs\.a: must be a string, number or boolean/,
    ],
    [{ ...valid, input: {} }, "(job)", /unknown field "input"/],
    [{ ...valid, targets: ["acme/web"] }, "targets", /not both/],
    [
      { targets: { org: "acme", user: "bob" }, workflow_id: 1, ref: "main" },
      "targets",
      /exactly one source/,
    ],
    [
      { targets: ["acme"], workflow_id: 1, ref: "main" },
      "targets[0]",
      /targets\[0\]: must be "owner\/repo"/,
    ],
    ["not a job", "(job)", /expected a JSON object/],
  ])("rejects %j naming the field %s", (value, field, message) => {
    const error = errorOf(value);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it("rejects more inputs than the limit, saying how many to remove", () => {
    const inputs = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, i]));
    expect(() => parseDispatchJob({ ...valid, inputs }, { maxInputs: 25 })).not.toThrow();
    const error = errorOf({ ...valid, inputs }, 10);
    expect(error.field).toBe("inputs");
    expect(error.message).toMatch(/has 12 inputs but at most 10 are allowed.*remove 2/);
  });

  it("reports every problem of a job together", () => {
    const error = errorOf({ owner: "acme", repo: "api", workflow_id: "x", ref: "" });
    expect(error.message).toMatch(/workflow_id: .*; ref: /);
  });
});

const inputsOf = (count: number) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, i]));

describe("jobProblems", () => {
  it("finds nothing wrong with a valid single or fan-out job", () => {
    expect(jobProblems(valid, {})).toEqual([]);
    expect(
      jobProblems({ targets: { org: "acme" }, workflow_id: 7, ref: "main" }, { maxInputs: 10 }),
    ).toEqual([]);
  });

  it.each<[string, unknown, { field: string; message: RegExp }[]]>([
    ["an array", [valid], [{ field: "(job)", message: /^expected a JSON object.*got an array$/ }]],
    [
      "owner and targets together",
      { ...valid, targets: ["acme/web"] },
      [{ field: "targets", message: /^a job names either owner and repo .* not both$/ }],
    ],
    [
      "two schema issues",
      { ...valid, workflow_id: "x", ref: "" },
      [
        { field: "workflow_id", message: /^must be a workflow file name/ },
        { field: "ref", message: /^must not be empty/ },
      ],
    ],
    [
      "an unknown field",
      { ...valid, input: {} },
      [{ field: "(job)", message: /^unknown field "input"; allowed are owner/ }],
    ],
  ])("rejects %s, each problem naming its field apart from the message", (_case, value, want) => {
    const problems = jobProblems(value, {});

    expect(problems).toHaveLength(want.length);
    problems.forEach((problem, i) => {
      expect(problem.field).toBe(want[i]?.field);
      expect(problem.message).toMatch(want[i]?.message ?? /^$/);
    });
  });

  it.each<[string, number, string | undefined, string]>([
    ["the function's setting by default", 10, undefined, "(the configured MAX_WORKFLOW_INPUTS)"],
    ["the setting it is given", 10, "github.maxInputs", "(github.maxInputs)"],
    ["GitHub's own limit at 25", 25, "github.maxInputs", "(GitHub's limit on github.com)"],
  ])("rejects too many inputs naming %s", (_case, maxInputs, maxInputsSetting, source) => {
    const problems = jobProblems(
      { ...valid, inputs: inputsOf(maxInputs + 2) },
      { maxInputs, maxInputsSetting },
    );

    expect(problems).toEqual([
      {
        field: "inputs",
        message: `has ${maxInputs + 2} inputs but at most ${maxInputs} are allowed ${source}; remove 2 or pass them as one JSON string input`,
      },
    ]);
  });

  it("rejects an explicit target whose own inputs merged with the job's exceed the limit, and no target twice", () => {
    const job = {
      targets: [
        { repository: "acme/api", inputs: { extra: 1, k0: "overridden" } },
        { repository: "acme/web" },
        "acme/docs",
      ],
      workflow_id: "a.yml",
      ref: "main",
      inputs: inputsOf(11),
    };

    expect(jobProblems(job, { maxInputs: 10 })).toEqual([
      { field: "inputs", message: expect.stringMatching(/^has 11 inputs but at most 10/) },
      {
        field: "targets[0].inputs",
        message: expect.stringMatching(/^has 12 inputs but at most 10/),
      },
    ]);
  });
});

describe("checkDispatchJob", () => {
  it("returns the parsed job with a limit problem, so callers can check the rest of it", () => {
    const job = { ...valid, inputs: inputsOf(11) };

    const check = checkDispatchJob(job, { maxInputs: 10 });

    expect(check.job).toEqual(job);
    expect(check.problems.map((p) => p.field)).toEqual(["inputs"]);
  });

  it("returns no job when the shape is wrong", () => {
    expect(checkDispatchJob({ ...valid, ref: "" }).job).toBeUndefined();
  });

  it("rejects exactly what parseDispatchJob throws for, in the same words", () => {
    const value = {
      targets: [{ repository: "acme/api", inputs: { extra: true } }],
      workflow_id: "a.yml",
      ref: "main",
      inputs: inputsOf(3),
    };

    const problems = jobProblems(value, { maxInputs: 2 });

    expect(problems).toHaveLength(2);
    expect(errorOf(value, 2).field).toBe("inputs");
    expect(errorOf(value, 2).message).toBe(
      problems.map((p) => `${p.field}: ${p.message}`).join("; "),
    );
  });
});
