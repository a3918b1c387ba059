import type { DispatchConfig, ScheduleConfig } from "../../infra/config/dispatch-config.js";

/** A small valid config: one default PAT secret, one App secret, an `acme/*` allowlist, no schedules. */
export function baseConfig(overrides: Partial<DispatchConfig> = {}): DispatchConfig {
  return {
    github: { tokenSecret: "github/acme-bot" },
    secrets: [{ name: "github/acme-bot" }, { name: "github/acme-app" }],
    allowedRepositories: ["acme/*"],
    schedules: [],
    ...overrides,
  };
}

/** A valid schedule firing `nightly.yml` in `acme/api`; fields can be overridden. */
export function schedule(overrides: Partial<ScheduleConfig> = {}): ScheduleConfig {
  return {
    name: "nightly",
    expression: "cron(0 2 * * ? *)",
    job: { owner: "acme", repo: "api", workflow_id: "nightly.yml", ref: "main" },
    ...overrides,
  };
}

const SHAPES: ReadonlyArray<(i: number) => Partial<ScheduleConfig>> = [
  (i) => ({ expression: `cron(${i % 60} 9 ? * MON-FRI *)`, timezone: "Europe/Berlin" }),
  (i) => ({ expression: `rate(${10 + (i % 50)} minutes)` }),
  (i) => ({ expression: `cron(${i % 60} ${i % 24} * * ? *)`, flexibleWindowMinutes: 15 }),
  (i) => ({
    expression: `at(2027-0${1 + (i % 9)}-15T${String(i % 24).padStart(2, "0")}:00:00)`,
    timezone: "America/New_York",
  }),
];

/**
 * A realistic config with `count` schedules over 40 repositories, mixing weekday Berlin crons, rates,
 * flexible windows and one-time schedules, each passing Scheduler context to its inputs.
 */
export function configWithSchedules(
  count: number,
  overrides: Partial<DispatchConfig> = {},
): DispatchConfig {
  const schedules = Array.from({ length: count }, (_, i): ScheduleConfig => {
    const shape = SHAPES[i % SHAPES.length] ?? SHAPES[0];
    return {
      name: `schedule-${String(i).padStart(4, "0")}`,
      description: `Generated schedule ${i}`,
      expression: "rate(1 hour)",
      ...shape?.(i),
      job: {
        owner: "acme",
        repo: `service-${i % 40}`,
        workflow_id: "scheduled.yml",
        ref: "main",
        ...(i % 5 === 0 ? { token_secret: "github/acme-app" } : {}),
        inputs: { environment: "production", scheduled_time: "<aws.scheduler.scheduled-time>" },
      },
    };
  });
  return baseConfig({ schedules, ...overrides });
}
