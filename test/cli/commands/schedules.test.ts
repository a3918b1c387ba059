import { describe, expect, it } from "vitest";
import { cliEnvironment, runCliProcess, runCliProcessReadingFirstChunk } from "../cli-process.js";
import { FIRE_TIME_CONFIG, writeConfig } from "../config-files.js";

/*
 * Expected instants worked out by hand (not by the code under test):
 * Berlin CET = UTC+1, CEST = UTC+2; 2027-03-28 02:00-02:59 does not exist; 2027-10-31 02:00-02:59
 * happens twice (first CEST). New York EST = UTC-5, EDT = UTC-4; 2027-03-14 02:00-02:59 does not
 * exist; 2027-11-07 01:00-01:59 happens twice (first EDT). 2027: Jan 31 and Feb 28 are Sundays,
 * Mar 31 a Wednesday; the third Fridays of Jan-Mar are the 15th, 19th and 19th.
 */
const EXPECTED: Record<string, [string, string][]> = {
  "berlin-spring": [
    ["2027-03-27T01:30:00.000Z", "2027-03-27 02:30 CET"],
    ["2027-03-29T00:30:00.000Z", "2027-03-29 02:30 CEST"],
  ],
  "berlin-autumn": [
    ["2027-10-30T00:30:00.000Z", "2027-10-30 02:30 CEST"],
    ["2027-10-31T00:30:00.000Z", "2027-10-31 02:30 CEST"],
  ],
  "new-york-spring": [
    ["2027-03-13T07:30:00.000Z", "2027-03-13 02:30 EST"],
    ["2027-03-15T06:30:00.000Z", "2027-03-15 02:30 EDT"],
  ],
  "new-york-autumn": [
    ["2027-11-06T05:30:00.000Z", "2027-11-06 01:30 EDT"],
    ["2027-11-07T05:30:00.000Z", "2027-11-07 01:30 EDT"],
    ["2027-11-08T06:30:00.000Z", "2027-11-08 01:30 EST"],
  ],
  "last-weekday": [
    ["2027-01-29T12:00:00.000Z", "2027-01-29 12:00 UTC"],
    ["2027-02-26T12:00:00.000Z", "2027-02-26 12:00 UTC"],
    ["2027-03-31T12:00:00.000Z", "2027-03-31 12:00 UTC"],
  ],
  "third-friday-berlin": [
    ["2027-01-15T08:00:00.000Z", "2027-01-15 09:00 CET"],
    ["2027-02-19T08:00:00.000Z", "2027-02-19 09:00 CET"],
    ["2027-03-19T08:00:00.000Z", "2027-03-19 09:00 CET"],
  ],
  "daily-rate-across-spring": [
    ["2027-03-27T01:30:00.000Z", "2027-03-27 02:30 CET"],
    ["2027-03-28T01:30:00.000Z", "2027-03-28 03:30 CEST"],
    ["2027-03-29T01:30:00.000Z", "2027-03-29 03:30 CEST"],
  ],
  "noon-two-days": [
    ["2027-01-02T12:00:00.000Z", "2027-01-02 12:00 UTC"],
    ["2027-01-03T12:00:00.000Z", "2027-01-03 12:00 UTC"],
  ],
  "christmas-eve": [["2027-12-24T23:00:00.000Z", "2027-12-24 18:00 EST"]],
  paused: [
    ["2027-01-01T06:00:00.000Z", "2027-01-01 06:00 UTC"],
    ["2027-01-02T06:00:00.000Z", "2027-01-02 06:00 UTC"],
    ["2027-01-03T06:00:00.000Z", "2027-01-03 06:00 UTC"],
  ],
};

interface Listed {
  name: string;
  enabled: boolean;
  fireTimes: { utc: string; local: string }[];
}

describe("workflow-dispatch schedules", () => {
  it("stops quietly with exit code 0 when its reader closes the pipe early (| head)", async () => {
    // Hundreds of kilobytes of fire times: far more than a pipe holds, so later writes meet EPIPE.
    const run = await runCliProcessReadingFirstChunk(
      ["schedules", "--count", "500"],
      cliEnvironment(),
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
  });

  it("lists next fire times as EventBridge Scheduler computes them, in JSON", async () => {
    const path = await writeConfig(FIRE_TIME_CONFIG);
    const run = await runCliProcess(
      ["schedules", "--config", path, "--from", "2027-01-01T00:00:00Z", "--count", "3", "--json"],
      cliEnvironment(),
    );
    expect(run.code).toBe(0);
    const listed = JSON.parse(run.stdout).schedules as Listed[];
    const actual = Object.fromEntries(
      listed.map((s) => [s.name, s.fireTimes.map((t) => [t.utc, t.local])]),
    );
    expect(actual).toEqual(EXPECTED);
    expect(listed.find((s) => s.name === "paused")?.enabled).toBe(false);
  });

  it("prints a table with local and UTC times, disabled schedules marked, without colour off a terminal", async () => {
    const path = await writeConfig(FIRE_TIME_CONFIG);
    const run = await runCliProcess(
      [
        "schedules",
        "-c",
        path,
        "--from",
        "2027-03-26T00:00:00Z",
        "-n",
        "2",
        "--name",
        "berlin-spring",
        "--name",
        "paused",
      ],
      cliEnvironment(),
    );
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^SCHEDULE\s+EXPRESSION\s+TIME ZONE\s+JOB\s+NEXT \(LOCAL\)\s+NEXT \(UTC\)$/,
    );
    expect(lines[2]).toMatch(
      /^berlin-spring\s+cron\(30 2 27-29 MAR \? 2027\)\s+Europe\/Berlin\s+acme\/api nightly\.yml@main\s+2027-03-27 02:30 CET\s+2027-03-27 01:30 UTC$/,
    );
    expect(lines[3]).toMatch(/^\s+2027-03-29 02:30 CEST\s+2027-03-29 00:30 UTC$/);
    expect(lines[4]).toMatch(
      /^paused \[disabled\]\s+cron\(0 6 \* \* \? \*\)\s+UTC\s+.+2027-03-26 06:00 UTC\s+2027-03-26 06:00 UTC$/,
    );
    expect(run.stdout).not.toContain("\u001b[");
    expect(run.stderr).toContain(
      `warning schedules[0] "berlin-spring".expression: 02:30 Europe/Berlin does not exist on 2027-03-28 (clocks go forward)`,
    );
  });

  it("says why a schedule has no fire time left", async () => {
    const path = await writeConfig(FIRE_TIME_CONFIG);
    const run = await runCliProcess(
      [
        "schedules",
        "-c",
        path,
        "--from",
        "2028-01-01T00:00:00Z",
        "--name",
        "christmas-eve",
        "--name",
        "noon-two-days",
      ],
      cliEnvironment(),
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("none: the one-time schedule is in the past");
    expect(run.stdout).toContain("none: ended 2027-01-03 12:00 UTC");
  });

  it("fails with exit code 2 for an unknown schedule, suggesting the closest", async () => {
    const path = await writeConfig(FIRE_TIME_CONFIG);
    const run = await runCliProcess(
      ["schedules", "-c", path, "--name", "berlin-sprint"],
      cliEnvironment(),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'unknown schedule "berlin-sprint" (did you mean "berlin-spring"?)',
    );
  });

  it.each([
    [
      ["schedules", "--count", "0"],
      "option '-n, --count <n>' argument '0' is invalid. must be a whole number from 1 to 1000",
    ],
    [["schedules", "--from", "2027-01-01"], "must be an ISO 8601 instant with a zone"],
    [
      ["schedules", "--config", "/nonexistent/dispatch.config.ts"],
      "/nonexistent/dispatch.config.ts: no such config file",
    ],
  ])("fails with exit code 2 for %j", async (args, message) => {
    const run = await runCliProcess(args, cliEnvironment());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});
