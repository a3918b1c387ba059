import { describe, expect, it } from "vitest";
import {
  formatInTimeZone,
  isTimeZone,
  suggestTimeZone,
  timeZoneProblem,
} from "../../../infra/schedule/time-zone.js";

describe("isTimeZone", () => {
  it.each([
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Asia/Kolkata",
    "America/Argentina/Buenos_Aires",
    "Etc/GMT+5",
    "US/Eastern",
  ])("accepts %s", (name) => {
    expect(isTimeZone(name)).toBe(true);
  });

  it.each([
    "Europe/Berln",
    "europe/berlin",
    "EUROPE/BERLIN",
    "Berlin",
    "+01:00",
    "CET+1",
    "",
    "Mars/Olympus_Mons",
  ])("rejects %j", (name) => {
    expect(isTimeZone(name)).toBe(false);
  });
});

describe("suggestTimeZone", () => {
  it.each([
    ["Europe/Berln", "Europe/Berlin"],
    ["europe/berlin", "Europe/Berlin"],
    ["Berlin", "Europe/Berlin"],
    ["new york", "America/New_York"],
    ["America/NewYork", "America/New_York"],
    ["Asia/Tokio", "Asia/Tokyo"],
  ])("suggests a zone for %j", (name, expected) => {
    expect(suggestTimeZone(name)).toBe(expected);
  });

  it.each(["xyzzy", "Mars/Olympus_Mons", ""])("suggests nothing for %j", (name) => {
    expect(suggestTimeZone(name)).toBeUndefined();
  });
});

describe("timeZoneProblem", () => {
  it("names the value and the closest zone, or how to write one", () => {
    expect(timeZoneProblem("Europe/Berlin")).toBeUndefined();
    expect(timeZoneProblem("Europe/Berln")).toBe(
      '"Europe/Berln" is not an IANA time zone (did you mean "Europe/Berlin"?)',
    );
    expect(timeZoneProblem("xyzzy")).toBe(
      '"xyzzy" is not an IANA time zone (use a name such as "Europe/Berlin" or "UTC")',
    );
  });
});

describe("formatInTimeZone", () => {
  it.each([
    ["2026-11-25T08:00:00Z", "Europe/Berlin", "2026-11-25 09:00 CET"],
    ["2027-07-01T08:00:00Z", "Europe/Berlin", "2027-07-01 10:00 CEST"],
    ["2027-01-15T14:30:00Z", "America/New_York", "2027-01-15 09:30 EST"],
    ["2027-07-15T14:30:00Z", "America/New_York", "2027-07-15 10:30 EDT"],
    ["2027-07-01T08:00:00Z", "Europe/London", "2027-07-01 09:00 BST"],
    ["2027-01-01T23:30:00Z", "Asia/Tokyo", "2027-01-02 08:30 GMT+9"],
    ["2027-01-01T00:00:00Z", "Asia/Kolkata", "2027-01-01 05:30 IST"],
    ["2027-01-01T00:00:00Z", "UTC", "2027-01-01 00:00 UTC"],
  ])("formats %s in %s as %s", (instant, zone, expected) => {
    expect(formatInTimeZone(new Date(instant), zone)).toBe(expected);
  });

  it("throws a RangeError naming a bad zone", () => {
    expect(() => formatInTimeZone(new Date(0), "Europe/Berln")).toThrow(
      new RangeError(
        'timezone: "Europe/Berln" is not an IANA time zone (did you mean "Europe/Berlin"?)',
      ),
    );
  });
});
