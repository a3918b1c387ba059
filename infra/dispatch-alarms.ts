import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as actions from "aws-cdk-lib/aws-cloudwatch-actions";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { FanOutAlarms, type FanOutAlarmsProps } from "./fan-out-alarms.js";

/** Properties of {@link DispatchAlarms}. */
export interface DispatchAlarmsProps extends Pick<FanOutAlarmsProps, "fanOutSizeThreshold"> {
  /** The dispatch function. */
  readonly function: lambda.IFunction;
  /** The dispatch queue. */
  readonly queue: sqs.IQueue;
  /** The dead-letter queue. */
  readonly deadLetterQueue: sqs.IQueue;
  /** The state table (idempotency records and pacing ledgers). */
  readonly stateTable: dynamodb.ITable;
  /**
   * Addresses subscribed to a topic this construct creates.
   * @default - no topic is created
   */
  readonly emails?: readonly string[];
  /**
   * An existing topic notified as well.
   * @default - none
   */
  readonly snsTopicArn?: string;
  /**
   * Age of the oldest queued job that raises an alarm. Retries wait at most 15 minutes, or an hour
   * when GitHub's rate limit resets, so an hour-old job means the queue is stuck.
   * @default Duration.hours(1)
   */
  readonly oldestMessageAgeThreshold?: Duration;
}

/**
 * Alarms on what needs a person: jobs in the dead-letter queue, function errors and throttles, a
 * queue that stops draining, and fan-out, pacing and state-table trouble ({@link FanOutAlarms}). Each
 * notifies the topic from the config (and/or the e-mail topic) on alarm and on recovery.
 */
export class DispatchAlarms extends Construct {
  /** The e-mail topic, when addresses were given. */
  readonly topic: sns.Topic | undefined;
  /** Any message in the dead-letter queue. */
  readonly deadLetterQueueAlarm: cloudwatch.Alarm;
  /** Any uncaught function error (jobs that fail are counted as metrics, not errors). */
  readonly errorsAlarm: cloudwatch.Alarm;
  /** Any throttled invocation. */
  readonly throttlesAlarm: cloudwatch.Alarm;
  /** The oldest job waiting longer than the threshold. */
  readonly oldestMessageAlarm: cloudwatch.Alarm;
  /** Fan-out, pacing, duplicate suppression and state-table alarms. */
  readonly fanOut: FanOutAlarms;

  constructor(scope: Construct, id: string, props: DispatchAlarmsProps) {
    super(scope, id);
    const fiveMinutes = Duration.minutes(5);
    const atLeastOne = {
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    };
    this.deadLetterQueueAlarm = new cloudwatch.Alarm(this, "DeadLetterQueue", {
      ...atLeastOne,
      alarmDescription:
        "Jobs are parked in the workflow-dispatch dead-letter queue: read their reason attribute, fix, then redrive",
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
    });
    this.errorsAlarm = new cloudwatch.Alarm(this, "Errors", {
      ...atLeastOne,
      alarmDescription: "The workflow-dispatch function failed an invocation; see its log group",
      metric: props.function.metricErrors({ period: fiveMinutes, statistic: cloudwatch.Stats.SUM }),
    });
    this.throttlesAlarm = new cloudwatch.Alarm(this, "Throttles", {
      ...atLeastOne,
      alarmDescription: "The workflow-dispatch function was throttled; dispatches may be late",
      metric: props.function.metricThrottles({
        period: fiveMinutes,
        statistic: cloudwatch.Stats.SUM,
      }),
    });
    const age = props.oldestMessageAgeThreshold ?? Duration.hours(1);
    this.oldestMessageAlarm = new cloudwatch.Alarm(this, "OldestMessage", {
      ...atLeastOne,
      threshold: age.toSeconds(),
      alarmDescription: `A job has waited more than ${age.toHumanString()} in the dispatch queue; the queue is not draining`,
      metric: props.queue.metricApproximateAgeOfOldestMessage({
        period: fiveMinutes,
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
    });
    this.fanOut = new FanOutAlarms(this, "FanOut", {
      stateTable: props.stateTable,
      fanOutSizeThreshold: props.fanOutSizeThreshold,
    });

    const topics: sns.ITopic[] = [];
    const emails = props.emails ?? [];
    if (emails.length > 0) {
      this.topic = new sns.Topic(this, "Topic", {
        displayName: "workflow-dispatch alarms",
        enforceSSL: true,
      });
      for (const email of emails) {
        this.topic.addSubscription(new subscriptions.EmailSubscription(email));
      }
      topics.push(this.topic);
    }
    if (props.snsTopicArn !== undefined) {
      topics.push(sns.Topic.fromTopicArn(this, "ConfiguredTopic", props.snsTopicArn));
    }
    for (const alarm of this.alarms) {
      for (const topic of topics) {
        alarm.addAlarmAction(new actions.SnsAction(topic));
        alarm.addOkAction(new actions.SnsAction(topic));
      }
    }
  }

  /** Every alarm of this construct. */
  get alarms(): readonly cloudwatch.Alarm[] {
    return [
      this.deadLetterQueueAlarm,
      this.errorsAlarm,
      this.throttlesAlarm,
      this.oldestMessageAlarm,
      ...this.fanOut.alarms,
    ];
  }
}
