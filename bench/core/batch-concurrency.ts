import type { SQSBatchResponse } from "aws-lambda";
import { createHandler, type DispatchHandler } from "../../lambda/handler.js";
import { sqsEvent, sqsRecord } from "../../test/support/events.js";
import {
  BENCH_JOB,
  BENCH_TOKEN,
  BenchStandIns,
  type StandInUrls,
  useBenchEnvironment,
} from "./bench-stand-ins.js";
import { discardOutput } from "./discard-output.js";
import { type Figure, TargetOf } from "./figure.js";
import { median } from "./statistics.js";

/** How long the GitHub stand-in takes to answer, as issue 2 asks. */
const GITHUB_LATENCY_MS = 100;
/** Messages per SQS batch: the most the event source mapping delivers. */
const BATCH_SIZE = 10;
const CONCURRENT_RUNS = 5;
const SEQUENTIAL_RUNS = 3;

/** One dispatch POST straight to the stand-in (no handler): the round trip every batch is measured in. */
async function roundTripMs(urls: StandInUrls): Promise<number> {
  const { owner, repo, workflow_id, ref } = BENCH_JOB;
  const started = performance.now();
  const response = await fetch(
    `${urls.github}/repos/${owner}/${repo}/actions/workflows/${workflow_id}/dispatches`,
    {
      method: "POST",
      headers: { authorization: `Bearer ${BENCH_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ ref }),
    },
  );
  await response.arrayBuffer();
  if (response.status !== 204) throw new Error(`round trip answered ${response.status}, not 204`);
  return performance.now() - started;
}

async function batchMs(handler: DispatchHandler, size: number): Promise<number> {
  const records = Array.from({ length: size }, (_, i) =>
    sqsRecord({ ...BENCH_JOB, idempotency_key: `bench-batch-${Date.now()}-${i}` }),
  );
  const started = performance.now();
  const { result } = await discardOutput(() => handler(sqsEvent(...records)));
  const elapsed = performance.now() - started;
  const failures = (result as SQSBatchResponse).batchItemFailures?.length ?? 0;
  if (failures > 0)
    throw new Error(`${failures} of ${size} messages failed in the batch benchmark`);
  return elapsed;
}

async function medianBatchMs(
  handler: DispatchHandler,
  size: number,
  runs: number,
): Promise<number> {
  await batchMs(handler, size); // warm: secret read, connections opened
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await batchMs(handler, size));
  return median(times);
}

/**
 * Benchmark 2: wall time of a 10-message SQS batch against a GitHub stand-in answering in 100 ms,
 * in round trips (one dispatch POST measured in the same run), for the real handler (messages
 * dispatched concurrently) and the same handler with `BATCH_CONCURRENCY=1` (sequential).
 */
export async function benchBatchConcurrency(): Promise<Figure[]> {
  const standIns = await BenchStandIns.start({ latencyMs: GITHUB_LATENCY_MS });
  const restore = useBenchEnvironment(standIns.urls);
  try {
    await roundTripMs(standIns.urls);
    const trips: number[] = [];
    for (let i = 0; i < CONCURRENT_RUNS; i++) trips.push(await roundTripMs(standIns.urls));
    const roundTrip = median(trips);
    const concurrent = createHandler({ ...process.env });
    const sequential = createHandler({ ...process.env, BATCH_CONCURRENCY: "1" });
    const single = await medianBatchMs(concurrent, 1, CONCURRENT_RUNS);
    const batch = await medianBatchMs(concurrent, BATCH_SIZE, CONCURRENT_RUNS);
    const serial = await medianBatchMs(sequential, BATCH_SIZE, SEQUENTIAL_RUNS);
    const sequentialLabel = "sequential, BATCH_CONCURRENCY=1";
    return [
      {
        key: "batch_round_trips",
        label: `${BATCH_SIZE}-message batch, in round trips of ${GITHUB_LATENCY_MS} ms`,
        value: batch / roundTrip,
        unit: "x",
        baseline: serial / roundTrip,
        baselineLabel: sequentialLabel,
        target: { of: TargetOf.Value, max: 1.3 },
      },
      {
        key: "batch_wall_ms",
        label: `${BATCH_SIZE}-message batch, wall time`,
        value: batch,
        unit: "ms",
        baseline: serial,
        baselineLabel: sequentialLabel,
      },
      {
        key: "single_message_batch_ms",
        label: "1-message batch through the handler, wall time",
        value: single,
        unit: "ms",
      },
      {
        key: "round_trip_ms",
        label: "one dispatch POST to the stand-in",
        value: roundTrip,
        unit: "ms",
      },
    ];
  } finally {
    restore();
    await standIns.close();
  }
}
