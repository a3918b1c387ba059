export { cronDaysOfMonth, weekdayOf } from "./cron-days.js";
export {
  type DaylightSavingWarningOptions,
  daylightSavingWarnings,
} from "./daylight-saving-warnings.js";
export { daysInMonth } from "./days-in-month.js";
export { atInstant, type FireTimeOptions, nextFireTimes } from "./next-fire-times.js";
export { parseScheduleExpression } from "./parse-schedule-expression.js";
export {
  type AtScheduleExpression,
  type CronScheduleExpression,
  type DayOfMonthRule,
  type DayOfWeekRule,
  type RateScheduleExpression,
  RateUnit,
  type ScheduleExpression,
} from "./schedule-expression.js";
export { ScheduleExpressionError } from "./schedule-expression-error.js";
export {
  assertTimeZone,
  formatInTimeZone,
  isTimeZone,
  suggestTimeZone,
  timeZoneProblem,
} from "./time-zone.js";
export {
  instantsAtWallClock,
  type OffsetTransition,
  timeZoneOffset,
  timeZoneTransitions,
  type WallClock,
  wallClockAt,
} from "./time-zone-offset.js";
