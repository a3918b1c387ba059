import * as z from "zod";
import { GITHUB_COM_MAX_INPUTS, secretIdSchema } from "../../lambda/job/dispatch-job.js";
import { secretPacingSchema } from "../../lambda/pacing/pacing-limits.js";

/**
 * Structural zod schemas of `DispatchConfig`. A schedule's `job` is left `unknown` here: it is parsed by
 * the shared job schema (`lambda/job/dispatch-job.ts`) in `validateScheduledJob`, never by a second one.
 * Cross-field rules (time zones, expressions, allowlist, declared secrets) live in `validateConfig`.
 */

/** Default of `idempotencyWindowHours`: a day, longer than any redelivery or Scheduler retry. */
export const DEFAULT_IDEMPOTENCY_WINDOW_HOURS = 24;
/** Most `idempotencyWindowHours`: 30 days, beyond the dead-letter queue's 14-day retention. */
const MAX_IDEMPOTENCY_WINDOW_HOURS = 720;

/** Scheduler's rule for schedule names. */
const SCHEDULE_NAME = /^[0-9a-zA-Z_.-]{1,64}$/;
/** An `owner/repo` pattern, as `ALLOWED_REPOSITORIES` accepts it. */
export const REPOSITORY_PATTERN = /^[^/\s,]+\/[^/\s,]+$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PRODUCER =
  /^(\d{12}|arn:aws[a-z-]*:iam::\d{12}:(root|(role|user)\/\S+)|arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:\S+|arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:rule\/\S+)$/;

function text(help: string) {
  return z.string({
    error: (issue) =>
      issue.input === undefined ? `is required: ${help}` : `must be a string: ${help}`,
  });
}

function wholeNumber(min: number, max: number, help = "") {
  const message = `must be a whole number from ${min} to ${max}${help}`;
  return z
    .number({ error: message })
    .int({ error: message })
    .min(min, { error: message })
    .max(max, { error: message });
}

const githubSchema = z.strictObject(
  {
    apiUrl: text("the API root, e.g. https://api.github.com or https://HOST/api/v3")
      .regex(/^https:\/\/[^\s/]+(\/[^\s]*)?$/, {
        error: "must be an https URL: https://api.github.com, or https://HOST/api/v3 for GHES",
      })
      .optional(),
    tokenSecret: secretIdSchema,
    maxInputs: wholeNumber(
      1,
      GITHUB_COM_MAX_INPUTS,
      " (25 on github.com, 10 on GHES 3.17-3.19)",
    ).optional(),
  },
  {
    error: (issue) =>
      issue.code === "invalid_type" ? 'is required: { tokenSecret: "..." }' : undefined,
  },
);

const secretSchema = z.strictObject({
  name: secretIdSchema,
  kmsKeyArn: text("the ARN of the KMS key encrypting the secret")
    .regex(KMS_KEY_ARN, {
      error: "must be a KMS key ARN: arn:aws:kms:REGION:ACCOUNT:key/KEY-ID (not an alias)",
    })
    .optional(),
  description: text("free text").optional(),
  pacing: secretPacingSchema.optional(),
});

const emailSchema = text("an e-mail address").regex(EMAIL, {
  error: 'must be an e-mail address, e.g. "oncall@example.com"',
});

const alarmsSchema = z.strictObject({
  email: z.union([emailSchema, z.array(emailSchema)]).optional(),
  snsTopicArn: text("an SNS topic ARN")
    .regex(SNS_TOPIC_ARN, { error: "must be an SNS topic ARN: arn:aws:sns:REGION:ACCOUNT:NAME" })
    .optional(),
});

/** Top-level fields; `schedules` entries are checked one by one with {@link scheduleSchema}. */
export const dispatchConfigSchema = z.strictObject({
  github: githubSchema,
  secrets: z.array(secretSchema, { error: 'must be a list of { name: "..." } secrets' }),
  allowedRepositories: z
    .array(
      text('an "owner/repo" pattern').regex(REPOSITORY_PATTERN, {
        error: 'must be an "owner/repo" pattern, e.g. "acme/api" or "acme/*"',
      }),
      { error: 'must be a list of "owner/repo" patterns, e.g. ["acme/*"]' },
    )
    .min(1, {
      error: 'must name at least one "owner/repo" pattern; the function refuses all others',
    }),
  alarms: alarmsSchema.optional(),
  producers: z
    .array(
      text("a principal").regex(PRODUCER, {
        error:
          "must be a 12-digit account id, an IAM role/user ARN, an SNS topic ARN or an EventBridge rule ARN",
      }),
    )
    .optional(),
  idempotencyWindowHours: wholeNumber(
    1,
    MAX_IDEMPOTENCY_WINDOW_HOURS,
    " (hours a job's idempotency key suppresses copies; default 24)",
  ).optional(),
  schedules: z.array(z.unknown(), { error: "must be a list of schedules (may be empty)" }),
});

/** Known field names by object, for "did you mean" hints on unknown fields. */
export const CONFIG_FIELD_NAMES: Readonly<Record<string, readonly string[]>> = {
  "": Object.keys(dispatchConfigSchema.shape),
  github: Object.keys(githubSchema.shape),
  "secrets[]": Object.keys(secretSchema.shape),
  "secrets[].pacing": Object.keys(secretPacingSchema.shape),
  alarms: Object.keys(alarmsSchema.shape),
};

const dateSchema = z.union([z.string(), z.date()], {
  error: 'must be a Date or ISO 8601 text with an offset, e.g. "2026-01-05T00:00:00+01:00"',
});

/** Fields of one schedule, except the job and the rules that need other fields or other modules. */
export const scheduleSchema = z.strictObject({
  name: text('the schedule name, e.g. "nightly-audit"').regex(SCHEDULE_NAME, {
    error:
      "must be 1-64 characters of letters, digits, '-', '_' and '.' (EventBridge Scheduler's rule)",
  }),
  expression: text("cron(0 9 ? * MON-FRI *), rate(10 minutes) or at(2026-12-24T18:00:00)"),
  timezone: text('an IANA time zone, e.g. "Europe/Berlin"').optional(),
  flexibleWindowMinutes: wholeNumber(1, 1440, "; leave it out to fire on the minute").optional(),
  startDate: dateSchema.optional(),
  endDate: dateSchema.optional(),
  enabled: z.boolean({ error: "must be true or false" }).optional(),
  description: text("free text")
    .max(512, { error: "must be at most 512 characters (Scheduler's limit)" })
    .optional(),
  job: z.unknown().refine((v) => v !== undefined, {
    error: "is required: the job to fire, e.g. { owner, repo, workflow_id, ref }",
  }),
});

/** Known fields of a schedule, for "did you mean" hints. */
export const SCHEDULE_FIELD_NAMES: readonly string[] = Object.keys(scheduleSchema.shape);
