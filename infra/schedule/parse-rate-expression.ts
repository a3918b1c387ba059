import { type RateScheduleExpression, RateUnit } from "./schedule-expression.js";
import { ScheduleExpressionError } from "./schedule-expression-error.js";

const SECONDS_PER_UNIT: Readonly<Record<RateUnit, number>> = {
  minute: 60,
  minutes: 60,
  hour: 3600,
  hours: 3600,
  day: 86_400,
  days: 86_400,
};

const UNITS: readonly string[] = Object.values(RateUnit);

function isRateUnit(unit: string): unit is RateUnit {
  return UNITS.includes(unit);
}

/**
 * Parses the inside of `rate(...)`: a positive whole number and minute(s), hour(s) or day(s), singular
 * for 1 and plural otherwise. Throws {@link ScheduleExpressionError} naming the fix.
 */
export function parseRateExpression(source: string, body: string): RateScheduleExpression {
  const parts = body
    .trim()
    .split(/\s+/)
    .filter((p) => p.length > 0);
  const [valueText = "", unitText = ""] = parts;
  if (parts.length !== 2) {
    throw new ScheduleExpressionError(
      source,
      `a rate is a number and a unit, e.g. rate(5 minutes), rate(1 hour) or rate(2 days); got ${parts.length} part${parts.length === 1 ? "" : "s"}`,
    );
  }
  const value = /^\d+$/.test(valueText) ? Number(valueText) : Number.NaN;
  if (!(value >= 1) || !Number.isSafeInteger(value)) {
    throw new ScheduleExpressionError(
      source,
      `value "${valueText}" must be a positive whole number, e.g. rate(5 minutes)`,
    );
  }
  const unit = unitText.toLowerCase();
  if (unit === "second" || unit === "seconds") {
    throw new ScheduleExpressionError(
      source,
      "unit must be minute(s), hour(s) or day(s); the shortest rate is rate(1 minute)",
    );
  }
  if (unit === "week" || unit === "weeks") {
    throw new ScheduleExpressionError(
      source,
      `unit must be minute(s), hour(s) or day(s); for weeks use rate(${value * 7} days)`,
    );
  }
  if (!isRateUnit(unitText)) {
    throw new ScheduleExpressionError(
      source,
      `unit "${unitText}" must be minute(s), hour(s) or day(s), in lower case, e.g. rate(5 minutes)`,
    );
  }
  const singular = unitText.replace(/s$/, "");
  if (value === 1 && unitText.endsWith("s")) {
    throw new ScheduleExpressionError(source, `use the singular unit for 1: rate(1 ${singular})`);
  }
  if (value !== 1 && !unitText.endsWith("s")) {
    throw new ScheduleExpressionError(
      source,
      `use the plural unit for ${value}: rate(${value} ${singular}s)`,
    );
  }
  return {
    kind: "rate",
    source,
    value,
    unit: unitText,
    seconds: value * SECONDS_PER_UNIT[unitText],
  };
}
