import { describe, expect, it } from "vitest";
import { cliEnvironment, runCliProcess } from "../cli-process.js";
import { FIRE_TIME_CONFIG, writeConfig } from "../config-files.js";

const job = { owner: "acme", repo: "api", workflow_id: "nightly.yml", ref: "main" };
const base = {
  github: { tokenSecret: "github/acme-bot" },
  secrets: [{ name: "github/acme-bot" }],
  allowedRepositories: ["acme/*"],
};
const NOW = ["--now", "2027-01-01T00:00:00Z"];

describe("workflow-dispatch validate", () => {
  it("accepts a valid config, reporting its daylight-saving warnings", async () => {
    const path = await writeConfig(FIRE_TIME_CONFIG);
    const run = await runCliProcess(["validate", "--config", path, ...NOW], cliEnvironment());
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `✓ ${path}: 10 schedules (9 enabled), 1 secrets, 1 allowed repository patterns`,
    );
    expect(run.stdout).toContain(
      `warning schedules[1] "berlin-autumn".expression: 02:30 Europe/Berlin occurs twice on 2027-10-31 (clocks go back)`,
    );
  });

  it("fails on warnings with --strict", async () => {
    const path = await writeConfig(FIRE_TIME_CONFIG);
    const run = await runCliProcess(["validate", "-c", path, "--strict", ...NOW], cliEnvironment());
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("(--strict: warnings fail)");
  });

  it("fails with exit code 1 listing every error with its schedule, field and fix", async () => {
    const path = await writeConfig({
      ...base,
      schedules: [
        { name: "ok", expression: "rate(1 hour)", job },
        {
          name: "bad",
          expression: "cron(0 9 * * MON-FRI)",
          timezone: "Europe/Berln",
          job: { ...job, ref: "" },
        },
      ],
    });
    const run = await runCliProcess(["validate", "-c", path, ...NOW], cliEnvironment());
    expect(run.code).toBe(1);
    const errors = run.stdout.split("\n").filter((line) => line.startsWith("error "));
    expect(errors).toEqual([
      'error schedules[1] "bad".expression: cron(0 9 * * MON-FRI): AWS cron has six fields (minutes hours day-of-month month day-of-week year), got 5; add the year field, e.g. cron(0 9 ? * MON-FRI *)',
      'error schedules[1] "bad".timezone: "Europe/Berln" is not an IANA time zone (did you mean "Europe/Berlin"?)',
      expect.stringMatching(/^error schedules\[1\] "bad"\.job\.ref: must not be empty/),
    ]);
    expect(run.stdout).toContain(`✗ ${path}: 3 errors`);
  });

  it("reports errors and warnings as JSON", async () => {
    const path = await writeConfig({
      ...base,
      schedules: [{ name: "x", expression: "rate(1 hours)", job }],
    });
    const run = await runCliProcess(["validate", "-c", path, "--json", ...NOW], cliEnvironment());
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      path,
      valid: false,
      errors: [
        'schedules[0] "x".expression: rate(1 hours): use the singular unit for 1: rate(1 hour)',
      ],
      warnings: [],
    });
  });

  it("fails with exit code 2 when the config file does not exist", async () => {
    const run = await runCliProcess(
      ["validate", "-c", "/nonexistent/dispatch.config.ts"],
      cliEnvironment(),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "/nonexistent/dispatch.config.ts: no such config file; pass --config PATH",
    );
  });

  it("validates the repository's own dispatch.config.ts by default", async () => {
    const run = await runCliProcess(["validate", ...NOW], cliEnvironment());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/✓ .*dispatch\.config\.ts: \d+ schedules/);
  });
});
