import { describe, expect, it } from "vitest";
import type { DispatchConfig, ScheduleConfig } from "../../../infra/config/dispatch-config.js";
import { validateConfig } from "../../../infra/config/validate-config.js";
import { baseConfig, schedule } from "../../support/dispatch-config-factory.js";

const now = new Date("2026-11-25T00:00:00Z");

function withSchedule(overrides: Partial<ScheduleConfig>): DispatchConfig {
  return baseConfig({ schedules: [schedule(overrides)] });
}

function errorsOf(config: unknown): string[] {
  return validateConfig(config, { now }).errors;
}

const job = { owner: "acme", repo: "api", workflow_id: "nightly.yml", ref: "main" };
const manyInputs = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`input_${i}`, "x"]));

describe("validateConfig", () => {
  it.each<[string, unknown, string]>([
    [
      "a cron with five fields",
      withSchedule({ expression: "cron(0 9 * * MON-FRI)" }),
      'schedules[0] "nightly".expression: cron(0 9 * * MON-FRI): AWS cron has six fields',
    ],
    [
      "a cron setting both day fields",
      withSchedule({ expression: "cron(0 9 * * MON-FRI *)" }),
      'schedules[0] "nightly".expression: cron(0 9 * * MON-FRI *): day-of-month and day-of-week cannot both be set',
    ],
    [
      "an unknown time zone, suggesting the closest",
      withSchedule({ timezone: "Europe/Berln" }),
      'schedules[0] "nightly".timezone: "Europe/Berln" is not an IANA time zone (did you mean "Europe/Berlin"?)',
    ],
    [
      "a rate under one minute",
      withSchedule({ expression: "rate(30 seconds)" }),
      'schedules[0] "nightly".expression: rate(30 seconds): unit must be minute(s), hour(s) or day(s); the shortest rate is rate(1 minute)',
    ],
    [
      "a job without ref",
      withSchedule({ job: { owner: "acme", repo: "api", workflow_id: "nightly.yml" } as never }),
      'schedules[0] "nightly".job.ref: is required: the branch or tag to run on',
    ],
    [
      "more inputs than github.maxInputs",
      baseConfig({
        github: { tokenSecret: "github/acme-bot", maxInputs: 10 },
        schedules: [schedule({ job: { ...job, inputs: manyInputs } })],
      }),
      'schedules[0] "nightly".job.inputs: has 11 inputs but at most 10 are allowed (github.maxInputs); remove 1',
    ],
    [
      "a repository outside the allowlist",
      withSchedule({ job: { ...job, owner: "evil" } }),
      'schedules[0] "nightly".job.repo: "evil/api" is not in allowedRepositories (acme/*); add "evil/api" or "evil/*"',
    ],
    [
      "a fan-out target outside the allowlist",
      withSchedule({
        job: {
          targets: ["acme/api", { repository: "evil/web" }],
          workflow_id: "a.yml",
          ref: "main",
        },
      }),
      'schedules[0] "nightly".job.targets[1]: "evil/web" is not in allowedRepositories',
    ],
    [
      "a fan-out organization no pattern covers",
      withSchedule({ job: { targets: { org: "evil" }, workflow_id: "a.yml", ref: "main" } }),
      'schedules[0] "nightly".job.targets.org: no allowedRepositories pattern covers "evil/..."',
    ],
    [
      "a token_secret that is not declared, suggesting the closest",
      withSchedule({ job: { ...job, token_secret: "github/acme-ap" } }),
      'schedules[0] "nightly".job.token_secret: "github/acme-ap" is not declared in secrets (did you mean "github/acme-app"?)',
    ],
    [
      "a default token secret that is not declared",
      baseConfig({ github: { tokenSecret: "github/other" } }),
      'github.tokenSecret: "github/other" is not declared in secrets; add { name: "github/other" } to secrets',
    ],
    [
      "a name Scheduler does not accept",
      withSchedule({ name: "nightly audit!" }),
      `schedules[0] "nightly audit!".name: must be 1-64 characters of letters, digits, '-', '_' and '.'`,
    ],
    [
      "a name longer than 64 characters",
      withSchedule({ name: "n".repeat(65) }),
      "name: must be 1-64 characters",
    ],
    [
      "an endDate before startDate",
      withSchedule({ startDate: "2027-02-01T00:00:00Z", endDate: "2027-01-01T00:00:00Z" }),
      'schedules[0] "nightly".endDate: 2027-01-01T00:00:00.000Z is not after startDate 2027-02-01T00:00:00.000Z',
    ],
    [
      "a date without an offset",
      withSchedule({ startDate: "2027-02-01T00:00:00" }),
      'schedules[0] "nightly".startDate: "2027-02-01T00:00:00" has no offset',
    ],
    [
      "a flexible window of 0 minutes",
      withSchedule({ flexibleWindowMinutes: 0 }),
      'schedules[0] "nightly".flexibleWindowMinutes: must be a whole number from 1 to 1440',
    ],
    [
      "a flexible window over a day",
      withSchedule({ flexibleWindowMinutes: 1441 }),
      'schedules[0] "nightly".flexibleWindowMinutes: must be a whole number from 1 to 1440',
    ],
    [
      "a misspelt field, suggesting the right one",
      withSchedule({ timeZone: "UTC" } as Partial<ScheduleConfig>),
      'schedules[0] "nightly".timeZone: unknown field (did you mean "timezone"?)',
    ],
    [
      "a scheduler block, which the stack sets",
      withSchedule({
        job: { ...job, scheduler: { schedule_arn: "x", scheduled_time: "y" } } as never,
      }),
      'schedules[0] "nightly".job.scheduler: is set by the stack',
    ],
    [
      "a fixed idempotency key",
      withSchedule({ job: { ...job, idempotency_key: "nightly" } }),
      'schedules[0] "nightly".job.idempotency_key: a fixed key makes every firing after the first a duplicate',
    ],
    [
      "a misspelt Scheduler context keyword",
      withSchedule({ job: { ...job, inputs: { at: "<aws.scheduler.scheduled_time>" } } }),
      'schedules[0] "nightly".job.inputs.at: "<aws.scheduler.scheduled_time>" is not a Scheduler context keyword (did you mean "<aws.scheduler.scheduled-time>"?)',
    ],
    [
      "a schedule without a job",
      withSchedule({ job: undefined as never }),
      'schedules[0] "nightly".job: is required',
    ],
    [
      "an empty allowlist",
      baseConfig({ allowedRepositories: [] }),
      'allowedRepositories: must name at least one "owner/repo" pattern',
    ],
    [
      "an allowlist entry without owner",
      baseConfig({ allowedRepositories: ["api"] }),
      'allowedRepositories[0]: must be an "owner/repo" pattern',
    ],
    [
      "an allowlist too long for the function's environment",
      baseConfig({
        allowedRepositories: Array.from({ length: 200 }, (_, i) => `acme/service-number-${i}`),
      }),
      "allowedRepositories: 4689 characters together, but it travels in the function's environment (4 KB in all)",
    ],
    [
      "a producer that is no principal",
      baseConfig({ producers: ["ci-role"] }),
      "producers[0]: must be a 12-digit account id, an IAM role/user ARN",
    ],
    [
      "a KMS alias instead of a key ARN",
      baseConfig({
        secrets: [
          { name: "github/acme-bot", kmsKeyArn: "arn:aws:kms:eu-central-1:111122223333:alias/x" },
        ],
      }),
      "secrets[0].kmsKeyArn: must be a KMS key ARN",
    ],
    [
      "a malformed e-mail address",
      baseConfig({ alarms: { email: "oncall" } }),
      'alarms.email: must be an e-mail address, e.g. "oncall@example.com"',
    ],
    [
      "a GitHub URL without https",
      baseConfig({ github: { tokenSecret: "github/acme-bot", apiUrl: "http://ghe.local/api/v3" } }),
      "github.apiUrl: must be an https URL",
    ],
    ["no object at all", undefined, "(config): expected an object, got undefined"],
  ])("rejects %s", (_case, config, expected) => {
    const errors = errorsOf(config);

    expect(
      errors.some((e) => e.includes(expected)),
      errors.join("\n"),
    ).toBe(true);
  });

  it.each<[string, string, string]>([
    [
      "an execution id, new on every delivery attempt",
      "<aws.scheduler.execution-id>",
      'schedules[0] "nightly".job.idempotency_key: "<aws.scheduler.execution-id>" changes on every delivery attempt',
    ],
    [
      "an attempt number next to the scheduled time",
      "<aws.scheduler.scheduled-time>#<aws.scheduler.attempt-number>",
      'schedules[0] "nightly".job.idempotency_key: "<aws.scheduler.attempt-number>" changes on every delivery attempt',
    ],
    [
      "only the schedule ARN, the same for every firing",
      "<aws.scheduler.schedule-arn>",
      'schedules[0] "nightly".job.idempotency_key: a fixed key makes every firing after the first a duplicate',
    ],
    [
      "a misspelt scheduled-time keyword",
      "<aws.scheduler.scheduled-tme>",
      'schedules[0] "nightly".job.idempotency_key: "<aws.scheduler.scheduled-tme>" is not a Scheduler context keyword (did you mean "<aws.scheduler.scheduled-time>"?)',
    ],
  ])("rejects an idempotency_key with %s", (_case, key, expected) => {
    const errors = errorsOf(withSchedule({ job: { ...job, idempotency_key: key } }));

    expect(errors).toEqual([expect.stringContaining(expected)]);
  });

  it.each([
    "<aws.scheduler.scheduled-time>",
    "<aws.scheduler.schedule-arn>#<aws.scheduler.scheduled-time>",
  ])("accepts the idempotency_key %s, stable across Scheduler's retries of one firing", (key) => {
    const result = validateConfig(withSchedule({ job: { ...job, idempotency_key: key } }), { now });

    expect(result.errors).toEqual([]);
    expect(result.config?.schedules[0]?.job.idempotency_key).toBe(key);
  });

  it("rejects too many inputs together with the job's other problems", () => {
    const config = baseConfig({
      github: { tokenSecret: "github/acme-bot", maxInputs: 10 },
      schedules: [
        schedule({ job: { ...job, owner: "evil", inputs: manyInputs, token_secret: "nope" } }),
      ],
    });

    expect(errorsOf(config)).toEqual([
      'schedules[0] "nightly".job.inputs: has 11 inputs but at most 10 are allowed (github.maxInputs); remove 1 or pass them as one JSON string input',
      expect.stringContaining(
        'schedules[0] "nightly".job.repo: "evil/api" is not in allowedRepositories',
      ),
      expect.stringContaining('schedules[0] "nightly".job.token_secret: "nope" is not declared'),
    ]);
  });

  it("rejects owner/repo together with targets in the function's own words", () => {
    const config = withSchedule({
      job: { ...job, targets: ["acme/web"] } as never,
    });

    expect(errorsOf(config)).toEqual([
      'schedules[0] "nightly".job.targets: a job names either owner and repo (one repository) or targets (fan-out), not both',
    ]);
  });

  it("rejects a duplicate schedule name, naming the first", () => {
    const config = baseConfig({
      schedules: [schedule(), schedule({ expression: "rate(5 minutes)" })],
    });

    expect(errorsOf(config)).toEqual([
      'schedules[1] "nightly".name: duplicate of schedules[0]; schedule names must be unique, rename one',
    ]);
  });

  it("rejects a config with several problems, reporting every one together", () => {
    const config = baseConfig({
      github: { tokenSecret: "github/missing" },
      schedules: [
        schedule({ name: "ok" }),
        schedule({
          name: "nightly-audit",
          timezone: "Europe/Berln",
          expression: "rate(30 seconds)",
        }),
        schedule({ name: "ok", job: { ...job, owner: "evil", ref: "" } }),
      ],
    });

    const result = validateConfig(config, { now });

    expect(result.config).toBeUndefined();
    expect(result.errors).toEqual([
      'github.tokenSecret: "github/missing" is not declared in secrets; add { name: "github/missing" } to secrets so the function may read it',
      'schedules[1] "nightly-audit".expression: rate(30 seconds): unit must be minute(s), hour(s) or day(s); the shortest rate is rate(1 minute)',
      'schedules[1] "nightly-audit".timezone: "Europe/Berln" is not an IANA time zone (did you mean "Europe/Berlin"?)',
      'schedules[2] "ok".job.ref: must not be empty: name the branch or tag to run on, e.g. "main"',
      'schedules[2] "ok".name: duplicate of schedules[0]; schedule names must be unique, rename one',
    ]);
  });

  it("accepts a valid config and applies the defaults", () => {
    const result = validateConfig(
      withSchedule({ job: { ...job, inputs: { when: "<aws.scheduler.scheduled-time>" } } }),
      { now },
    );

    expect(result.errors).toEqual([]);
    expect(result.config?.github).toEqual({
      apiUrl: "https://api.github.com",
      tokenSecret: "github/acme-bot",
      maxInputs: 25,
    });
    expect(result.config?.schedules[0]).toMatchObject({
      name: "nightly",
      timezone: "UTC",
      enabled: true,
      flexibleWindowMinutes: undefined,
      parsedExpression: { kind: "cron" },
      job: { ...job, inputs: { when: "<aws.scheduler.scheduled-time>" } },
    });
  });

  it.each<[unknown]>([[0], [1.5], [721], ["24"]])(
    "rejects idempotencyWindowHours %o, naming the allowed range",
    (hours) => {
      expect(errorsOf(baseConfig({ idempotencyWindowHours: hours as number }))).toEqual([
        "idempotencyWindowHours: must be a whole number from 1 to 720 (hours a job's idempotency key suppresses copies; default 24)",
      ]);
    },
  );

  it.each([
    [undefined, 24],
    [1, 1],
    [168, 168],
  ])("resolves idempotencyWindowHours %s to %i hours", (hours, expected) => {
    const result = validateConfig(baseConfig({ idempotencyWindowHours: hours }), { now });

    expect(result.errors).toEqual([]);
    expect(result.config?.idempotencyWindowHours).toBe(expected);
  });

  it("accepts fan-out jobs with explicit targets inside the allowlist", () => {
    const result = validateConfig(
      withSchedule({
        job: { targets: ["acme/api", "acme/web"], workflow_id: "a.yml", ref: "main" },
      }),
      { now },
    );

    expect(result.errors).toEqual([]);
  });

  it.each<[string, Partial<ScheduleConfig>, string]>([
    [
      "a local time skipped by the spring change",
      { expression: "cron(30 2 * * ? *)", timezone: "Europe/Berlin" },
      'schedules[0] "nightly".expression: 02:30 Europe/Berlin does not exist on 2027-03-28 (clocks go forward)',
    ],
    [
      "a one-time schedule in the past",
      { expression: "at(2026-01-01T00:00:00)" },
      'schedules[0] "nightly".expression: at(2026-01-01T00:00:00) never fires after 2026-11-25T00:00:00.000Z',
    ],
    [
      "a start date in the past",
      { startDate: "2026-01-01T00:00:00Z" },
      'schedules[0] "nightly".startDate: 2026-01-01T00:00:00.000Z is in the past; Scheduler rejects a StartDate more than 5 minutes ago',
    ],
    [
      "start and end on a one-time schedule",
      { expression: "at(2027-01-01T00:00:00)", endDate: "2027-02-01T00:00:00Z" },
      'schedules[0] "nightly": startDate and endDate are ignored by EventBridge Scheduler for at(...) schedules',
    ],
  ])("warns about %s without failing", (_case, overrides, expected) => {
    const result = validateConfig(withSchedule(overrides), { now });

    expect(result.errors).toEqual([]);
    expect(
      result.warnings.some((w) => w.includes(expected)),
      result.warnings.join("\n"),
    ).toBe(true);
  });
});
