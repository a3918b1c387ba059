/* What benchmark 3 asks of a worker process (bench/core/cpu-worker.ts) and what it reports. */

/** Which code a worker runs per dispatch. */
export const CpuVariant = {
  /** The real handler on a Scheduler event. */
  Real: "real",
  /** The bare handler (Octokit + Secrets Manager client, secret read every time). */
  Bare: "bare",
  /** One `fetch()` POST of the same dispatch, nothing else. */
  Fetch: "fetch",
} as const;

/** One of {@link CpuVariant}. */
export type CpuVariant = (typeof CpuVariant)[keyof typeof CpuVariant];

/** How many dispatches a worker times and skips. */
export interface CpuPlan {
  /** Dispatches timed from the process's first: the early figure, JIT still warming. */
  readonly early: number;
  /** Dispatches made (the early ones included) before the steady window starts. */
  readonly steadyAfter: number;
  /** Dispatches timed in the steady window. */
  readonly measured: number;
}

/** CPU (user + system) and wall time per dispatch over a window. */
export interface CpuFigures {
  readonly cpuMs: number;
  readonly wallMs: number;
}

/** What a worker prints. */
export interface CpuWorkerReport {
  readonly early: CpuFigures;
  readonly steady: CpuFigures;
}
