import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  BENCH_JOB,
  BenchStandIns,
  benchSchedulerEvent,
  useBenchEnvironment,
} from "./bench-stand-ins.js";
import { bundleHandler, type HandlerBundle, STACK_NODE_OPTIONS } from "./bundle-handler.js";
import { type Figure, TargetOf } from "./figure.js";
import { median } from "./statistics.js";

const REAL_ENTRY = fileURLToPath(new URL("../../lambda/handler.ts", import.meta.url));
const BARE_ENTRY = fileURLToPath(new URL("../baseline/bare-handler.ts", import.meta.url));
/** Counted runs of each handler (after one uncounted run each), alternating real and bare. */
const COLD_RUNS = 15;
const DONE_MARKER = "BENCH_COLD_DONE ";

/** What the driver in a fresh process reports, in ms since that process started. */
interface ColdRun {
  /** Parent's clock: from spawn to the driver's report of a completed first dispatch. */
  readonly spawnToDoneMs: number;
  /** Child's clock: the bundle is imported. */
  readonly importedMs: number;
  /** Child's clock: the first dispatch completed. */
  readonly doneMs: number;
  /** CPU (user + system, all threads) the child used until then. */
  readonly cpuMs: number;
}

/** The driver a fresh `node` runs: import the bundle, dispatch once, report, exit. */
function driverSource(event: unknown, expectOk: string): string {
  return `import { handler } from "./index.mjs";
const importedMs = performance.now();
const result = await handler(${JSON.stringify(event)}, { awsRequestId: "cold-start" });
const doneMs = performance.now();
const cpu = process.cpuUsage();
const cpuMs = (cpu.user + cpu.system) / 1000;
if (!(${expectOk})) { console.error("first dispatch failed: " + JSON.stringify(result)); process.exit(1); }
process.stdout.write("\\n${DONE_MARKER}" + JSON.stringify({ importedMs, doneMs, cpuMs }) + "\\n");
process.exit(0);
`;
}

function coldRun(driver: string, env: NodeJS.ProcessEnv): Promise<ColdRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [driver], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let report: ColdRun | undefined;
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      const at = stdout.indexOf(DONE_MARKER);
      const end = stdout.indexOf("\n", at);
      if (report === undefined && at >= 0 && end > at) {
        const spawnToDoneMs = performance.now() - started;
        const times = JSON.parse(stdout.slice(at + DONE_MARKER.length, end)) as Omit<
          ColdRun,
          "spawnToDoneMs"
        >;
        report = { ...times, spawnToDoneMs };
      }
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (report !== undefined && code === 0) resolve(report);
      else reject(new Error(`cold-start run of ${driver} exited with ${code}: ${stderr.trim()}`));
    });
  });
}

interface Variant {
  readonly bundle: HandlerBundle;
  readonly driver: string;
  readonly runs: ColdRun[];
}

async function prepare(entry: string, dir: string, driver: string): Promise<Variant> {
  const bundle = await bundleHandler(entry, dir);
  const file = path.join(dir, "driver.mjs");
  await writeFile(file, driver);
  return { bundle, driver: file, runs: [] };
}

const medianOf = (runs: ColdRun[], field: keyof ColdRun): number =>
  median(runs.map((run) => run[field]));

/**
 * Benchmark 4: bundles the real handler and the bare one as the stack does, then starts fresh
 * `node` processes (alternating, {@link COLD_RUNS} each, medians) that import a bundle and complete
 * their first dispatch against the stand-ins in this process, with the stack's `NODE_OPTIONS`.
 */
export async function benchColdStart(): Promise<Figure[]> {
  const dir = await mkdtemp(path.join(tmpdir(), "workflow-dispatch-cold-"));
  const standIns = await BenchStandIns.start();
  const restore = useBenchEnvironment(standIns.urls);
  try {
    const env = { ...process.env, NODE_OPTIONS: STACK_NODE_OPTIONS };
    const real = await prepare(
      REAL_ENTRY,
      path.join(dir, "real"),
      driverSource(benchSchedulerEvent(0), 'result.outcome === "dispatched"'),
    );
    const bare = await prepare(
      BARE_ENTRY,
      path.join(dir, "bare"),
      driverSource(BENCH_JOB, "result.status === 204"),
    );
    await coldRun(real.driver, env);
    await coldRun(bare.driver, env);
    for (let i = 0; i < COLD_RUNS; i++) {
      real.runs.push(await coldRun(real.driver, env));
      bare.runs.push(await coldRun(bare.driver, env));
    }
    const bareLabel = "bare handler";
    return [
      {
        key: "cold_spawn_to_first_dispatch_ms",
        label: "cold: process spawn to first dispatch done",
        value: medianOf(real.runs, "spawnToDoneMs"),
        unit: "ms",
        baseline: medianOf(bare.runs, "spawnToDoneMs"),
        baselineLabel: bareLabel,
        target: { of: TargetOf.Ratio, max: 1.2 },
      },
      {
        key: "cold_import_ms",
        label: "cold: bundle imported (child's clock)",
        value: medianOf(real.runs, "importedMs"),
        unit: "ms",
        baseline: medianOf(bare.runs, "importedMs"),
        baselineLabel: bareLabel,
      },
      {
        key: "cold_cpu_ms",
        label: "cold: CPU of the process until then",
        value: medianOf(real.runs, "cpuMs"),
        unit: "ms",
        baseline: medianOf(bare.runs, "cpuMs"),
        baselineLabel: bareLabel,
      },
      {
        key: "bundle_bytes",
        label: "bundle size (index.mjs, minified)",
        value: real.bundle.bytes,
        unit: "bytes",
        baseline: bare.bundle.bytes,
        baselineLabel: bareLabel,
      },
    ];
  } finally {
    restore();
    await standIns.close();
    await rm(dir, { recursive: true, force: true });
  }
}
