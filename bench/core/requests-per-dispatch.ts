import { createHandler } from "../../lambda/handler.js";
import { createBareHandler } from "../baseline/bare-handler.js";
import {
  BENCH_JOB,
  BenchStandIns,
  benchSchedulerEvent,
  useBenchEnvironment,
} from "./bench-stand-ins.js";
import { discardOutput } from "./discard-output.js";
import { type Figure, TargetOf } from "./figure.js";

/** Warm dispatches per handler, as issue 2 asks. */
const WARM_DISPATCHES = 1000;

type Invoke = (n: number) => Promise<unknown>;

async function requestsPerDispatch(standIns: BenchStandIns, invoke: Invoke): Promise<number> {
  standIns.reset();
  await discardOutput(async () => {
    for (let n = 0; n < WARM_DISPATCHES; n++) await invoke(n);
  });
  const dispatched = standIns.gitHub.dispatches().length;
  if (dispatched !== WARM_DISPATCHES) {
    throw new Error(
      `expected ${WARM_DISPATCHES} dispatches at the GitHub stand-in, got ${dispatched}`,
    );
  }
  return standIns.requestCount() / WARM_DISPATCHES;
}

/**
 * Benchmark 1: requests arriving at the GitHub, Secrets Manager and SQS stand-ins per dispatch over
 * 1000 dispatches of one container (the first one reads the secret, the rest are warm), for the real
 * handler (secret cached for its TTL) and the bare one (secret read on every invocation).
 */
export async function benchRequestsPerDispatch(): Promise<Figure[]> {
  const standIns = await BenchStandIns.start();
  const restore = useBenchEnvironment(standIns.urls);
  try {
    const real = createHandler(process.env);
    const realFigure = await requestsPerDispatch(standIns, (n) => real(benchSchedulerEvent(n)));
    const bare = createBareHandler(process.env);
    const bareFigure = await requestsPerDispatch(standIns, () =>
      bare({ ...BENCH_JOB, inputs: { ...BENCH_JOB.inputs } }),
    );
    return [
      {
        key: "requests_per_dispatch",
        label: `requests per dispatch, ${WARM_DISPATCHES} warm dispatches`,
        value: realFigure,
        unit: "requests",
        baseline: bareFigure,
        baselineLabel: "bare handler",
        target: { of: TargetOf.Value, max: 1.001 },
      },
    ];
  } finally {
    restore();
    await standIns.close();
  }
}
