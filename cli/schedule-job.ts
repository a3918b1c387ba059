import { randomUUID } from "node:crypto";
import { closestName } from "../infra/config/closest-name.js";
import type { ResolvedDispatchConfig, ResolvedSchedule } from "../infra/config/resolved-config.js";
import type { DispatchJob } from "../lambda/job/dispatch-job.js";
import { usageError } from "./cli-error.js";

/** The configured schedule called `name`; a usage error naming the closest name when there is none. */
export function findSchedule(config: ResolvedDispatchConfig, name: string): ResolvedSchedule {
  const found = config.schedules.find((s) => s.name === name);
  if (found) return found;
  const names = config.schedules.map((s) => s.name);
  const suggestion = closestName(name, names);
  throw usageError(
    `unknown schedule "${name}"${suggestion ? ` (did you mean "${suggestion}"?)` : ""}; the config has ${names.join(", ") || "no schedules"}`,
  );
}

function substitute<T>(value: T, keywords: Readonly<Record<string, string>>): T {
  if (typeof value === "string") {
    return value.replace(/<aws\.scheduler\.[a-z-]+>/g, (k) => keywords[k] ?? k) as T;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, keywords)) as T;
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substitute(v, keywords)]),
    ) as T;
  }
  return value;
}

/**
 * The job of a schedule as it would fire now: EventBridge Scheduler's context keywords
 * (`<aws.scheduler.scheduled-time>` ...) replaced the way Scheduler would, with the current time,
 * a fresh execution id, attempt 1 and a schedule name marking the run as manual.
 */
export function jobFiredNow(schedule: ResolvedSchedule, now: Date = new Date()): DispatchJob {
  const keywords = {
    "<aws.scheduler.scheduled-time>": now.toISOString().replace(/\.\d{3}Z$/, "Z"),
    "<aws.scheduler.execution-id>": `cli-${randomUUID()}`,
    "<aws.scheduler.attempt-number>": "1",
    "<aws.scheduler.schedule-arn>": `workflow-dispatch-cli:${schedule.name}`,
  };
  return substitute(schedule.job, keywords);
}
