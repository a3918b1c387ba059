import { cronDaysOfMonth } from "./cron-days.js";
import { parseScheduleExpression } from "./parse-schedule-expression.js";
import type {
  AtScheduleExpression,
  CronScheduleExpression,
  RateScheduleExpression,
  ScheduleExpression,
} from "./schedule-expression.js";
import { assertTimeZone } from "./time-zone.js";
import { instantsAtWallClock, wallClockAt } from "./time-zone-offset.js";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Where and from when to compute fire times. */
export interface FireTimeOptions {
  /**
   * IANA time zone in which cron and at expressions are read (Scheduler's `ScheduleExpressionTimezone`).
   * @default "UTC"
   */
  readonly timezone?: string;
  /** Exclusive lower bound: only fire times strictly after this instant are returned. */
  readonly after: Date;
  /** How many fire times to return; fewer when the schedule ends first. */
  readonly count: number;
  /**
   * Scheduler's `StartDate`: nothing fires before it (a fire time equal to it counts), and a rate
   * schedule counts its periods from it. Ignored by `at(...)`, as Scheduler ignores it.
   * @default - no lower bound; a rate counts from `after`
   */
  readonly startDate?: Date;
  /**
   * Scheduler's `EndDate`: nothing fires after it (a fire time equal to it counts). Ignored by `at(...)`.
   * @default - no end
   */
  readonly endDate?: Date;
}

/** Local times matching the cron, as instants >= `from`, ascending; repeated times yield their first occurrence. */
function* cronInstants(
  cron: CronScheduleExpression,
  timeZone: string,
  from: number,
): Generator<number> {
  const start = wallClockAt(from, timeZone);
  for (const year of cron.year) {
    if (year < start.year) continue;
    for (const month of cron.month) {
      if (Date.UTC(year, month, 1) <= start.localMs) continue;
      for (const day of cronDaysOfMonth(cron, year, month)) {
        const midnight = Date.UTC(year, month - 1, day);
        if (midnight + DAY <= start.localMs) continue;
        for (const hour of cron.hours) {
          for (const minute of cron.minutes) {
            const local = midnight + hour * HOUR + minute * MINUTE;
            // A local time before `from`'s own never maps to an instant at or after `from`.
            if (local < start.localMs) continue;
            const [first] = instantsAtWallClock(local, timeZone);
            if (first !== undefined && first >= from) yield first;
          }
        }
      }
    }
  }
}

function cronFireTimes(
  cron: CronScheduleExpression,
  timeZone: string,
  options: FireTimeOptions,
): Date[] {
  const from = Math.max(options.after.getTime() + 1, options.startDate?.getTime() ?? 0);
  const end = options.endDate?.getTime() ?? Number.POSITIVE_INFINITY;
  const result: Date[] = [];
  if (options.count === 0) return result;
  for (const instant of cronInstants(cron, timeZone, from)) {
    if (instant > end) break;
    result.push(new Date(instant));
    if (result.length >= options.count) break;
  }
  return result;
}

function rateFireTimes(rate: RateScheduleExpression, options: FireTimeOptions): Date[] {
  const period = rate.seconds * 1000;
  const after = options.after.getTime();
  const anchor = options.startDate?.getTime() ?? after;
  const end = options.endDate?.getTime() ?? Number.POSITIVE_INFINITY;
  const result: Date[] = [];
  let k = Math.max(0, Math.floor((after - anchor) / period) + 1);
  while (result.length < options.count) {
    const instant = anchor + k * period;
    if (instant > end) break;
    result.push(new Date(instant));
    k++;
  }
  return result;
}

/** The instant of an `at(...)`, or undefined when its local time is skipped by a forward change. */
export function atInstant(at: AtScheduleExpression, timeZone: string): number | undefined {
  const [date = "", time = ""] = at.localDateTime.split("T");
  const [year = 0, month = 1, day = 1] = date.split("-").map(Number);
  const [hour = 0, minute = 0, second = 0] = time.split(":").map(Number);
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  return instantsAtWallClock(local, timeZone)[0];
}

/**
 * Next fire times of an EventBridge Scheduler expression as UTC instants, ascending.
 * Cron is read in local time of `timezone`: a local time skipped by the spring change does not fire
 * that day; a local time that occurs twice in autumn fires once (the first occurrence).
 * `rate(N unit)` fires every N units from `startDate` (or, without one, from `after`), and
 * `rate(N days)` is N×24 h. `at(...)` fires once at its local time (never, if that time is skipped).
 * Throws `ScheduleExpressionError` for a bad expression and `RangeError` for a bad zone or count.
 */
export function nextFireTimes(
  expression: ScheduleExpression | string,
  options: FireTimeOptions,
): Date[] {
  const parsed = typeof expression === "string" ? parseScheduleExpression(expression) : expression;
  const timeZone = options.timezone ?? "UTC";
  assertTimeZone(timeZone);
  if (!Number.isInteger(options.count) || options.count < 0) {
    throw new RangeError(`count: ${options.count} must be a whole number of 0 or more`);
  }
  if (Number.isNaN(options.after.getTime())) {
    throw new RangeError("after: is not a valid date");
  }
  switch (parsed.kind) {
    case "cron":
      return cronFireTimes(parsed, timeZone, options);
    case "rate":
      return rateFireTimes(parsed, options);
    case "at": {
      const instant = atInstant(parsed, timeZone);
      return instant !== undefined && instant > options.after.getTime() && options.count > 0
        ? [new Date(instant)]
        : [];
    }
  }
}
