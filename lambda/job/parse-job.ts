import type * as z from "zod";
import { InvalidJobError } from "../errors.js";
import {
  type DispatchJob,
  fanOutDispatchJobSchema,
  GITHUB_COM_MAX_INPUTS,
  singleDispatchJobSchema,
} from "./dispatch-job.js";

/** Limits applied on top of the schema. */
export interface JobLimits {
  /**
   * Most inputs one dispatch may carry.
   * @default 25 (github.com and GHEC; GHES 3.17-3.19 accepts 10)
   */
  readonly maxInputs?: number;
}

/** Renders a zod issue path as `inputs.environment` or `targets[2].repository`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out.length === 0 ? String(key) : `.${String(key)}`;
  }
  return out.length === 0 ? "(job)" : out;
}

/** One line per problem, each naming the field: `ref: is required: ...`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], prefix = ""): string[] {
  return issues.map((issue) => {
    const field = formatFieldPath([...(prefix ? [prefix] : []), ...issue.path]);
    if (issue.code === "unrecognized_keys") {
      return `${field}: unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys
        .map((k) => `"${k}"`)
        .join(
          ", ",
        )}; allowed are owner, repo (or targets), workflow_id, ref, inputs, token_secret, idempotency_key, scheduler`;
    }
    return `${field}: ${issue.message}`;
  });
}

function countInputProblems(
  inputs: Readonly<Record<string, unknown>> | undefined,
  field: string,
  maxInputs: number,
): string[] {
  const count = Object.keys(inputs ?? {}).length;
  if (count <= maxInputs) return [];
  return [
    `${field}: has ${count} inputs but at most ${maxInputs} are allowed (${
      maxInputs === GITHUB_COM_MAX_INPUTS
        ? "GitHub's limit on github.com"
        : "the configured MAX_WORKFLOW_INPUTS"
    }); remove ${count - maxInputs} or pass them as one JSON string input`,
  ];
}

/**
 * Validates an unknown value as a job. Throws {@link InvalidJobError} listing every problem,
 * each naming its field and what is allowed; `error.field` is the first offending field.
 */
export function parseDispatchJob(value: unknown, limits: JobLimits = {}): DispatchJob {
  const maxInputs = limits.maxInputs ?? GITHUB_COM_MAX_INPUTS;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidJobError(
      "(job)",
      `(job): expected a JSON object with owner, repo, workflow_id and ref, got ${
        value === null ? "null" : Array.isArray(value) ? "an array" : typeof value
      }`,
    );
  }
  const isFanOut = "targets" in value;
  if (isFanOut && ("owner" in value || "repo" in value)) {
    throw new InvalidJobError(
      "targets",
      "targets: a job names either owner and repo (one repository) or targets (fan-out), not both",
    );
  }
  const result = isFanOut
    ? fanOutDispatchJobSchema.safeParse(value)
    : singleDispatchJobSchema.safeParse(value);
  const problems = result.success ? [] : describeIssues(result.error.issues);
  let firstField = result.success ? undefined : formatFieldPath(result.error.issues[0]?.path ?? []);
  if (result.success) {
    const job = result.data;
    problems.push(...countInputProblems(job.inputs, "inputs", maxInputs));
    if ("targets" in job && Array.isArray(job.targets)) {
      job.targets.forEach((t, i) => {
        if (typeof t !== "string") {
          const merged = { ...job.inputs, ...t.inputs };
          problems.push(...countInputProblems(merged, `targets[${i}].inputs`, maxInputs));
        }
      });
    }
    if (problems.length === 0) return job;
    firstField = problems[0]?.split(":")[0];
  }
  throw new InvalidJobError(firstField ?? "(job)", problems.join("; "));
}
