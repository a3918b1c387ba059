import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { ConfigError } from "./config/config-error.js";
import { DEFAULT_CONFIG_PATH, loadConfig } from "./config/load-config.js";
import { WorkflowDispatchStack } from "./workflow-dispatch-stack.js";

/**
 * The CDK app `cdk.json` runs: reads `dispatch.config.ts` (or `-c config=PATH`), prints every config
 * error and exits non-zero before anything is built, then builds the stack (`-c stackName=NAME`,
 * default `WorkflowDispatch`) with cdk-nag's AWS Solutions checks.
 */
const app = new App();
const configPath = String(app.node.tryGetContext("config") ?? DEFAULT_CONFIG_PATH);
try {
  const loaded = await loadConfig(configPath);
  new WorkflowDispatchStack(
    app,
    String(app.node.tryGetContext("stackName") ?? "WorkflowDispatch"),
    {
      config: loaded.source,
      env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    },
  );
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  app.synth();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
