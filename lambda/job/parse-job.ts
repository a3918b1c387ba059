import type { z } from "zod";
import { InvalidJobError } from "../outcome/errors.js";
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

/** One problem of a job: the field (`inputs.a`, `targets[2]`, `(job)`) and what is wrong with it. */
export interface JobProblem {
  /** Path of the offending field, `(job)` for the job as a whole. */
  readonly field: string;
  /** What is wrong and how to fix it, without the field. */
  readonly message: string;
}

/** A job checked against the shared schema and the limits. */
export interface JobCheck {
  /** The job as the schema parsed it; present whenever its shape is valid, even over a limit. */
  readonly job: DispatchJob | undefined;
  /** Every problem, schema issues first; empty when the job may be dispatched. */
  readonly problems: JobProblem[];
}

/** Limits, and how messages name the setting the input limit comes from. */
export interface JobProblemLimits extends JobLimits {
  /**
   * Where `maxInputs` is set, as messages name it: `github.maxInputs` in the CDK config. Not used
   * when the limit is GitHub's own 25.
   * @default "the configured MAX_WORKFLOW_INPUTS" (the function's environment)
   */
  readonly maxInputsSetting?: string;
}

/** Renders a zod issue path as `inputs.environment` or `targets[2].repository`. */
function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out.length === 0 ? String(key) : `.${String(key)}`;
  }
  return out.length === 0 ? "(job)" : out;
}

function issueProblems(issues: readonly z.core.$ZodIssue[], prefix: string): JobProblem[] {
  return issues.map((issue) => {
    const field = formatFieldPath([...(prefix ? [prefix] : []), ...issue.path]);
    if (issue.code === "unrecognized_keys") {
      return {
        field,
        message: `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys
          .map((k) => `"${k}"`)
          .join(
            ", ",
          )}; allowed are owner, repo (or targets), workflow_id, ref, inputs, token_secret, idempotency_key, scheduler`,
      };
    }
    return { field, message: issue.message };
  });
}

function inputCountProblems(job: DispatchJob, limits: JobProblemLimits): JobProblem[] {
  const maxInputs = limits.maxInputs ?? GITHUB_COM_MAX_INPUTS;
  const source =
    maxInputs === GITHUB_COM_MAX_INPUTS
      ? "GitHub's limit on github.com"
      : (limits.maxInputsSetting ?? "the configured MAX_WORKFLOW_INPUTS");
  const sets: Array<[string, Readonly<Record<string, unknown>>]> = [["inputs", job.inputs ?? {}]];
  if ("targets" in job && Array.isArray(job.targets)) {
    job.targets.forEach((target, i) => {
      // A target without inputs of its own has the job's, already counted above.
      if (typeof target !== "string" && target.inputs !== undefined) {
        sets.push([`targets[${i}].inputs`, { ...job.inputs, ...target.inputs }]);
      }
    });
  }
  return sets.flatMap(([field, inputs]) => {
    const problems: JobProblem[] = [];
    const count = Object.keys(inputs).length;
    if (count > maxInputs) {
      problems.push({
        field,
        message: `has ${count} inputs but at most ${maxInputs} are allowed (${source}); remove ${
          count - maxInputs
        } or pass them as one JSON string input`,
      });
    }
    const size = JSON.stringify(inputs).length;
    if (size > MAX_INPUTS_PAYLOAD_CHARACTERS) {
      problems.push({
        field,
        message: `is ${size.toLocaleString("en-US")} characters as JSON but GitHub accepts at most ${MAX_INPUTS_PAYLOAD_CHARACTERS.toLocaleString("en-US")} for the inputs payload; pass a reference (a URL, an S3 key) instead of the data`,
      });
    }
    return problems;
  });
}

/** GitHub's documented limit of the whole `inputs` payload of a dispatch, in characters. */
const MAX_INPUTS_PAYLOAD_CHARACTERS = 65_535;

/**
 * Checks an unknown value as a job: an object, one repository (`owner` + `repo`) or `targets` but
 * not both, the shared schema, and the input limit (also each explicit target's merged inputs).
 * Pure; never throws. The one implementation behind {@link parseDispatchJob} (the function, the CLI)
 * and the CDK config's schedule check.
 */
export function checkDispatchJob(value: unknown, limits: JobProblemLimits = {}): JobCheck {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const got = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
    return {
      job: undefined,
      problems: [
        {
          field: "(job)",
          message: `expected a JSON object with owner, repo, workflow_id and ref, got ${got}`,
        },
      ],
    };
  }
  const isFanOut = "targets" in value;
  if (isFanOut && ("owner" in value || "repo" in value)) {
    return {
      job: undefined,
      problems: [
        {
          field: "targets",
          message:
            "a job names either owner and repo (one repository) or targets (fan-out), not both",
        },
      ],
    };
  }
  const result = isFanOut
    ? fanOutDispatchJobSchema.safeParse(value)
    : singleDispatchJobSchema.safeParse(value);
  if (!result.success) return { job: undefined, problems: issueProblems(result.error.issues, "") };
  return { job: result.data, problems: inputCountProblems(result.data, limits) };
}

/** Every problem of a job (see {@link checkDispatchJob}); empty when it may be dispatched. Pure. */
export function jobProblems(value: unknown, limits: JobProblemLimits): JobProblem[] {
  return checkDispatchJob(value, limits).problems;
}

/**
 * Validates an unknown value as a job. Throws {@link InvalidJobError} listing every problem,
 * each naming its field and what is allowed; `error.field` is the first offending field.
 */
export function parseDispatchJob(value: unknown, limits: JobLimits = {}): DispatchJob {
  const { job, problems } = checkDispatchJob(value, limits);
  if (job !== undefined && problems.length === 0) return job;
  throw new InvalidJobError(problems.map((p) => `${p.field}: ${p.message}`).join("; "), {
    field: problems[0]?.field ?? "(job)",
  });
}
