/**
 * Parsed EventBridge Scheduler schedule expressions: `cron(...)`, `rate(...)` and `at(...)`.
 * Produced by `parseScheduleExpression`; consumed by `nextFireTimes` and `daylightSavingWarnings`.
 */

/** Which days of the month a cron fires on (the day-of-month field). */
export type DayOfMonthRule =
  /** `?`: the day-of-week field decides. */
  | { readonly type: "any" }
  /** Plain values, ranges, steps or `*`: these days (1-31; days a month lacks are skipped). */
  | { readonly type: "days"; readonly days: readonly number[] }
  /** `L`: the last day of the month. */
  | { readonly type: "last" }
  /** `LW`: the last weekday (Monday-Friday) of the month. */
  | { readonly type: "lastWeekday" }
  /** `15W`: the weekday nearest to `day`, never leaving the month. */
  | { readonly type: "nearestWeekday"; readonly day: number };

/** Which days of the week a cron fires on (the day-of-week field); days are 1-7 = SUN-SAT. */
export type DayOfWeekRule =
  /** `?`: the day-of-month field decides. */
  | { readonly type: "any" }
  /** Plain values, names, ranges or `*`; `L` alone means 7 (Saturday, the last day of the week). */
  | { readonly type: "days"; readonly days: readonly number[] }
  /** `5L`: the last such weekday of the month (here the last Thursday). */
  | { readonly type: "last"; readonly day: number }
  /** `6#3`: the `nth` such weekday of the month (here the third Friday); months without one are skipped. */
  | { readonly type: "nth"; readonly day: number; readonly nth: number };

/** A parsed `cron(minutes hours day-of-month month day-of-week year)`; every list is sorted and unique. */
export interface CronScheduleExpression {
  readonly kind: "cron";
  /** The expression exactly as written. */
  readonly source: string;
  /** 0-59. */
  readonly minutes: readonly number[];
  /** 0-23. */
  readonly hours: readonly number[];
  readonly dayOfMonth: DayOfMonthRule;
  /** 1-12. */
  readonly month: readonly number[];
  readonly dayOfWeek: DayOfWeekRule;
  /** 1970-2199. */
  readonly year: readonly number[];
}

/** Units a rate expression accepts: singular for a value of 1, plural otherwise. */
export const RateUnit = {
  Minute: "minute",
  Minutes: "minutes",
  Hour: "hour",
  Hours: "hours",
  Day: "day",
  Days: "days",
} as const;
/** One of {@link RateUnit}. */
export type RateUnit = (typeof RateUnit)[keyof typeof RateUnit];

/** A parsed `rate(value unit)`. */
export interface RateScheduleExpression {
  readonly kind: "rate";
  /** The expression exactly as written. */
  readonly source: string;
  /** A positive whole number. */
  readonly value: number;
  readonly unit: RateUnit;
  /** The period in seconds; `rate(N days)` is N×24 hours whatever the clocks do. */
  readonly seconds: number;
}

/** A parsed one-time `at(yyyy-mm-ddThh:mm:ss)`, a wall-clock time in the schedule's time zone. */
export interface AtScheduleExpression {
  readonly kind: "at";
  /** The expression exactly as written. */
  readonly source: string;
  /** The local date and time between the parentheses, e.g. `"2026-12-24T18:00:00"`. */
  readonly localDateTime: string;
}

/** Any expression EventBridge Scheduler accepts as `ScheduleExpression`. */
export type ScheduleExpression =
  | CronScheduleExpression
  | RateScheduleExpression
  | AtScheduleExpression;
