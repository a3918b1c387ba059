import { describe, expect, it } from "vitest";
import { daylightSavingWarnings } from "../../../infra/schedule/daylight-saving-warnings.js";

const from2027 = { from: new Date("2027-01-01T00:00:00Z") };

describe("daylightSavingWarnings", () => {
  it("warns that 02:30 Berlin is skipped on 2027-03-28 and runs once on 2027-10-31", () => {
    expect(daylightSavingWarnings("cron(30 2 * * ? *)", "Europe/Berlin", from2027)).toEqual([
      "02:30 Europe/Berlin does not exist on 2027-03-28 (clocks go forward): EventBridge Scheduler skips that day's run",
      "02:30 Europe/Berlin occurs twice on 2027-10-31 (clocks go back): EventBridge Scheduler runs once, at the first occurrence (02:30 CEST = 00:30 UTC)",
    ]);
  });

  it("lists every affected run time of a quarter-hourly New York schedule", () => {
    expect(daylightSavingWarnings("cron(0/15 * * * ? *)", "America/New_York", from2027)).toEqual([
      "02:00, 02:15, 02:30 and 02:45 America/New_York do not exist on 2027-03-14 (clocks go forward): EventBridge Scheduler skips those runs that day",
      "01:00, 01:15, 01:30 and 01:45 America/New_York occur twice on 2027-11-07 (clocks go back): EventBridge Scheduler runs them once, each at its first occurrence (EDT), not again after the change",
    ]);
  });

  it("summarises a minutely schedule instead of listing sixty times", () => {
    expect(daylightSavingWarnings("cron(* * * * ? *)", "Europe/Berlin", from2027)[0]).toBe(
      "60 run times from 02:00 to 02:59 Europe/Berlin do not exist on 2027-03-28 (clocks go forward): EventBridge Scheduler skips those runs that day",
    );
  });

  it("stays quiet when the affected day does not match (both 2027 changes fall on a Sunday)", () => {
    expect(daylightSavingWarnings("cron(30 2 ? * MON-FRI *)", "Europe/Berlin", from2027)).toEqual(
      [],
    );
  });

  it("only looks inside the window", () => {
    const warnings = daylightSavingWarnings("cron(30 2 * * ? *)", "Europe/Berlin", {
      from: new Date("2027-04-01T00:00:00Z"),
      years: 0.75,
    });
    expect(warnings).toEqual([expect.stringContaining("occurs twice on 2027-10-31")]);
    const twoYears = daylightSavingWarnings("cron(30 2 * * ? *)", "Europe/Berlin", {
      ...from2027,
      years: 2,
    });
    expect(twoYears).toHaveLength(4);
    expect(twoYears[2]).toContain("does not exist on 2028-03-26");
  });

  it.each([
    ["cron(30 2 * * ? *)", "UTC"],
    ["cron(30 2 * * ? *)", "Asia/Tokyo"],
    ["cron(30 3 * * ? *)", "Europe/Berlin"],
    ["rate(1 hour)", "Europe/Berlin"],
    ["at(2027-03-28T03:30:00)", "Europe/Berlin"],
  ])("has nothing to say about %s in %s", (expression, zone) => {
    expect(daylightSavingWarnings(expression, zone, from2027)).toEqual([]);
  });

  it("warns about a one-time schedule in the skipped or the repeated hour", () => {
    expect(daylightSavingWarnings("at(2027-03-28T02:30:00)", "Europe/Berlin")).toEqual([
      "at(2027-03-28T02:30:00): 02:30 Europe/Berlin does not exist on 2027-03-28 (clocks go forward): the one-time schedule would never run; pick a time outside the skipped hour",
    ]);
    expect(daylightSavingWarnings("at(2027-11-07T01:30:00)", "America/New_York")).toEqual([
      "at(2027-11-07T01:30:00): 01:30 America/New_York occurs twice on 2027-11-07 (clocks go back): it runs once, at the first occurrence (2027-11-07 01:30 EDT = 05:30 UTC)",
    ]);
  });

  it("throws for an unknown zone or a bad expression", () => {
    expect(() => daylightSavingWarnings("cron(0 9 * * ? *)", "Berlin/Europe")).toThrow(
      /timezone: "Berlin\/Europe" is not an IANA time zone/,
    );
    expect(() => daylightSavingWarnings("rate(1 hours)", "UTC")).toThrow(
      "rate(1 hours): use the singular unit for 1: rate(1 hour)",
    );
  });
});
