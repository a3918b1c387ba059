import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { validateConfig } from "../infra/config/validate-config.js";
import { WorkflowDispatchStack } from "../infra/workflow-dispatch-stack.js";
import { testApp } from "../test/support/cdk-test-app.js";
import { configWithSchedules } from "../test/support/dispatch-config-factory.js";

/**
 * Synth-time figures for the README: how long `cdk synth` takes for 100 and 1000 schedules, and how many
 * schedules fit in one CloudFormation stack (500 resources, 1 MB template). Run:
 * `node --import tsx bench/synth.ts`.
 */

const run = promisify(execFile);
const ENV = { account: "111122223333", region: "eu-central-1" };
const RESOURCE_LIMIT = 500;
const TEMPLATE_LIMIT_BYTES = 1_000_000;

interface SynthRun {
  readonly ms: number;
  /** Resources of the top-level stack. */
  readonly mainResources: number;
  /** Size of the top-level template as written to cdk.out. */
  readonly mainTemplateBytes: number;
  /** Resources per stack (top-level and nested), largest first. */
  readonly stackResources: number[];
  /** Template sizes per stack, largest first. */
  readonly templateBytes: number[];
}

function synth(
  schedules: number,
  options: { validate?: boolean; bundle?: boolean; schedulesPerStack?: number } = {},
): SynthRun {
  const outdir = mkdtempSync(join(tmpdir(), "bench-synth-"));
  try {
    const started = performance.now();
    const app = testApp({ outdir, validate: options.validate, bundle: options.bundle });
    new WorkflowDispatchStack(app, "Bench", {
      env: ENV,
      config: configWithSchedules(schedules, { alarms: { email: "oncall@acme.example" } }),
      dispatch: { schedulesPerStack: options.schedulesPerStack },
    });
    app.synth();
    const ms = performance.now() - started;
    // The stack's template and one per nested stack (`*.nested.template.json`).
    const files = readdirSync(outdir).filter((name) => name.endsWith(".template.json"));
    const read = (name: string) => {
      const text = readFileSync(join(outdir, name), "utf8");
      const resources = Object.keys((JSON.parse(text) as { Resources: object }).Resources).length;
      return { bytes: Buffer.byteLength(text), resources };
    };
    const main = read("Bench.template.json");
    const all = files.map(read);
    return {
      ms,
      mainResources: main.resources,
      mainTemplateBytes: main.bytes,
      stackResources: all.map((t) => t.resources),
      templateBytes: all.map((t) => t.bytes),
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * Wall time of the CDK app process exactly as `cdk synth` starts it (`node --import tsx infra/app.ts`),
 * for a config of `schedules`: config loading and validation, esbuild bundling, CloudFormation
 * validation (unless turned off, as `cdk synth --no-validation` does) and cdk-nag included.
 */
async function appProcess(schedules: number, cloudFormationValidation = true): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "bench-app-"));
  try {
    const config = join(dir, "dispatch.config.ts");
    writeFileSync(
      config,
      `export const config = ${JSON.stringify(configWithSchedules(schedules))};\n`,
    );
    const started = performance.now();
    await run(process.execPath, ["--import", "tsx", "infra/app.ts"], {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      env: {
        ...process.env,
        CDK_OUTDIR: join(dir, "cdk.out"),
        CDK_CONTEXT_JSON: JSON.stringify({ config, stackName: "Bench" }),
        ...(cloudFormationValidation ? {} : { CDK_VALIDATION: "false" }),
      },
    });
    return performance.now() - started;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function time(fn: () => void): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

/** Measures synth time and stack capacity; returns the figures by name (ms, counts, bytes). */
export async function benchSynth(): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  await appProcess(1); // warms tsx's transform cache, as any second `cdk synth` finds it
  figures.cdk_synth_app_100_ms = await appProcess(100);
  figures.cdk_synth_app_1000_ms = await appProcess(1000);
  figures.cdk_synth_app_1000_no_validation_ms = await appProcess(1000, false);
  figures.validate_config_1000_ms = time(() => validateConfig(configWithSchedules(1000)));

  // The first synth of a process pays module loading; measure warm figures after it.
  figures.synth_first_in_process_ms = synth(10).ms;
  figures.synth_100_ms = synth(100).ms;
  figures.synth_1000_ms = synth(1000).ms;

  // What `cdk synth` adds by default: CloudFormation validation (engine start once) and esbuild.
  figures.cfn_validation_engine_start_ms = synth(10, { validate: true }).ms - synth(10).ms;
  figures.synth_validated_100_ms = synth(100, { validate: true }).ms;
  figures.synth_validated_1000_ms = synth(1000, { validate: true }).ms;
  figures.bundle_function_ms = synth(0, { bundle: true }).ms - synth(0).ms;

  // Capacity: resources and bytes of a stack without schedules, and what each schedule adds.
  const empty = synth(0);
  const full = synth(400, { schedulesPerStack: 400 });
  const groupResources = 3; // schedule group, Scheduler role, its policy
  const bytesPerSchedule = (full.mainTemplateBytes - empty.mainTemplateBytes) / 400;
  figures.core_resources = empty.mainResources;
  figures.resources_per_schedule =
    (full.mainResources - empty.mainResources - groupResources) / 400;
  figures.template_bytes_per_schedule = bytesPerSchedule;
  figures.max_schedules_one_stack_by_resources =
    RESOURCE_LIMIT - empty.mainResources - groupResources;
  figures.max_schedules_one_stack_by_bytes =
    (TEMPLATE_LIMIT_BYTES - empty.mainTemplateBytes) / bytesPerSchedule;
  const fleet = synth(1000);
  figures.templates_for_1000 = fleet.stackResources.length;
  figures.largest_stack_resources_1000 = Math.max(...fleet.stackResources);
  figures.largest_template_bytes_1000 = Math.max(...fleet.templateBytes);

  for (const key of Object.keys(figures)) figures[key] = Math.round(figures[key] ?? 0);
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const figures = await benchSynth();
  for (const [name, value] of Object.entries(figures)) {
    console.log(`${name.padEnd(40)} ${value}`);
  }
}
