import { daysInMonth } from "./days-in-month.js";
import type { CronScheduleExpression } from "./schedule-expression.js";

/** Day of the week of a date, 1-7 = SUN-SAT as in AWS cron. */
function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

const SUNDAY = 1;
const SATURDAY = 7;

function nearestWeekday(year: number, month: number, day: number, lastDay: number): number {
  const weekday = weekdayOf(year, month, day);
  if (weekday === SATURDAY) return day === 1 ? day + 2 : day - 1;
  if (weekday === SUNDAY) return day === lastDay ? day - 2 : day + 1;
  return day;
}

/**
 * The days of `month` (1-12) in `year` on which the cron's day-of-month or day-of-week rule fires,
 * ascending. `W` never leaves the month (the nearest weekday to a Saturday the 1st is Monday the 3rd);
 * `15W` in a month without a 15th, `31` in a 30-day month and a missing `6#5` give no day.
 */
export function cronDaysOfMonth(
  cron: CronScheduleExpression,
  year: number,
  month: number,
): number[] {
  const lastDay = daysInMonth(year, month);
  const dom = cron.dayOfMonth;
  switch (dom.type) {
    case "days":
      return dom.days.filter((day) => day <= lastDay);
    case "last":
      return [lastDay];
    case "lastWeekday":
      return [nearestWeekday(year, month, lastDay, lastDay)];
    case "nearestWeekday":
      return dom.day > lastDay ? [] : [nearestWeekday(year, month, dom.day, lastDay)];
    case "any":
      break;
  }
  const dow = cron.dayOfWeek;
  const firstWeekday = weekdayOf(year, month, 1);
  /** The first day of the month falling on `weekday`. */
  const first = (weekday: number): number => 1 + ((weekday - firstWeekday + 7) % 7);
  switch (dow.type) {
    case "days": {
      const days: number[] = [];
      for (let day = 1; day <= lastDay; day++) {
        if (dow.days.includes(((firstWeekday - 1 + day - 1) % 7) + 1)) days.push(day);
      }
      return days;
    }
    case "last": {
      const day = first(dow.day);
      return [day + 7 * Math.floor((lastDay - day) / 7)];
    }
    case "nth": {
      const day = first(dow.day) + 7 * (dow.nth - 1);
      return day <= lastDay ? [day] : [];
    }
    case "any":
      return [];
  }
}
