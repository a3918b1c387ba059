import type * as z from "zod";
import type {
  fanOutDispatchJobSchema,
  singleDispatchJobSchema,
} from "../../lambda/job/dispatch-job.js";

/**
 * The typed schedule config a team writes once in `dispatch.config.ts`.
 * Every field is checked at synth time by `validateConfig`; all problems are reported together.
 */

/** Distributes `Omit` over a union, so each job variant keeps its own fields. */
type OmitFromEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * The job a schedule fires, in the shared job format (`lambda/job/dispatch-job.ts`): one repository
 * (`owner` + `repo`) or a fan-out (`targets`). `scheduler` is left out because the stack always fills it
 * with Scheduler's context attributes. Input values may be Scheduler context keywords such as
 * `"<aws.scheduler.scheduled-time>"`; Scheduler substitutes them when the schedule fires.
 * Leave `idempotency_key` out: each firing is keyed by schedule ARN and scheduled time. One that is set
 * must contain `<aws.scheduler.scheduled-time>` and neither `<aws.scheduler.execution-id>` nor
 * `<aws.scheduler.attempt-number>`, which change on every delivery attempt.
 */
type ScheduledJob = OmitFromEach<
  z.input<typeof singleDispatchJobSchema> | z.input<typeof fanOutDispatchJobSchema>,
  "scheduler"
>;

/** Where the function calls GitHub and with which default token. */
interface GitHubSettings {
  /**
   * API root: `https://api.github.com`, or `https://HOST/api/v3` for GitHub Enterprise Server.
   * @default "https://api.github.com"
   */
  readonly apiUrl?: string;
  /** Secret used when a job names no `token_secret`; must be one of `secrets`. */
  readonly tokenSecret: string;
  /**
   * Most workflow inputs one dispatch may carry.
   * @default 25 (github.com and GHEC; set 10 for GHES 3.17-3.19)
   */
  readonly maxInputs?: number;
}

/** Request pacing for one token, read by fan-out dispatch. GitHub's secondary limits are the ceiling. */
export interface SecretPacing {
  /** @default 80 (GitHub's content-creating limit a minute) */
  readonly requestsPerMinute?: number;
  /** @default 500 (GitHub's content-creating limit an hour) */
  readonly requestsPerHour?: number;
  /** @default 100 (GitHub's limit on concurrent requests) */
  readonly maxConcurrency?: number;
}

/** A Secrets Manager secret the function may read: a PAT, `{"token"}` or GitHub App credentials. */
interface DeclaredSecret {
  /** Secret name (`github/acme-bot`) or full ARN. Jobs refer to it by exactly this string. */
  readonly name: string;
  /**
   * Customer managed KMS key encrypting the secret; the function is granted `kms:Decrypt` on it.
   * @default - the secret uses the AWS managed key `aws/secretsmanager`; no KMS grant is added
   */
  readonly kmsKeyArn?: string;
  /**
   * What the secret holds, for people reading the config.
   * @default - none
   */
  readonly description?: string;
  /**
   * Pacing limits for requests made with this token.
   * @default - GitHub's documented secondary rate limits
   */
  readonly pacing?: SecretPacing;
}

/** Where alarm notifications go. */
interface AlarmSettings {
  /**
   * E-mail address(es) subscribed to a topic the stack creates (each must confirm the subscription).
   * @default - no e-mail subscription
   */
  readonly email?: string | readonly string[];
  /**
   * An existing SNS topic that receives alarm and OK notifications.
   * @default - no existing topic
   */
  readonly snsTopicArn?: string;
}

/** One EventBridge Scheduler schedule and the job it fires. */
export interface ScheduleConfig {
  /** Schedule name: 1-64 characters of letters, digits, `-`, `_` and `.`; unique in the config. */
  readonly name: string;
  /**
   * When it fires, in AWS syntax: `cron(0 9 ? * MON-FRI *)` (six fields), `rate(10 minutes)`
   * (one minute or more) or `at(2026-12-24T18:00:00)` (once, local time of `timezone`).
   */
  readonly expression: string;
  /**
   * IANA time zone the expression is read in, e.g. `Europe/Berlin`.
   * @default "UTC"
   */
  readonly timezone?: string;
  /**
   * Lets Scheduler fire up to this many minutes late to spread load (1-1440).
   * @default - off: fires at the scheduled minute
   */
  readonly flexibleWindowMinutes?: number;
  /**
   * First instant a recurring schedule may fire: a `Date` or ISO 8601 text with an offset
   * (`2026-01-05T00:00:00+01:00`). Ignored by Scheduler for `at(...)`.
   * @default - fires from deployment on
   */
  readonly startDate?: string | Date;
  /**
   * Instant after which a recurring schedule stops firing; must be after `startDate`.
   * @default - never ends
   */
  readonly endDate?: string | Date;
  /**
   * A disabled schedule is deployed but does not fire.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Shown in the Scheduler console.
   * @default - none
   */
  readonly description?: string;
  /** The job fired on every occurrence. */
  readonly job: ScheduledJob;
}

/** The whole config: `export const config = defineConfig({ ... })` in `dispatch.config.ts`. */
export interface DispatchConfig {
  /** GitHub endpoint, default token and input limit. */
  readonly github: GitHubSettings;
  /** Every secret the function may read; the default token secret must be among them. */
  readonly secrets: readonly DeclaredSecret[];
  /** `owner/repo` patterns the function may dispatch to; `*` matches any run of characters except `/`. */
  readonly allowedRepositories: readonly string[];
  /**
   * Alarm notifications.
   * @default - alarms are created without notification actions
   */
  readonly alarms?: AlarmSettings;
  /**
   * Principals allowed to send jobs to the queue: IAM ARNs (`arn:aws:iam::111122223333:role/ci`),
   * 12-digit account ids, SNS topic ARNs or EventBridge rule ARNs.
   * @default - only principals granted in IAM of this account
   */
  readonly producers?: readonly string[];
  /**
   * How long a job's idempotency key keeps suppressing copies, in whole hours (1-720): a redelivered
   * message, a repeated firing or a resent job with the same key within this window is acknowledged
   * without dispatching again. Passed to the function as `IDEMPOTENCY_WINDOW_SECONDS`.
   * @default 24
   */
  readonly idempotencyWindowHours?: number;
  /** The schedules; may be empty when jobs only arrive through the queue. */
  readonly schedules: readonly ScheduleConfig[];
}
