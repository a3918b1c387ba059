import type { DispatchJob } from "../../lambda/job/dispatch-job.js";
import type { ScheduleExpression } from "../schedule/schedule-expression.js";
import type { SecretPacing } from "./dispatch-config.js";

/** A declared secret after validation. */
export interface ResolvedSecret {
  /** Secret name or full ARN, exactly as jobs refer to it. */
  readonly name: string;
  /** Customer managed key to grant `kms:Decrypt` on; undefined for the AWS managed key. */
  readonly kmsKeyArn: string | undefined;
  /** Free text from the config. */
  readonly description: string | undefined;
  /** Pacing limits from the config; undefined fields mean GitHub's documented limits. */
  readonly pacing: SecretPacing | undefined;
}

/** A schedule after validation, with defaults applied and dates parsed. */
export interface ResolvedSchedule {
  /** Scheduler schedule name. */
  readonly name: string;
  /** The expression exactly as written (`cron(...)`, `rate(...)`, `at(...)`). */
  readonly expression: string;
  /** The parsed expression. */
  readonly parsedExpression: ScheduleExpression;
  /** IANA time zone. */
  readonly timezone: string;
  /** Flexible window in minutes; undefined when off. */
  readonly flexibleWindowMinutes: number | undefined;
  /** Start instant; undefined when none. */
  readonly startDate: Date | undefined;
  /** End instant; undefined when none. */
  readonly endDate: Date | undefined;
  /** Whether the schedule fires. */
  readonly enabled: boolean;
  /** Console description. */
  readonly description: string | undefined;
  /** The job, parsed by the shared job schema (without `scheduler`, which the stack adds). */
  readonly job: DispatchJob;
}

/** A config that passed validation: what the construct builds from. */
export interface ResolvedDispatchConfig {
  /** GitHub settings with defaults applied. */
  readonly github: {
    readonly apiUrl: string;
    readonly tokenSecret: string;
    readonly maxInputs: number;
  };
  /** Declared secrets. */
  readonly secrets: readonly ResolvedSecret[];
  /** Allowed `owner/repo` patterns. */
  readonly allowedRepositories: readonly string[];
  /** Alarm targets; `emails` is empty when none. */
  readonly alarms: { readonly emails: readonly string[]; readonly snsTopicArn: string | undefined };
  /** Producer principals allowed to send to the queue. */
  readonly producers: readonly string[];
  /** How long an idempotency key suppresses copies, in hours (default 24). */
  readonly idempotencyWindowHours: number;
  /** Schedules in config order. */
  readonly schedules: readonly ResolvedSchedule[];
}
