import { describe, expect, it } from "vitest";
import { findSchedule, jobFiredNow } from "../../cli/schedule-job.js";
import type {
  ResolvedDispatchConfig,
  ResolvedSchedule,
} from "../../infra/config/resolved-config.js";
import { parseScheduleExpression } from "../../infra/schedule/parse-schedule-expression.js";

const schedule: ResolvedSchedule = {
  name: "nightly",
  expression: "cron(0 2 * * ? *)",
  parsedExpression: parseScheduleExpression("cron(0 2 * * ? *)"),
  timezone: "UTC",
  flexibleWindowMinutes: undefined,
  startDate: undefined,
  endDate: undefined,
  enabled: true,
  description: undefined,
  job: {
    owner: "acme",
    repo: "api",
    workflow_id: "nightly.yml",
    ref: "main",
    inputs: {
      at: "<aws.scheduler.scheduled-time>",
      run: "run <aws.scheduler.execution-id> try <aws.scheduler.attempt-number>",
      from: "<aws.scheduler.schedule-arn>",
      count: 3,
    },
    idempotency_key: "<aws.scheduler.schedule-arn>#<aws.scheduler.scheduled-time>",
  },
};

describe("jobFiredNow", () => {
  it("fills in Scheduler's context keywords as Scheduler would for a run now", () => {
    const job = jobFiredNow(schedule, new Date("2027-03-28T09:00:00.123Z"));
    expect(job.inputs).toEqual({
      at: "2027-03-28T09:00:00Z",
      run: expect.stringMatching(/^run cli-[0-9a-f-]{36} try 1$/),
      from: "workflow-dispatch-cli:nightly",
      count: 3,
    });
    expect(job.idempotency_key).toBe("workflow-dispatch-cli:nightly#2027-03-28T09:00:00Z");
    expect(schedule.job.inputs?.at).toBe("<aws.scheduler.scheduled-time>");
  });
});

describe("findSchedule", () => {
  const config = { schedules: [schedule] } as unknown as ResolvedDispatchConfig;
  it("finds by exact name and suggests the closest otherwise", () => {
    expect(findSchedule(config, "nightly")).toBe(schedule);
    expect(() => findSchedule(config, "nigthly")).toThrow(
      'unknown schedule "nigthly" (did you mean "nightly"?); the config has nightly',
    );
  });
});
