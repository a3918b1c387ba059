import { describe, expect, it } from "vitest";
import { InvalidJobError } from "../../../lambda/errors.js";
import { parseDispatchJob } from "../../../lambda/job/parse-job.js";

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
