/**
 * UTC offsets of IANA time zones, measured once through `Intl.DateTimeFormat` and cached per zone and
 * year, so converting thousands of wall-clock times costs a few map lookups each.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Offsets are sampled this far apart and transitions found by bisection to the minute. */
const SAMPLE_STEP = 3 * DAY;

/** A change of a zone's UTC offset (a daylight-saving change or a change of standard time). */
export interface OffsetTransition {
  /** First instant (ms since the epoch) at which `offsetAfter` applies. */
  readonly at: number;
  /** Offset in ms (local minus UTC) before the change. */
  readonly offsetBefore: number;
  /** Offset in ms after the change: larger when clocks go forward. */
  readonly offsetAfter: number;
}

interface YearOffsets {
  readonly startOffset: number;
  readonly transitions: readonly OffsetTransition[];
}

/** A wall-clock reading in some zone. `month` is 1-12, `weekday` 1-7 = SUN-SAT as in AWS cron. */
export interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly weekday: number;
  /** The reading encoded as if it were a UTC instant; handy for arithmetic on local times. */
  readonly localMs: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const yearCache = new Map<string, Map<number, YearOffsets>>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function measureOffset(instant: number, timeZone: string): number {
  const seconds = Math.floor(instant / 1000) * 1000;
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(seconds)) {
    if (part.type !== "literal") fields[part.type] = Number(part.value);
  }
  const local = Date.UTC(
    fields.year ?? 1970,
    (fields.month ?? 1) - 1,
    fields.day ?? 1,
    fields.hour ?? 0,
    fields.minute ?? 0,
    fields.second ?? 0,
  );
  return local - seconds;
}

function findTransition(timeZone: string, from: number, to: number, before: number, after: number) {
  let low = from;
  let high = to;
  while (high - low > MINUTE) {
    const middle = low + Math.floor((high - low) / (2 * MINUTE)) * MINUTE;
    if (measureOffset(middle, timeZone) === before) low = middle;
    else high = middle;
  }
  return { at: high, offsetBefore: before, offsetAfter: after };
}

function yearOffsets(timeZone: string, year: number): YearOffsets {
  let years = yearCache.get(timeZone);
  if (!years) {
    years = new Map();
    yearCache.set(timeZone, years);
  }
  const cached = years.get(year);
  if (cached) return cached;
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  const startOffset = timeZone === "UTC" ? 0 : measureOffset(start, timeZone);
  const transitions: OffsetTransition[] = [];
  if (timeZone !== "UTC") {
    let previous = start;
    let previousOffset = startOffset;
    while (previous < end) {
      const next = Math.min(previous + SAMPLE_STEP, end);
      const offset = measureOffset(next, timeZone);
      if (offset !== previousOffset) {
        const transition = findTransition(timeZone, previous, next, previousOffset, offset);
        if (transition.at < end) transitions.push(transition);
      }
      previous = next;
      previousOffset = offset;
    }
  }
  const result = { startOffset, transitions };
  years.set(year, result);
  return result;
}

/** The zone's offset (local minus UTC, in ms) at `instant`. */
export function timeZoneOffset(instant: number, timeZone: string): number {
  const { startOffset, transitions } = yearOffsets(timeZone, new Date(instant).getUTCFullYear());
  let offset = startOffset;
  for (const transition of transitions) {
    if (instant < transition.at) break;
    offset = transition.offsetAfter;
  }
  return offset;
}

/** Offset changes with `from <= at < to`, in order. */
export function timeZoneTransitions(
  timeZone: string,
  from: number,
  to: number,
): OffsetTransition[] {
  const result: OffsetTransition[] = [];
  const last = new Date(to).getUTCFullYear();
  for (let year = new Date(from).getUTCFullYear(); year <= last; year++) {
    for (const transition of yearOffsets(timeZone, year).transitions) {
      if (transition.at >= from && transition.at < to) result.push(transition);
    }
  }
  return result;
}

/** Reads the wall clock of `timeZone` at `instant`. */
export function wallClockAt(instant: number, timeZone: string): WallClock {
  const localMs = instant + timeZoneOffset(instant, timeZone);
  const date = new Date(localMs);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    weekday: date.getUTCDay() + 1,
    localMs,
  };
}

/**
 * The instants at which the wall clock of `timeZone` reads `localMs` (a local time encoded as if UTC),
 * earliest first: none when the time is skipped by a forward change, two when it is repeated.
 */
export function instantsAtWallClock(localMs: number, timeZone: string): number[] {
  const before = timeZoneOffset(localMs - DAY, timeZone);
  const after = timeZoneOffset(localMs + DAY, timeZone);
  const instants: number[] = [];
  for (const offset of before === after ? [before] : [before, after]) {
    const instant = localMs - offset;
    if (timeZoneOffset(instant, timeZone) === offset) instants.push(instant);
  }
  return instants.sort((a, b) => a - b);
}
