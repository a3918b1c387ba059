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
import { ChildStandIns } from "./child-stand-ins.js";
import { discardOutput } from "./discard-output.js";
import { type Figure, TargetOf } from "./figure.js";
import { median } from "./statistics.js";

const WARM_UP = 300;
const MEASURED = 1500;
const ROUNDS = 3;

interface CpuFigures {
  readonly cpuMs: number;
  readonly wallMs: number;
}

/** CPU (user + system) and wall time per dispatch of this process over `MEASURED` invocations. */
async function perDispatch(
  invoke: (n: number) => Promise<boolean>,
  first: number,
): Promise<CpuFigures> {
  const { result } = await discardOutput(async () => {
    for (let n = first; n < first + WARM_UP; n++) await invoke(n);
    const cpu = process.cpuUsage();
    const started = performance.now();
    let failed = 0;
    for (let n = first + WARM_UP; n < first + WARM_UP + MEASURED; n++) {
      if (!(await invoke(n))) failed++;
    }
    const used = process.cpuUsage(cpu);
    const wall = performance.now() - started;
    if (failed > 0)
      throw new Error(`${failed} of ${MEASURED} dispatches failed in the CPU benchmark`);
    return { cpuMs: (used.user + used.system) / 1000 / MEASURED, wallMs: wall / MEASURED };
  });
  return result;
}

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

/**
 * Benchmark 3: CPU time of the handler's process per warm direct-invoke dispatch, against an instant
 * GitHub stand-in served by a child process (its CPU is not counted). Real handler, bare handler and
 * a bare `fetch()` of the same POST (the floor under both) take turns, {@link ROUNDS} rounds each;
 * the medians are reported.
 */
export async function benchHandlerCpu(): Promise<Figure[]> {
  const standIns = await ChildStandIns.start();
  const restore = useBenchEnvironment(standIns.urls);
  try {
    // Every firing distinct, across rounds too, as a real schedule's firings are.
    const perRound = WARM_UP + MEASURED;
    const events = Array.from({ length: ROUNDS * perRound }, (_, n) => benchSchedulerEvent(n));
    const bareJob = { ...BENCH_JOB, inputs: { ...BENCH_JOB.inputs } };
    const real: CpuFigures[] = [];
    const bare: CpuFigures[] = [];
    const fetchOnly: CpuFigures[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const realHandler = createHandler(process.env);
      real.push(
        await perDispatch(async (n) => {
          const result = (await realHandler(events[n])) as DirectResult;
          return result.outcome === "dispatched";
        }, round * perRound),
      );
      const bareHandler = createBareHandler(process.env);
      bare.push(await perDispatch(async () => (await bareHandler(bareJob)).status === 204, 0));
      fetchOnly.push(await perDispatch(rawFetch(standIns.urls), 0));
    }
    const bareLabel = "bare handler";
    return [
      {
        key: "cpu_per_dispatch_ms",
        label: "handler CPU per warm dispatch (instant GitHub)",
        value: median(real.map((f) => f.cpuMs)),
        unit: "ms",
        baseline: median(bare.map((f) => f.cpuMs)),
        baselineLabel: bareLabel,
        target: { of: TargetOf.Value, max: 0.3 },
      },
      {
        key: "fetch_cpu_per_request_ms",
        label: "reference: CPU of one fetch() POST, no handler",
        value: median(fetchOnly.map((f) => f.cpuMs)),
        unit: "ms",
      },
      {
        key: "wall_per_dispatch_ms",
        label: "wall time per warm dispatch (instant GitHub)",
        value: median(real.map((f) => f.wallMs)),
        unit: "ms",
        baseline: median(bare.map((f) => f.wallMs)),
        baselineLabel: bareLabel,
      },
    ];
  } finally {
    restore();
    await standIns.close();
  }
}
