import { parseAtExpression } from "./parse-at-expression.js";
import { parseCronExpression } from "./parse-cron-expression.js";
import { parseRateExpression } from "./parse-rate-expression.js";
import type { ScheduleExpression } from "./schedule-expression.js";
import { ScheduleExpressionError } from "./schedule-expression-error.js";

const WRAPPED = /^(cron|rate|at)\((.*)\)$/s;

/**
 * Parses an EventBridge Scheduler expression: `cron(minutes hours day-of-month month day-of-week year)`,
 * `rate(value unit)` or `at(yyyy-mm-ddThh:mm:ss)`. Throws {@link ScheduleExpressionError} whose
 * message starts with the expression, names the bad part and the fix.
 */
export function parseScheduleExpression(expression: string): ScheduleExpression {
  if (typeof expression !== "string") {
    throw new ScheduleExpressionError(
      String(expression),
      "a schedule expression must be a string such as cron(0 9 ? * MON-FRI *)",
    );
  }
  if (expression.trim() !== expression) {
    throw new ScheduleExpressionError(
      expression,
      `remove the spaces around the expression: "${expression.trim()}"`,
    );
  }
  const match = WRAPPED.exec(expression);
  if (!match) {
    const bare = expression.trim().split(/\s+/).length;
    const hint =
      bare === 6
        ? `; wrap it: cron(${expression})`
        : bare === 5
          ? "; AWS cron has six fields: wrap it and add the year, e.g. cron(0 9 ? * MON-FRI *)"
          : "";
    throw new ScheduleExpressionError(
      expression,
      `must be cron(...), rate(...) or at(...), e.g. cron(0 9 ? * MON-FRI *), rate(5 minutes) or at(2026-12-24T18:00:00)${hint}`,
    );
  }
  const [, kind, body = ""] = match;
  if (kind === "cron") return parseCronExpression(expression, body);
  if (kind === "rate") return parseRateExpression(expression, body);
  return parseAtExpression(expression, body);
}
