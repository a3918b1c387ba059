import { readFileSync } from "node:fs";
import { App } from "aws-cdk-lib";

/** The fixed environment every CDK test synthesizes for. */
export const TEST_ENV = { account: "111122223333", region: "eu-central-1" } as const;

/** Feature flags from cdk.json, so tests synthesize what `cdk synth` does. */
const CDK_JSON_CONTEXT = (
  JSON.parse(readFileSync(new URL("../../cdk.json", import.meta.url), "utf8")) as {
    context: Record<string, unknown>;
  }
).context;

/** What a test app does beyond building the template. */
export interface TestAppOptions {
  /** Bundle the function with esbuild (seconds per function). @default false */
  readonly bundle?: boolean;
  /** Run CDK's built-in CloudFormation template validation (seconds per app). @default false */
  readonly validate?: boolean;
  /** Cloud assembly directory. @default - a new temporary directory */
  readonly outdir?: string;
}

/** An app for CDK tests with the feature flags of cdk.json; slow extras only when asked for. */
export function testApp(options: TestAppOptions = {}): App {
  return new App({
    outdir: options.outdir,
    builtinCloudFormationValidation: options.validate ?? false,
    context: {
      ...CDK_JSON_CONTEXT,
      ...(options.bundle ? {} : { "aws:cdk:bundling-stacks": [] }),
    },
  });
}
