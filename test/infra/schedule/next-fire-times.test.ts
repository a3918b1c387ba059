import { describe, expect, it } from "vitest";
import { nextFireTimes } from "../../../infra/schedule/next-fire-times.js";
import { parseScheduleExpression } from "../../../infra/schedule/parse-schedule-expression.js";

/*
 * Every expected instant below was worked out by hand, not by the code under test:
 * - Europe/Berlin is UTC+1 (CET) in winter and UTC+2 (CEST) in summer. 2027-03-28: at 02:00 CET
 *   (01:00 UTC) clocks jump to 03:00, so 02:00-02:59 does not exist. 2027-10-31: at 03:00 CEST
 *   (01:00 UTC) clocks go back to 02:00, so 02:00-02:59 occurs twice (00:xx UTC, then 01:xx UTC).
 * - America/New_York is UTC-5 (EST) / UTC-4 (EDT). 2027-03-14: at 02:00 EST (07:00 UTC) clocks jump
 *   to 03:00. 2027-11-07: at 02:00 EDT (06:00 UTC) clocks go back to 01:00, so 01:00-01:59 occurs
 *   twice (05:xx UTC, then 06:xx UTC).
 * - 2027 weekdays: Jan 1 Fri, Jan 31 Sun, Feb 28 Sun, Mar 31 Wed, Apr 30 Fri, May 1 Sat, May 15 Sat,
 *   May 31 Mon, Aug 15 Sun, Oct 31 Sun, Dec 31 Fri. 2023: Nov 1 Wed, Dec 1 Fri.
 */

interface Case {
  readonly expression: string;
  readonly timezone?: string;
  readonly after: string;
  readonly count: number;
  readonly startDate?: string;
  readonly endDate?: string;
  readonly expected: readonly string[];
}

function fire(c: Case): string[] {
  return nextFireTimes(c.expression, {
    timezone: c.timezone,
    after: new Date(c.after),
    count: c.count,
    startDate: c.startDate ? new Date(c.startDate) : undefined,
    endDate: c.endDate ? new Date(c.endDate) : undefined,
  }).map((d) => d.toISOString());
}

describe("nextFireTimes", () => {
  it.each<[string, Case]>([
    [
      "skips 02:30 Berlin on the spring-forward day 2027-03-28",
      {
        expression: "cron(30 2 * * ? *)",
        timezone: "Europe/Berlin",
        after: "2027-03-26T12:00:00Z",
        count: 3,
        expected: [
          "2027-03-27T01:30:00.000Z",
          "2027-03-29T00:30:00.000Z",
          "2027-03-30T00:30:00.000Z",
        ],
      },
    ],
    [
      "fires 03:00 Berlin, the first minute after the gap, on 2027-03-28",
      {
        expression: "cron(0 3 * * ? *)",
        timezone: "Europe/Berlin",
        after: "2027-03-27T12:00:00Z",
        count: 2,
        expected: ["2027-03-28T01:00:00.000Z", "2027-03-29T01:00:00.000Z"],
      },
    ],
    [
      "loses no real-time slot of a half-hourly Berlin schedule across the spring gap",
      {
        expression: "cron(0/30 * * * ? *)",
        timezone: "Europe/Berlin",
        after: "2027-03-28T00:00:00Z",
        count: 5,
        expected: [
          "2027-03-28T00:30:00.000Z",
          "2027-03-28T01:00:00.000Z",
          "2027-03-28T01:30:00.000Z",
          "2027-03-28T02:00:00.000Z",
          "2027-03-28T02:30:00.000Z",
        ],
      },
    ],
    [
      "fires 02:30 Berlin once, at the first (CEST) occurrence, on 2027-10-31",
      {
        expression: "cron(30 2 * * ? *)",
        timezone: "Europe/Berlin",
        after: "2027-10-30T12:00:00Z",
        count: 3,
        expected: [
          "2027-10-31T00:30:00.000Z",
          "2027-11-01T01:30:00.000Z",
          "2027-11-02T01:30:00.000Z",
        ],
      },
    ],
    [
      "leaves an hour without runs when Berlin's 02:xx repeats on 2027-10-31",
      {
        expression: "cron(0/30 * * * ? *)",
        timezone: "Europe/Berlin",
        after: "2027-10-30T23:45:00Z",
        count: 6,
        expected: [
          "2027-10-31T00:00:00.000Z",
          "2027-10-31T00:30:00.000Z",
          "2027-10-31T02:00:00.000Z",
          "2027-10-31T02:30:00.000Z",
          "2027-10-31T03:00:00.000Z",
          "2027-10-31T03:30:00.000Z",
        ],
      },
    ],
    [
      "does not fire the second occurrence when counting from inside Berlin's repeated hour",
      {
        expression: "cron(15 2 * * ? *)",
        timezone: "Europe/Berlin",
        after: "2027-10-31T01:00:00Z",
        count: 2,
        expected: ["2027-11-01T01:15:00.000Z", "2027-11-02T01:15:00.000Z"],
      },
    ],
    [
      "skips 02:30 New York on the spring-forward day 2027-03-14",
      {
        expression: "cron(30 2 * * ? *)",
        timezone: "America/New_York",
        after: "2027-03-13T00:00:00Z",
        count: 3,
        expected: [
          "2027-03-13T07:30:00.000Z",
          "2027-03-15T06:30:00.000Z",
          "2027-03-16T06:30:00.000Z",
        ],
      },
    ],
    [
      "drops the 02:00 slot of an hourly New York schedule on 2027-03-14",
      {
        expression: "cron(0 * * * ? *)",
        timezone: "America/New_York",
        after: "2027-03-14T05:30:00Z",
        count: 4,
        expected: [
          "2027-03-14T06:00:00.000Z",
          "2027-03-14T07:00:00.000Z",
          "2027-03-14T08:00:00.000Z",
          "2027-03-14T09:00:00.000Z",
        ],
      },
    ],
    [
      "fires 01:30 New York once, at the first (EDT) occurrence, on 2027-11-07",
      {
        expression: "cron(30 1 * * ? *)",
        timezone: "America/New_York",
        after: "2027-11-06T12:00:00Z",
        count: 3,
        expected: [
          "2027-11-07T05:30:00.000Z",
          "2027-11-08T06:30:00.000Z",
          "2027-11-09T06:30:00.000Z",
        ],
      },
    ],
    [
      "fires the hourly New York 01:00 once on 2027-11-07",
      {
        expression: "cron(0 * * * ? *)",
        timezone: "America/New_York",
        after: "2027-11-07T03:30:00Z",
        count: 5,
        expected: [
          "2027-11-07T04:00:00.000Z",
          "2027-11-07T05:00:00.000Z",
          "2027-11-07T07:00:00.000Z",
          "2027-11-07T08:00:00.000Z",
          "2027-11-07T09:00:00.000Z",
        ],
      },
    ],
    [
      "reads weekday names and ranges in local time",
      {
        expression: "cron(0 9 ? * MON-FRI *)",
        timezone: "Europe/Berlin",
        after: "2027-01-01T00:00:00Z",
        count: 3,
        expected: [
          "2027-01-01T08:00:00.000Z",
          "2027-01-04T08:00:00.000Z",
          "2027-01-05T08:00:00.000Z",
        ],
      },
    ],
    [
      "defaults to UTC and wraps an hour range past midnight",
      {
        expression: "cron(0 22-1 * * ? *)",
        after: "2027-01-01T00:00:00Z",
        count: 4,
        expected: [
          "2027-01-01T01:00:00.000Z",
          "2027-01-01T22:00:00.000Z",
          "2027-01-01T23:00:00.000Z",
          "2027-01-02T00:00:00.000Z",
        ],
      },
    ],
    [
      "wraps a month range over the new year",
      {
        expression: "cron(0 0 1 NOV-FEB ? *)",
        after: "2027-02-15T00:00:00Z",
        count: 4,
        expected: [
          "2027-11-01T00:00:00.000Z",
          "2027-12-01T00:00:00.000Z",
          "2028-01-01T00:00:00.000Z",
          "2028-02-01T00:00:00.000Z",
        ],
      },
    ],
  ])("%s", (_title, c) => {
    expect(fire(c)).toEqual(c.expected);
  });

  it.each<[string, Case]>([
    [
      "L: the last day of each month",
      {
        expression: "cron(0 12 L * ? *)",
        after: "2027-01-01T00:00:00Z",
        count: 3,
        expected: [
          "2027-01-31T12:00:00.000Z",
          "2027-02-28T12:00:00.000Z",
          "2027-03-31T12:00:00.000Z",
        ],
      },
    ],
    [
      "L: 29 February in a leap year",
      {
        expression: "cron(0 12 L 2 ? 2028)",
        after: "2027-01-01T00:00:00Z",
        count: 3,
        expected: ["2028-02-29T12:00:00.000Z"],
      },
    ],
    [
      "LW: the last weekday, moving back from a Sunday the 31st or 28th",
      {
        expression: "cron(0 12 LW * ? *)",
        after: "2027-01-01T00:00:00Z",
        count: 5,
        expected: [
          "2027-01-29T12:00:00.000Z",
          "2027-02-26T12:00:00.000Z",
          "2027-03-31T12:00:00.000Z",
          "2027-04-30T12:00:00.000Z",
          "2027-05-31T12:00:00.000Z",
        ],
      },
    ],
    [
      "15W: Friday before a Saturday 15th, Monday after a Sunday 15th",
      {
        expression: "cron(0 12 15W * ? *)",
        after: "2027-05-01T00:00:00Z",
        count: 4,
        expected: [
          "2027-05-14T12:00:00.000Z",
          "2027-06-15T12:00:00.000Z",
          "2027-07-15T12:00:00.000Z",
          "2027-08-16T12:00:00.000Z",
        ],
      },
    ],
    [
      "1W: Monday the 3rd when the 1st is a Saturday, never the previous month",
      {
        expression: "cron(0 12 1W * ? *)",
        after: "2027-04-02T00:00:00Z",
        count: 2,
        expected: ["2027-05-03T12:00:00.000Z", "2027-06-01T12:00:00.000Z"],
      },
    ],
    [
      "31W: Friday the 29th when the 31st is a Sunday; months without a 31st are skipped",
      {
        expression: "cron(0 12 31W * ? *)",
        after: "2027-09-01T00:00:00Z",
        count: 2,
        expected: ["2027-10-29T12:00:00.000Z", "2027-12-31T12:00:00.000Z"],
      },
    ],
    [
      "6#3: the third Friday",
      {
        expression: "cron(0 12 ? * 6#3 *)",
        after: "2027-01-01T00:00:00Z",
        count: 3,
        expected: [
          "2027-01-15T12:00:00.000Z",
          "2027-02-19T12:00:00.000Z",
          "2027-03-19T12:00:00.000Z",
        ],
      },
    ],
    [
      "2#5: the fifth Monday, skipping months that have four",
      {
        expression: "cron(0 9 ? * 2#5 *)",
        after: "2027-01-01T00:00:00Z",
        count: 2,
        expected: ["2027-03-29T09:00:00.000Z", "2027-05-31T09:00:00.000Z"],
      },
    ],
    [
      "5L: the last Thursday",
      {
        expression: "cron(0 12 ? * 5L 2027)",
        after: "2027-01-01T00:00:00Z",
        count: 3,
        expected: [
          "2027-01-28T12:00:00.000Z",
          "2027-02-25T12:00:00.000Z",
          "2027-03-25T12:00:00.000Z",
        ],
      },
    ],
    [
      "L alone in day-of-week: every Saturday",
      {
        expression: "cron(0 12 ? * L *)",
        after: "2027-01-01T00:00:00Z",
        count: 2,
        expected: ["2027-01-02T12:00:00.000Z", "2027-01-09T12:00:00.000Z"],
      },
    ],
    [
      "6L with a year range (the AWS example): ends with the range",
      {
        expression: "cron(15 10 ? * 6L 2022-2023)",
        after: "2023-11-01T00:00:00Z",
        count: 5,
        expected: ["2023-11-24T10:15:00.000Z", "2023-12-29T10:15:00.000Z"],
      },
    ],
    [
      "year list: only the named years",
      {
        expression: "cron(0 0 1 1 ? 2030,2032)",
        after: "2027-01-01T00:00:00Z",
        count: 5,
        expected: ["2030-01-01T00:00:00.000Z", "2032-01-01T00:00:00.000Z"],
      },
    ],
    [
      "year increment: every fifth year from 2030",
      {
        expression: "cron(0 0 1 1 ? 2030/5)",
        after: "2027-01-01T00:00:00Z",
        count: 3,
        expected: [
          "2030-01-01T00:00:00.000Z",
          "2035-01-01T00:00:00.000Z",
          "2040-01-01T00:00:00.000Z",
        ],
      },
    ],
    [
      "a past year: nothing",
      { expression: "cron(0 0 1 1 ? 2020)", after: "2027-01-01T00:00:00Z", count: 5, expected: [] },
    ],
    [
      "a date that never exists: nothing",
      { expression: "cron(0 0 30 2 ? *)", after: "2027-01-01T00:00:00Z", count: 5, expected: [] },
    ],
  ])("%s", (_title, c) => {
    expect(fire(c)).toEqual(c.expected);
  });

  it.each<[string, Case]>([
    [
      "rate(1 day) is 24 hours across Berlin's spring change (local 02:30 CET becomes 03:30 CEST)",
      {
        expression: "rate(1 day)",
        timezone: "Europe/Berlin",
        after: "2027-03-01T00:00:00Z",
        startDate: "2027-03-27T01:30:00Z",
        count: 3,
        expected: [
          "2027-03-27T01:30:00.000Z",
          "2027-03-28T01:30:00.000Z",
          "2027-03-29T01:30:00.000Z",
        ],
      },
    ],
    [
      "rate counts periods from startDate, not from after",
      {
        expression: "rate(2 hours)",
        after: "2027-01-01T05:00:00Z",
        startDate: "2027-01-01T00:00:00Z",
        count: 3,
        expected: [
          "2027-01-01T06:00:00.000Z",
          "2027-01-01T08:00:00.000Z",
          "2027-01-01T10:00:00.000Z",
        ],
      },
    ],
    [
      "rate excludes a fire time equal to after",
      {
        expression: "rate(2 hours)",
        after: "2027-01-01T06:00:00Z",
        startDate: "2027-01-01T00:00:00Z",
        count: 2,
        expected: ["2027-01-01T08:00:00.000Z", "2027-01-01T10:00:00.000Z"],
      },
    ],
    [
      "rate without startDate counts from after",
      {
        expression: "rate(5 minutes)",
        after: "2027-01-01T00:00:30Z",
        count: 2,
        expected: ["2027-01-01T00:05:30.000Z", "2027-01-01T00:10:30.000Z"],
      },
    ],
    [
      "rate stops at endDate, which itself may fire",
      {
        expression: "rate(1 hour)",
        after: "2026-12-31T00:00:00Z",
        startDate: "2027-01-01T00:00:00Z",
        endDate: "2027-01-01T02:00:00Z",
        count: 10,
        expected: [
          "2027-01-01T00:00:00.000Z",
          "2027-01-01T01:00:00.000Z",
          "2027-01-01T02:00:00.000Z",
        ],
      },
    ],
    [
      "cron honours startDate and endDate, both inclusive",
      {
        expression: "cron(0 9 * * ? *)",
        after: "2027-01-01T00:00:00Z",
        startDate: "2027-01-03T09:00:00Z",
        endDate: "2027-01-05T09:00:00Z",
        count: 10,
        expected: [
          "2027-01-03T09:00:00.000Z",
          "2027-01-04T09:00:00.000Z",
          "2027-01-05T09:00:00.000Z",
        ],
      },
    ],
    [
      "at() in Berlin fires once at local time",
      {
        expression: "at(2027-12-24T18:00:00)",
        timezone: "Europe/Berlin",
        after: "2027-01-01T00:00:00Z",
        count: 5,
        expected: ["2027-12-24T17:00:00.000Z"],
      },
    ],
    [
      "at() in New York fires once at local time",
      {
        expression: "at(2027-12-24T18:00:00)",
        timezone: "America/New_York",
        after: "2027-01-01T00:00:00Z",
        count: 5,
        expected: ["2027-12-24T23:00:00.000Z"],
      },
    ],
    [
      "at() ignores startDate and endDate, as Scheduler does",
      {
        expression: "at(2027-06-01T12:00:00)",
        after: "2027-01-01T00:00:00Z",
        startDate: "2027-07-01T00:00:00Z",
        endDate: "2027-02-01T00:00:00Z",
        count: 1,
        expected: ["2027-06-01T12:00:00.000Z"],
      },
    ],
    [
      "at() in the past: nothing",
      {
        expression: "at(2027-06-01T12:00:00)",
        after: "2027-06-01T12:00:00Z",
        count: 1,
        expected: [],
      },
    ],
    [
      "at() inside Berlin's spring gap never fires",
      {
        expression: "at(2027-03-28T02:30:00)",
        timezone: "Europe/Berlin",
        after: "2027-01-01T00:00:00Z",
        count: 1,
        expected: [],
      },
    ],
    [
      "at() inside Berlin's repeated hour fires at the first occurrence",
      {
        expression: "at(2027-10-31T02:30:00)",
        timezone: "Europe/Berlin",
        after: "2027-01-01T00:00:00Z",
        count: 1,
        expected: ["2027-10-31T00:30:00.000Z"],
      },
    ],
  ])("%s", (_title, c) => {
    expect(fire(c)).toEqual(c.expected);
  });

  it("accepts an already parsed expression and returns nothing for count 0", () => {
    const parsed = parseScheduleExpression("cron(0 9 * * ? *)");
    const after = new Date("2027-01-01T00:00:00Z");
    expect(nextFireTimes(parsed, { after, count: 1 })).toEqual([new Date("2027-01-01T09:00:00Z")]);
    expect(nextFireTimes(parsed, { after, count: 0 })).toEqual([]);
  });

  it.each([
    [
      { timezone: "Europe/Berln" },
      'timezone: "Europe/Berln" is not an IANA time zone (did you mean "Europe/Berlin"?)',
    ],
    [{ count: -1 }, "count: -1 must be a whole number of 0 or more"],
    [{ count: 1.5 }, "count: 1.5 must be a whole number of 0 or more"],
    [{ after: new Date("nope") }, "after: is not a valid date"],
  ])("throws a RangeError for bad options %j", (override, message) => {
    const options = { after: new Date("2027-01-01T00:00:00Z"), count: 1, ...override };
    expect(() => nextFireTimes("cron(0 9 * * ? *)", options)).toThrow(new RangeError(message));
  });

  it("throws the parser's error for a bad expression string", () => {
    expect(() => nextFireTimes("cron(0 9 * * MON-FRI)", { after: new Date(0), count: 1 })).toThrow(
      /got 5; add the year field/,
    );
  });

  it("computes 300 fire times for each of 1000 schedules across zones and kinds", () => {
    const zones = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "UTC"];
    const expressions = ["cron(0/30 8-18 ? * MON-FRI *)", "cron(15 2 * * ? *)", "rate(7 minutes)"];
    let total = 0;
    for (let i = 0; i < 1000; i++) {
      total += nextFireTimes(expressions[i % 3] as string, {
        timezone: zones[i % 5],
        after: new Date("2026-11-25T00:00:00Z"),
        count: 300,
      }).length;
    }
    expect(total).toBe(300_000);
  });
});
