import { Annotations, Duration, RemovalPolicy, Stack, TimeZone } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as scheduler from "aws-cdk-lib/aws-scheduler";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { ResolvedSchedule } from "./config/resolved-config.js";
import { ExactLambdaInvoke } from "./exact-lambda-invoke.js";

/** Properties of {@link DispatchSchedules}. */
export interface DispatchSchedulesProps {
  /** The schedules of this group, validated. */
  readonly schedules: readonly ResolvedSchedule[];
  /** Name of the schedule group this construct creates. */
  readonly scheduleGroupName: string;
  /** The dispatch function the schedules invoke. */
  readonly function: lambda.IFunction;
  /** Where Scheduler puts an invocation it could not deliver after its retries. */
  readonly deadLetterQueue: sqs.IQueue;
  /** Scheduler's delivery retries per firing (0-185). */
  readonly retryAttempts: number;
  /** Oldest firing Scheduler still tries to deliver (1 minute to 24 hours). */
  readonly maxEventAge: Duration;
  /** Warnings from config validation, by schedule name, shown as CDK warnings on the schedule. */
  readonly warnings?: ReadonlyMap<string, readonly string[]>;
}

/**
 * One schedule group with its schedules and the role Scheduler assumes for them. The role trusts
 * Scheduler only for this group in this account and may only invoke the dispatch function (its exact,
 * unqualified ARN) and send undeliverable firings to the dead-letter queue.
 */
export class DispatchSchedules extends Construct {
  /** The schedule group. */
  readonly group: scheduler.ScheduleGroup;
  /** The role Scheduler assumes to invoke the function. */
  readonly role: iam.Role;
  /** The schedules, in config order. */
  readonly schedules: readonly scheduler.Schedule[];

  constructor(scope: Construct, id: string, props: DispatchSchedulesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.group = new scheduler.ScheduleGroup(this, "Group", {
      scheduleGroupName: props.scheduleGroupName,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, "Role", {
      description: `EventBridge Scheduler for group ${props.scheduleGroupName}: invoke the dispatch function`,
      assumedBy: new iam.ServicePrincipal("scheduler.amazonaws.com", {
        conditions: {
          StringEquals: {
            "aws:SourceAccount": stack.account,
            "aws:SourceArn": this.group.scheduleGroupArn,
          },
        },
      }),
    });
    this.schedules = props.schedules.map((schedule) => {
      const created = new scheduler.Schedule(this, schedule.name, {
        scheduleName: schedule.name,
        scheduleGroup: this.group,
        description: schedule.description,
        enabled: schedule.enabled,
        schedule: scheduler.ScheduleExpression.expression(
          schedule.expression,
          TimeZone.of(schedule.timezone),
        ),
        timeWindow:
          schedule.flexibleWindowMinutes === undefined
            ? scheduler.TimeWindow.off()
            : scheduler.TimeWindow.flexible(Duration.minutes(schedule.flexibleWindowMinutes)),
        // Scheduler ignores start and end for one-time schedules.
        ...(schedule.parsedExpression.kind === "at"
          ? {}
          : { start: schedule.startDate, end: schedule.endDate }),
        target: new ExactLambdaInvoke(props.function, {
          role: this.role,
          input: scheduler.ScheduleTargetInput.fromObject({
            ...schedule.job,
            scheduler: {
              schedule_arn: scheduler.ContextAttribute.scheduleArn,
              scheduled_time: scheduler.ContextAttribute.scheduledTime,
              execution_id: scheduler.ContextAttribute.executionId,
              attempt_number: scheduler.ContextAttribute.attemptNumber,
            },
          }),
          retryAttempts: props.retryAttempts,
          maxEventAge: props.maxEventAge,
          deadLetterQueue: props.deadLetterQueue,
        }),
      });
      // The name is a literal, so CloudFormation would not otherwise order the group first.
      created.node.addDependency(this.group);
      for (const warning of props.warnings?.get(schedule.name) ?? []) {
        Annotations.of(created).addWarningV2("workflow-dispatch:schedule", warning);
      }
      return created;
    });
  }
}
