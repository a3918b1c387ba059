import { describe, expect, it } from "vitest";
import { parseScheduleExpression } from "../../../infra/schedule/parse-schedule-expression.js";
import { ScheduleExpressionError } from "../../../infra/schedule/schedule-expression-error.js";

function messageOf(expression: string): string {
  try {
    parseScheduleExpression(expression);
  } catch (error) {
    expect(error).toBeInstanceOf(ScheduleExpressionError);
    expect((error as ScheduleExpressionError).expression).toBe(expression);
    return (error as Error).message;
  }
  throw new Error(`expected ${expression} to be rejected`);
}

describe("parseScheduleExpression", () => {
  it("parses a cron into its six fields, with names, ranges and increments expanded", () => {
    const cron = parseScheduleExpression("cron(0/15 8-17 ? * MON-FRI *)");
    expect(cron).toMatchObject({
      kind: "cron",
      source: "cron(0/15 8-17 ? * MON-FRI *)",
      minutes: [0, 15, 30, 45],
      hours: [8, 9, 10, 11, 12, 13, 14, 15, 16, 17],
      dayOfMonth: { type: "any" },
      month: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
      dayOfWeek: { type: "days", days: [2, 3, 4, 5, 6] },
    });
    if (cron.kind !== "cron") throw new Error("not a cron");
    expect(cron.year[0]).toBe(1970);
    expect(cron.year.at(-1)).toBe(2199);
    expect(cron.year).toHaveLength(230);
  });

  it.each([
    ["cron(5/20 * * * ? *)", "minutes", [5, 25, 45]],
    ["cron(*/20 * * * ? *)", "minutes", [0, 20, 40]],
    ["cron(10-30/10 * * * ? *)", "minutes", [10, 20, 30]],
    ["cron(0 20-2 * * ? *)", "hours", [0, 1, 2, 20, 21, 22, 23]],
    ["cron(0 22-2/2 * * ? *)", "hours", [0, 2, 22]],
    ["cron(0 9 * jan,jul,Dec ? *)", "month", [1, 7, 12]],
    ["cron(0 9 * NOV-FEB ? *)", "month", [1, 2, 11, 12]],
    ["cron(0 9 * * ? 2030/5)", "year", [2030, 2035, 2040, 2045]],
    ["cron(0 9 * * ? 2027,2029-2030)", "year", [2027, 2029, 2030]],
  ])("expands %s into %s %j", (expression, field, values) => {
    const cron = parseScheduleExpression(expression) as unknown as Record<string, number[]>;
    const actual = cron[field] ?? [];
    expect(field === "year" ? actual.slice(0, values.length) : actual).toEqual(values);
  });

  it.each([
    ["cron(0 9 L * ? *)", { dayOfMonth: { type: "last" } }],
    ["cron(0 9 LW * ? *)", { dayOfMonth: { type: "lastWeekday" } }],
    ["cron(0 9 15W * ? *)", { dayOfMonth: { type: "nearestWeekday", day: 15 } }],
    ["cron(0 9 1,15 * ? *)", { dayOfMonth: { type: "days", days: [1, 15] } }],
    ["cron(0 9 ? * L *)", { dayOfWeek: { type: "days", days: [7] } }],
    ["cron(0 9 ? * 5L *)", { dayOfWeek: { type: "last", day: 5 } }],
    ["cron(0 9 ? * FRIL *)", { dayOfWeek: { type: "last", day: 6 } }],
    ["cron(0 9 ? * 6#3 *)", { dayOfWeek: { type: "nth", day: 6, nth: 3 } }],
    ["cron(0 9 ? * mon#1 *)", { dayOfWeek: { type: "nth", day: 2, nth: 1 } }],
    ["cron(0 9 ? * SAT-SUN *)", { dayOfWeek: { type: "days", days: [1, 7] } }],
    ["cron(0 9 ? * WED *)", { dayOfWeek: { type: "days", days: [4] } }],
  ])("reads the day rule of %s", (expression, rule) => {
    expect(parseScheduleExpression(expression)).toMatchObject(rule);
  });

  it.each([
    ["rate(1 minute)", 1, "minute", 60],
    ["rate(5 minutes)", 5, "minutes", 300],
    ["rate(1 hour)", 1, "hour", 3600],
    ["rate(12 hours)", 12, "hours", 43_200],
    ["rate(1 day)", 1, "day", 86_400],
    ["rate(7 days)", 7, "days", 604_800],
  ])("parses %s into value, unit and seconds", (expression, value, unit, seconds) => {
    expect(parseScheduleExpression(expression)).toEqual({
      kind: "rate",
      source: expression,
      value,
      unit,
      seconds,
    });
  });

  it("parses a one-time at() into its local date and time, accepting 29 February of a leap year", () => {
    expect(parseScheduleExpression("at(2026-12-24T18:00:00)")).toEqual({
      kind: "at",
      source: "at(2026-12-24T18:00:00)",
      localDateTime: "2026-12-24T18:00:00",
    });
    expect(parseScheduleExpression("at(2028-02-29T23:59:59)")).toMatchObject({ kind: "at" });
  });

  it.each([
    // The whole expression
    [
      "every day at 9",
      "every day at 9: must be cron(...), rate(...) or at(...), e.g. cron(0 9 ? * MON-FRI *), rate(5 minutes) or at(2026-12-24T18:00:00)",
    ],
    [
      "0 9 * * ? *",
      "0 9 * * ? *: must be cron(...), rate(...) or at(...), e.g. cron(0 9 ? * MON-FRI *), rate(5 minutes) or at(2026-12-24T18:00:00); wrap it: cron(0 9 * * ? *)",
    ],
    [
      " cron(0 9 * * ? *)",
      ' cron(0 9 * * ? *): remove the spaces around the expression: "cron(0 9 * * ? *)"',
    ],
    // Cron structure
    [
      "cron(0 9 * * MON-FRI)",
      "cron(0 9 * * MON-FRI): AWS cron has six fields (minutes hours day-of-month month day-of-week year), got 5; add the year field, e.g. cron(0 9 ? * MON-FRI *)",
    ],
    [
      "cron(0 0 9 * * ? *)",
      "cron(0 0 9 * * ? *): AWS cron has six fields (minutes hours day-of-month month day-of-week year), got 7; AWS cron has no seconds field: drop the first field, e.g. cron(0 9 * * ? *)",
    ],
    [
      "cron(0 9 *)",
      "cron(0 9 *): AWS cron has six fields (minutes hours day-of-month month day-of-week year), got 3, e.g. cron(0 9 ? * MON-FRI *)",
    ],
    [
      "cron(0 9 * * MON-FRI *)",
      "cron(0 9 * * MON-FRI *): day-of-month and day-of-week cannot both be set; use ? in one of them, e.g. cron(0 9 ? * MON-FRI *)",
    ],
    [
      "cron(0 9 1 * MON *)",
      "cron(0 9 1 * MON *): day-of-month and day-of-week cannot both be set; use ? in one of them, e.g. cron(0 9 ? * MON *)",
    ],
    [
      "cron(0 9 ? * ? *)",
      "cron(0 9 ? * ? *): day-of-month and day-of-week cannot both be ?; set one of them, e.g. cron(0 9 * * ? *)",
    ],
    // Values out of range or unknown
    ["cron(60 9 * * ? *)", 'cron(60 9 * * ? *): minutes field "60": 60 is out of range; use 0-59'],
    ["cron(0 24 * * ? *)", 'cron(0 24 * * ? *): hours field "24": 24 is out of range; use 0-23'],
    [
      "cron(0 9 32 * ? *)",
      'cron(0 9 32 * ? *): day-of-month field "32": 32 is out of range; use 1-31',
    ],
    ["cron(0 9 0 * ? *)", 'cron(0 9 0 * ? *): day-of-month field "0": 0 is out of range; use 1-31'],
    [
      "cron(0 9 * 13 ? *)",
      'cron(0 9 * 13 ? *): month field "13": 13 is out of range; use 1-12 or JAN-DEC',
    ],
    [
      "cron(0 9 * JANUARY ? *)",
      'cron(0 9 * JANUARY ? *): month field "JANUARY": "JANUARY" is not a valid value; use 1-12 or JAN-DEC',
    ],
    [
      "cron(0 9 ? * 0 *)",
      'cron(0 9 ? * 0 *): day-of-week field "0": 0 is out of range; use 1-7 or SUN-SAT',
    ],
    [
      "cron(0 9 ? * 8 *)",
      'cron(0 9 ? * 8 *): day-of-week field "8": 8 is out of range; use 1-7 or SUN-SAT',
    ],
    [
      "cron(0 9 ? * MONDAY *)",
      'cron(0 9 ? * MONDAY *): day-of-week field "MONDAY": "MONDAY" is not a valid value; use 1-7 or SUN-SAT',
    ],
    [
      "cron(0 9 * * ? 1969)",
      'cron(0 9 * * ? 1969): year field "1969": 1969 is out of range; use 1970-2199',
    ],
    [
      "cron(0 9 * * ? 2200)",
      'cron(0 9 * * ? 2200): year field "2200": 2200 is out of range; use 1970-2199',
    ],
    [
      "cron(? 9 * * ? *)",
      'cron(? 9 * * ? *): minutes field "?": ? is only allowed in day-of-month or day-of-week; use * for every value',
    ],
    // Lists, ranges and increments
    [
      "cron(1,,2 9 * * ? *)",
      'cron(1,,2 9 * * ? *): minutes field "1,,2": empty entry in the list; remove the extra comma',
    ],
    [
      "cron(1-2-3 9 * * ? *)",
      'cron(1-2-3 9 * * ? *): minutes field "1-2-3": "1-2-3" is not a range; write it as first-last, e.g. 1-5',
    ],
    [
      "cron(0/5/2 9 * * ? *)",
      'cron(0/5/2 9 * * ? *): minutes field "0/5/2": "0/5/2" has more than one /',
    ],
    [
      "cron(0/0 9 * * ? *)",
      'cron(0/0 9 * * ? *): minutes field "0/0": increment "/0" must be a whole number from 1 to 60, e.g. 0/15',
    ],
    [
      "cron(0/61 9 * * ? *)",
      'cron(0/61 9 * * ? *): minutes field "0/61": increment "/61" must be a whole number from 1 to 60, e.g. 0/15',
    ],
    [
      "cron(0 9 * * ? 2030-2027)",
      'cron(0 9 * * ? 2030-2027): year field "2030-2027": range 2030-2027 runs backwards; write it as 2027-2030',
    ],
    [
      "cron(0 9 ? * MON/2 *)",
      'cron(0 9 ? * MON/2 *): day-of-week field "MON/2": / is not allowed in day-of-week; list the values instead, e.g. MON,WED,FRI',
    ],
    // L, W and #
    [
      "cron(0 9 L-3 * ? *)",
      'cron(0 9 L-3 * ? *): day-of-month field "L-3": offsets from the last day (L-n) are not part of AWS cron; use L (last day) or LW (last weekday)',
    ],
    [
      "cron(0 9 1,L * ? *)",
      'cron(0 9 1,L * ? *): day-of-month field "1,L": L and W stand alone (L, LW, 15W); they cannot be part of a list',
    ],
    [
      "cron(0 9 1-5W * ? *)",
      'cron(0 9 1-5W * ? *): day-of-month field "1-5W": W takes a single day-of-month value, not a list or range',
    ],
    [
      "cron(0 9 XW * ? *)",
      'cron(0 9 XW * ? *): day-of-month field "XW": W follows a day number, e.g. 15W (weekday nearest the 15th)',
    ],
    [
      "cron(0 9 32W * ? *)",
      'cron(0 9 32W * ? *): day-of-month field "32W": 32 is out of range; use 1-31',
    ],
    [
      "cron(0 9 3#2 * ? *)",
      'cron(0 9 3#2 * ? *): day-of-month field "3#2": # belongs in day-of-week, e.g. 6#3',
    ],
    [
      "cron(0 9 ? * 15W *)",
      'cron(0 9 ? * 15W *): day-of-week field "15W": W belongs in day-of-month, e.g. 15W',
    ],
    [
      "cron(0 9 ? * 2-3L *)",
      'cron(0 9 ? * 2-3L *): day-of-week field "2-3L": L takes a single day-of-week value, not a list or range',
    ],
    [
      "cron(0 9 ? * 2,L *)",
      'cron(0 9 ? * 2,L *): day-of-week field "2,L": L takes a single day-of-week value, not a list or range',
    ],
    [
      "cron(0 9 ? * L,2 *)",
      'cron(0 9 ? * L,2 *): day-of-week field "L,2": L stands alone or after one weekday (5L = last Thursday)',
    ],
    [
      "cron(0 9 ? * 3#6 *)",
      'cron(0 9 ? * 3#6 *): day-of-week field "3#6": "3#6" must be weekday#n with n from 1 to 5, e.g. 6#3 (third Friday)',
    ],
    [
      "cron(0 9 ? * 9#1 *)",
      'cron(0 9 ? * 9#1 *): day-of-week field "9#1": 9 is out of range; use 1-7 or SUN-SAT',
    ],
    [
      "cron(0 9 ? * 3#1,6#3 *)",
      'cron(0 9 ? * 3#1,6#3 *): day-of-week field "3#1,6#3": a day-of-week with # holds one expression only ("3#1,6#3" is not valid); use one schedule per weekday',
    ],
    // Rate
    [
      "rate(30 seconds)",
      "rate(30 seconds): unit must be minute(s), hour(s) or day(s); the shortest rate is rate(1 minute)",
    ],
    ["rate(1 minutes)", "rate(1 minutes): use the singular unit for 1: rate(1 minute)"],
    ["rate(1 days)", "rate(1 days): use the singular unit for 1: rate(1 day)"],
    ["rate(5 minute)", "rate(5 minute): use the plural unit for 5: rate(5 minutes)"],
    ["rate(2 hour)", "rate(2 hour): use the plural unit for 2: rate(2 hours)"],
    [
      "rate(0 minutes)",
      'rate(0 minutes): value "0" must be a positive whole number, e.g. rate(5 minutes)',
    ],
    [
      "rate(-5 minutes)",
      'rate(-5 minutes): value "-5" must be a positive whole number, e.g. rate(5 minutes)',
    ],
    [
      "rate(1.5 hours)",
      'rate(1.5 hours): value "1.5" must be a positive whole number, e.g. rate(5 minutes)',
    ],
    [
      "rate(2 weeks)",
      "rate(2 weeks): unit must be minute(s), hour(s) or day(s); for weeks use rate(14 days)",
    ],
    [
      "rate(5 Minutes)",
      'rate(5 Minutes): unit "Minutes" must be minute(s), hour(s) or day(s), in lower case, e.g. rate(5 minutes)',
    ],
    [
      "rate(5)",
      "rate(5): a rate is a number and a unit, e.g. rate(5 minutes), rate(1 hour) or rate(2 days); got 1 part",
    ],
    // At
    [
      "at(2026-12-24 18:00:00)",
      "at(2026-12-24 18:00:00): a one-time schedule is at(yyyy-mm-ddThh:mm:ss) in local time of the schedule's time zone, e.g. at(2026-12-24T18:00:00)",
    ],
    [
      "at(2026-12-24T18:00)",
      "at(2026-12-24T18:00): a one-time schedule is at(yyyy-mm-ddThh:mm:ss) in local time of the schedule's time zone, e.g. at(2026-12-24T18:00:00)",
    ],
    ["at(2026-13-01T00:00:00)", "at(2026-13-01T00:00:00): month 13 is not a month; use 01-12"],
    ["at(2026-00-01T00:00:00)", "at(2026-00-01T00:00:00): month 0 is not a month; use 01-12"],
    [
      "at(2027-02-29T00:00:00)",
      "at(2027-02-29T00:00:00): day 29 does not exist in 2027-02; use 01-28",
    ],
    [
      "at(2026-04-31T00:00:00)",
      "at(2026-04-31T00:00:00): day 31 does not exist in 2026-04; use 01-30",
    ],
    [
      "at(2026-12-24T24:00:00)",
      "at(2026-12-24T24:00:00): hour 24 is out of range; use 00-23 (midnight is 00 of the next day)",
    ],
    ["at(2026-12-24T18:60:00)", "at(2026-12-24T18:60:00): minute 60 is out of range; use 00-59"],
    ["at(2026-12-24T18:00:60)", "at(2026-12-24T18:00:60): second 60 is out of range; use 00-59"],
    [
      "at(1969-12-31T23:00:00)",
      "at(1969-12-31T23:00:00): year 1969 is out of range; use 1970-2199",
    ],
  ])("rejects %s", (expression, message) => {
    expect(messageOf(expression)).toBe(message);
  });
});
