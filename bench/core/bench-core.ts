import { benchBatchConcurrency } from "./batch-concurrency.js";
import { benchColdStart } from "./cold-start.js";
import type { Figure } from "./figure.js";
import { benchRequestsPerDispatch } from "./requests-per-dispatch.js";

/**
 * The dispatcher-core benchmarks, in order, each run alone (nothing else in flight). The CPU-per-
 * dispatch figure is retired: Lambda bills wall time, and a dispatch waits on GitHub.
 */
const CORE_BENCHMARKS: readonly [string, () => Promise<Figure[]>][] = [
  ["1 requests per dispatch", benchRequestsPerDispatch],
  ["2 SQS batch concurrency", benchBatchConcurrency],
  ["3 cold path", benchColdStart],
];

/** Runs the dispatcher-core benchmarks one after another; `progress` hears of each one finished. */
export async function benchCore(
  progress: (step: string) => void = () => undefined,
): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const [name, run] of CORE_BENCHMARKS) {
    const started = performance.now();
    figures.push(...(await run()));
    progress(`${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return figures;
}
