/**
 * A schedule expression EventBridge Scheduler would reject. The message starts with the expression,
 * names the bad part and says how to fix it:
 * `cron(60 9 * * ? *): minutes field "60": 60 is out of range; use 0-59`.
 */
export class ScheduleExpressionError extends Error {
  override readonly name = "ScheduleExpressionError";

  constructor(
    /** The expression as written. */
    readonly expression: string,
    /** What is wrong and how to fix it, without the expression. */
    readonly problem: string,
  ) {
    super(`${expression}: ${problem}`);
  }
}
