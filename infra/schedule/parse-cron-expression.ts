import {
  CronFieldProblem,
  type CronFieldSpec,
  parseCronValue,
  parseCronValues,
} from "./parse-cron-values.js";
import type {
  CronScheduleExpression,
  DayOfMonthRule,
  DayOfWeekRule,
} from "./schedule-expression.js";
import { ScheduleExpressionError } from "./schedule-expression-error.js";

const FIELD_NAMES = "minutes hours day-of-month month day-of-week year";

const MINUTES: CronFieldSpec = { name: "minutes", min: 0, max: 59, allowStep: true, wrap: true };
const HOURS: CronFieldSpec = { name: "hours", min: 0, max: 23, allowStep: true, wrap: true };
const DAY_OF_MONTH: CronFieldSpec = {
  name: "day-of-month",
  min: 1,
  max: 31,
  allowStep: true,
  wrap: true,
};
const MONTH: CronFieldSpec = {
  name: "month",
  min: 1,
  max: 12,
  names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
  allowStep: true,
  wrap: true,
};
const DAY_OF_WEEK: CronFieldSpec = {
  name: "day-of-week",
  min: 1,
  max: 7,
  names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
  allowStep: false,
  wrap: true,
};
const YEAR: CronFieldSpec = { name: "year", min: 1970, max: 2199, allowStep: true, wrap: false };

function single(text: string, spec: CronFieldSpec, form: string): string {
  if (/[,\-/*]/.test(text)) {
    throw new CronFieldProblem(`${form} takes a single ${spec.name} value, not a list or range`);
  }
  return text;
}

function parseDayOfMonth(text: string): DayOfMonthRule {
  const upper = text.toUpperCase();
  if (upper === "?") return { type: "any" };
  if (upper === "L") return { type: "last" };
  if (upper === "LW") return { type: "lastWeekday" };
  if (/^L-/.test(upper)) {
    throw new CronFieldProblem(
      "offsets from the last day (L-n) are not part of AWS cron; use L (last day) or LW (last weekday)",
    );
  }
  if (upper.endsWith("W")) {
    const day = single(upper.slice(0, -1), DAY_OF_MONTH, "W");
    if (!/^\d+$/.test(day)) {
      throw new CronFieldProblem("W follows a day number, e.g. 15W (weekday nearest the 15th)");
    }
    return { type: "nearestWeekday", day: parseCronValue(day, DAY_OF_MONTH) };
  }
  if (upper.includes("L") || upper.includes("W")) {
    throw new CronFieldProblem("L and W stand alone (L, LW, 15W); they cannot be part of a list");
  }
  if (upper.includes("#")) throw new CronFieldProblem("# belongs in day-of-week, e.g. 6#3");
  return { type: "days", days: parseCronValues(upper, DAY_OF_MONTH) };
}

function parseDayOfWeek(text: string): DayOfWeekRule {
  const upper = text.toUpperCase();
  if (upper === "?") return { type: "any" };
  if (upper === "L") return { type: "days", days: [7] };
  if (upper.includes("#")) {
    if (upper.includes(",")) {
      throw new CronFieldProblem(
        'a day-of-week with # holds one expression only ("3#1,6#3" is not valid); use one schedule per weekday',
      );
    }
    const [day = "", nth = "", extra] = upper.split("#");
    if (extra !== undefined || !/^[1-5]$/.test(nth)) {
      throw new CronFieldProblem(
        `"${text}" must be weekday#n with n from 1 to 5, e.g. 6#3 (third Friday)`,
      );
    }
    const weekday = parseCronValue(single(day, DAY_OF_WEEK, "#"), DAY_OF_WEEK);
    return { type: "nth", day: weekday, nth: Number(nth) };
  }
  if (upper.endsWith("L")) {
    const day = single(upper.slice(0, -1), DAY_OF_WEEK, "L");
    return { type: "last", day: parseCronValue(day, DAY_OF_WEEK) };
  }
  if (upper.includes("L")) {
    throw new CronFieldProblem("L stands alone or after one weekday (5L = last Thursday)");
  }
  if (upper.includes("W")) {
    const withoutNames = upper.replace(/WED/g, "");
    if (withoutNames.includes("W")) {
      throw new CronFieldProblem("W belongs in day-of-month, e.g. 15W");
    }
  }
  return { type: "days", days: parseCronValues(upper, DAY_OF_WEEK) };
}

function exampleWithDayFields(fields: readonly string[], year: string): string {
  const [minutes = "0", hours = "9", dom = "*", month = "*", dow = "?"] = fields;
  const fixed =
    dom === "?" || dow === "?"
      ? [dom, dow]
      : dow === "*"
        ? [dom, "?"]
        : dom === "*"
          ? ["?", dow]
          : ["?", dow];
  return `cron(${minutes} ${hours} ${fixed[0]} ${month} ${fixed[1]} ${year})`;
}

function fieldCountProblem(fields: readonly string[]): string {
  const base = `AWS cron has six fields (${FIELD_NAMES}), got ${fields.length}`;
  if (fields.length === 5) {
    return `${base}; add the year field, e.g. ${exampleWithDayFields(fields, "*")}`;
  }
  if (fields.length === 7) {
    return `${base}; AWS cron has no seconds field: drop the first field, e.g. ${exampleWithDayFields(fields.slice(1), fields[6] ?? "*")}`;
  }
  return `${base}, e.g. cron(0 9 ? * MON-FRI *)`;
}

function parseField<T>(source: string, field: string, text: string, parse: (t: string) => T): T {
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof CronFieldProblem) {
      throw new ScheduleExpressionError(source, `${field} field "${text}": ${error.message}`);
    }
    throw error;
  }
}

/**
 * Parses the inside of `cron(...)` with AWS semantics: six fields, day-of-week 1-7 = SUN-SAT, exactly
 * one of day-of-month and day-of-week `?`, `L`/`W`/`LW` in day-of-month, `L`/`5L`/`6#3` in day-of-week.
 * Throws {@link ScheduleExpressionError} naming the field and the fix.
 */
export function parseCronExpression(source: string, body: string): CronScheduleExpression {
  const fields = body
    .trim()
    .split(/\s+/)
    .filter((f) => f.length > 0);
  if (fields.length !== 6) throw new ScheduleExpressionError(source, fieldCountProblem(fields));
  const [minutes = "", hours = "", dom = "", month = "", dow = "", year = ""] = fields;
  if (dom !== "?" && dow !== "?") {
    throw new ScheduleExpressionError(
      source,
      `day-of-month and day-of-week cannot both be set; use ? in one of them, e.g. ${exampleWithDayFields(fields, year)}`,
    );
  }
  if (dom === "?" && dow === "?") {
    throw new ScheduleExpressionError(
      source,
      `day-of-month and day-of-week cannot both be ?; set one of them, e.g. cron(${minutes} ${hours} * ${month} ? ${year})`,
    );
  }
  return {
    kind: "cron",
    source,
    minutes: parseField(source, "minutes", minutes, (t) => parseCronValues(t, MINUTES)),
    hours: parseField(source, "hours", hours, (t) => parseCronValues(t, HOURS)),
    dayOfMonth: parseField(source, "day-of-month", dom, parseDayOfMonth),
    month: parseField(source, "month", month, (t) => parseCronValues(t, MONTH)),
    dayOfWeek: parseField(source, "day-of-week", dow, parseDayOfWeek),
    year: parseField(source, "year", year, (t) => parseCronValues(t, YEAR)),
  };
}
