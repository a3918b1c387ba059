import type { Context } from "aws-lambda";
import { DISPATCH_FUNCTION_DEFAULTS } from "../../infra/dispatch-function-props.js";
import { createHandler } from "../../lambda/handler.js";
import type { DirectResult } from "../../lambda/process/process-direct.js";
import { createBareHandler } from "../baseline/bare-handler.js";
import {
  BENCH_JOB,
  BENCH_TOKEN,
  benchSchedulerEvent,
  type StandInUrls,
  useBenchEnvironment,
} from "./bench-stand-ins.js";
import { type CpuFigures, type CpuPlan, CpuVariant, type CpuWorkerReport } from "./cpu-plan.js";
import { discardOutput } from "./discard-output.js";

/*
 * Child-process entry of benchmark 3: one variant in a process of its own, as a Lambda container
 * runs one handler, so no other variant's garbage or warmed code lands in its figures. Usage:
 * `node --import tsx bench/core/cpu-worker.ts real|bare|fetch`, with the stand-ins' URLs in
 * CPU_BENCH_STAND_INS and a {@link CpuPlan} in CPU_BENCH_PLAN (JSON); prints one
 * {@link CpuWorkerReport} as a JSON line.
 */

/** One dispatch POST with the runtime's own `fetch` and nothing else: the floor under any handler using it. */
function rawFetch(urls: StandInUrls): () => Promise<boolean> {
  const { owner, repo, workflow_id, ref, inputs } = BENCH_JOB;
  const url = `${urls.github}/repos/${owner}/${repo}/actions/workflows/${workflow_id}/dispatches`;
  const body = JSON.stringify({ ref, inputs, return_run_details: true });
  const headers = { authorization: `Bearer ${BENCH_TOKEN}`, "content-type": "application/json" };
  return async () => {
    const response = await fetch(url, { method: "POST", headers, body });
    await response.text();
    return response.status === 200;
  };
}

/** The stack's function timeout: what `getRemainingTimeInMillis()` says as a warm invocation starts. */
const FUNCTION_TIMEOUT_MS = DISPATCH_FUNCTION_DEFAULTS.timeout.toMilliseconds();

function invoker(
  variant: CpuVariant,
  urls: StandInUrls,
  plan: CpuPlan,
): (n: number) => Promise<boolean> {
  if (variant === CpuVariant.Real) {
    const handler = createHandler(process.env);
    // Every firing distinct, as a real schedule's firings are, each invocation with a context as
    // Lambda gives one (the function's default timeout), so the deadline checks run as deployed.
    // Made up front: the runtime builds them, not the handler, so they are not timed.
    const invocations = Array.from({ length: plan.steadyAfter + plan.measured }, (_, n) => ({
      event: benchSchedulerEvent(n),
      context: {
        awsRequestId: `bench-${n}`,
        getRemainingTimeInMillis: () => FUNCTION_TIMEOUT_MS,
      } as Context,
    }));
    return async (n) => {
      const invocation = invocations[n];
      if (invocation === undefined) throw new Error(`no invocation ${n} was prepared`);
      const result = (await handler(invocation.event, invocation.context)) as DirectResult;
      return result.outcome === "dispatched";
    };
  }
  if (variant === CpuVariant.Bare) {
    const handler = createBareHandler(process.env);
    const job = { ...BENCH_JOB, inputs: { ...BENCH_JOB.inputs } };
    return async () => (await handler(job)).status === 204;
  }
  return rawFetch(urls);
}

async function timed(
  invoke: (n: number) => Promise<boolean>,
  first: number,
  count: number,
): Promise<CpuFigures> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  let failed = 0;
  for (let n = first; n < first + count; n++) {
    if (!(await invoke(n))) failed++;
  }
  const used = process.cpuUsage(cpu);
  const wall = performance.now() - started;
  if (failed > 0) throw new Error(`${failed} of ${count} dispatches failed in the CPU benchmark`);
  return { cpuMs: (used.user + used.system) / 1000 / count, wallMs: wall / count };
}

/** Runs `plan` for `variant` against the stand-ins at `urls`; log lines and metrics are formatted, then discarded. */
async function measureVariant(
  variant: CpuVariant,
  urls: StandInUrls,
  plan: CpuPlan,
): Promise<CpuWorkerReport> {
  const restore = useBenchEnvironment(urls);
  try {
    const invoke = invoker(variant, urls, plan);
    const { result } = await discardOutput(async () => {
      const early = await timed(invoke, 0, plan.early);
      for (let n = plan.early; n < plan.steadyAfter; n++) await invoke(n);
      const steady = await timed(invoke, plan.steadyAfter, plan.measured);
      return { early, steady };
    });
    return result;
  } finally {
    restore();
  }
}

const variant = Object.values(CpuVariant).find((v) => v === process.argv[2]);
if (variant === undefined) {
  throw new Error(
    `variant: "${process.argv[2]}" unknown; use ${Object.values(CpuVariant).join("|")}`,
  );
}
const report = await measureVariant(
  variant,
  JSON.parse(process.env.CPU_BENCH_STAND_INS ?? "") as StandInUrls,
  JSON.parse(process.env.CPU_BENCH_PLAN ?? "") as CpuPlan,
);
process.stdout.write(`${JSON.stringify(report)}\n`);
