import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import type { DispatchConfig } from "./config/dispatch-config.js";
import { WorkflowDispatch, type WorkflowDispatchProps } from "./workflow-dispatch.js";

/** Properties of {@link WorkflowDispatchStack}. */
export interface WorkflowDispatchStackProps extends StackProps {
  /** The schedule config (`dispatch.config.ts`). */
  readonly config: DispatchConfig;
  /**
   * Tuning of the construct (memory, timeouts, retries, schedules per stack ...).
   * @default - the construct's defaults
   */
  readonly dispatch?: Omit<WorkflowDispatchProps, "config">;
}

/** The deployable stack: one {@link WorkflowDispatch} and its outputs. */
export class WorkflowDispatchStack extends Stack {
  /** The construct holding every resource. */
  readonly dispatch: WorkflowDispatch;

  constructor(scope: Construct, id: string, props: WorkflowDispatchStackProps) {
    super(scope, id, {
      description: "workflow-dispatch: GitHub workflow_dispatch from EventBridge Scheduler and SQS",
      ...props,
    });
    this.dispatch = new WorkflowDispatch(this, "WorkflowDispatch", {
      ...props.dispatch,
      config: props.config,
    });
    new CfnOutput(this, "QueueUrl", {
      description: "Send jobs here (aws sqs send-message --queue-url ... --message-body '{...}')",
      value: this.dispatch.queue.queueUrl,
    });
    new CfnOutput(this, "DeadLetterQueueUrl", {
      description: "Parked jobs, each with a reason attribute",
      value: this.dispatch.deadLetterQueue.queueUrl,
    });
    new CfnOutput(this, "FunctionName", {
      description: "The dispatch function",
      value: this.dispatch.function.functionName,
    });
    new CfnOutput(this, "DashboardUrl", {
      description: "CloudWatch dashboard",
      value: this.dispatch.dashboardUrl,
    });
  }
}
