import type { ResolvedSchedule } from "../../infra/config/resolved-config.js";
import { nextFireTimes } from "../../infra/schedule/next-fire-times.js";
import { formatInTimeZone } from "../../infra/schedule/time-zone.js";
import { isFanOutJob } from "../../lambda/job/dispatch-job.js";
import { type CommandContext, printJson } from "../command-context.js";
import { ExitCode } from "../exit-code.js";
import { loadCliConfig } from "../load-cli-config.js";
import { renderTable } from "../render-table.js";
import { findSchedule } from "../schedule-job.js";

/** Options of `schedules` as commander parses them. */
export interface SchedulesOptions {
  readonly config?: string;
  readonly count: number;
  readonly from?: Date;
  readonly name?: string[];
  readonly json?: boolean;
}

/** Why a schedule has no fire time left, or undefined when it has some. */
function whyNone(schedule: ResolvedSchedule, from: Date): string {
  const { parsedExpression: expression, endDate } = schedule;
  if (expression.kind === "at") return "none: the one-time schedule is in the past";
  if (endDate && endDate <= from) return `none: ended ${formatInTimeZone(endDate, "UTC")}`;
  return "none: the expression matches no future time";
}

function target(schedule: ResolvedSchedule): string {
  const job = schedule.job;
  const where = isFanOutJob(job) ? "fan-out" : `${job.owner}/${job.repo}`;
  return `${where} ${job.workflow_id}@${job.ref}`;
}

/** Runs `schedules`; resolves to its exit code. */
export async function runSchedules(
  context: CommandContext,
  options: SchedulesOptions,
): Promise<ExitCode> {
  const { terminal } = context;
  const from = options.from ?? new Date();
  const loaded = await loadCliConfig(options.config, from);
  const schedules =
    (options.name ?? []).length === 0
      ? loaded.config.schedules
      : (options.name ?? []).map((name) => findSchedule(loaded.config, name));
  const listed = schedules.map((schedule) => ({
    schedule,
    times: nextFireTimes(schedule.parsedExpression, {
      timezone: schedule.timezone,
      after: from,
      count: options.count,
      startDate: schedule.startDate,
      endDate: schedule.endDate,
    }),
  }));
  if (options.json) {
    printJson(terminal, {
      path: loaded.path,
      from: from.toISOString(),
      schedules: listed.map(({ schedule, times }) => ({
        name: schedule.name,
        expression: schedule.expression,
        timezone: schedule.timezone,
        enabled: schedule.enabled,
        flexibleWindowMinutes: schedule.flexibleWindowMinutes,
        startDate: schedule.startDate?.toISOString(),
        endDate: schedule.endDate?.toISOString(),
        job: schedule.job,
        fireTimes: times.map((t) => ({
          utc: t.toISOString(),
          local: formatInTimeZone(t, schedule.timezone),
        })),
      })),
      warnings: loaded.warnings,
    });
    return ExitCode.Ok;
  }
  const c = terminal.color;
  const rows: string[][] = [];
  for (const { schedule, times } of listed) {
    const name = schedule.enabled ? schedule.name : `${schedule.name} ${c.yellow("[disabled]")}`;
    const window = schedule.flexibleWindowMinutes
      ? ` (window ${schedule.flexibleWindowMinutes} min)`
      : "";
    const head = [name, `${schedule.expression}${window}`, schedule.timezone, target(schedule)];
    const dim = schedule.enabled ? (text: string) => text : c.dim;
    if (times.length === 0) rows.push([...head, c.dim(whyNone(schedule, from)), ""]);
    times.forEach((time, i) => {
      const cells = [formatInTimeZone(time, schedule.timezone), formatInTimeZone(time, "UTC")].map(
        dim,
      );
      rows.push([...(i === 0 ? head : ["", "", "", ""]), ...cells]);
    });
  }
  terminal.out(
    renderTable(
      [
        { header: "SCHEDULE" },
        { header: "EXPRESSION" },
        { header: "TIME ZONE" },
        { header: "JOB" },
        { header: "NEXT (LOCAL)" },
        { header: "NEXT (UTC)" },
      ],
      rows,
      c.bold,
    ),
  );
  for (const warning of loaded.warnings)
    terminal.err(`${terminal.errColor.yellow("warning")} ${warning}`);
  return ExitCode.Ok;
}
