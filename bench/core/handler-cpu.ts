import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { StandInUrls } from "./bench-stand-ins.js";
import { ChildStandIns } from "./child-stand-ins.js";
import { type CpuPlan, CpuVariant, type CpuWorkerReport } from "./cpu-plan.js";
import { type Figure, TargetOf } from "./figure.js";
import { median } from "./statistics.js";

const WORKER = fileURLToPath(new URL("./cpu-worker.ts", import.meta.url));

/**
 * Each worker's dispatches. V8 tiers the hot paths up over the first few thousand: measured per 500
 * dispatches, the real handler's CPU falls from about 1 ms to its floor by the 4,000th and stays
 * there. A warm Lambda container is past that point, so the steady window starts at 6,000; the
 * first 2,000 are reported as the early figure.
 */
const PLAN: CpuPlan = { early: 2000, steadyAfter: 6000, measured: 2000 };
const ROUNDS = 3;

/** Runs one worker process for `variant` and returns its report; rejects naming the variant if it fails. */
export async function runWorker(
  variant: CpuVariant,
  urls: StandInUrls,
  plan: CpuPlan = PLAN,
): Promise<CpuWorkerReport> {
  const child = spawn(process.execPath, ["--import", "tsx", WORKER, variant], {
    env: {
      ...process.env,
      CPU_BENCH_STAND_INS: JSON.stringify(urls),
      CPU_BENCH_PLAN: JSON.stringify(plan),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  });
  const line = stdout.trim().split("\n").pop() ?? "";
  if (code !== 0 || line === "") {
    throw new Error(`the ${variant} CPU worker exited with ${code}: ${stderr.trim().slice(-2000)}`);
  }
  return JSON.parse(line) as CpuWorkerReport;
}

/**
 * Benchmark 3: CPU time per warm direct-invoke dispatch, against an instant GitHub stand-in served
 * by a child process (its CPU is not counted). Each variant (real handler, bare handler, one bare
 * `fetch()` of the same POST, the floor under a handler built on Node's fetch) runs in a fresh
 * process of its own, as a Lambda container runs one handler; the variants take turns,
 * {@link ROUNDS} rounds, and the medians are reported. Steady state: `PLAN.measured` dispatches
 * after `PLAN.steadyAfter`; early: a fresh process's first `PLAN.early`.
 */
export async function benchHandlerCpu(): Promise<Figure[]> {
  const standIns = await ChildStandIns.start();
  try {
    const reports: Record<CpuVariant, CpuWorkerReport[]> = { real: [], bare: [], fetch: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const variant of Object.values(CpuVariant)) {
        reports[variant].push(await runWorker(variant, standIns.urls));
      }
    }
    const steady = (variant: CpuVariant, of: "cpuMs" | "wallMs") =>
      median(reports[variant].map((r) => r.steady[of]));
    const early = (variant: CpuVariant) => median(reports[variant].map((r) => r.early.cpuMs));
    const bareLabel = "bare handler";
    const after = PLAN.steadyAfter.toLocaleString("en-US");
    return [
      {
        key: "cpu_per_dispatch_ms",
        label: `handler CPU per warm dispatch (instant GitHub, after ${after})`,
        value: steady(CpuVariant.Real, "cpuMs"),
        unit: "ms",
        baseline: steady(CpuVariant.Bare, "cpuMs"),
        baselineLabel: bareLabel,
        target: { of: TargetOf.Value, max: 0.3 },
      },
      {
        key: "cpu_per_dispatch_early_ms",
        label: `CPU per dispatch over a new process's first ${PLAN.early.toLocaleString("en-US")} (JIT warming)`,
        value: early(CpuVariant.Real),
        unit: "ms",
        baseline: early(CpuVariant.Bare),
        baselineLabel: bareLabel,
      },
      {
        key: "fetch_cpu_per_request_ms",
        label: "reference: CPU of one fetch() POST, no handler",
        value: steady(CpuVariant.Fetch, "cpuMs"),
        unit: "ms",
      },
      {
        key: "wall_per_dispatch_ms",
        label: "wall time per warm dispatch (instant GitHub)",
        value: steady(CpuVariant.Real, "wallMs"),
        unit: "ms",
        baseline: steady(CpuVariant.Bare, "wallMs"),
        baselineLabel: bareLabel,
      },
    ];
  } finally {
    await standIns.close();
  }
}
