import { daylightSavingWarnings } from "../schedule/daylight-saving-warnings.js";
import { nextFireTimes } from "../schedule/next-fire-times.js";
import { parseScheduleExpression } from "../schedule/parse-schedule-expression.js";
import type { ScheduleExpression } from "../schedule/schedule-expression.js";
import { ScheduleExpressionError } from "../schedule/schedule-expression-error.js";
import { isTimeZone, suggestTimeZone } from "../schedule/time-zone.js";
import { describeConfigIssues, scheduleLabel } from "./config-issues.js";
import { SCHEDULE_FIELD_NAMES, scheduleSchema } from "./dispatch-config-schema.js";
import type { ResolvedSchedule } from "./resolved-config.js";
import { type JobRules, validateScheduledJob } from "./validate-scheduled-job.js";

/** Result of checking one schedule. */
export interface ScheduleCheck {
  /** One message per problem, each naming the schedule, the field and the fix. */
  readonly errors: string[];
  /** Problems that still deploy but deserve attention (daylight saving, never fires). */
  readonly warnings: string[];
  /** The schedule with defaults applied, when there were no errors. */
  readonly schedule: ResolvedSchedule | undefined;
}

const OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;
const DATE_HELP = 'use ISO 8601 with an offset, e.g. "2026-01-05T00:00:00+01:00", or a Date';

function parseInstant(value: unknown, field: string, errors: string[]): Date | undefined {
  if (typeof value !== "string" && !(value instanceof Date)) return undefined;
  const instant = typeof value === "string" ? new Date(value) : value;
  if (typeof value === "string" && !OFFSET.test(value.trim())) {
    errors.push(`${field}: "${value}" has no offset, so the instant is ambiguous; ${DATE_HELP}`);
    return undefined;
  }
  if (Number.isNaN(instant.getTime())) {
    errors.push(`${field}: "${String(value)}" is not a date; ${DATE_HELP}`);
    return undefined;
  }
  return instant;
}

/**
 * Checks one `schedules[index]` entry: fields, expression (AWS cron/rate/at), time zone with a
 * "did you mean", flexible window, start/end order, and its job (see `validateScheduledJob`).
 * Warns about daylight-saving gaps and overlaps, dates in the past and schedules that never fire.
 */
export function validateSchedule(
  value: unknown,
  index: number,
  rules: JobRules,
  now: Date,
): ScheduleCheck {
  const rawName =
    typeof value === "object" && value !== null ? (value as { name?: unknown }).name : undefined;
  const label = scheduleLabel(index, rawName);
  const errors: string[] = [];
  const warnings: string[] = [];
  const parsed = scheduleSchema.safeParse(value);
  if (!parsed.success) {
    errors.push(...describeConfigIssues(parsed.error.issues, label, () => SCHEDULE_FIELD_NAMES));
  }
  const fields = parsed.success ? parsed.data : undefined;
  const raw = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;

  let expression: ScheduleExpression | undefined;
  if (typeof raw.expression === "string") {
    try {
      expression = parseScheduleExpression(raw.expression);
    } catch (error) {
      if (!(error instanceof ScheduleExpressionError)) throw error;
      errors.push(`${label}.expression: ${error.message}`);
    }
  }
  const timezone = typeof raw.timezone === "string" ? raw.timezone : "UTC";
  const timezoneValid = isTimeZone(timezone);
  if (!timezoneValid) {
    const suggestion = suggestTimeZone(timezone);
    errors.push(
      `${label}.timezone: "${timezone}" is not an IANA time zone (${
        suggestion ? `did you mean "${suggestion}"?` : 'use a name such as "Europe/Berlin" or "UTC"'
      })`,
    );
  }
  const startDate = parseInstant(raw.startDate, `${label}.startDate`, errors);
  const endDate = parseInstant(raw.endDate, `${label}.endDate`, errors);
  if (startDate && endDate && endDate.getTime() <= startDate.getTime()) {
    errors.push(
      `${label}.endDate: ${endDate.toISOString()} is not after startDate ${startDate.toISOString()}; move endDate later or remove it`,
    );
  }

  const job = validateScheduledJob(raw.job, `${label}.job`, rules);
  if (raw.job !== undefined) errors.push(...job.errors);

  if (expression && timezoneValid && errors.length === 0) {
    warnings.push(...timingWarnings(label, expression, timezone, startDate, endDate, now));
  }
  if (errors.length > 0 || !fields || !expression || !job.job) {
    return { errors, warnings, schedule: undefined };
  }
  return {
    errors,
    warnings,
    schedule: {
      name: fields.name,
      expression: fields.expression,
      parsedExpression: expression,
      timezone,
      flexibleWindowMinutes: fields.flexibleWindowMinutes,
      startDate,
      endDate,
      enabled: fields.enabled ?? true,
      description: fields.description,
      job: job.job,
    },
  };
}

function timingWarnings(
  label: string,
  expression: ScheduleExpression,
  timezone: string,
  startDate: Date | undefined,
  endDate: Date | undefined,
  now: Date,
): string[] {
  const warnings: string[] = [];
  if (expression.kind === "at") {
    if (startDate || endDate) {
      warnings.push(
        `${label}: startDate and endDate are ignored by EventBridge Scheduler for at(...) schedules; remove them`,
      );
    }
  } else if (startDate && startDate.getTime() < now.getTime()) {
    warnings.push(
      `${label}.startDate: ${startDate.toISOString()} is in the past; Scheduler rejects a StartDate more than 5 minutes ago whenever the schedule is created or updated, so remove it or move it into the future`,
    );
  }
  const next = nextFireTimes(expression, {
    timezone,
    after: now,
    count: 1,
    ...(expression.kind === "at" ? {} : { startDate, endDate }),
  });
  if (next.length === 0) {
    warnings.push(
      `${label}.expression: ${expression.source} never fires after ${now.toISOString()}${
        expression.kind === "at"
          ? " (the time is in the past)"
          : " (endDate has passed or no date matches)"
      }; update or remove the schedule`,
    );
  }
  if (expression.kind === "cron") {
    for (const warning of daylightSavingWarnings(expression, timezone, { from: now })) {
      warnings.push(`${label}.expression: ${warning}`);
    }
  }
  return warnings;
}
