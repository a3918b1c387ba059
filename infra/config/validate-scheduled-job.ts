import type { DispatchJob } from "../../lambda/job/dispatch-job.js";
import { checkDispatchJob } from "../../lambda/job/parse-job.js";
import type { RepositoryAllowlist } from "../../lambda/job/repository-allowlist.js";
import { closestName } from "./closest-name.js";
import {
  contextKeywordProblem,
  scheduledIdempotencyKeyProblem,
} from "./scheduler-context-keywords.js";

/** What a scheduled job is checked against, taken from the rest of the config. */
export interface JobRules {
  /** Most inputs a dispatch may carry (`github.maxInputs`). */
  readonly maxInputs: number;
  /** The config's `allowedRepositories`, compiled. */
  readonly allowlist: RepositoryAllowlist;
  /** Names of the declared secrets. */
  readonly declaredSecrets: readonly string[];
}

/** Result of checking one schedule's job. */
export interface ScheduledJobCheck {
  /** One message per problem, each starting with `label` and the field. */
  readonly errors: string[];
  /** The job as the shared schema parsed it, when there were no errors. */
  readonly job: DispatchJob | undefined;
}

/**
 * Checks a schedule's job with the function's own job check (`checkDispatchJob`: shared schema, one
 * repository or targets, input count), then against the config: allowlist (also explicit fan-out
 * targets and fan-out organizations), declared secrets, Scheduler context keywords, and an
 * idempotency key that deduplicates by scheduled time. `label` is e.g. `schedules[2] "nightly".job`.
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
  const { job, problems } = checkDispatchJob(rest, {
    maxInputs: rules.maxInputs,
    maxInputsSetting: "github.maxInputs",
  });
  errors.push(
    ...problems.map((p) => `${label}${p.field === "(job)" ? "" : `.${p.field}`}: ${p.message}`),
  );
  if (job === undefined) return { errors, job: undefined };
  errors.push(...checkContextKeywords(job, label));
  errors.push(...checkRepositories(job, label, rules.allowlist));
  errors.push(...checkSecret(job, label, rules.declaredSecrets));
  const keyProblem =
    job.idempotency_key === undefined
      ? undefined
      : scheduledIdempotencyKeyProblem(job.idempotency_key);
  if (keyProblem !== undefined) errors.push(`${label}.idempotency_key: ${keyProblem}`);
  return { errors, job: errors.length === 0 ? job : undefined };
}

function checkContextKeywords(job: DispatchJob, label: string): string[] {
  const sets: Array<[string, Readonly<Record<string, unknown>>]> = [
    [`${label}.inputs`, job.inputs ?? {}],
  ];
  if ("targets" in job && Array.isArray(job.targets)) {
    job.targets.forEach((target, i) => {
      if (typeof target !== "string" && target.inputs !== undefined) {
        sets.push([`${label}.targets[${i}].inputs`, target.inputs]);
      }
    });
  }
  return sets.flatMap(([field, inputs]) =>
    Object.entries(inputs).flatMap(([name, input]) => {
      const problem = typeof input === "string" ? contextKeywordProblem(input) : undefined;
      return problem ? [`${field}.${name}: ${problem}`] : [];
    }),
  );
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
