/** Metrics of fan-out, pacing and duplicate suppression (namespace "WorkflowDispatch"); alarms use the same names. */
export const FanOutMetricName = {
  /** Single jobs one fan-out expanded into (one value per expansion). */
  FanOutSize: "FanOutSize",
  /** Targets a fan-out refused (allowlist, input limit, bad name): each parked with its reason. */
  FanOutRefused: "FanOutRefused",
  /** Seconds a job waited for its pacing slot before it was dispatched (0: at once). */
  PacingDelay: "PacingDelay",
  /** Jobs handed back to the queue until their pacing slot (or while a copy is in progress). */
  PacingDeferred: "PacingDeferred",
  /** Copies of a job (or a fan-out firing) not run again because the key was already taken. */
  DuplicatesSuppressed: "DuplicatesSuppressed",
  /** Times GitHub pushed a token back (`retry-after`, `x-ratelimit-reset`) and pacing blocked it. */
  TokenBlocked: "TokenBlocked",
} as const;
/** One of {@link FanOutMetricName}. */
export type FanOutMetricName = (typeof FanOutMetricName)[keyof typeof FanOutMetricName];
