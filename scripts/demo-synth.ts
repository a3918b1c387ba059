import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** What `cdk synth` produced, counted from the cloud assembly. */
export interface SynthSummary {
  readonly seconds: number;
  readonly templates: number;
  readonly resources: number;
  readonly schedules: number;
  readonly assembly: string;
}

/**
 * Runs the project's own CDK CLI on the example config, offline: telemetry and notices off, no
 * credentials needed. Throws with the CLI's output when synthesis fails (e.g. a config error).
 */
export function synthExampleStack(root: string): SynthSummary {
  const started = performance.now();
  const cdk = path.join(root, "node_modules", ".bin", "cdk");
  const run = spawnSync(cdk, ["synth", "--no-notices", "--quiet"], {
    cwd: root,
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: "true" },
    encoding: "utf8",
  });
  if (run.status !== 0) {
    throw new Error(`cdk synth failed (exit ${run.status}):\n${run.stdout}${run.stderr}`);
  }
  const assembly = path.join(root, "cdk.out");
  let resources = 0;
  let schedules = 0;
  const templates = readdirSync(assembly).filter((f) => f.endsWith(".template.json"));
  for (const file of templates) {
    const template = JSON.parse(readFileSync(path.join(assembly, file), "utf8")) as {
      Resources?: Record<string, { Type: string }>;
    };
    for (const resource of Object.values(template.Resources ?? {})) {
      resources += 1;
      if (resource.Type === "AWS::Scheduler::Schedule") schedules += 1;
    }
  }
  return {
    seconds: (performance.now() - started) / 1000,
    templates: templates.length,
    resources,
    schedules,
    assembly,
  };
}
