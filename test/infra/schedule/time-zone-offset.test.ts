import { describe, expect, it } from "vitest";
import {
  instantsAtWallClock,
  timeZoneOffset,
  timeZoneTransitions,
  wallClockAt,
} from "../../../infra/schedule/time-zone-offset.js";

const HOUR = 3_600_000;
const at = (iso: string): number => Date.parse(iso);

describe("timeZoneTransitions", () => {
  it("finds Berlin's 2027 changes to the minute", () => {
    expect(
      timeZoneTransitions("Europe/Berlin", at("2027-01-01T00:00:00Z"), at("2028-01-01T00:00:00Z")),
    ).toEqual([
      { at: at("2027-03-28T01:00:00Z"), offsetBefore: HOUR, offsetAfter: 2 * HOUR },
      { at: at("2027-10-31T01:00:00Z"), offsetBefore: 2 * HOUR, offsetAfter: HOUR },
    ]);
  });

  it("finds New York's 2027 changes and none in Tokyo or UTC", () => {
    const year = [at("2027-01-01T00:00:00Z"), at("2028-01-01T00:00:00Z")] as const;
    expect(
      timeZoneTransitions("America/New_York", ...year).map((t) => new Date(t.at).toISOString()),
    ).toEqual(["2027-03-14T07:00:00.000Z", "2027-11-07T06:00:00.000Z"]);
    expect(timeZoneTransitions("Asia/Tokyo", ...year)).toEqual([]);
    expect(timeZoneTransitions("UTC", ...year)).toEqual([]);
  });
});

describe("timeZoneOffset", () => {
  it("switches exactly at the change", () => {
    expect(timeZoneOffset(at("2027-03-28T00:59:00Z"), "Europe/Berlin")).toBe(HOUR);
    expect(timeZoneOffset(at("2027-03-28T01:00:00Z"), "Europe/Berlin")).toBe(2 * HOUR);
    expect(timeZoneOffset(at("2027-07-01T00:00:00Z"), "Asia/Kolkata")).toBe(5.5 * HOUR);
  });
});

describe("instantsAtWallClock", () => {
  it("returns none for a skipped local time, two for a repeated one, one otherwise", () => {
    expect(instantsAtWallClock(at("2027-03-28T02:30:00Z"), "Europe/Berlin")).toEqual([]);
    expect(instantsAtWallClock(at("2027-10-31T02:30:00Z"), "Europe/Berlin")).toEqual([
      at("2027-10-31T00:30:00Z"),
      at("2027-10-31T01:30:00Z"),
    ]);
    expect(instantsAtWallClock(at("2027-07-01T12:00:00Z"), "America/New_York")).toEqual([
      at("2027-07-01T16:00:00Z"),
    ]);
  });
});

describe("wallClockAt", () => {
  it("reads the local date, time and AWS weekday (1 = Sunday)", () => {
    expect(wallClockAt(at("2027-03-28T01:00:00Z"), "Europe/Berlin")).toMatchObject({
      year: 2027,
      month: 3,
      day: 28,
      hour: 3,
      minute: 0,
      weekday: 1,
    });
  });
});
