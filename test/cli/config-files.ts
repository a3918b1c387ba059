import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const job = (repo: string) => ({ owner: "acme", repo, workflow_id: "nightly.yml", ref: "main" });

/**
 * A config exercising the fire-time rules: daylight-saving days 2027 in Berlin and New York, L/W/#,
 * start and end dates, a one-time schedule and a disabled one.
 */
export const FIRE_TIME_CONFIG = {
  github: { tokenSecret: "github/acme-bot" },
  secrets: [{ name: "github/acme-bot" }],
  allowedRepositories: ["acme/*"],
  schedules: [
    {
      name: "berlin-spring",
      expression: "cron(30 2 27-29 MAR ? 2027)",
      timezone: "Europe/Berlin",
      job: job("api"),
    },
    {
      name: "berlin-autumn",
      expression: "cron(30 2 30-31 OCT ? 2027)",
      timezone: "Europe/Berlin",
      job: job("api"),
    },
    {
      name: "new-york-spring",
      expression: "cron(30 2 13-15 MAR ? 2027)",
      timezone: "America/New_York",
      job: job("web"),
    },
    {
      name: "new-york-autumn",
      expression: "cron(30 1 6-8 NOV ? 2027)",
      timezone: "America/New_York",
      job: job("web"),
    },
    { name: "last-weekday", expression: "cron(0 12 LW * ? 2027)", job: job("docs") },
    {
      name: "third-friday-berlin",
      expression: "cron(0 9 ? * 6#3 *)",
      timezone: "Europe/Berlin",
      job: job("docs"),
    },
    {
      name: "daily-rate-across-spring",
      expression: "rate(1 day)",
      timezone: "Europe/Berlin",
      startDate: "2027-03-27T01:30:00Z",
      endDate: "2027-03-29T01:30:00Z",
      job: job("infra"),
    },
    {
      name: "noon-two-days",
      expression: "cron(0 12 * * ? *)",
      startDate: "2027-01-02T12:00:00Z",
      endDate: "2027-01-03T12:00:00Z",
      job: job("infra"),
    },
    {
      name: "christmas-eve",
      expression: "at(2027-12-24T18:00:00)",
      timezone: "America/New_York",
      job: job("web"),
    },
    { name: "paused", expression: "cron(0 6 * * ? *)", enabled: false, job: job("api") },
  ],
};

/** Writes `export const config = ...` to a fresh temporary `.mjs` file and returns its path. */
export async function writeConfig(config: unknown, name = "dispatch.config.mjs"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "cli-config-"));
  const path = join(dir, name);
  await writeFile(path, `export const config = ${JSON.stringify(config, null, 2)};\n`);
  return path;
}
