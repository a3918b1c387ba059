import {
  type DispatchJob,
  fanOutDispatchJobSchema,
  singleDispatchJobSchema,
} from "../../lambda/job/dispatch-job.js";
import { describeIssues } from "../../lambda/job/parse-job.js";
import type { RepositoryAllowlist } from "../../lambda/job/repository-allowlist.js";
import { closestName } from "./closest-name.js";

/** What a scheduled job is checked against, taken from the rest of the config. */
export interface JobRules {
  /** Most inputs a dispatch may carry (`github.maxInputs`). */
  readonly maxInputs: number;
  /** The config's `allowedRepositories`, compiled. */
  readonly allowlist: RepositoryAllowlist;
  /** Names of the declared secrets. */
  readonly declaredSecrets: readonly string[];
}

/** Scheduler context keywords a schedule's input may carry, substituted when the schedule fires. */
export const SCHEDULER_CONTEXT_KEYWORDS = [
  "schedule-arn",
  "scheduled-time",
  "execution-id",
  "attempt-number",
] as const;

/** Result of checking one schedule's job. */
export interface ScheduledJobCheck {
  /** One message per problem, each starting with `label` and the field. */
  readonly errors: string[];
  /** The job as the shared schema parsed it, when there were no errors. */
  readonly job: DispatchJob | undefined;
}

/**
 * Checks a schedule's job with the shared job schema, then against the config: input count,
 * allowlist (also explicit fan-out targets and fan-out organizations), declared secrets, Scheduler
 * context keywords, and no static idempotency key. `label` is e.g. `schedules[2] "nightly".job`.
 */
export function validateScheduledJob(
  value: unknown,
  label: string,
  rules: JobRules,
): ScheduledJobCheck {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return {
      errors: [`${label}: must be an object such as { owner, repo, workflow_id, ref }`],
      job: undefined,
    };
  }
  const errors: string[] = [];
  if ("scheduler" in value) {
    errors.push(
      `${label}.scheduler: is set by the stack from Scheduler's context attributes; remove it`,
    );
  }
  const { scheduler: _ignored, ...rest } = value as Record<string, unknown>;
  const isFanOut = "targets" in rest;
  if (isFanOut && ("owner" in rest || "repo" in rest)) {
    errors.push(
      `${label}.targets: a job names either owner and repo (one repository) or targets (fan-out), not both`,
    );
    return { errors, job: undefined };
  }
  const parsed = isFanOut
    ? fanOutDispatchJobSchema.safeParse(rest)
    : singleDispatchJobSchema.safeParse(rest);
  if (!parsed.success) {
    errors.push(
      ...describeIssues(parsed.error.issues).map((line) =>
        line.startsWith("(job)") ? `${label}${line.slice(5)}` : `${label}.${line}`,
      ),
    );
    return { errors, job: undefined };
  }
  const job: DispatchJob = parsed.data;
  errors.push(...checkInputs(job, label, rules.maxInputs));
  errors.push(...checkRepositories(job, label, rules.allowlist));
  errors.push(...checkSecret(job, label, rules.declaredSecrets));
  if (job.idempotency_key !== undefined && !job.idempotency_key.includes("<aws.scheduler.")) {
    errors.push(
      `${label}.idempotency_key: a fixed key makes every firing after the first a duplicate; remove it (the stack keys each firing by schedule ARN and scheduled time)`,
    );
  }
  return { errors, job: errors.length === 0 ? job : undefined };
}

function checkInputs(job: DispatchJob, label: string, maxInputs: number): string[] {
  const sets: Array<[string, Readonly<Record<string, unknown>>]> = [
    [`${label}.inputs`, job.inputs ?? {}],
  ];
  if ("targets" in job && Array.isArray(job.targets)) {
    job.targets.forEach((target, i) => {
      if (typeof target !== "string" && target.inputs !== undefined) {
        sets.push([`${label}.targets[${i}].inputs`, { ...job.inputs, ...target.inputs }]);
      }
    });
  }
  const errors: string[] = [];
  for (const [field, inputs] of sets) {
    const count = Object.keys(inputs).length;
    if (count > maxInputs) {
      errors.push(
        `${field}: has ${count} inputs but at most ${maxInputs} are allowed (github.maxInputs); remove ${count - maxInputs} or pass them as one JSON string input`,
      );
    }
    for (const [name, input] of Object.entries(inputs)) {
      const problem = typeof input === "string" ? contextKeywordProblem(input) : undefined;
      if (problem) errors.push(`${field}.${name}: ${problem}`);
    }
  }
  return errors;
}

function contextKeywordProblem(input: string): string | undefined {
  if (!input.includes("<aws.scheduler.")) return undefined;
  for (const match of input.matchAll(/<aws\.scheduler\.([^>]*)>?/g)) {
    const name = match[1] ?? "";
    if (
      match[0].endsWith(">") &&
      (SCHEDULER_CONTEXT_KEYWORDS as readonly string[]).includes(name)
    ) {
      continue;
    }
    const suggestion = closestName(name, SCHEDULER_CONTEXT_KEYWORDS);
    return `"${match[0]}" is not a Scheduler context keyword${
      suggestion ? ` (did you mean "<aws.scheduler.${suggestion}>"?)` : ""
    }; known are ${SCHEDULER_CONTEXT_KEYWORDS.map((k) => `<aws.scheduler.${k}>`).join(", ")}`;
  }
  return undefined;
}

function notAllowed(repository: string, allowlist: RepositoryAllowlist): string {
  const owner = repository.split("/")[0];
  return `"${repository}" is not in allowedRepositories (${allowlist.source.join(", ")}); add "${repository}" or "${owner}/*" to allowedRepositories`;
}

function checkRepositories(
  job: DispatchJob,
  label: string,
  allowlist: RepositoryAllowlist,
): string[] {
  if (!("targets" in job)) {
    return allowlist.allows(job.owner, job.repo)
      ? []
      : [`${label}.repo: ${notAllowed(`${job.owner}/${job.repo}`, allowlist)}`];
  }
  if (Array.isArray(job.targets)) {
    return job.targets.flatMap((target, i) => {
      const repository = typeof target === "string" ? target : target.repository;
      const [owner = "", repo = ""] = repository.split("/");
      return allowlist.allows(owner, repo)
        ? []
        : [`${label}.targets[${i}]: ${notAllowed(repository, allowlist)}`];
    });
  }
  const selection = job.targets;
  const owner = selection.org ?? selection.user;
  if (owner === undefined) return [];
  const field = selection.org !== undefined ? "org" : "user";
  const ownerAllowed = allowlist.source.some((pattern) =>
    wildcard(pattern.split("/")[0] ?? "").test(owner),
  );
  return ownerAllowed
    ? []
    : [
        `${label}.targets.${field}: no allowedRepositories pattern covers "${owner}/..." so every target would be refused; add "${owner}/*" (or the repositories) to allowedRepositories`,
      ];
}

function wildcard(pattern: string): RegExp {
  const body = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join("[^/]*");
  return new RegExp(`^${body}$`, "i");
}

function checkSecret(job: DispatchJob, label: string, declared: readonly string[]): string[] {
  if (job.token_secret === undefined || declared.includes(job.token_secret)) return [];
  const suggestion = closestName(job.token_secret, declared);
  return [
    `${label}.token_secret: "${job.token_secret}" is not declared in secrets${
      suggestion ? ` (did you mean "${suggestion}"?)` : ""
    }; add { name: "${job.token_secret}" } to secrets so the function may read it`,
  ];
}
