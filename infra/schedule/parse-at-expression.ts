import { daysInMonth } from "./days-in-month.js";
import type { AtScheduleExpression } from "./schedule-expression.js";
import { ScheduleExpressionError } from "./schedule-expression-error.js";

const AT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

/**
 * Parses the inside of `at(...)`: a local `yyyy-mm-ddThh:mm:ss` that exists on the calendar.
 * Throws {@link ScheduleExpressionError} naming the bad part.
 */
export function parseAtExpression(source: string, body: string): AtScheduleExpression {
  const match = AT.exec(body);
  if (!match) {
    throw new ScheduleExpressionError(
      source,
      "a one-time schedule is at(yyyy-mm-ddThh:mm:ss) in local time of the schedule's time zone, e.g. at(2026-12-24T18:00:00)",
    );
  }
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const problem =
    year < 1970 || year > 2199
      ? `year ${year} is out of range; use 1970-2199`
      : month < 1 || month > 12
        ? `month ${month} is not a month; use 01-12`
        : day < 1 || day > daysInMonth(year, month)
          ? `day ${day} does not exist in ${year}-${String(month).padStart(2, "0")}; use 01-${daysInMonth(year, month)}`
          : hour > 23
            ? `hour ${hour} is out of range; use 00-23 (midnight is 00 of the next day)`
            : minute > 59
              ? `minute ${minute} is out of range; use 00-59`
              : second > 59
                ? `second ${second} is out of range; use 00-59`
                : undefined;
  if (problem) throw new ScheduleExpressionError(source, problem);
  return { kind: "at", source, localDateTime: body };
}
