import * as iam from "aws-cdk-lib/aws-iam";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type { ScheduleTargetBaseProps } from "aws-cdk-lib/aws-scheduler-targets";
import { LambdaInvoke } from "aws-cdk-lib/aws-scheduler-targets";

const granted = new WeakMap<iam.IRole, Set<string>>();

/**
 * `LambdaInvoke` whose role may invoke exactly the function's unqualified ARN, the one Scheduler calls.
 * The stock target uses `Function.grantInvoke`, which also grants `ARN:*` (every version and alias).
 * The statement is added once per role, however many schedules share it.
 */
export class ExactLambdaInvoke extends LambdaInvoke {
  constructor(
    private readonly target: lambda.IFunction,
    props: ScheduleTargetBaseProps,
  ) {
    super(target, props);
  }

  protected override addTargetActionToRole(role: iam.IRole): void {
    const arns = granted.get(role) ?? new Set<string>();
    granted.set(role, arns);
    if (arns.has(this.target.functionArn)) return;
    arns.add(this.target.functionArn);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["lambda:InvokeFunction"],
        resources: [this.target.functionArn],
      }),
    );
  }
}
