import * as z from "zod";

/**
 * The job wire format, one schema shared by the function, the CDK config and the CLI.
 * Field names mirror GitHub's REST API (`workflow_id`, `ref`, `inputs`).
 */

/** Inputs GitHub accepts per dispatch on github.com and GHEC. */
export const GITHUB_COM_MAX_INPUTS = 25;

/** GitHub's login rule: letters and digits, single hyphens between them, at most 39 characters. */
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
/** GitHub's repository name rule; `.` and `..` would collapse the request path (`/repos/acme/..`). */
const REPO = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/;
const WORKFLOW_FILE = /^[^/\\]+\.ya?ml$/;
const NUMERIC_ID = /^[1-9][0-9]*$/;

/** A GitHub owner (user or organization) login. */
const ownerSchema = z
  .string({ error: 'must be a string naming the GitHub user or organization, e.g. "acme"' })
  .regex(OWNER, {
    error:
      "must be a GitHub login: letters and digits with single hyphens between them (not at the start or end), at most 39 characters",
  });

/** A repository name without its owner. */
const repoSchema = z
  .string({ error: 'must be a string naming the repository, e.g. "api"' })
  .regex(REPO, {
    error:
      "must be a repository name: letters, digits, '.', '_' and '-', at most 100 characters, and not '.' or '..'",
  });

/** `owner/repo` in one string. */
const repositoryFullNameSchema = z
  .string({ error: 'must be a string "owner/repo"' })
  .regex(new RegExp(`^${OWNER.source.slice(1, -1)}/${REPO.source.slice(1, -1)}$`), {
    error: 'must be "owner/repo", e.g. "acme/api"',
  });

/** A workflow file name (`nightly.yml`) or its numeric id. */
const WORKFLOW_ID_HELP =
  'must be a workflow file name ending in .yml or .yaml (e.g. "nightly.yml", without .github/workflows/) or a numeric workflow id';
const workflowIdSchema = z
  .union([z.number().int().positive(), z.string()], { error: WORKFLOW_ID_HELP })
  .refine((v) => typeof v === "number" || WORKFLOW_FILE.test(v) || NUMERIC_ID.test(v), {
    error: WORKFLOW_ID_HELP,
  });

/** A branch or tag (a SHA where the server accepts it). */
const refSchema = z
  .string({ error: 'is required: the branch or tag to run on, e.g. "main"' })
  .min(1, { error: 'must not be empty: name the branch or tag to run on, e.g. "main"' })
  .refine((v) => !/\s/.test(v), { error: "must not contain whitespace" });

/** A value of one workflow input: GitHub accepts strings, numbers and booleans. */
const inputValueSchema = z.union([z.string(), z.number(), z.boolean()], {
  error: "must be a string, number or boolean (GitHub rejects objects, arrays and null)",
});

/** Workflow inputs by name. The count limit is applied by `parseDispatchJob`, where it is configured. */
const inputsSchema = z.record(
  z.string().min(1, { error: "input names must not be empty" }),
  inputValueSchema,
  { error: "must be an object of input name to string, number or boolean" },
);

/** A Secrets Manager secret id or ARN. */
export const secretIdSchema = z
  .string({ error: "must be a Secrets Manager secret name or ARN" })
  .min(1, { error: "must not be empty: name a Secrets Manager secret or leave the field out" });

/** A caller-chosen key that dedupes redelivered copies of the same job. */
const idempotencyKeySchema = z
  .string({ error: "must be a string" })
  .min(1, { error: "must not be empty: leave the field out to use the delivery's own key" })
  .max(512, { error: "must be at most 512 characters" });

/**
 * Where a scheduled job came from: the stack fills each field with an EventBridge Scheduler context
 * attribute (`<aws.scheduler.schedule-arn>` ...), so every value is a whole keyword Scheduler substitutes.
 * Used for the idempotency key (schedule ARN + scheduled time), schedule lag and logs; never sent to GitHub.
 */
const schedulerContextSchema = z.strictObject({
  schedule_arn: z.string().min(1),
  scheduled_time: z.string().min(1),
  execution_id: z.string().min(1).optional(),
  attempt_number: z.union([z.string(), z.number()]).optional(),
});

const commonFields = {
  workflow_id: workflowIdSchema,
  ref: refSchema,
  inputs: inputsSchema.optional(),
  token_secret: secretIdSchema.optional(),
  idempotency_key: idempotencyKeySchema.optional(),
  scheduler: schedulerContextSchema.optional(),
};

/** One dispatch to one repository. */
export const singleDispatchJobSchema = z.strictObject(
  { owner: ownerSchema, repo: repoSchema, ...commonFields },
  { error: (issue) => (issue.code === "unrecognized_keys" ? undefined : "must be a JSON object") },
);

/** A fan-out target named explicitly: `"acme/api"` or an object overriding `ref` or `inputs`. */
const explicitTargetSchema = z.union(
  [
    repositoryFullNameSchema,
    z.strictObject({
      repository: repositoryFullNameSchema,
      ref: refSchema.optional(),
      inputs: inputsSchema.optional(),
    }),
  ],
  { error: 'must be "owner/repo" or { "repository": "owner/repo", "ref"?, "inputs"? }' },
);

/** Repositories resolved when the job fires: an organization's, a user's, or the App installation's. */
const targetSelectionSchema = z
  .strictObject({
    org: ownerSchema.optional(),
    user: ownerSchema.optional(),
    installation: z.literal(true).optional(),
    topic: z.string().min(1).optional(),
    name_pattern: z.string().min(1).optional(),
    visibility: z.enum(["all", "public", "private", "internal"]).optional(),
    include_archived: z.boolean().optional(),
    include_forks: z.boolean().optional(),
    require_workflow_file: z.boolean().optional(),
  })
  .refine(
    (s) =>
      [s.org !== undefined, s.user !== undefined, s.installation !== undefined].filter(Boolean)
        .length === 1,
    { error: 'must name exactly one source: "org", "user" or "installation": true' },
  );

/** One dispatch to many repositories, expanded into single jobs by the function. */
export const fanOutDispatchJobSchema = z.strictObject({
  targets: z.union([
    z.array(explicitTargetSchema).min(1, { error: "must name at least one target" }),
    targetSelectionSchema,
  ]),
  ...commonFields,
});

/** A single job, after validation. */
export type SingleDispatchJob = z.infer<typeof singleDispatchJobSchema>;
/** A fan-out job, after validation. */
export type FanOutDispatchJob = z.infer<typeof fanOutDispatchJobSchema>;
/** Any job the function accepts. */
export type DispatchJob = SingleDispatchJob | FanOutDispatchJob;
/** An explicit fan-out target. */
export type ExplicitTarget = z.infer<typeof explicitTargetSchema>;
/** A fan-out selection resolved at fire time. */
export type TargetSelection = z.infer<typeof targetSelectionSchema>;

/** True when the job names several targets instead of one repository. */
export function isFanOutJob(job: DispatchJob): job is FanOutDispatchJob {
  return "targets" in job;
}

/** How a job was delivered, as far as deduplication cares. */
export interface DeliveryIdentity {
  /** SQS message id: stable across redeliveries of one message. */
  readonly sqsMessageId?: string;
  /** EventBridge event id. */
  readonly eventBridgeEventId?: string;
  /** Lambda request id: stable across Lambda's own retries of one async invocation. */
  readonly lambdaRequestId?: string;
  /**
   * True when the job came from a producer the function cannot vouch for: a queued message another
   * principal sent, or an EventBridge event. Its key lives in a namespace of its own and its
   * Scheduler context is not trusted, so it can never suppress a schedule's firing.
   * @default false (a Scheduler invoke, or a message the function sent itself)
   */
  readonly fromProducer?: boolean;
}

/** Prefix of the keys of jobs from producers: a namespace apart from the function's own keys. */
const PRODUCER_KEY_PREFIX = "producer#";

/**
 * The key that recognises a duplicate by what the firing is, not how it was delivered. Pure.
 * The job's own `idempotency_key` wins; else Scheduler's `schedule_arn#scheduled_time` (the execution id
 * changes per delivery attempt, so it cannot dedupe); else the SQS message id; else the EventBridge
 * event id; else the Lambda request id. A producer's job gets its key under
 * {@link PRODUCER_KEY_PREFIX} and its Scheduler context is ignored. Undefined when nothing identifies
 * the firing.
 */
export function idempotencyKey(job: DispatchJob, delivery: DeliveryIdentity): string | undefined {
  if (delivery.fromProducer) {
    const key =
      job.idempotency_key ??
      delivery.sqsMessageId ??
      delivery.eventBridgeEventId ??
      delivery.lambdaRequestId;
    return key === undefined ? undefined : `${PRODUCER_KEY_PREFIX}${key}`;
  }
  if (job.idempotency_key !== undefined) return job.idempotency_key;
  if (job.scheduler !== undefined) {
    return `${job.scheduler.schedule_arn}#${job.scheduler.scheduled_time}`;
  }
  return delivery.sqsMessageId ?? delivery.eventBridgeEventId ?? delivery.lambdaRequestId;
}
