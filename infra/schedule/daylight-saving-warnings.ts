import { cronDaysOfMonth } from "./cron-days.js";
import { atInstant } from "./next-fire-times.js";
import { parseScheduleExpression } from "./parse-schedule-expression.js";
import type { CronScheduleExpression, ScheduleExpression } from "./schedule-expression.js";
import { assertTimeZone, formatInTimeZone } from "./time-zone.js";
import { instantsAtWallClock, timeZoneTransitions } from "./time-zone-offset.js";

const MINUTE = 60_000;
const YEAR = 365.2425 * 86_400_000;

/** Window for {@link daylightSavingWarnings}. */
export interface DaylightSavingWarningOptions {
  /** Start of the window. @default - now */
  readonly from?: Date;
  /** Length of the window in years. @default 1 */
  readonly years?: number;
}

const pad = (n: number): string => String(n).padStart(2, "0");

interface LocalMinute {
  readonly date: string;
  readonly time: string;
  readonly localMs: number;
}

function localMinute(localMs: number): LocalMinute {
  const d = new Date(localMs);
  return {
    date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
    localMs,
  };
}

function cronMatches(cron: CronScheduleExpression, localMs: number): boolean {
  const d = new Date(localMs);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  return (
    cron.minutes.includes(d.getUTCMinutes()) &&
    cron.hours.includes(d.getUTCHours()) &&
    cron.month.includes(month) &&
    cron.year.includes(year) &&
    cronDaysOfMonth(cron, year, month).includes(d.getUTCDate())
  );
}

function listTimes(times: readonly LocalMinute[]): string {
  const labels = times.map((t) => t.time);
  if (labels.length <= 4) {
    return labels.length === 1
      ? (labels[0] ?? "")
      : `${labels.slice(0, -1).join(", ")} and ${labels[labels.length - 1]}`;
  }
  return `${labels.length} run times from ${labels[0]} to ${labels[labels.length - 1]}`;
}

function utcTime(instant: number): string {
  const d = new Date(instant);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

function gapWarning(times: readonly LocalMinute[], timeZone: string): string {
  const one = times.length === 1;
  return `${listTimes(times)} ${timeZone} ${one ? "does" : "do"} not exist on ${times[0]?.date} (clocks go forward): EventBridge Scheduler skips ${one ? "that day's run" : "those runs that day"}`;
}

function overlapWarning(times: readonly LocalMinute[], timeZone: string): string {
  const first = times[0] as LocalMinute;
  const instant = instantsAtWallClock(first.localMs, timeZone)[0] ?? first.localMs;
  const zone = formatInTimeZone(new Date(instant), timeZone).split(" ")[2];
  const when =
    times.length === 1
      ? `at the first occurrence (${first.time} ${zone} = ${utcTime(instant)})`
      : `each at its first occurrence (${zone}), not again after the change`;
  return `${listTimes(times)} ${timeZone} ${times.length === 1 ? "occurs" : "occur"} twice on ${first.date} (clocks go back): EventBridge Scheduler runs ${times.length === 1 ? "once" : "them once"}, ${when}`;
}

function cronWarnings(
  cron: CronScheduleExpression,
  timeZone: string,
  from: number,
  to: number,
): string[] {
  const warnings: string[] = [];
  for (const change of timeZoneTransitions(timeZone, from, to)) {
    const forward = change.offsetAfter > change.offsetBefore;
    // Wall-clock minutes that do not exist (forward) or occur twice (back).
    const first = change.at + Math.min(change.offsetBefore, change.offsetAfter);
    const last = change.at + Math.max(change.offsetBefore, change.offsetAfter);
    const times: LocalMinute[] = [];
    for (let local = first; local < last; local += MINUTE) {
      if (cronMatches(cron, local)) times.push(localMinute(local));
    }
    if (times.length > 0) {
      warnings.push(forward ? gapWarning(times, timeZone) : overlapWarning(times, timeZone));
    }
  }
  return warnings;
}

/**
 * Warnings for a schedule whose local fire times fall in a skipped (spring) or repeated (autumn) hour
 * of `timezone` within `years` from `from`; `[]` for UTC and for rate expressions. Each names the date,
 * local time and effect, e.g. `02:30 Europe/Berlin does not exist on 2027-03-28 (clocks go forward):
 * EventBridge Scheduler skips that day's run`. An `at(...)` is checked on its own date, whatever the window.
 */
export function daylightSavingWarnings(
  expression: ScheduleExpression | string,
  timezone: string,
  options: DaylightSavingWarningOptions = {},
): string[] {
  const parsed = typeof expression === "string" ? parseScheduleExpression(expression) : expression;
  assertTimeZone(timezone);
  const from = (options.from ?? new Date()).getTime();
  const to = from + (options.years ?? 1) * YEAR;
  switch (parsed.kind) {
    case "rate":
      return [];
    case "cron":
      return cronWarnings(parsed, timezone, from, to);
    case "at": {
      const [date = "", time = ""] = parsed.localDateTime.split("T");
      const local = Date.parse(`${parsed.localDateTime}Z`);
      const instants = instantsAtWallClock(local, timezone);
      if (instants.length === 0) {
        return [
          `${parsed.source}: ${time.slice(0, 5)} ${timezone} does not exist on ${date} (clocks go forward): the one-time schedule would never run; pick a time outside the skipped hour`,
        ];
      }
      if (instants.length > 1) {
        const instant = atInstant(parsed, timezone) ?? local;
        return [
          `${parsed.source}: ${time.slice(0, 5)} ${timezone} occurs twice on ${date} (clocks go back): it runs once, at the first occurrence (${formatInTimeZone(new Date(instant), timezone)} = ${utcTime(instant)})`,
        ];
      }
      return [];
    }
  }
}
